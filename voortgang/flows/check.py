"""Flow: judge every goal of a period and show the result in the Prefect UI."""

from __future__ import annotations

from prefect import flow

from voortgang.flows.steps import check_step, previous_changes_step, publish_dashboard_step
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import PeriodAssessment


@flow(name="check-period", flow_run_name="check-{period}")
def check_period(period: str) -> PeriodAssessment:
    period = str(Quarter.parse(period))
    _assessment_id, assessment = check_step(period)
    changes = previous_changes_step(period, assessment)
    publish_dashboard_step(assessment, changes)
    return assessment
