"""The Word edition: real heading styles, tables with a repeated header row and rows that do
not break across pages, pictures with alt text that are shown whole (not clipped to one line),
the signature block on one page, numbered notes, "Pagina X van N" in the footer, Dutch as
document language, and the same bytes for the same letter. Rendered through LibreOffice
(skipped where it is not installed; ``.ci/run`` installs it), a page shows the chart."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from PIL import Image

from tests.reporting.letter_factory import built_annexes, built_letter, make_context
from voortgang.reporting.letter import render_docx


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(built_letter().docx))


def test_sections_are_real_heading_1_and_2_paragraphs(document, annexes):
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    level1 = [text for style, text in headings if style == "Heading 1"]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level1 == [
        "Kern van deze brief",
        "Voortgang per doel",
        "Wat is veranderd sinds de vorige brief",
        "Tot slot",
    ]
    assert "1. Huisvestingsverordening met urgentieregeling in elke gemeente" in level2
    annex_titles = [p.text for p in annexes.paragraphs if p.style.name == "Heading 1"]
    assert "Bijlage 1 Stand per mijlpaal" in annex_titles
    assert "Bijlage 3 Indicatoren en werkwijze" in annex_titles


def test_annexes_are_their_own_document_each_starting_on_a_new_page(document, annexes):
    assert not any(
        p.text.startswith("Bijlage ") for p in document.paragraphs if p.style.name == "Heading 1"
    )
    titles = [
        p
        for p in annexes.paragraphs
        if p.text.startswith("Bijlage ") and p.style.name == "Heading 1"
    ]
    assert len(titles) >= 4
    assert all(p.paragraph_format.page_break_before for p in titles)


def test_every_table_has_its_first_row_marked_as_header(document, annexes):
    assert len(document.tables) == 0, "tables belong in the annexes, not in the letter"
    assert len(annexes.tables) >= 4
    for table in annexes.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    first = annexes.tables[0]
    assert [c.text for c in first.rows[0].cells][:4] == [
        "Mijlpaal",
        "Ministerie",
        "Uiterste datum",
        "Status",
    ]


def test_every_picture_has_alt_text(annexes):
    doc_prs = annexes.element.body.findall(".//" + qn("wp:docPr"))
    assert len(doc_prs) == len(built_letter().charts)
    for doc_pr in doc_prs:
        assert len(doc_pr.get("descr", "")) > 40
    assert len(annexes.inline_shapes) == len(doc_prs)


def test_notes_are_a_numbered_list_after_the_signature(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Hoogachtend,")
    notes = [t for t in texts[start + 1 :] if t[:1].isdigit()]
    assert notes[0].startswith("1.\t")
    assert [int(n.split(".", 1)[0]) for n in notes] == list(range(1, len(notes) + 1))
    assert any("Bron: CBS, CC BY 4.0." in n for n in notes)
    assert not any("↩" in n for n in notes)


def test_footer_counts_pages_with_fields(document):
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Pagina ") and " van " in footer.text


def test_document_language_and_title_are_set(document):
    assert document.core_properties.title == (
        "Voortgangsbrief ‘Een thuis voor iedereen’ – derde kwartaal 2026"
    )
    assert document.core_properties.language == "nl-NL"
    lang = document.styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:val")) == "nl-NL"


def test_letter_text_and_signatures_are_in_the_document(document):
    texts = [p.text for p in document.paragraphs]
    assert "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal" in "\n".join(texts)
    assert "Hoogachtend," in texts
    # One minister signs, mede namens the others; the name stays a visible placeholder.
    signature = texts[texts.index("Hoogachtend,") + 1]
    assert signature.startswith("De minister van Volkshuisvesting en Ruimtelijke Ordening,")
    assert "[naam]" in signature


def test_address_lines_follow_each_other_without_empty_lines(document):
    """A line break in the address is one break: the newline after <br> is no second one (a
    first page with an empty line between "Postbus 20018" and "2500 EA  Den Haag")."""
    address = next(p for p in document.paragraphs if p.text.startswith("Aan de Voorzitter"))
    assert address.text.split("\n") == [
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Postbus 20018",
        "2500 EA  Den Haag",
    ]


def test_same_letter_gives_the_same_docx_bytes():
    ctx = make_context()
    charts = built_letter().charts
    assert render_docx(ctx, charts) == render_docx(ctx, charts)
    with zipfile.ZipFile(io.BytesIO(built_letter().docx)) as package:
        assert {i.date_time for i in package.infolist()} == {(2026, 11, 25, 0, 0, 0)}


@pytest.fixture(scope="module")
def annexes():
    """The annex document: since the letter's charts and tables moved there, it is where a
    clipped picture or a split row would show."""
    return docx.Document(io.BytesIO(built_annexes().docx))


def _picture_paragraphs(document):
    return [p for p in document.paragraphs if p._p.findall(".//" + qn("wp:docPr"))]


def test_picture_paragraphs_are_not_held_to_the_text_line_height(annexes):
    """Normal text has an exact 13 pt line height; a picture in such a paragraph shows as a
    13 pt strip. Picture paragraphs get single spacing, which grows with the picture."""
    normal = annexes.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY  # the cause, still in the style
    pictures = _picture_paragraphs(annexes)
    assert len(pictures) == len(built_letter().charts) > 0
    for paragraph in pictures:
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
        assert paragraph.paragraph_format.keep_with_next  # the caption comes along


def test_signature_block_stays_on_one_page(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Hoogachtend,")
    block = []
    for paragraph in document.paragraphs[start:]:
        if not paragraph.paragraph_format.keep_with_next:
            block.append(paragraph)
            break
        block.append(paragraph)
    signers = [p.text for p in block[1:]]
    assert any(text.startswith(("De minister", "De staatssecretaris")) for text in signers)
    assert all(p.paragraph_format.keep_together for p in block)
    last = block[-1]
    # the block ends at its last signature: what follows may go to another page
    assert not last.paragraph_format.keep_with_next
    assert "Hoogachtend," not in last.text


def test_no_table_row_breaks_across_pages(document, annexes):
    rows = [row for doc in (document, annexes) for table in doc.tables for row in table.rows]
    assert len(rows) > 20
    for row in rows:
        tr_pr = row._tr.trPr
        cant_split = None if tr_pr is None else tr_pr.find(qn("w:cantSplit"))
        assert cant_split is not None and cant_split.get(qn("w:val")) == "true"


@pytest.fixture(scope="module")
def office_pdf(tmp_path_factory) -> Path:
    """The letter converted to PDF by LibreOffice, with a profile of its own (an office
    already open under the same user would otherwise take the job and drop it)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed on this machine (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "brief.docx"
    source.write_bytes(built_annexes().docx)  # the charts are in the annexes
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    return folder / "brief.pdf"


def test_libreoffice_can_open_and_convert_the_document(office_pdf):
    assert office_pdf.exists() and office_pdf.read_bytes().startswith(b"%PDF")


# Fills of the charts that no text or table in the letter uses: the light blue of "op schema"
# (milestone chart) and of the municipal histogram.
CHART_FILLS = ((0x8F, 0xCA, 0xE7), (0xB2, 0xD7, 0xEE))
DPI = 40


def _chart_rows(page: Image.Image) -> list[int]:
    """The pixel rows of a page image that hold a chart fill."""
    pixels = page.convert("RGB").load()
    rows = []
    for y in range(page.height):
        for x in range(0, page.width, 2):
            r, g, b = pixels[x, y]
            if any(abs(r - cr) + abs(g - cg) + abs(b - cb) < 30 for cr, cg, cb in CHART_FILLS):
                rows.append(y)
                break
    return rows


def test_a_page_rendered_by_libreoffice_shows_a_whole_chart(office_pdf):
    """Look at the pages as a reader would: a chart clipped to its text line shows at most a
    13 pt strip (0.46 cm); a whole one spreads its bars over several centimetres."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed (.ci/run installs it)")
    prefix = office_pdf.parent / "pagina"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(office_pdf), str(prefix)],
        check=True,
        timeout=120,
    )
    pages = sorted(office_pdf.parent.glob("pagina-*.png"))
    assert pages
    spans_cm = []
    for path in pages:
        rows = _chart_rows(Image.open(path))
        spans_cm.append((rows[-1] - rows[0]) / DPI * 2.54 if rows else 0.0)
    tallest = max(spans_cm)
    page = pages[spans_cm.index(tallest)]
    print(f"chart page: {page}")  # shown with -s, to look at it
    assert tallest > 3.0, f"no page shows a chart taller than a strip: {spans_cm}"


LONG_MONTHS = ("januari", "februari", "augustus", "september", "oktober", "november", "december")


def test_libreoffice_breaks_no_date_inside_a_word_in_the_tables(office_pdf):
    """Narrow date columns showed "30 septemb|er 2026" and "31 maart 202|6" (the date held
    together by no-break spaces): in a table a date breaks between its words, and every
    column is at least as wide as its longest word."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed (.ci/run installs it)")
    text = subprocess.run(
        ["pdftotext", "-layout", str(office_pdf), "-"],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    words = set(text.split())
    broken = {w for m in LONG_MONTHS for w in words if 4 <= len(w) < len(m) and m.startswith(w)}
    assert not broken, f"month names broken across lines: {sorted(broken)}"
    assert "202" not in words, "a year broken across lines ('31 maart 202' / '6')"
    assert "september" in text  # the milestone table's due dates are there to be broken
