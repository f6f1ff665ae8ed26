"""Protects the rule of dates: a final letter only after the quarter and its deadline, the
one-line refusal that names the deadline, and the one peildatum a draft describes."""

from __future__ import annotations

import datetime as dt

import pytest

from voortgang.models.periods import Quarter
from voortgang.reporting.letter_dates import (
    DraftNotReady,
    Readiness,
    draft_dates,
    draft_readiness,
    not_ready_message,
)

Q4 = Quarter(2026, 4)
DEADLINE = Q4.default_deadline  # 5 January 2027

MESSAGE = (
    "--period 2026Q4: the period ends on 31 December 2026 and its reports are due on "
    "5 January 2027; a final letter can be drafted from 6 January 2027 (or use --voorlopig "
    "for a provisional draft marked 'Voorlopig')"
)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 30), Readiness.provisional_needed),  # inside the quarter
        (dt.date(2026, 12, 31), Readiness.provisional_needed),  # its last day
        (dt.date(2027, 1, 5), Readiness.provisional_needed),  # the deadline itself
        (dt.date(2027, 1, 6), Readiness.final),  # the scheduled cycle day
        (dt.date(2027, 3, 1), Readiness.final),
    ],
)
def test_final_only_after_the_deadline(today: dt.date, expected: Readiness) -> None:
    assert draft_readiness(Q4, DEADLINE, today) is expected


def test_a_deadline_stored_inside_the_quarter_still_waits_for_its_end() -> None:
    early = dt.date(2026, 12, 15)
    assert draft_readiness(Q4, early, dt.date(2026, 12, 20)) is Readiness.provisional_needed
    assert draft_readiness(Q4, early, dt.date(2027, 1, 1)) is Readiness.final


def test_the_refusal_names_period_end_deadline_and_first_day_on_one_line() -> None:
    assert not_ready_message(Q4, DEADLINE) == MESSAGE
    with pytest.raises(DraftNotReady) as refused:
        draft_dates(Q4, DEADLINE, dt.date(2026, 11, 30), allow_provisional=False)
    assert str(refused.value) == MESSAGE
    assert "\n" not in MESSAGE


def test_peildatum_is_the_deadline_for_a_final_letter_and_the_day_for_a_provisional() -> None:
    final = draft_dates(Q4, DEADLINE, dt.date(2027, 1, 20), allow_provisional=False)
    assert (final.provisional, final.peildatum) == (False, DEADLINE)
    early = draft_dates(Q4, DEADLINE, dt.date(2026, 11, 30), allow_provisional=True)
    assert (early.provisional, early.peildatum) == (True, dt.date(2026, 11, 30))
    # Allowing a provisional draft after the deadline still gives the final letter.
    late = draft_dates(Q4, DEADLINE, dt.date(2027, 1, 6), allow_provisional=True)
    assert (late.provisional, late.peildatum) == (False, DEADLINE)
