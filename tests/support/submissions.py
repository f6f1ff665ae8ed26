"""Factories for stored submissions in tests."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from voortgang.models.submission_intake import take_in
from voortgang.models.submission_store import StoreResult

EXAMPLES = Path(__file__).resolve().parents[2] / "voortgang" / "data" / "examples"
TODAY = dt.date(2026, 11, 25)
# The day every test's cycle runs on (VOORTGANG_TODAY): after the 2026Q4 deadline, so that a
# final 2026Q4 letter may be drafted (reporting/letter_dates.py).
CYCLE_DAY = "2027-01-06"


def example(period: str, ministry: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / period / f"{ministry}.yaml").read_text(encoding="utf-8"))


def submit_raw(raw: dict[str, Any], *, channel: str = "file") -> StoreResult:
    return take_in(copy.deepcopy(raw), source="test", channel=channel, today=TODAY)


def submit_examples(period: str, ministries: list[str] | None = None) -> list[StoreResult]:
    files = sorted((EXAMPLES / period).glob("*.yaml"))
    return [
        submit_raw(example(period, f.stem))
        for f in files
        if ministries is None or f.stem in ministries
    ]
