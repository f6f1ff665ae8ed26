"""What validation refuses so that the cycle can always render what it accepted (issue 12).

Protects: an Infinity or 1e29 figure, a negative count, a figure above the catalogue's
ceiling, ``true`` or ``"50"`` as a number, control characters, surrogates and bidi overrides
in letter text, a reason made only of zero-width characters, dates outside the indicator's
baseline year or the programme's horizon, a municipality reported twice, and an empty
update are all refused with a message that names the file, the field, the item's id and what
is expected, and nothing of them is stored. Also: going back to earlier content is a new
version; the latest content again stores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.models.factories import NOTHING, TODAY, example, stored, write_submission
from tests.models.test_submission_validation import (
    Mutation,
    assert_reported,
    broken,
    refused,
    set_in,
)
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.submission_intake import take_in, take_in_file


def json_file(folder: Path, data: dict[str, Any], text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "VWS.json"
    path.write_text(text if text is not None else json.dumps(data, default=str), "utf-8")
    return path


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_non_finite_figures_are_refused(db: str, tmp_path: Path, literal: str) -> None:
    text = json.dumps(example("VWS"), default=str).replace('"value": 27600', f'"value": {literal}')
    assert literal in text
    path = json_file(tmp_path, {}, text)
    lines = refused(path)
    assert_reported(lines, path, "indicators.0.value", "homeless-people", "finite")
    assert stored() == NOTHING


@pytest.mark.parametrize(
    ("index", "value", "expected"),
    [
        (0, 1e29, "from 0 to 500,000"),  # homeless people: a ceiling the catalogue states
        (0, -5, "from 0 to 500,000"),  # a negative count of people
        (1, 3_000_001, "from 0 to 3,000,000"),  # suitable homes for older people
    ],
)
def test_figures_outside_the_catalogue_range_are_refused(
    db: str, tmp_path: Path, index: int, value: float, expected: str
) -> None:
    path = broken(tmp_path, set_in("indicators", index, "value", value=value))
    lines = refused(path)
    assert_reported(lines, path, f"indicators.{index}.value", "outside the range", expected)
    assert stored() == NOTHING


def test_a_percentage_indicator_runs_from_0_to_100(db: str, tmp_path: Path) -> None:
    data = example("AenM")
    data["indicators"][0]["value"] = 100.5
    path = write_submission(tmp_path / "AenM.yaml", data)
    lines = refused(path)
    assert_reported(lines, path, "indicators.0.value", "municipalities-on-quota", "0 to 100")


@pytest.mark.parametrize(
    ("keys", "value"),
    [
        (("milestones", 0, "progress"), True),
        (("milestones", 0, "progress"), "50"),
        (("indicators", 0, "value"), "27600"),
        (("indicators", 0, "value"), False),
    ],
)
def test_text_or_booleans_are_not_figures(
    db: str, tmp_path: Path, keys: tuple[str | int, ...], value: object
) -> None:
    path = broken(tmp_path, set_in(*keys, value=value))
    field = ".".join(str(k) for k in keys)
    assert_reported(refused(path), path, field, "expected a number")
    assert stored() == NOTHING


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Op schema\x00", "control character"),
        ("Op \x07schema", "control character"),
        ("Op\x85schema", "control character"),  # C1: NEXT LINE
        ("Op \u202eamehcs\u202c", "text-direction control"),  # RIGHT-TO-LEFT OVERRIDE
        ("Op \u2066schema\u2069", "text-direction control"),  # isolates
        ("Op schema \ufffe", "noncharacter"),
    ],
)
def test_letter_text_with_characters_the_letter_cannot_show_is_refused(
    db: str, tmp_path: Path, text: str, what: str
) -> None:
    # JSON keeps every character as written; YAML reads some of them as line breaks.
    path = broken(tmp_path, set_in("milestones", 1, "narrative", value=text), suffix=".json")
    lines = refused(path)
    assert_reported(lines, path, "milestones.1.narrative", "vws-lived-experience", what, "U+")
    assert stored() == NOTHING


def test_a_lone_surrogate_from_json_is_refused(db: str, tmp_path: Path) -> None:
    text = json.dumps(example("VWS"), default=str)
    text = text.replace('"source": "VWS,', '"source": "VWS \\ud800,', 1)
    path = json_file(tmp_path, {}, text)
    assert_reported(refused(path), path, "indicators.0.source", "homeless-people", "surrogate")


@pytest.mark.parametrize("reason", ["\u200b\u200b", " \u200d\ufeff ", "\u00ad", "\u2060 \n\t"])
def test_a_reason_of_only_invisible_characters_is_no_reason(
    db: str, tmp_path: Path, reason: str
) -> None:
    path = broken(tmp_path, set_in("milestones", 0, "status_reason", value=reason))
    lines = refused(path)
    assert_reported(lines, path, "milestones.0.status_reason", "vws-nad-midterm-review", "required")
    assert stored() == NOTHING


def test_a_narrative_of_only_invisible_characters_is_refused(db: str, tmp_path: Path) -> None:
    path = broken(tmp_path, set_in("milestones", 2, "narrative", value="\u200b\u200c"))
    assert_reported(refused(path), path, "milestones.2.narrative", "no visible text")


def test_windows_line_ends_are_kept_as_newlines(db: str, tmp_path: Path) -> None:
    data = example("VWS")
    data["milestones"][1]["narrative"] = "Eerste regel.\r\nTweede regel.\rDerde."
    result = take_in(data, source="test", channel="file", today=TODAY)
    assert result.created
    with session_scope() as session:
        texts = dict(
            session.execute(
                select(t.MilestoneUpdate.milestone_id, t.MilestoneUpdate.narrative).where(
                    t.MilestoneUpdate.submission_id == result.submission_id
                )
            ).all()
        )
    assert texts["vws-lived-experience"] == "Eerste regel.\nTweede regel.\nDerde."


# --- dates --------------------------------------------------------------------------------------


def test_a_figure_dated_before_the_baseline_year_is_refused(db: str, tmp_path: Path) -> None:
    # homeless-people has its baseline on 1 January 2022.
    path = broken(tmp_path, set_in("indicators", 0, "as_of", value="2021-12-31"))
    lines = refused(path)
    assert_reported(lines, path, "indicators.0.as_of", "baseline year", "2022-01-01")


@pytest.mark.parametrize("day", ["2045-01-01", "1999-12-31", "0001-01-01"])
def test_expected_completion_outside_the_horizon_is_refused(
    db: str, tmp_path: Path, day: str
) -> None:
    path = broken(tmp_path, set_in("milestones", 1, "expected_completion", value=day))
    lines = refused(path)
    assert_reported(
        lines, path, "milestones.1.expected_completion", "vws-lived-experience", "2020-01-01"
    )


# --- municipalities ---------------------------------------------------------------------------


def test_a_municipality_reported_twice_is_refused(db: str, tmp_path: Path) -> None:
    data = example("VRO")
    rows = data["municipalities"]
    assert rows, "the VRO example reports municipalities"
    rows.append(dict(rows[0]))
    path = write_submission(tmp_path / "VRO.yaml", data)
    lines = refused(path)
    assert_reported(
        lines,
        path,
        f"municipalities.{len(rows) - 1}.municipality",
        rows[0]["municipality"],
        "appears twice",
    )
    assert stored() == NOTHING


# --- an empty update ----------------------------------------------------------------------------


def _empty(data: dict[str, Any]) -> None:
    data["milestones"] = []
    data["indicators"] = []


def _absent(data: dict[str, Any]) -> None:
    del data["milestones"]
    del data["indicators"]


@pytest.mark.parametrize("mutate", [_empty, _absent], ids=["empty lists", "no lists"])
def test_an_empty_update_does_not_wipe_the_quarter(
    db: str, tmp_path: Path, mutate: Mutation
) -> None:
    first = take_in(example("VWS"), source="test", channel="file", today=TODAY)
    before = stored()
    path = broken(tmp_path, mutate)
    assert_reported(refused(path), path, "(top)", "no milestones and no indicators")
    assert stored() == before
    assert first.version == 1


# --- versions ------------------------------------------------------------------------------------


def test_going_back_to_earlier_content_is_a_new_version(db: str, tmp_path: Path) -> None:
    original = example("VWS")
    changed = example("VWS")
    changed["milestones"][1]["progress"] = 65
    a = write_submission(tmp_path / "a" / "VWS.yaml", original)
    b = write_submission(tmp_path / "b" / "VWS.yaml", changed)

    versions = [take_in_file(p, today=TODAY) for p in (a, b, a)]
    assert [(v.version, v.created) for v in versions] == [(1, True), (2, True), (3, True)]
    assert versions[2].submission_id != versions[0].submission_id

    again = take_in_file(a, today=TODAY)
    assert (again.version, again.created) == (3, False), "the latest content stores nothing"
    assert stored().submissions == 3
