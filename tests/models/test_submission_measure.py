"""The measure (maatregel): what a ministry does about a milestone at risk or delayed.

Protects issue 9 part 2: a milestone reported as at_risk or delayed without a measure is
refused, naming the milestone; a measure of invisible characters is no measure; a measure
is stored with the update, reaches the assessment the letter is drafted from, and has its
own column in the Excel form and line in the YAML form, so the officer can fill it in.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from tests.models.factories import NOTHING, TODAY, example, stored
from tests.models.test_submission_validation import assert_reported, broken, refused, set_in
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_intake import take_in
from voortgang.models.submission_template import yaml_template
from voortgang.models.submission_xlsx import read_workbook, write_xlsx_template
from voortgang.reporting.assessment import assess_period


@pytest.mark.parametrize("measure", [None, "", "\u200b \u2060"])
def test_a_delayed_milestone_needs_a_measure(db: str, tmp_path: Path, measure: object) -> None:
    # VWS's first milestone is delayed in the example.
    path = broken(tmp_path, set_in("milestones", 0, "measure", value=measure))
    lines = refused(path)
    assert_reported(
        lines, path, "milestones.0.measure", "vws-nad-midterm-review", "maatregel", "delayed"
    )
    assert stored() == NOTHING


def test_an_on_track_milestone_needs_none(db: str) -> None:
    data = example("VWS")
    assert data["milestones"][1]["status"] == "on_track"
    assert "measure" not in data["milestones"][1]
    assert take_in(data, source="test", channel="file", today=TODAY).created


def test_the_measure_reaches_the_assessment(db: str) -> None:
    data = example("VWS")
    take_in(data, source="test", channel="file", today=TODAY)
    with session_scope() as session:
        assessment = assess_period(session, load_catalogue(), "2026Q4", today=TODAY)
    milestones = {m.milestone_id: m for g in assessment.goals for m in g.milestones}
    indicators = {i.indicator_id: i for g in assessment.goals for i in g.indicators}
    assert milestones["vws-nad-midterm-review"].measure == data["milestones"][0]["measure"]
    assert milestones["vws-lived-experience"].measure is None
    assert indicators["homeless-people"].measure == data["indicators"][0]["measure"]


def test_both_forms_ask_for_the_measure(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    text = yaml_template(catalogue, "VWS", "2026Q4")
    assert text.count("measure:") == len(catalogue.milestones_of("VWS")) + len(
        catalogue.indicators_of("VWS")
    )
    target = tmp_path / "VWS.xlsx"
    write_xlsx_template(catalogue, "VWS", "2026Q4", target)
    import openpyxl

    book = openpyxl.load_workbook(target)
    sheet = book["Mijlpalen"]
    keys = [c.value for c in sheet[2]]
    assert "measure" in keys
    column = keys.index("measure") + 1
    assert "Maatregel" in str(sheet.cell(1, column).value)
    sheet.cell(3, keys.index("status") + 1).value = "delayed"
    sheet.cell(3, keys.index("progress") + 1).value = 10
    sheet.cell(3, keys.index("narrative") + 1).value = "Later klaar."
    sheet.cell(3, keys.index("status_reason") + 1).value = "Gegevens komen later."
    sheet.cell(3, column).value = "We zetten extra mensen in."
    sheet.cell(3, keys.index("expected_completion") + 1).value = dt.date(2027, 3, 31)
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_workbook(io.BytesIO(buffer.getvalue()))
    assert raw["milestones"][0]["measure"] == "We zetten extra mensen in."
