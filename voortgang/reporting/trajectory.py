"""Where an indicator should be by now, and how far off it is: plain arithmetic, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from voortgang.reporting.assessment_schema import GoalState


@dataclass(frozen=True)
class TrajectoryJudgement:
    state: GoalState
    expected: float
    gap_pct: float  # behind the straight line, as % of the whole distance (negative: ahead)
    reached: bool
    deadline_passed: bool


def expected_on(
    day: dt.date, *, baseline: float, baseline_date: dt.date, target: float, target_date: dt.date
) -> float:
    """The straight line from baseline to target, read off at ``day`` (clamped to the ends)."""
    span = (target_date - baseline_date).days
    elapsed = min(max((day - baseline_date).days, 0), span)
    return baseline + (target - baseline) * (elapsed / span if span else 1.0)


def judge(
    value: float,
    as_of: dt.date,
    *,
    baseline: float,
    baseline_date: dt.date,
    target: float,
    target_date: dt.date,
    increase: bool,
    tolerance_pct: float,
    off_track_pct: float,
) -> TrajectoryJudgement:
    expected = expected_on(
        as_of,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
    )
    sign = 1.0 if increase else -1.0
    distance = abs(target - baseline) or 1.0
    gap_pct = sign * (expected - value) / distance * 100
    reached = sign * (value - target) >= 0
    deadline_passed = as_of >= target_date
    if reached:
        state = GoalState.on_track
    elif deadline_passed or gap_pct > off_track_pct:
        state = GoalState.off_track
    elif gap_pct > tolerance_pct:
        state = GoalState.at_risk
    else:
        state = GoalState.on_track
    return TrajectoryJudgement(state, expected, gap_pct, reached, deadline_passed)
