"""Notification steps for the flows: enqueue planned Slack messages, then send the outbox.

Sending never fails a flow because Slack is down or no token is set: what was not sent
stays in the outbox, is logged as a warning, and goes out with the next run or
``voortgang notify --retry``.
"""

from __future__ import annotations

from prefect import get_run_logger, task

from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.models.slack_delivery import RETRY_HINT, DeliveryReport, deliver_pending
from voortgang.reporting.slack_messages import PlannedMessage


@task(name="berichten in de wachtrij zetten", retries=2, retry_delay_seconds=[2, 10])
def enqueue_step(planned: list[PlannedMessage]) -> int:
    """Write the messages to the outbox, each dedupe key once; returns how many were new."""
    with session_scope() as session:
        return enqueue_all(session, planned)


@task(name="berichten versturen", retries=1, retry_delay_seconds=5)
def deliver_step() -> DeliveryReport:
    """Send what waits in the outbox. Slack errors are reported, not raised."""
    report = deliver_pending()
    log_report(report)
    return report


def log_report(report: DeliveryReport) -> None:
    logger = get_run_logger()
    if report.no_client:
        if report.waiting:
            logger.warning(
                "No Slack token: %d notification(s) wait in the outbox; to send them, %s.",
                report.waiting,
                RETRY_HINT,
            )
        return
    if report.failed:
        logger.warning(
            "Slack: %d sent, %d not sent (kept in the outbox; next run or "
            "`voortgang notify --retry` tries again). First error: %s",
            report.sent_count,
            len(report.failed),
            report.failed[0].error,
        )
    elif report.sent:
        logger.info("Slack: %d notification(s) sent", report.sent_count)
