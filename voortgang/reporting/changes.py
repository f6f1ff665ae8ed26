"""What moved between two assessments: statuses, milestones, figures."""

from __future__ import annotations

from voortgang.reporting.assessment_schema import Change, PeriodAssessment


def _fmt(value: float | None) -> str | None:
    # Every digit kept: "g" alone rounds to six (1234567 read "1.23457e+06"), and the letter
    # computes how far a figure moved from this text.
    return None if value is None else f"{value:.15g}"


def compare_assessments(before: PeriodAssessment | None, after: PeriodAssessment) -> list[Change]:
    """Every goal status, milestone status and figure that differs; empty without ``before``."""
    if before is None:
        return []
    changes: list[Change] = []
    old_goals = {g.id: g for g in before.goals}
    old_milestones = {m.milestone_id: m for g in before.goals for m in g.milestones}
    old_indicators = {i.indicator_id: i for g in before.goals for i in g.indicators}
    for goal in after.goals:
        old = old_goals.get(goal.id)
        if old is not None and old.status != goal.status:
            changes.append(
                Change(
                    kind="goal_status",
                    subject_id=goal.id,
                    subject=goal.title,
                    before=old.status.value,
                    after=goal.status.value,
                )
            )
        for ms in goal.milestones:
            prev = old_milestones.get(ms.milestone_id)
            if prev is None:
                changes.append(
                    Change(
                        kind="milestone_new",
                        subject_id=ms.milestone_id,
                        subject=ms.title,
                        before=None,
                        after=ms.status,
                    )
                )
            elif prev.status != ms.status:
                kind = "milestone_done" if ms.status == "done" else "milestone_status"
                changes.append(
                    Change(
                        kind=kind,
                        subject_id=ms.milestone_id,
                        subject=ms.title,
                        before=prev.status,
                        after=ms.status,
                    )
                )
        for ind in goal.indicators:
            prev_ind = old_indicators.get(ind.indicator_id)
            if prev_ind is not None and (prev_ind.value, prev_ind.as_of) != (ind.value, ind.as_of):
                changes.append(
                    Change(
                        kind="figure",
                        subject_id=ind.indicator_id,
                        subject=ind.title,
                        before=_fmt(prev_ind.value),
                        after=_fmt(ind.value),
                    )
                )
    return changes
