"""Builders for submissions and small database probes shared by the model and CLI tests.

The submissions start from the bundled 2026Q4 examples, which are valid from 1 November 2026
on; tests pass ``today=TODAY`` so that they do not depend on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from sqlalchemy import func, select

from tests.support import submissions
from tests.support.submissions import EXAMPLES, TODAY  # noqa: F401 - shared with these tests
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope


def example(ministry: str, period: str = "2026Q4") -> dict[str, Any]:
    """A fresh, valid submission (plain data) of one ministry, from the bundled examples."""
    return submissions.example(period, ministry)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)


def write_submission(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as YAML or JSON, chosen by the suffix of ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(dump_yaml(data), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Stored:
    """How many rows of submitted content the database holds."""

    submissions: int
    milestone_updates: int
    indicator_observations: int
    municipal_instruments: int


def stored() -> Stored:
    with session_scope() as session:

        def count(model: type[t.Base]) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return Stored(
            submissions=count(t.Submission),
            milestone_updates=count(t.MilestoneUpdate),
            indicator_observations=count(t.IndicatorObservation),
            municipal_instruments=count(t.MunicipalInstruments),
        )


NOTHING = Stored(0, 0, 0, 0)


def versions(ministry: str, period: str) -> list[int]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(t.Submission.version)
                .where(t.Submission.ministry_code == ministry, t.Submission.period_id == period)
                .order_by(t.Submission.version)
            )
        )


# --- filling in the templates, as an officer would ---------------------------------------------


def officer(code: str) -> str:
    """A registered officer of that ministry, from the bundled catalogue."""
    return load_catalogue().ministry(code).officers[0].email


def fill_yaml_template(path: Path, code: str) -> None:
    """Fill the blanks of the YAML form, leaving its comments in place."""
    text = path.read_text(encoding="utf-8")
    for blank, value in (
        ("submitted_by:", officer(code)),
        ("    status:", "on_track"),
        ("    progress:", "40"),
        ("    value:", "64"),
        ("    as_of:", "2026-10-01"),
    ):
        text = re.sub(rf"^({re.escape(blank)})( +#|$)", rf"\1 {value}\2", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _columns(sheet: Any) -> dict[str, int]:
    """Column number of each field key (row 2 of every sheet of the template)."""
    return {cell.value: cell.column for cell in sheet[2] if cell.value}


def fill_xlsx_template(path: Path, code: str, *, progress: float = 40) -> None:
    """Fill the cells of the Excel form; for VRO also one municipality, leaving the rest empty."""
    book = openpyxl.load_workbook(path)
    for row in book["Inzending"].iter_rows(min_row=3):
        if row[0].value == "submitted_by":
            row[1].value = officer(code)
    sheet = book["Mijlpalen"]
    col = _columns(sheet)
    for r in range(3, sheet.max_row + 1):
        if sheet.cell(r, col["milestone"]).value:
            sheet.cell(r, col["status"]).value = "on_track"
            sheet.cell(r, col["progress"]).value = progress
            sheet.cell(r, col["narrative"]).value = "Loopt volgens plan; **geen** bijzonderheden."
    sheet = book["Indicatoren"]
    col = _columns(sheet)
    for r in range(3, sheet.max_row + 1):
        if sheet.cell(r, col["indicator"]).value:
            sheet.cell(r, col["value"]).value = 64
            sheet.cell(r, col["as_of"]).value = dt.date(2026, 10, 1)
            sheet.cell(r, col["source"]).value = "Eigen registratie, oktober 2026"
    if "Gemeenten" in book.sheetnames:
        sheet = book["Gemeenten"]
        col = _columns(sheet)
        sheet.cell(3, col["ordinance"]).value = "ja"
        sheet.cell(3, col["urgency_scheme"]).value = "nee"
        sheet.cell(3, col["woonzorgvisie"]).value = "ja"
        sheet.cell(3, col["as_of"]).value = dt.date(2026, 10, 1)
    book.save(path)
