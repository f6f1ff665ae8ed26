"""Which charts the letter carries, drawn from its context."""

from __future__ import annotations

from voortgang.reporting.assessment_schema import PeriodAssessment
from voortgang.reporting.charts import (
    Chart,
    indicator_trajectory_chart,
    milestone_status_chart,
    municipal_share_chart,
)
from voortgang.reporting.letter.context import LetterContext

MILESTONE_CHART = "mijlpalen-per-ministerie"
MUNICIPAL_CHART = "gemeenten-corporatiebezit"


def indicator_chart_names(assessment: PeriodAssessment) -> dict[str, str]:
    """Indicator id -> chart name for every indicator with a value, in goal order. The names
    are Dutch and numbered, so no English catalogue id shows up in the Markdown text."""
    names: dict[str, str] = {}
    for goal in assessment.goals:
        for indicator in goal.indicators:
            if indicator.value is not None and indicator.indicator_id not in names:
                names[indicator.indicator_id] = f"lijn-naar-doel-{len(names) + 1}"
    return names


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
    names = indicator_chart_names(assessment)
    done: set[str] = set()
    for goal in assessment.goals:
        for indicator in goal.indicators:
            name = names.get(indicator.indicator_id)
            if name is None or name in done:
                continue
            done.add(name)
            charts.append(indicator_trajectory_chart(indicator, assessment.assessed_on, name))
    return charts
