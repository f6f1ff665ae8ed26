"""A ministry's report on its moties and toezeggingen, in every channel.

Protects issue 9 part 3: ``commitments`` in a submission names a motie or toezegging of the
catalogue that belongs to the submitting ministry, each once, with a status of the fixed list;
"wordt niet uitgevoerd" needs an explanation, and the explanation is checked like other
submitted text. Each refusal names the file, the field and the item and stores nothing; an
accepted report is stored as rows with its submission. A submission without commitments keeps
its content hash. Both forms list the ministry's items, and what an officer fills in comes
back from them as it was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from tests.models.factories import TODAY, example, fill_yaml_template, officer, stored
from tests.models.test_submission_validation import assert_reported, broken, refused
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.safe_yaml import load_yaml_text
from voortgang.models.submission_intake import take_in, take_in_file
from voortgang.models.submission_prefill import previous_values
from voortgang.models.submission_schema import SubmissionIn
from voortgang.models.submission_store import content_hash
from voortgang.models.submission_template import yaml_template
from voortgang.models.submission_xlsx import (
    COMMITMENT_BOUNDS,
    read_workbook,
    write_xlsx_template,
)

VWS_ITEMS = ["motie-29325-145", "motie-36410-xvi-91", "toezegging-vws-20250424-wlz-dakloos"]


def with_commitments(*items: dict[str, Any]) -> Any:
    def mutate(data: dict[str, Any]) -> None:
        data["commitments"] = list(items)

    return mutate


def test_the_vws_motions_are_its_own() -> None:
    assert [m.id for m in load_catalogue().motions_of("VWS")] == VWS_ITEMS


@pytest.mark.parametrize(
    ("item", "field", "fragments"),
    [
        (
            {"commitment": "motie-99999-1", "status": "in_progress"},
            "commitments.0.commitment",
            ("unknown motie or toezegging 'motie-99999-1'",),
        ),
        (
            {"commitment": "motie-36200-vii-86", "status": "in_progress"},
            "commitments.0.commitment",
            ("'motie-36200-vii-86' belongs to VRO, not to VWS",),
        ),
        (
            {"commitment": "motie-29325-145", "status": "afgedaan"},
            "commitments.0.status",
            ("motie-29325-145", "not_started", "not_executed"),
        ),
        (
            {"commitment": "motie-29325-145", "status": "not_executed", "explanation": " \u200b"},
            "commitments.0.explanation",
            ("motie-29325-145", "required when the status is not_executed"),
        ),
        (
            {"commitment": "motie-29325-145", "status": "in_progress", "explanation": "a\x07b"},
            "commitments.0.explanation",
            ("motie-29325-145", "control character"),
        ),
        (
            {"commitment": "motie-29325-145", "status": "in_progress", "expected": "1999-01-01"},
            "commitments.0.expected",
            ("motie-29325-145", "horizon"),
        ),
    ],
    ids=["unknown", "another-ministrys", "bad-status", "blank-explanation", "control", "date"],
)
def test_a_wrong_report_is_refused_naming_the_item(
    db: str, tmp_path: Path, item: dict[str, Any], field: str, fragments: tuple[str, ...]
) -> None:
    path = broken(tmp_path, with_commitments(item))
    lines = refused(path)
    assert_reported(lines, path, field, *fragments)


def test_an_item_reported_twice_is_refused(db: str, tmp_path: Path) -> None:
    item = {"commitment": "motie-36410-xvi-91", "status": "completed"}
    path = broken(tmp_path, with_commitments(item, dict(item)))
    lines = refused(path)
    assert_reported(lines, path, "commitments.1.commitment", "'motie-36410-xvi-91' appears twice")


def test_an_accepted_report_is_stored_with_its_submission(db: str) -> None:
    data = example("VWS")
    data["commitments"] = [
        {
            "commitment": "motie-29325-145",
            "status": "in_progress",
            "explanation": "Afspraken met <b>centrumgemeenten</b>\r\nlopen.",
            "expected": "2027-06-30",
        },
        {"commitment": "motie-36410-xvi-91", "status": "completed"},
    ]
    result = take_in(data, source="test", channel="file", today=TODAY)
    assert result.created
    with session_scope() as session:
        rows = session.scalars(
            select(t.CommitmentUpdate).order_by(t.CommitmentUpdate.commitment_id)
        ).all()
        got = [
            (r.submission_id, r.commitment_id, r.status, r.explanation, r.expected) for r in rows
        ]
    assert got == [
        (
            result.submission_id,
            "motie-29325-145",
            "in_progress",
            "Afspraken met <b>centrumgemeenten</b>\nlopen.",  # stored as written, escaped when shown
            dt.date(2027, 6, 30),
        ),
        (result.submission_id, "motie-36410-xvi-91", "completed", None, None),
    ]
    assert stored().submissions == 1


def test_without_commitments_the_content_hash_is_as_before() -> None:
    data = example("VWS")
    data.pop("commitments")
    without = SubmissionIn.model_validate(data)
    # The hash of earlier releases: the submission as dumped before commitments existed.
    old_content = without.model_dump(mode="json")
    old_content.pop("commitments")
    old = hashlib.sha256(
        json.dumps(old_content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    assert content_hash(without) == old
    data["commitments"] = [{"commitment": "motie-29325-145", "status": "in_progress"}]
    assert content_hash(SubmissionIn.model_validate(data)) != old


def test_the_yaml_form_lists_the_ministrys_items_and_stays_valid(db: str, tmp_path: Path) -> None:
    catalogue = load_catalogue()
    text = yaml_template(catalogue, "VWS", "2026Q4")
    for motion in catalogue.motions_of("VWS"):
        assert f"# - commitment: {motion.id}" in text
    assert "motie-36200-vii-86" not in text  # VRO's
    assert "commitments: []" in text
    # Blank, the form asks nothing about the items; filled in, it is accepted without them.
    path = tmp_path / "VWS.yaml"
    path.write_text(text, encoding="utf-8")
    fill_yaml_template(path, "VWS")
    assert load_yaml_text(path.read_text(encoding="utf-8"))["commitments"] == []


def test_the_yaml_form_carries_last_quarters_report(db: str) -> None:
    data = example("VWS", "2026Q3")
    take_in(data, source="test", channel="file", today=TODAY)
    with session_scope() as session:
        previous = previous_values(session, ministry="VWS", period="2026Q4")
    text = yaml_template(load_catalogue(), "VWS", "2026Q4", previous)
    form = load_yaml_text(text.replace("submitted_by:", f"submitted_by: {officer('VWS')}", 1))
    reported = {c["commitment"]: c for c in form["commitments"]}
    assert set(reported) == {c["commitment"] for c in data["commitments"]}
    assert reported["motie-29325-145"]["status"] == "in_progress"
    assert reported["motie-29325-145"]["expected"] == dt.date(2027, 6, 30)


def test_the_xlsx_form_lists_the_items_and_reads_back_what_is_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "VWS.xlsx"
    write_xlsx_template(load_catalogue(), "VWS", "2026Q4", path)
    book = openpyxl.load_workbook(path)
    sheet = book[COMMITMENT_BOUNDS.sheet]
    keys = {cell.value: cell.column for cell in sheet[2] if cell.value}
    ids = [sheet.cell(r, keys["commitment"]).value for r in range(3, sheet.max_row + 1)]
    assert ids == VWS_ITEMS
    assert "Skaeve Huse" in str(sheet.cell(4, keys["title"]).value)
    assert sheet.max_row <= COMMITMENT_BOUNDS.last_row

    sheet.cell(3, keys["status"]).value = "not_executed"
    sheet.cell(3, keys["explanation"]).value = "Niet uitvoerbaar | zie brief"
    sheet.cell(5, keys["status"]).value = "completed"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    raw = read_workbook(buffer)
    assert raw["commitments"] == [
        {
            "commitment": "motie-29325-145",
            "status": "not_executed",
            "explanation": "Niet uitvoerbaar | zie brief",
        },
        {"commitment": "toezegging-vws-20250424-wlz-dakloos", "status": "completed"},
    ]


def test_a_filled_in_xlsx_form_is_accepted_with_its_reports(db: str, tmp_path: Path) -> None:
    from tests.models.factories import fill_xlsx_template

    path = tmp_path / "VWS.xlsx"
    write_xlsx_template(load_catalogue(), "VWS", "2026Q4", path)
    fill_xlsx_template(path, "VWS")
    book = openpyxl.load_workbook(path)
    sheet = book[COMMITMENT_BOUNDS.sheet]
    keys = {cell.value: cell.column for cell in sheet[2] if cell.value}
    sheet.cell(4, keys["status"]).value = "in_progress"
    sheet.cell(4, keys["expected"]).value = dt.date(2027, 3, 1)
    book.save(path)

    take_in_file(path, today=TODAY)
    with session_scope() as session:
        rows = session.scalars(select(t.CommitmentUpdate)).all()
        assert [(r.commitment_id, r.status, r.expected) for r in rows] == [
            ("motie-36410-xvi-91", "in_progress", dt.date(2027, 3, 1))
        ]
