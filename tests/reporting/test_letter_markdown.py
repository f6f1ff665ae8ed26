"""The Markdown master text of the Kamerbrief: the fixed parts in the conventional order, a
kernboodschap, three to five sentences of running text per goal, five weighted changes at
most, Tot slot with what the Kamer receives next, one signer "mede namens" the others; at most
2,500 words; Dutch dates and numbers; no internal process, no civil servant, no co-signer
blamed; nothing that betrays the machinery (None, template markers, English status words, a
Kamerstuk number for the letter itself). The tables are in the annex document."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.reporting.letter_factory import (
    LETTER_DATE,
    built_annexes,
    built_letter,
    make_assessment,
    make_context,
)
from voortgang.models.catalogue import load_catalogue
from voortgang.models.letter_form import SigningMode
from voortgang.reporting.letter import render_markdown


@pytest.fixture(scope="module")
def md() -> str:
    return built_letter().markdown


def _body(md: str) -> str:
    """The letter up to its notes."""
    return md.split("\n[^1]: ", 1)[0]


def _section(md: str, start: str, end: str) -> str:
    return md[md.index(start) : md.index(end)]


def _positions(text: str, parts: list[str]) -> list[int]:
    positions = []
    for part in parts:
        assert part in text, f"missing: {part!r}"
        positions.append(text.index(part))
    return positions


def test_fixed_parts_appear_in_the_order_of_a_kamerbrief(md):
    parts = [
        "Retouradres Postbus",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal  \nPostbus 20018  \n"
        "2500 EA  Den Haag",
        "Directoraat-generaal Volkshuisvesting en Bouwen\n:   Turfmarkt 147",
        "www.rijksoverheid.nl",
        "Datum\n:   25 november 2026",
        "Betreft\n:   Voortgangsbrief ‘Een thuis voor iedereen’ – derde kwartaal 2026",
        "Kenmerk\n:   2026-0000612345",
        "Uw kenmerk\n:   –",
        "Bijlage(n)\n:   5",
        "Geachte voorzitter,",
        "In deze brief komen de volgende punten aan de orde:",
        "# Kern van deze brief",
        "# Voortgang per doel",
        "# Wat is veranderd sinds de vorige brief",
        "# Tot slot",
        "Hoogachtend,",
        "[^1]: ",
    ]
    positions = _positions(md, parts)
    assert positions == sorted(positions)
    assert "# Bijlage" not in md  # the annexes are a document of their own


def test_the_body_is_at_most_2500_words(md):
    assert len(_body(md).split()) <= 2500
    assert len(md.split()) <= 2500  # notes included


def test_one_minister_writes_mede_namens_the_others(md):
    opening = _section(md, "Geachte voorzitter,", "# Kern van deze brief")
    assert (
        "Met deze brief informeer ik uw Kamer, mede namens de minister van Binnenlandse" in opening
    )
    others = [s for s in load_catalogue().signatories_on(LETTER_DATE) if s.ministry != "VRO"]
    for signatory in others:
        assert signatory.title[0].lower() + signatory.title[1:] in opening
    assert "programma ‘Een thuis voor iedereen’" in opening
    assert "uw Kamer" in opening


def test_one_signature_block_with_a_visible_name_placeholder(md):
    closing = md[md.index("Hoogachtend,") : md.index("[^1]: ")]
    assert closing.count("\n[naam]") == 1
    assert "De minister van Volkshuisvesting en Ruimtelijke Ordening,  \n[naam]" in closing
    assert "De minister van Asiel en Migratie," not in closing


def test_co_signed_letters_say_wij_and_have_a_block_per_signatory():
    catalogue = load_catalogue()
    form = catalogue.letter.model_copy(update={"signing": SigningMode.co_signed})
    text = render_markdown(
        make_context(catalogue=catalogue.model_copy(update={"letter": form})), charts=[]
    )
    assert "Met deze brief informeren wij, de minister van Volkshuisvesting" in text
    closing = text[text.index("Hoogachtend,") :]
    titles = [s.title for s in catalogue.signatories_on(LETTER_DATE)]
    assert len(titles) == 6
    for title in titles:
        assert f"\n{title},  \n[naam]" in closing


def test_signature_shows_the_name_under_the_title_when_the_catalogue_has_one():
    catalogue = load_catalogue()
    named = [
        s.model_copy(update={"name": "Mona Keijzer"}) if s.ministry == "VRO" else s
        for s in catalogue.signatories
    ]
    ctx = make_context(catalogue=catalogue.model_copy(update={"signatories": named}))
    text = render_markdown(ctx, charts=[])
    assert "De minister van Volkshuisvesting en Ruimtelijke Ordening,  \nMona Keijzer\n" in text
    assert "[naam]" not in text


def test_the_previous_letter_is_cited_with_its_kamerstuk_when_known():
    catalogue = load_catalogue()
    form = catalogue.letter.model_copy(update={"previous_letters": {"2026Q2": "32 847, nr. 1402"}})
    text = render_markdown(
        make_context(catalogue=catalogue.model_copy(update={"letter": form})), charts=[]
    )
    assert (
        "Mijn vorige brief ging over het tweede kwartaal 2026 (Kamerstuk 32 847, nr. 1402)." in text
    )


def test_kernboodschap_puts_goals_off_track_first_then_at_risk(md):
    kern = _section(md, "# Kern van deze brief", "# Voortgang per doel")
    bullets = [line for line in kern.splitlines() if line.startswith("- **")]
    states = ["achter" if "ligt achter op schema" in b else "risico" for b in bullets]
    assert states == sorted(states, key=lambda s: s != "achter")
    assert states.count("achter") == 2 and states.count("risico") == 4
    assert "**Dakloosheid beëindigen in 2030** ligt achter op schema" in kern
    names = re.sub(r"‘[^’]*’|\*\*[^*]*\*\*|\*[^*]*\*", "", kern)  # goal and indicator names
    assert not re.search(r"\d", names)  # no figures: each is told once, at its goal


def test_every_goal_is_told_in_three_to_five_sentences_of_running_text(md):
    for number, goal in enumerate(load_catalogue().goals, start=1):
        assert f"\n## {number}. {goal.title}\n" in md
    goals = _section(md, "# Voortgang per doel", "# Wat is veranderd")
    for part in re.split(r"\n## \d+\. [^\n]+\n", goals)[1:]:
        paragraph = part.strip()
        assert "\n" not in paragraph  # one paragraph, no tables, no lists
        sentences = re.findall(r"[.!?](?:\[\^\d+\])?(?= [A-Z*]|$)", paragraph)
        assert 1 <= len(sentences) <= 8, paragraph


def test_a_goal_says_where_it_stands_with_a_date_and_against_the_streefpad(md):
    section = _section(md, "## 1. ", "## 2. ")
    assert "Op 30 september 2026 stond ‘gemeenten met een urgentieregeling" in section
    assert "op 71,0% van de gemeenten[^" in section
    assert (
        "volgens het streefpad naar alle gemeenten in 2027 was dat ongeveer 91,7% van de gemeenten"
        in section
    )


def test_an_old_measurement_is_not_judged(md):
    section = _section(md, "## 5. ", "## 6. ")
    assert "De laatste meting van ‘dakloze mensen’ is 30.600 personen op 1 januari 2026" in section
    assert "In dit kwartaal is er geen nieuwe meting, dus geen oordeel over het tempo." in section


def test_a_goal_gives_the_cause_and_the_new_date_of_a_slipped_milestone(md):
    section = _section(md, "## 3. ", "## 4. ")
    assert (
        "*Regionaal afgestemde woonzorgvisies in alle regio's* loopt risico: de afronding is nu "
        "voorzien voor 31 maart 2027 in plaats van 31 december 2026"
    ) in section
    assert "Drie regio's hebben nog geen afgestemde woonzorgvisie." in section


def test_a_goal_says_what_the_cabinet_does_with_the_ministrys_measure():
    measure = "VRO zet een expertteam in voor de drie regio's zonder afgestemde visie."
    assessment = make_assessment()
    goals = []
    for g in assessment.goals:
        milestones = [
            m.model_copy(update={"measure": measure})
            if m.milestone_id == "vro-regional-woonzorgvisies"
            else m
            for m in g.milestones
        ]
        goals.append(g.model_copy(update={"milestones": milestones}))
    text = render_markdown(make_context(assessment.model_copy(update={"goals": goals})), charts=[])
    section = _section(text, "## 3. ", "## 4. ")
    assert measure in section


def test_every_figure_is_told_once_in_the_body(md):
    body = _body(md)
    figures = re.findall(r"\b\d{1,3}(?:\.\d{3})+\b|\b\d+,\d%", body)
    repeated = {f for f in figures if figures.count(f) > 1}
    assert not repeated, repeated


def test_a_missing_report_defers_the_goal_without_blaming_the_ministry(md):
    section = _section(md, "## 8. ", "## 9. ")
    assert (
        "Over de stand van dit doel in het derde kwartaal 2026 informeer ik u in de volgende brief."
        in section
    )
    body = _body(md)
    opening_end = body.index("over de voortgang van het programma")
    rest = body[opening_end:]
    assert "Sociale Zaken en Werkgelegenheid" not in rest
    for blame in ("ontvingen wij geen", "niet ontvangen", "geen voortgangsrapportage", "SZW"):
        assert blame not in rest, blame


INTERNAL = ("trekker", "betrokken:", "(betrokken)", "beoordelingsregels", "deadline")


def test_no_internal_process_and_no_civil_servant_in_the_letter(md):
    lowered = md.lower()
    for word in INTERNAL:
        assert word not in lowered, word
    assert "AenM" not in md
    for officer in [o for m in load_catalogue().ministries for o in m.officers]:
        assert officer.name not in md and officer.email not in md


def test_changes_are_at_most_five_sentences_the_weightiest_first_each_with_its_reason(md):
    changes = _section(md, "# Wat is veranderd", "# Tot slot")
    assert "over het tweede kwartaal 2026" in changes
    items = [line for line in changes.splitlines() if line.startswith("- ")]
    assert 1 <= len(items) <= 5
    assert items[0].startswith(
        "- Het doel *elke gemeente een regionaal afgestemde woonzorgvisie* ligt nu achter op "
        "schema (was risico), omdat"
    )
    assert "de Eerste Kamer behandelt het wetsvoorstel later dan gepland." in items[0]
    assert (
        items[-1] == "- De mijlpaal *nieuwe editie Monitor huisvesting aandachtsgroepen* is gereed."
    )


def test_first_letter_says_plainly_that_there_is_no_previous_letter():
    text = render_markdown(make_context(previous_period=None, changes=[]), charts=[])
    assert "Dit is de eerste voortgangsbrief over het programma" in text


def test_unchanged_period_says_nothing_changed():
    text = render_markdown(make_context(changes=[]), charts=[])
    assert "is de stand van de doelen en mijlpalen niet veranderd" in text


def test_closing_gives_what_comes_before_the_next_letter_and_the_slipped_dates(md):
    closing = _section(md, "# Tot slot", "Hoogachtend,")
    assert "ontvangt uw Kamer uiterlijk 24 februari 2027" in closing
    assert "over het vierde kwartaal 2026" in closing
    assert (
        "- *Tussenevaluatie Nationaal Actieplan Dakloosheid*, uiterste datum 31 december 2026;"
        in closing
    )
    assert (
        "- *Regionaal afgestemde woonzorgvisies in alle regio's*: nu voorzien voor 31 maart 2027 "
        "(gepland: 31 december 2026)."
    ) in closing


def test_annexes_hold_the_milestone_table_municipalities_indicators_and_sources():
    annex = built_annexes().markdown
    positions = _positions(
        annex,
        [
            "# Bijlage 1 Stand per mijlpaal",
            "| Mijlpaal | Ministerie | Uiterste datum | Status | Toelichting |",
            "# Bijlage 2 Gemeenten",
            "# Bijlage 3 Indicatoren en werkwijze",
            "## Werkwijze",
            "# Bijlage 4 Ontvangen voortgangsrapportages en bronnen",
            "| Ministerie | Rapportage ontvangen op |",
        ],
    )
    assert positions == sorted(positions)
    # The reports the letter rests on; a co-signer without one is not singled out here.
    assert "Ministerie van Sociale Zaken en Werkgelegenheid |" not in annex.split("# Bijlage 4")[1]
    assert "deadline" not in annex.lower() and "| Door |" not in annex
    for officer in [o for m in load_catalogue().ministries for o in m.officers]:
        assert officer.name not in annex


def test_dates_and_numbers_are_written_the_dutch_way(md):
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", md), "ISO date in the letter"
    assert not re.search(r"\b\d{1,2}-\d{1,2}-\d{4}\b", md), "numeric date in the letter"
    assert not re.search(r"\d\.\d%", md), "decimal point in a percentage"
    plain = re.sub(r"Postbus \d+", "", md.replace("2026-0000612345", ""))
    assert not re.search(r"\b\d{5,}\b", plain), "ungrouped number"
    assert "98.400 woningen" in md
    assert "58,1% van de gemeenten" in md


ENGLISH = re.compile(
    r"\b(None|True|False|nan|null|on_track|at_risk|off_track|no_data|not_started|delayed|done"
    r"|the|and|with|page|source|milestone|goal|submission)\b"  # "indicator" is Dutch too
)


def test_no_machinery_shows_through(md):
    for marker in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert marker not in md
    found = ENGLISH.findall(md.replace("Kamerstuk 32 847, nr. 883", ""))
    assert not found, found
    assert not re.search(r"\b20\d\dQ[1-4]\b", md), "period code instead of a Dutch label"


def test_the_letter_never_gives_itself_a_kamerstuk_number(md):
    numbers = set(re.findall(r"Kamerstuk \d\d \d\d\d, nr\. \d+", md))
    assert numbers <= {"Kamerstuk 32 847, nr. 883"}  # the programme letter it refers to
    assert "Nr." not in md and "BRIEF VAN DE MINISTER" not in md


def test_rendering_is_deterministic():
    ctx = make_context()
    assert render_markdown(ctx, charts=[]) == render_markdown(ctx, charts=[])


def test_context_refuses_a_next_letter_before_this_one():
    with pytest.raises(ValueError, match="next_letter_date"):
        make_context(next_letter_date=LETTER_DATE - dt.timedelta(days=1))


def test_context_refuses_a_date_without_any_valid_signatory():
    with pytest.raises(ValueError, match="no signatory"):
        make_context(letter_date=dt.date(2021, 6, 1), next_letter_date=dt.date(2021, 9, 1))


def test_without_municipal_data_the_letter_gives_no_municipal_figures():
    ctx = make_context(make_assessment(with_municipal_data=False), municipality_shares=[])
    text = render_markdown(ctx, charts=[])
    assert "woningen in bezit van een woningcorporatie[^" not in text
    assert "gemeenten is de stand bekend" not in text
    assert "None" not in text


def test_when_every_ministry_reported_no_goal_waits_for_the_next_letter():
    text = render_markdown(make_context(make_assessment(missing=())), charts=[])
    assert "in de volgende brief." not in text.split("# Tot slot")[0]
