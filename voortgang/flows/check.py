"""Flow: judge every goal of a period and show the result in the Prefect UI."""

from __future__ import annotations

from prefect import flow

from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.steps import check_step, previous_changes_step, publish_dashboard_step
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import PeriodAssessment


def _run_name() -> str:
    from prefect.runtime import flow_run

    period = flow_run.parameters.get("period")
    return f"toetsing-{Quarter.parse(period) if period else Quarter.last_completed()}"


@flow(
    name="check-period",
    flow_run_name=_run_name,
    on_failure=[alert_on_failure],
    description="Toetst de doelen van een kwartaal opnieuw en werkt de artefacten bij.",
)
def check_period(period: str | None = None) -> PeriodAssessment:
    """Judge every goal of the period (default: the quarter that just ended)."""
    period = str(Quarter.parse(period)) if period else str(Quarter.last_completed())
    _assessment_id, assessment = check_step(period)
    changes = previous_changes_step(period, assessment)
    publish_dashboard_step(assessment, changes)
    return assessment
