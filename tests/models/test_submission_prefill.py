"""Forms that save work (issue 11, part 4): last quarter's values in the new quarter's form.

Protects ``previous_values`` with ``yaml_template`` and ``write_xlsx_template``: the 2026Q4
form of a ministry carries, for each milestone and indicator, the values of that ministry's
latest stored version of the most recent earlier quarter (not an older version, not the form's
own quarter, not another ministry); read back (the Excel form through ``read_workbook``) it holds
those values; with only ``submitted_by`` filled in it is accepted as it stands; one changed
value is stored as changed and the rest as they were. The YAML form keeps its comments.
Runs on SQLite, or PostgreSQL with ``VOORTGANG_TEST_DATABASE=postgresql``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from sqlalchemy import select

from tests.models.factories import TODAY, example, officer, write_submission
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_intake import take_in_file
from voortgang.models.submission_prefill import previous_values
from voortgang.models.submission_template import yaml_template
from voortgang.models.submission_xlsx import read_workbook, write_xlsx_template

CATALOGUE = load_catalogue()


def q3_of_vws() -> dict[str, Any]:
    """VWS's 2026Q3 example, with a milestone at risk (so a reason and a measure) and a moved
    date."""
    data = example("VWS", "2026Q3")
    data["milestones"][0].update(
        status="at_risk",
        progress=45,
        status_reason="Twee centrumgemeenten leveren hun gegevens later aan.",
        measure="VWS belt de twee centrumgemeenten en geeft de onderzoekers meer tijd.",
        expected_completion="2027-03-31",
        narrative='Regel een.\n\nRegel twee met **Markdown** en "aanhalingstekens" # geen commentaar',
    )
    return data


def store(tmp_path: Path, data: dict[str, Any], name: str) -> int:
    return take_in_file(write_submission(tmp_path / name, data), today=TODAY).version


def form(tmp_path: Path, fmt: str, period: str = "2026Q4") -> Path:
    with session_scope() as session:
        previous = previous_values(session, ministry="VWS", period=period)
    path = tmp_path / f"VWS-{period}.{fmt}"
    if fmt == "yaml":
        path.write_text(yaml_template(CATALOGUE, "VWS", period, previous), encoding="utf-8")
    else:
        write_xlsx_template(CATALOGUE, "VWS", period, path, previous)
    return path


def read_back(path: Path) -> dict[str, Any]:
    if path.suffix == ".xlsx":
        with path.open("rb") as stream:
            return read_workbook(stream)
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def sign(path: Path, data: dict[str, Any] | None = None) -> Path:
    """Fill in submitted_by (and write changed data), as the officer does."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        for row in book["Inzending"].iter_rows(min_row=3):
            if row[0].value == "submitted_by":
                row[1].value = officer("VWS")
        book.save(path)
        return path
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^submitted_by: *#", f"submitted_by: {officer('VWS')}  #", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def comparable(value: Any) -> Any:
    """Dates as ISO text, whole floats as ints: how YAML, Excel and JSON may differ."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def assert_holds(found: dict[str, Any], expected: dict[str, Any]) -> None:
    fields = {
        "milestones": (
            "milestone",
            "status",
            "progress",
            "narrative",
            "expected_completion",
            "status_reason",
            "measure",
        ),
        "indicators": ("indicator", "value", "as_of", "source", "measure"),
    }
    for part, keys in fields.items():
        got = {item[keys[0]]: item for item in found[part]}
        for item in expected[part]:
            for key in keys:
                assert comparable(got[item[keys[0]]].get(key)) == comparable(item.get(key)), (
                    part,
                    item[keys[0]],
                    key,
                )


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_new_quarters_form_holds_last_quarters_latest_values(
    db: str, tmp_path: Path, fmt: str
) -> None:
    first = example("VWS", "2026Q3")
    latest = q3_of_vws()
    assert store(tmp_path, first, "v1.yaml") == 1
    assert store(tmp_path, latest, "v2.yaml") == 2
    same = example("VWS", "2026Q4")  # the form's own quarter is not the source
    same["milestones"][1]["progress"] = 99
    store(tmp_path, same, "2026Q4.yaml")
    store(tmp_path, example("BZK", "2026Q3"), "bzk.yaml")  # nor another ministry

    found = read_back(form(tmp_path, fmt))

    assert (found["ministry"], found["period"]) == ("VWS", "2026Q4")
    assert_holds(found, latest)


def test_yaml_form_keeps_its_comments_and_says_where_the_values_come_from(
    db: str, tmp_path: Path
) -> None:
    store(tmp_path, q3_of_vws(), "q3.yaml")
    text = form(tmp_path, "yaml").read_text(encoding="utf-8")
    assert "# Vooringevuld met uw laatste inzending (2026Q3 versie 1)" in text
    assert "# status: not_started | on_track | at_risk | delayed | done" in text
    for ms in CATALOGUE.milestones_of("VWS"):
        assert f"  # {ms.title} (deadline {ms.due.isoformat()})" in text
    assert "submitted_by:   # uw e-mailadres" in text


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_prefilled_form_with_one_change_is_stored_with_that_change(
    db: str, tmp_path: Path, fmt: str
) -> None:
    q3 = q3_of_vws()
    store(tmp_path, q3, "q3.yaml")
    path = sign(form(tmp_path, fmt))

    # As it stands (only submitted_by filled in) it is valid: the values of 2026Q3.
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        sheet = book["Indicatoren"]
        keys = {cell.value: cell.column for cell in sheet[2]}
        for row in range(3, sheet.max_row + 1):
            if sheet.cell(row, keys["indicator"]).value == "homeless-people":
                sheet.cell(row, keys["value"]).value = 27500
                sheet.cell(row, keys["as_of"]).value = dt.date(2026, 10, 1)
        book.save(path)
    else:
        text = path.read_text(encoding="utf-8")
        text, changed = re.subn(
            r"(indicator: homeless-people\n    value: )27950( +# personen\n    as_of: )2026-07-01",
            r"\g<1>27500\g<2>2026-10-01",
            text,
        )
        assert changed == 1, text
        path.write_text(text, encoding="utf-8")

    result = take_in_file(path, today=TODAY)

    assert (result.period, result.version) == ("2026Q4", 1)
    with session_scope() as session:
        payload = session.scalars(
            select(t.Submission.payload).where(t.Submission.id == result.submission_id)
        ).one()
    expected = copy.deepcopy(q3)
    for item in expected["indicators"]:
        if item["indicator"] == "homeless-people":
            item.update(value=27500, as_of="2026-10-01")
    assert_holds(payload, expected)


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_untouched_prefilled_form_is_accepted_once_signed(
    db: str, tmp_path: Path, fmt: str
) -> None:
    q3 = q3_of_vws()
    store(tmp_path, q3, "q3.yaml")
    result = take_in_file(sign(form(tmp_path, fmt)), today=TODAY)
    assert result.created
    with session_scope() as session:
        payload = session.scalars(
            select(t.Submission.payload).where(t.Submission.id == result.submission_id)
        ).one()
    assert_holds(payload, q3)


def test_without_an_earlier_quarter_the_form_stays_blank(db: str, tmp_path: Path) -> None:
    store(tmp_path, example("VWS", "2026Q4"), "q4.yaml")  # the same quarter is no source
    with session_scope() as session:
        assert previous_values(session, ministry="VWS", period="2026Q4") is None
    text = form(tmp_path, "yaml").read_text(encoding="utf-8")
    assert "Vooringevuld" not in text
    assert "    status:               # not_started" in text
