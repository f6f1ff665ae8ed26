"""Reporting periods: quarters written ``2026Q4`` (``2026-Q4`` accepted)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

_PERIOD = re.compile(r"^(?P<year>20\d\d)-?Q(?P<quarter>[1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PERIOD.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a quarter (expected e.g. 2026Q4 or 2026-Q4)")
        return cls(int(match["year"]), int(match["quarter"]))

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, today: dt.date | None = None) -> Quarter:
        """The quarter that just ended: the cycle runs early in the month after it."""
        return cls.containing(today or dt.date.today()).previous()

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    @property
    def default_deadline(self) -> dt.date:
        """Updates are due on the 5th day of the month after the quarter; the cycle runs on the 6th."""
        return self.next().start + dt.timedelta(days=4)

    @property
    def dutch_label(self) -> str:
        return f"{['eerste', 'tweede', 'derde', 'vierde'][self.quarter - 1]} kwartaal {self.year}"


def _normalise(text: str) -> str:
    return str(Quarter.parse(text))


PeriodStr = Annotated[str, AfterValidator(_normalise)]
"""A period as it crosses a boundary: validated and normalised to ``2026Q4``."""
