"""Prefect state hooks: a failed flow run is told to the coordinators in Slack.

Use as ``@flow(on_failure=[alert_on_failure])``. The hook writes the alert to the outbox and
tries to send it; it never raises, so it cannot hide the failure it reports.
"""

from __future__ import annotations

import logging
from typing import Any

from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.models.slack_delivery import deliver_pending
from voortgang.reporting.slack_messages import plan_failure_alert


def _logger(flow: Any, flow_run: Any) -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    try:
        from prefect.logging.loggers import flow_run_logger

        return flow_run_logger(flow_run, flow)
    except Exception:  # a hook must not fail on its logger
        return logging.getLogger(__name__)


def _run_url(flow_run: Any) -> str | None:
    try:
        from prefect.utilities.urls import url_for

        return url_for(flow_run)
    except Exception:  # no UI URL known: the alert goes without a link
        return None


def alert_on_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """``on_failure`` hook: enqueue and send an alert naming the flow, the run and the error."""
    logger = _logger(flow, flow_run)
    try:
        planned = plan_failure_alert(
            load_catalogue(),
            flow_name=str(getattr(flow, "name", "onbekend")),
            run_name=str(getattr(flow_run, "name", "onbekend")),
            run_id=str(getattr(flow_run, "id", "")),
            state_message=getattr(state, "message", None),
            run_url=_run_url(flow_run),
        )
        with session_scope() as session:
            enqueue_all(session, planned)
        report = deliver_pending()
    except Exception:  # never raise from a hook: log and leave the run's own failure visible
        logger.exception("Could not record or send the failure alert")
        return
    if report.no_client or report.failed:
        logger.warning(
            "Failure alert kept in the outbox (%d waiting); `voortgang notify --retry` sends it",
            report.waiting,
        )
