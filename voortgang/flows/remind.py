"""Flow: remind the ministries that have not submitted; after the deadline, tell the coordinators.

Runs daily in the collection window (prefect.yaml, deployment "remind"). Every message has a
dedupe key (one announcement per ministry per period, one reminder per ministry per day, one
escalation per period), so running it again on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from prefect import flow, task
from pydantic import BaseModel

from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.notify_steps import deliver_step, enqueue_step
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.period_store import collecting_period, missing_ministries, period_deadline
from voortgang.models.periods import Quarter
from voortgang.models.slack_delivery import DeliveryReport
from voortgang.reporting.slack_messages import (
    PlannedMessage,
    plan_escalation,
    plan_period_opened,
    plan_reminders,
)
from voortgang.settings import get_settings

PROGRAMME_TIMEZONE = ZoneInfo("Europe/Amsterdam")


class PeriodCollection(BaseModel):
    period: str
    deadline: dt.date
    missing: list[str]


class RemindResult(BaseModel):
    period: str
    deadline: dt.date
    today: dt.date
    missing: list[str]
    planned: list[str]  # dedupe keys planned today
    enqueued: int  # of those, new in the outbox
    delivery: DeliveryReport


def _today() -> dt.date:
    return dt.datetime.now(tz=PROGRAMME_TIMEZONE).date()


def _run_name() -> str:
    from prefect.runtime import flow_run

    period = flow_run.parameters.get("period")
    return f"herinnering-{Quarter.parse(period) if period else collecting_period(_today())}"


@task(name="read period collection", retries=2, retry_delay_seconds=[2, 10])
def collection_step(period: str) -> PeriodCollection:
    catalogue = load_catalogue()
    with session_scope() as session:
        return PeriodCollection(
            period=period,
            deadline=period_deadline(session, period),
            missing=missing_ministries(session, catalogue, period),
        )


def plan_for_today(collection: PeriodCollection, today: dt.date) -> list[PlannedMessage]:
    """Before the deadline: the announcement and reminders; after it: the escalation."""
    catalogue = load_catalogue()
    period, deadline, missing = collection.period, collection.deadline, collection.missing
    if today > deadline:
        return plan_escalation(catalogue, missing, period, deadline, today)
    return plan_period_opened(
        catalogue, period, deadline, inbox=str(get_settings().inbox_dir)
    ) + plan_reminders(catalogue, missing, period, deadline, today)


@flow(name="remind-ministries", flow_run_name=_run_name, on_failure=[alert_on_failure])
def remind_ministries(period: str | None = None, today: dt.date | None = None) -> RemindResult:
    """Remind ministries without an update before the deadline; escalate after it.

    ``period`` defaults to the period being collected (the current quarter in its last month,
    else the quarter that just ended); ``today`` to today in Amsterdam.
    """
    today = today or _today()
    period = str(Quarter.parse(period)) if period else str(collecting_period(today))
    collection = collection_step(period)
    planned = plan_for_today(collection, today)
    enqueued = enqueue_step(planned)
    delivery = deliver_step()
    return RemindResult(
        period=period,
        deadline=collection.deadline,
        today=today,
        missing=collection.missing,
        planned=[p.dedupe_key for p in planned],
        enqueued=enqueued,
        delivery=delivery,
    )
