"""The letter as the demo drafts it for 2026Q4 (five reports, SZW missing), read the way a
senior policy advisor read it: verdicts that say why, milestones named in their real state,
no false precision on the streefpad, prose characters without HTML entities, and the fifth
annex (moties en toezeggingen) counted and announced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.support.drafts import draft_period
from tests.support.submissions import submit_examples

DAY = dt.date(2027, 1, 6)  # the cycle day of 2026Q4


@pytest.fixture
def drafted(db: str) -> tuple[str, str]:
    submit_examples("2026Q4", ["VRO", "BZK", "VWS", "JenV", "AenM"])
    files = draft_period("2026Q4", today=DAY).files
    letter = Path(files["md"]).read_text(encoding="utf-8")
    annexes = Path(files["bijlagen-md"]).read_text(encoding="utf-8")
    return letter, annexes


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_a_goal_at_risk_by_a_milestone_says_which_and_why(drafted):
    letter, _ = drafted
    goal = _between(letter, "## 1. ", "## 2. ")
    assert (
        "Dit doel loopt risico, omdat *middelen in het gemeentefonds voor uitvoering van "
        "verordeningen en woonzorgvisies* niet op de uiterste datum (1 januari 2027) afgerond is"
    ) in goal
    assert "Dit doel loopt risico." not in goal


def test_the_kern_names_a_milestone_in_its_real_state(drafted):
    letter, _ = drafted
    kern = _between(letter, "# Kern van deze brief", "# Voortgang per doel")
    # The ministry reports it on schedule; only its date has passed: not "loopt risico".
    assert (
        "*middelen in het gemeentefonds voor uitvoering van verordeningen en woonzorgvisies* "
        "is niet op de uiterste datum (1 januari 2027) afgerond."
    ) in kern
    assert (
        "Bij *huisvesting van statushouders volgens de taakstelling* geeft deze brief geen oordeel "
        "over het tempo: de bron van het doel noemt geen datum waarop het bereikt moet zijn."
    ) in kern
    assert ", of de bron noemt geen datum" not in kern


def test_streefpad_values_carry_no_false_precision(drafted):
    letter, _ = drafted
    body = letter.split("# Wat is veranderd")[0]
    assert "was dat ongeveer 12.600 personen" in body  # the line gives 12.563
    assert "was dat ongeveer 142.000 woningen" in body  # the line gives 141.985
    assert "12.563" not in body and "141.985" not in body


def test_completed_milestones_read_as_sentences(drafted):
    letter, _ = drafted
    body = letter.split("# Wat is veranderd")[0]
    assert "Gereed is" not in body and "Gereed zijn" not in body
    assert "*Nieuwe editie Monitor huisvesting aandachtsgroepen* is afgerond" in body


def test_prose_characters_stay_characters_in_the_markdown(drafted):
    _, annexes = drafted
    assert "wonen & zorg" in annexes and "gemeenten < 10.000 inwoners" in annexes
    assert "woonzorgvisie > 3 maanden" in annexes
    assert "&lt;" not in annexes and "&gt;" not in annexes and "&amp;" not in annexes


def test_the_moties_annex_is_counted_and_announced(drafted):
    letter, annexes = drafted
    assert "Bijlage(n)\n:   5" in letter
    assert "Bij deze brief horen vijf bijlagen" in letter
    assert "moties en toezeggingen (bijlage 5)" in letter
    assert "# Bijlage 5 Stand van zaken moties en toezeggingen" in annexes


def test_annex_3_shows_no_assumed_target_date_and_no_verdict_on_it(drafted):
    _, annexes = drafted
    table = _between(annexes, "# Bijlage 3", "\n\n![")
    row = next(r for r in table.splitlines() if "urgentieregeling in hun" in r)
    assert "(de bron noemt geen datum)" in row and "31 december 2027" not in row
    assert row.rstrip(" |").endswith("geen oordeel (geen streefdatum)")
    assert "stand en doel (de bron noemt geen datum)" in annexes  # the chart's caption


def test_a_figure_says_how_it_moved_since_the_previous_letter(db: str) -> None:
    """27.950 dakloze mensen in the Q3 letter, 27.600 now: the letter tells the fall too, not
    only the gap to the streefpad."""
    submit_examples("2026Q3")
    draft_period("2026Q3", today=dt.date(2026, 10, 6))
    submit_examples("2026Q4", ["VRO", "BZK", "VWS", "JenV", "AenM"])
    letter = Path(draft_period("2026Q4", today=DAY).files["md"]).read_text(encoding="utf-8")
    goal = _between(letter, "## 5. ", "## 6. ")
    assert "op 27.600 personen" in goal
    assert ", 350 personen minder dan in de vorige brief;" in goal
