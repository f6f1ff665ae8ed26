"""Submitted narratives and reasons are untrusted. They may use light Markdown, but raw HTML,
``javascript:`` links, headings and table pipes must come out inert: escaped in the Markdown
master, sanitised in HTML, literal text in DOCX, and never able to break the structure. The
submitted texts show in the letter and in its annexes (the milestone table); both are checked."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import docx
import pytest

from tests.reporting.letter_factory import hostile_annexes, hostile_letter
from voortgang.reporting.letter.html_tree import Node, parse_fragment
from voortgang.reporting.letter.sanitize import clean_html, md_inline


@pytest.fixture(scope="module")
def letter():
    body, annexes = hostile_letter(), hostile_annexes()
    return SimpleNamespace(
        markdown=body.markdown + annexes.markdown,
        html=body.html + annexes.html,
        docx=annexes.docx,
        body=body,
    )


def _walk(node: Node):
    for child in node.elements():
        yield child
        yield from _walk(child)


def test_markdown_master_escapes_raw_html_from_submissions(letter):
    md = letter.markdown
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script>alert(1)&lt;/script>" in md
    assert "&lt;img src=x onerror=alert(1)>" in md


def test_a_narrative_starting_with_a_hash_does_not_become_a_heading(letter):
    assert not re.search(r"^#+ Kop van buiten", letter.markdown, re.MULTILINE)
    assert not re.search(r"^#+ geen kop", letter.markdown, re.MULTILINE)
    assert "<h1>Kop van buiten" not in letter.html and "Kop van buiten</h" not in letter.html
    document = docx.Document(io.BytesIO(letter.docx))
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    assert not any("Kop van buiten" in h or "geen kop" in h for h in headings)


def test_html_has_no_script_no_event_handler_and_no_javascript_link(letter):
    tree = parse_fragment(letter.html)
    elements = list(_walk(tree))
    assert not [e for e in elements if e.tag in ("script", "iframe", "object", "embed")]
    handlers = [(e.tag, a) for e in elements for a in e.attrs if a.lower().startswith("on")]
    assert not handlers
    hrefs = [e.attrs.get("href", "") for e in elements if e.tag == "a"]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript")]
    assert "javascript:" not in letter.html.lower().replace("[klik](javascript:alert(1))", "")
    images = [e for e in elements if e.tag == "img"]
    assert images and all(e.attrs["src"].startswith("data:image/png;base64,") for e in images)


def test_the_injected_text_is_still_visible_as_text_in_html(letter):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in letter.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in letter.html
    assert ">klik</a>" in letter.html  # the link text stays, its target is gone


def test_a_pipe_in_submitted_text_does_not_add_table_cells(letter):
    tree = parse_fragment(letter.html)
    rows = [e for e in _walk(tree) if e.tag == "tr" and "pijp" in e.text()]
    assert rows
    for row in rows:
        assert len([c for c in row.elements() if c.tag == "td"]) == 5
    # The assessment's own reasons (with a ministry's text in them) are not printed at all.
    assert "| cel" not in letter.html and "<b>vet</b>" not in letter.html


def test_docx_shows_the_injected_markup_literally_and_links_nowhere_unsafe(letter):
    document = docx.Document(io.BytesIO(letter.docx))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    full = "\n".join(texts)
    assert "<script>alert(1)</script>" in full
    assert "<img src=x onerror=alert(1)>" in full
    assert "Reden met | pijp | en <script>alert(2)</script>" in full
    targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert not [t for t in targets if not t.startswith(("http://", "https://", "mailto:"))]


@pytest.mark.parametrize(
    "text",
    [
        "# kop",
        "- lijst",
        "1. lijst",
        "---",
        "> citaat",
        "[^1] noot",
        "![x](http://e/x.png)",
        "[id]: http://e",
        "a | b",
        "{: onclick=x}",
        "`code`",
    ],
)
def test_md_inline_keeps_submitted_text_from_making_structure(text):
    import markdown

    html = markdown.markdown(md_inline(text), extensions=["tables", "footnotes", "def_list"])
    assert html.startswith("<p>"), html
    assert "<img" not in html and "<sup" not in html and "<code" not in html


def test_clean_html_drops_foreign_images_and_unsafe_links():
    dirty = (
        '<p><img src="https://tracker.example/x.png" alt="x"><img src="grafiek.png" alt="y">'
        '<a href="javascript:alert(1)">a</a><a href="https://ok.example">b</a>'
        '<a href="data:text/html,x">c</a><span onclick="x">d</span><script>e</script></p>'
    )
    clean = clean_html(dirty, ["grafiek.png"])
    assert "tracker.example" not in clean
    assert 'src="grafiek.png"' in clean
    assert "javascript" not in clean and "data:text" not in clean
    assert 'href="https://ok.example"' in clean
    assert "onclick" not in clean and "<script" not in clean and ">e<" not in clean
