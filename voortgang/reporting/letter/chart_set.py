"""Which charts the letter carries, drawn from its context."""

from __future__ import annotations

from voortgang.reporting.charts import (
    Chart,
    indicator_trajectory_chart,
    milestone_status_chart,
    municipal_share_chart,
)
from voortgang.reporting.letter.context import LetterContext


def letter_charts(ctx: LetterContext) -> list[Chart]:
    """The milestone overview, the municipal histogram (when every share is given) and one
    trajectory chart per indicator with a value, in that order."""
    assessment = ctx.assessment
    charts: list[Chart] = []
    milestones = [m for g in assessment.goals for m in g.milestones]
    if milestones:
        labels = {m.code: m.short_name for m in ctx.catalogue.ministries}
        charts.append(milestone_status_chart(milestones, labels))
    if assessment.municipalities is not None and ctx.municipality_shares:
        charts.append(municipal_share_chart(assessment.municipalities, ctx.municipality_shares))
    seen: set[str] = set()
    for goal in assessment.goals:
        for indicator in goal.indicators:
            if indicator.value is None or indicator.indicator_id in seen:
                continue
            seen.add(indicator.indicator_id)
            charts.append(indicator_trajectory_chart(indicator, assessment.assessed_on))
    return charts
