"""The PDF edition: a tagged PDF/UA-1 printed from the HTML with WeasyPrint, with the letter's
title, Dutch as its language, a structure tree whose figures carry alt text, "Pagina X van N"
on every page, the same bytes for the same letter, and nothing fetched from outside."""

from __future__ import annotations

import html as html_text
import http.server
import io
import re
import shutil
import subprocess
import threading
from functools import lru_cache

import pikepdf
import pytest

from tests.reporting.letter_factory import built_annexes, built_letter
from voortgang.reporting.letter.pdf_render import pdf_from_html, printed_from, write_pdf

# the subject, as the HTML's <title> gives it (the PDF must show the same)
SUBJECT = html_text.unescape(re.search(r"<title>(.*?)</title>", built_letter().html).group(1))


@lru_cache(maxsize=1)
def letter_pdf() -> bytes:
    return pdf_from_html(built_letter().html)


@pytest.fixture(scope="module")
def pdf():
    with pikepdf.open(io.BytesIO(letter_pdf())) as document:
        yield document


@pytest.fixture(scope="module")
def annexes_pdf():
    """The annexes printed the same way: they hold the charts and tables."""
    with pikepdf.open(io.BytesIO(pdf_from_html(built_annexes().html))) as document:
        yield document


def test_pdf_is_tagged_with_a_structure_tree(pdf):
    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked) is True


def test_pdf_declares_pdf_ua_1_and_the_letters_title_and_language(pdf):
    assert str(pdf.Root.Lang) == "nl"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True  # the title, not a file name
    meta = pdf.open_metadata()
    assert meta["pdfuaid:part"] == "1"
    assert meta["dc:title"] == SUBJECT
    assert str(pdf.docinfo.Title) == SUBJECT


def _structure(element, found):
    kind = element.get("/S")
    if kind is not None:
        found.append((str(kind), element))
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            _structure(kid, found)


def test_structure_tree_has_headings_tables_and_figures_with_alt_text(pdf, annexes_pdf):
    found: list = []
    _structure(pdf.Root.StructTreeRoot, found)
    assert {"/H1", "/P", "/L", "/LI"} <= {kind for kind, _ in found}
    found = []
    _structure(annexes_pdf.Root.StructTreeRoot, found)
    kinds = {kind for kind, _ in found}
    assert {"/H1", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    figures = [element for kind, element in found if kind == "/Figure"]
    assert len(figures) == len(built_letter().charts)
    for figure in figures:
        assert len(str(figure.get("/Alt", ""))) > 40


def test_pages_are_a4_and_numbered_pagina_x_van_n(pdf):
    pages = len(pdf.pages)
    assert pages > 3
    assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed (.ci/run installs it)")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=letter_pdf(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    numbers = re.findall(r"Pagina (\d+) van (\d+)", text)
    assert numbers == [(str(n), str(pages)) for n in range(1, pages + 1)]
    # the draft mark is repeated at the top of the following pages, as in the DOCX
    assert text.count("Concept, versie 1") >= pages - 1


def test_pdfinfo_reads_it_as_tagged_with_title(tmp_path):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed (.ci/run installs it)")
    path = tmp_path / "brief.pdf"
    path.write_bytes(letter_pdf())
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+{re.escape(SUBJECT)}$", info, re.MULTILINE)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE)


def test_same_letter_gives_the_same_pdf_bytes_and_is_not_printed_twice(tmp_path):
    html = built_letter().html
    assert pdf_from_html(html) == letter_pdf()
    assert printed_from(letter_pdf(), html)
    assert not printed_from(letter_pdf(), html.replace("versie 1", "versie 2"))
    path = tmp_path / "brief.pdf"
    path.write_bytes(letter_pdf())
    before = path.stat().st_mtime_ns
    assert write_pdf(path, html) == path
    assert path.stat().st_mtime_ns == before  # already printed from this HTML: kept


def test_nothing_is_fetched_while_printing():
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        html = built_letter().html.replace(
            "</main>",
            f'<img src="{base}/beeld.png" alt="x"><link rel="stylesheet" href="{base}/s.css">'
            f'<img src="file:///etc/hostname" alt="y"></main>',
        )
        assert pdf_from_html(html).startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
