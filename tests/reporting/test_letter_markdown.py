"""The Markdown master text of the Kamerbrief: the fixed parts in the conventional order,
Dutch dates and numbers, every goal and ministry, the standing questions of the seed letter,
missing submissions named plainly, and nothing that betrays the machinery (None, template
markers, English status words, a Kamerstuk number for the letter itself)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.reporting.letter_factory import (
    LETTER_DATE,
    built_letter,
    make_assessment,
    make_context,
)
from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.letter import render_markdown


@pytest.fixture(scope="module")
def md() -> str:
    return built_letter().markdown


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
        "Datum\n:   25 november 2026",
        "Betreft\n:   Voortgangsbrief Een thuis voor iedereen – derde kwartaal 2026",
        "Kenmerk\n:   2026-0000612345",
        "Bijlage(n)\n:   3",
        "Geachte voorzitter,",
        "In deze brief komen de volgende punten aan de orde:",
        "# Aanleiding",
        "# Stand van zaken per doel",
        "| Doel | Trekker | Status | Toelichting",
        "# Voortgang per doel",
        "# Antwoorden op de vragen van de koepelorganisaties",
        "# Wat is veranderd sinds de vorige brief",
        "# Ontbrekende voortgangsrapportages",
        "# Tot slot",
        "Hoogachtend,",
        "# Bijlage 1 Stand per mijlpaal",
        "| Mijlpaal | Ministerie | Deadline | Status | Toelichting |",
        "# Bijlage 2 Gemeenten",
        "# Bijlage 3 Bronnen",
        "## Noten",
    ]
    positions = _positions(md, parts)
    assert positions == sorted(positions)


def test_opening_says_we_write_together_and_names_every_signing_minister(md):
    opening = md[md.index("Geachte voorzitter,") : md.index("# Aanleiding")]
    assert "informeren wij uw Kamer" in opening
    for signatory in load_catalogue().signatories_on(LETTER_DATE):
        title = signatory.title[0].lower() + signatory.title[1:]
        assert title in opening


def test_one_signature_block_per_signatory_with_a_title_ending_in_a_comma(md):
    closing = md[md.index("Hoogachtend,") : md.index("# Bijlage 1")]
    titles = [s.title for s in load_catalogue().signatories_on(LETTER_DATE)]
    assert len(titles) == 6
    for title in titles:
        assert f"\n{title},\n" in closing


def test_signature_shows_the_name_under_the_title_when_the_catalogue_has_one():
    catalogue = load_catalogue()
    named = [
        s.model_copy(update={"name": "Mona Keijzer"}) if s.ministry == "VRO" else s
        for s in catalogue.signatories
    ]
    ctx = make_context(catalogue=catalogue.model_copy(update={"signatories": named}))
    text = render_markdown(ctx, charts=[])
    assert "De minister van Volkshuisvesting en Ruimtelijke Ordening,  \nMona Keijzer\n" in text


def test_summary_table_has_every_goal_with_its_status_in_words(md):
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+\. ", line)]
    assert len(rows) == 10
    for goal, row in zip(make_assessment().goals, rows, strict=True):
        assert goal.title in row
    statuses = {row.split(" | ")[2] for row in rows}
    assert statuses == {"op schema", "risico", "achter op schema", "geen gegevens"}


def test_every_goal_has_a_section_with_lead_and_contributing_ministries(md):
    for number, goal in enumerate(load_catalogue().goals, start=1):
        assert f"\n## {number}. {goal.title}\n" in md
    section = md[md.index("## 5. Dakloosheid") : md.index("## 6. ")]
    assert "Trekker: ministerie van Volksgezondheid, Welzijn en Sport" in section
    assert "**Ministerie van Justitie en Veiligheid (betrokken): op schema.**" in section


def test_ministries_that_differ_on_a_shared_goal_each_keep_their_own_view(md):
    section = md[md.index("## 3. Elke gemeente een regionaal") : md.index("## 4. ")]
    assert (
        "De ministeries beoordelen dit doel niet hetzelfde: VRO: achter op schema en VWS: op schema"
        in section
    )
    assert (
        "**Ministerie van Volkshuisvesting en Ruimtelijke Ordening (trekker): achter op schema.**"
        in section
    )
    assert "**Ministerie van Volksgezondheid, Welzijn en Sport (betrokken): op schema.**" in section


def test_indicators_show_value_expected_trajectory_and_target(md):
    section = md[md.index("## 1. ") : md.index("## 2. ")]
    assert "Stand op 30 september 2026: 71% van de gemeenten" in section
    assert "Verwacht volgens de lijn naar het doel: 91,1% van de gemeenten" in section
    assert "naar het doel van 100% van de gemeenten op 31 december 2027" in section


def test_overdue_and_late_milestones_are_named(md):
    assert (
        "**Over de deadline:** de mijlpaal *Inwerkingtreding Wet versterking regie "
        "volkshuisvesting* van het ministerie van Volkshuisvesting en Ruimtelijke Ordening moest "
        "op 1 juli 2026 gereed zijn en is dat nog niet"
    ) in md
    assert "*Regionaal afgestemde woonzorgvisies in alle regio's* pas op 31 maart 2027" in md


def test_missing_submission_is_named_plainly(md):
    assert (
        "Van het ministerie van Sociale Zaken en Werkgelegenheid ontvingen wij geen "
        "voortgangsrapportage voor dit kwartaal."
    ) in md
    assert "| Ministerie van Sociale Zaken en Werkgelegenheid | niet ontvangen |" in md


def test_standing_questions_of_the_seed_letter_are_answered_with_counts(md):
    answers = md[md.index("# Antwoorden op de vragen") : md.index("# Wat is veranderd")]
    assert "voor 13 gemeenten" in answers
    assert "Daarvan hebben er 8 een huisvestingsverordening met urgentieregeling" in answers
    assert "Ameland, Blaricum, Laren, Renswoude en Rozendaal" in answers
    assert (
        "73 van de 352 gemeenten ten minste 30% woningen in bezit van een woningcorporatie"
        in answers
    )
    assert "Gemeenten met minder dan 30% sociale huur maken in de prestatieafspraken" in answers
    assert "hebben er 7 een woonzorgvisie en 6 nog niet" in answers
    assert "betrekken er 5 bewoners en mensen uit de aandachtsgroepen" in answers
    assert "## Samenwerking tussen de ministeries" in answers
    assert "De interdepartementale stuurgroep komt sinds maart 2026" in answers


def test_social_rent_figures_say_they_count_corporation_owned_dwellings(md):
    assert "Wij tellen daarom woningen in bezit van een woningcorporatie." in md
    assert "gebruikelijke benadering van sociale huur, maar niet hetzelfde" in md
    assert "gemeentegrenzen 2021" in md


def test_figures_from_an_earlier_period_are_marked_with_that_period(md):
    assert "30.600 personen (cijfer uit het tweede kwartaal 2026)" in md


def test_changes_since_the_previous_letter_are_listed_in_dutch(md):
    changes = md[md.index("# Wat is veranderd") : md.index("# Ontbrekende")]
    assert "over het tweede kwartaal 2026" in changes
    assert "van risico naar achter op schema" in changes
    assert "van op schema naar vertraagd" in changes
    assert "*Nieuwe editie Monitor huisvesting aandachtsgroepen* is gereed" in changes
    assert "van 66% van de gemeenten (cijfer uit het tweede kwartaal 2026)" in changes


def test_first_letter_says_plainly_that_there_is_no_previous_letter():
    text = render_markdown(make_context(previous_period=None, changes=[]), charts=[])
    assert "Dit is de eerste voortgangsbrief over het programma." in text


def test_unchanged_period_says_nothing_changed():
    text = render_markdown(make_context(changes=[]), charts=[])
    assert "is de status van de doelen en mijlpalen niet veranderd" in text


def test_closing_gives_next_steps_and_the_date_of_the_next_letter(md):
    closing = md[md.index("# Tot slot") : md.index("Hoogachtend,")]
    assert "ontvangt u uiterlijk 24 februari 2027" in closing
    assert "over het vierde kwartaal 2026" in closing
    assert (
        "*Tussenevaluatie Nationaal Actieplan Dakloosheid* (VWS, deadline 31 december 2026)"
        in closing
    )


def test_annexes_list_municipalities_below_target_flagged_values_and_instruments(md):
    annex = md[md.index("# Bijlage 2") : md.index("# Bijlage 3")]
    assert "| Ameland | Friesland | 0% (te controleren) |" in annex
    assert "| Renswoude | Utrecht | 0% | De CBS-tabel geeft 0%" in annex
    assert "| Almere | ja |" in annex and "| Laren | nee |" in annex
    below = [
        line for line in annex.splitlines() if line.endswith("% |") or "te controleren" in line
    ]
    assert len(below) >= 279


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
    r"|the|and|with|page|source|milestone|indicator|goal|submission)\b"
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


def test_without_municipal_data_the_questions_say_so_instead_of_guessing():
    ctx = make_context(make_assessment(with_municipal_data=False), municipality_shares=[])
    text = render_markdown(ctx, charts=[])
    assert "Deze vraag kunnen wij daarom nu niet met cijfers beantwoorden." in text
    assert "Voor dit kwartaal zijn geen cijfers per gemeente beschikbaar." in text
    assert "Voor dit kwartaal is geen overzicht per gemeente gemeld." in text
    assert "None" not in text


def test_when_every_ministry_reported_nobody_is_named_as_missing():
    text = render_markdown(make_context(make_assessment(missing=())), charts=[])
    assert "Alle zes ministeries leverden een voortgangsrapportage aan." in text
    assert "ontvingen wij geen voortgangsrapportage" not in text
