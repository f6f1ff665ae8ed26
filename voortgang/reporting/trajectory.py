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
    # Behind the straight line in the indicator's own unit (points, homes, people);
    # negative: ahead. For a decreasing indicator, behind means above the line.
    deviation: float = 0.0

    @property
    def below_path_pct(self) -> float | None:
        """Behind as a share of where the line is now (41 = 41% short of the streefpad)."""
        return self.deviation / abs(self.expected) * 100 if self.expected else None


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
    at_risk_deviation: float | None = None,
    off_track_deviation: float | None = None,
) -> TrajectoryJudgement:
    """Judge ``value`` against the streefpad.

    With ``at_risk_deviation``/``off_track_deviation`` (the indicator's own thresholds, in
    its unit) those decide; otherwise the global percentages of the distance to the target.
    Exactly on a threshold is still the milder state: only "more than" tips it.
    """
    expected = expected_on(
        as_of,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
    )
    sign = 1.0 if increase else -1.0
    distance = abs(target - baseline) or 1.0
    deviation = sign * (expected - value)
    gap_pct = deviation / distance * 100
    reached = sign * (value - target) >= 0
    deadline_passed = as_of >= target_date
    if at_risk_deviation is not None and off_track_deviation is not None:
        off, risk = deviation > off_track_deviation, deviation > at_risk_deviation
    else:
        off, risk = gap_pct > off_track_pct, gap_pct > tolerance_pct
    if reached:
        state = GoalState.on_track
    elif deadline_passed or off:
        state = GoalState.off_track
    elif risk:
        state = GoalState.at_risk
    else:
        state = GoalState.on_track
    return TrajectoryJudgement(state, expected, gap_pct, reached, deadline_passed, deviation)
