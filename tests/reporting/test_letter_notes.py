"""Every figure in the letter is traceable: it carries a numbered note, and every note names
its public source ("Opgave ministerie van X", with its peildatum or the date it came in; the
CBS table with reference date, boundary year and licence; a Kamerstuk). No note names a civil
servant: who submitted what is in the coordinators' notes."""

from __future__ import annotations

import re

import pytest

from tests.reporting.letter_factory import built_letter
from voortgang.models.catalogue import load_catalogue

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
NOT_FIGURES = [
    re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b"),  # dates
    re.compile(rf"\b({MONTHS}) \d{{4}}\b"),
    re.compile(r"\b(eerste|tweede|derde|vierde) kwartaal \d{4}\b"),
    re.compile(r"\b(eerste|tweede) helft (van )?\d{4}\b"),
    re.compile(r"Kamerstuk \d\d \d{3}, nr\. \d+"),  # the programme letter it refers to
    re.compile(r"\bVA22-057\b"),
    re.compile(r"\b(in|tot|voor|na|sinds|van|over|uit) (19|20)\d\d\b"),  # years
    re.compile(r"\bgemeentegrenzen( van)? (19|20)\d\d\b"),
    re.compile(r"\bCBS 85039NED\b"),
    re.compile(r"ten minste 30% sociale huur"),  # the name of goal 2
    re.compile(r"‘[^’]*’"),  # the name of an indicator, quoted
    re.compile(r"\b[Bb]ijlage \d\b"),
    re.compile(r"\bFiguur \d+\b"),
    re.compile(r"^## \d+\. ", re.MULTILINE),
    re.compile(r"\[\^\d+\]"),
    re.compile(r"\([a-z0-9-]+\.png\)"),
]
NOTE = re.compile(r"\[\^(\d+)\]")


def _body(markdown: str) -> str:
    """From the salutation up to the notes themselves: the part where every figure must
    carry a note."""
    return markdown[markdown.index("Geachte voorzitter,") : markdown.index("\n[^1]: ")]


def _blocks(markdown: str) -> list[tuple[str, str | None]]:
    """Paragraphs, list items and table rows, each with the header row of its table."""
    blocks: list[tuple[str, str | None]] = []
    for chunk in re.split(r"\n\s*\n", _body(markdown)):
        lines = chunk.strip().splitlines()
        if not lines or lines[0].startswith("#"):
            continue
        if lines[0].startswith("|"):
            header = lines[0]
            blocks += [(row, header) for row in lines[2:]]
        elif lines[0].startswith("- "):
            blocks += [(item, None) for item in lines]
        else:
            blocks.append((chunk, None))
    return blocks


def _has_figure(text: str) -> bool:
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    return bool(re.search(r"\d", text))


def test_every_figure_in_the_letter_carries_a_note():
    markdown = built_letter().markdown
    missing = [
        block
        for block, header in _blocks(markdown)
        if _has_figure(block) and not NOTE.search(block) and not (header and NOTE.search(header))
    ]
    assert not missing, "\n\n".join(missing[:5])


def test_every_note_is_defined_once_and_numbered_in_order_of_first_mention():
    markdown = built_letter().markdown
    body = _body(markdown)
    first_mentions = list(dict.fromkeys(int(n) for n in NOTE.findall(body)))
    assert first_mentions, "no notes at all"
    assert first_mentions == list(range(1, len(first_mentions) + 1))
    definitions = [int(n) for n in re.findall(r"^\[\^(\d+)\]: ", markdown, re.MULTILINE)]
    assert definitions == first_mentions


@pytest.fixture(scope="module")
def notes() -> dict[int, str]:
    markdown = built_letter().markdown
    return {int(n): text for n, text in re.findall(r"^\[\^(\d+)\]: (.+)$", markdown, re.MULTILINE)}


def test_submission_notes_name_the_ministry_and_the_date_and_no_civil_servant(notes):
    assert (
        "Opgave ministerie van Volkshuisvesting en Ruimtelijke Ordening over het derde kwartaal "
        "2026, ontvangen op 13 oktober 2026."
    ) in notes.values()
    officers = [o for m in load_catalogue().ministries for o in m.officers]
    for text in notes.values():
        assert not [o.name for o in officers if o.name in text or o.email in text], text
        assert "versie" not in text  # versions are for the audit in the coordinators' notes


def test_cbs_notes_name_table_reference_date_boundaries_and_licence(notes):
    cbs = [text for text in notes.values() if text.startswith("CBS, tabel")]
    assert cbs == [
        "CBS, tabel 85039NED ‘Kerncijfers wijken en buurten 2021’, peildatum 1 januari 2021, "
        "gemeentegrenzen 2021. Bron: CBS, CC BY 4.0."
    ]


def test_reported_figure_notes_keep_their_peildatum_and_the_period_they_come_from(notes):
    homeless = next(text for text in notes.values() if "Registratie maatschappelijke" in text)
    assert homeless.startswith(
        "Opgave ministerie van Volksgezondheid, Welzijn en Sport, peildatum 1 januari 2026"
    )
    assert "(cijfer uit het tweede kwartaal 2026)" in homeless


def test_one_source_is_one_note(notes):
    texts = list(notes.values())
    assert len(texts) == len(set(texts))


def test_the_seed_letter_is_cited_where_its_questions_are_quoted(notes):
    assert any("kenmerk VA22-057" in text for text in notes.values())


def test_the_check_itself_catches_a_figure_without_a_note():
    markdown = (
        "Geachte voorzitter,\n\nIn 2026 hebben 73 gemeenten een verordening.\n\n"
        "| Gemeente | Aandeel |\n|---|---|\n| Almere | 27% |\n\n"
        "Op 1 januari 2021 had Almere 27%[^1].\n\n[^1]: CBS.\n"
    )
    flagged = [b for b, h in _blocks(markdown) if _has_figure(b) and not NOTE.search(b)]
    assert flagged == ["In 2026 hebben 73 gemeenten een verordening.", "| Almere | 27% |"]
