"""The Word edition: real heading styles, tables with a repeated header row, pictures with alt
text, numbered notes, "Pagina X van N" in the footer, Dutch as document language, and the
same bytes for the same letter. Optionally checks that LibreOffice can open it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from tests.reporting.letter_factory import built_letter, make_context
from voortgang.reporting.letter import render_docx


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(built_letter().docx))


def test_sections_are_real_heading_1_and_2_paragraphs(document):
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    level1 = [text for style, text in headings if style == "Heading 1"]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level1[:3] == ["Aanleiding", "Stand van zaken per doel", "Voortgang per doel"]
    assert "Bijlage 1 Stand per mijlpaal" in level1 and "Bijlage 3 Bronnen" in level1
    assert "1. Huisvestingsverordening met urgentieregeling in elke gemeente" in level2
    assert "Noten" in level2


def test_annexes_start_on_a_new_page(document):
    annexes = [
        p
        for p in document.paragraphs
        if p.text.startswith("Bijlage ") and p.style.name == "Heading 1"
    ]
    assert len(annexes) == 3
    assert all(p.paragraph_format.page_break_before for p in annexes)


def test_every_table_has_its_first_row_marked_as_header(document):
    assert len(document.tables) >= 6
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells][:3] == ["Doel", "Trekker", "Status"]


def test_every_picture_has_alt_text(document):
    doc_prs = document.element.body.findall(".//" + qn("wp:docPr"))
    assert len(doc_prs) == len(built_letter().charts)
    for doc_pr in doc_prs:
        assert len(doc_pr.get("descr", "")) > 40
    assert len(document.inline_shapes) == len(doc_prs)


def test_notes_are_a_numbered_list_after_the_noten_heading(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Noten")
    notes = texts[start + 1 :]
    assert notes[0].startswith("1.\t")
    assert any("Bron: CBS, CC BY 4.0." in n for n in notes)
    assert not any("↩" in n for n in notes)


def test_footer_counts_pages_with_fields(document):
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Pagina ") and " van " in footer.text


def test_document_language_and_title_are_set(document):
    assert document.core_properties.title == (
        "Voortgangsbrief Een thuis voor iedereen – derde kwartaal 2026"
    )
    assert document.core_properties.language == "nl-NL"
    lang = document.styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:val")) == "nl-NL"


def test_letter_text_and_signatures_are_in_the_document(document):
    texts = [p.text for p in document.paragraphs]
    assert "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal" in "\n".join(texts)
    assert "Hoogachtend," in texts
    assert "De minister van Asiel en Migratie," in texts


def test_same_letter_gives_the_same_docx_bytes():
    ctx = make_context()
    charts = built_letter().charts
    assert render_docx(ctx, charts) == render_docx(ctx, charts)
    with zipfile.ZipFile(io.BytesIO(built_letter().docx)) as package:
        assert {i.date_time for i in package.infolist()} == {(2026, 11, 25, 0, 0, 0)}


def test_libreoffice_can_open_and_convert_the_document(tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed on this machine")
    source = tmp_path / "brief.docx"
    source.write_bytes(built_letter().docx)
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = tmp_path / "brief.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
