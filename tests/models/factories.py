"""Builders for submissions and small database probes shared by the model and CLI tests.

The submissions start from the bundled 2026Q4 examples, which are valid from 1 November 2026
on; tests pass ``today=TODAY`` so that they do not depend on the wall clock.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.safe_yaml import load_yaml_text

EXAMPLES = Path(__file__).resolve().parents[2] / "voortgang" / "data" / "examples"

# The day the examples were written for: inside 2026Q4, after every as_of in the examples.
TODAY = dt.date(2026, 11, 25)


def example(ministry: str, period: str = "2026Q4") -> dict[str, Any]:
    """A fresh, valid submission (plain data) of one ministry, from the bundled examples."""
    raw = load_yaml_text((EXAMPLES / period / f"{ministry}.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return copy.deepcopy(raw)


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
