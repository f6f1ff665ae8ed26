"""The HTML edition: one self-contained, accessible file. Language and title set, header cells
scoped, alt text on every chart, charts inlined as data URIs, nothing fetched from anywhere,
styled for print, and the same words as the Markdown master. The letter carries running text;
the tables and charts are in the annex document beside it, rendered the same way."""

from __future__ import annotations

import re

import pytest

from tests.reporting.letter_factory import built_annexes, built_letter
from voortgang.reporting.letter.html_tree import Node, parse_fragment


@pytest.fixture(scope="module")
def html() -> str:
    return built_letter().html


@pytest.fixture(scope="module")
def tree(html) -> Node:
    return parse_fragment(html)


@pytest.fixture(scope="module")
def annex_tree() -> Node:
    return parse_fragment(built_annexes().html)


def _all(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.elements():
        if child.tag == tag:
            found.append(child)
        found += _all(child, tag)
    return found


def test_document_is_dutch_and_has_a_title(html, tree):
    assert html.startswith("<!DOCTYPE html>")
    assert _all(tree, "html")[0].attrs["lang"] == "nl"
    assert _all(tree, "title")[0].text() == (
        "Voortgangsbrief ‘Een thuis voor iedereen’ – derde kwartaal 2026"
    )
    assert '<meta charset="utf-8">' in html


def test_every_header_cell_has_a_scope(annex_tree):
    headers = _all(annex_tree, "th")
    assert headers
    assert all(th.attrs.get("scope") == "col" for th in headers)


def test_the_letter_has_no_chart_and_the_annexes_have_every_one(tree, annex_tree):
    assert not _all(tree, "img")
    images = _all(annex_tree, "img")
    assert len(images) == len(built_letter().charts)
    for image in images:
        assert len(image.attrs.get("alt", "")) > 40
        assert image.attrs["src"].startswith("data:image/png;base64,")


def test_charts_sit_in_figures_with_numbered_captions(annex_tree):
    figures = _all(annex_tree, "figure")
    assert len(figures) == len(built_letter().charts)
    captions = [_all(f, "figcaption")[0].text() for f in figures]
    assert [c.split(".")[0] for c in captions] == [
        f"Figuur {i}" for i in range(1, len(captions) + 1)
    ]


def test_nothing_is_fetched_from_outside_the_file(html, tree):
    for tag, attribute in (("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src")):
        for element in _all(tree, tag):
            value = element.attrs.get(attribute, "")
            assert not value.startswith(("http:", "https:", "//")), (tag, value)
    assert not _all(tree, "link") and not _all(tree, "script")
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the page forbids loading anything else


def test_style_is_inline_printable_and_in_the_rijkshuisstijl_spirit(html):
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    assert style
    css = style.group(1)
    assert "@media print" in css and "@page" in css
    assert "Verdana" in css and "#154273" in css
    assert "@font-face" not in css  # no bundled Rijksoverheid fonts


def test_headings_and_structure_are_real_html_elements(tree, annex_tree):
    h1 = [h.text() for h in _all(tree, "h1")]
    assert h1 == [
        "Kern van deze brief",
        "Voortgang per doel",
        "Wat is veranderd sinds de vorige brief",
        "Tot slot",
    ]
    assert len(_all(tree, "h2")) == 10  # one per goal
    annex_h1 = [h.text() for h in _all(annex_tree, "h1")]
    assert "Bijlage 1 Stand per mijlpaal" in annex_h1
    assert "Bijlage 4 Ontvangen voortgangsrapportages en bronnen" in annex_h1
    assert _all(tree, "dl"), "reference block (Datum, Betreft, Kenmerk) as a definition list"


def test_footnotes_link_to_numbered_notes_in_dutch(html):
    assert 'class="footnote-ref"' in html
    assert "Terug naar noot 1 in de tekst" in html
    assert "Jump back" not in html


def test_draft_version_and_lead_ministry_are_shown(html):
    assert "Concept, versie 1" in html
    assert "Ministerie van Volkshuisvesting en Ruimtelijke Ordening</p>" in html


def test_html_says_what_the_markdown_says(tree):
    text = " ".join(tree.text().split())
    for phrase in (
        "Over de stand van dit doel in het derde kwartaal 2026 informeer ik u in de volgende brief.",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Hoogachtend,",
        "volgens het streefpad naar alle gemeenten in 2027",
    ):
        assert phrase in text
