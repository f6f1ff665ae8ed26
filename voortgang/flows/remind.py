"""Flow: remind the ministries that have not submitted; after the deadline, tell the coordinators.

Runs daily in the collection window (prefect.yaml, deployment "remind"). Every message has a
dedupe key (one announcement per ministry per period, one reminder per ministry per day, one
escalation per period), so running it again on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import TableArtifact
from pydantic import BaseModel

from voortgang.flows.artifacts import artifact_key, publish_once
from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.notify_steps import deliver_step, enqueue_step
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.period_store import collecting_period, missing_ministries, period_deadline
from voortgang.models.periods import Quarter
from voortgang.models.slack_delivery import DeliveryReport
from voortgang.models.working_days import holiday_name, is_working_day
from voortgang.reporting.dashboard import reminder_rows
from voortgang.reporting.dashboard_refresh import refresh_dashboard
from voortgang.reporting.reminder_log import reminder_log
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


@task(name="inzendingen van de periode lezen", retries=2, retry_delay_seconds=[2, 10])
def collection_step(period: str) -> PeriodCollection:
    catalogue = load_catalogue()
    with session_scope() as session:
        return PeriodCollection(
            period=period,
            deadline=period_deadline(session, period),
            missing=missing_ministries(session, catalogue, period),
        )


def plan_for_today(collection: PeriodCollection, today: dt.date) -> list[PlannedMessage]:
    """Before the deadline: the announcement and reminders, on working days only; after it:
    the escalation (the cycle sends it on the same day, whatever day that is)."""
    catalogue = load_catalogue()
    period, deadline, missing = collection.period, collection.deadline, collection.missing
    if today > deadline:
        return plan_escalation(catalogue, missing, period, deadline, today)
    if not is_working_day(today):
        return []
    settings = get_settings()
    interactive = settings.slack_app_token is not None  # the Slack app answers the button
    return plan_period_opened(
        catalogue, period, deadline, inbox=str(settings.inbox_dir), interactive=interactive
    ) + plan_reminders(catalogue, missing, period, deadline, today, interactive=interactive)


@task(name="herinneringen publiceren", retries=2, retry_delay_seconds=[2, 10])
def publish_reminders_step(period: str) -> int:
    """The artifact of who was told what about the period, and when; returns its rows."""
    with session_scope() as session:
        rows = reminder_rows(reminder_log(session, load_catalogue(), period))
    if rows:
        publish_once(
            TableArtifact(
                key=artifact_key("herinneringen", period),
                table=rows,
                description=f"Aankondigingen, herinneringen en meldingen voor {period}",
            )
        )
    return len(rows)


@flow(
    name="remind-ministries",
    flow_run_name=_run_name,
    on_failure=[alert_on_failure],
    description=(
        "Herinnert op werkdagen de ministeries die nog niet hebben ingeleverd (de laatste vijf "
        "werkdagen tot de deadline) en meldt na de deadline aan de coördinatoren wie ontbreekt."
    ),
)
def remind_ministries(period: str | None = None, today: dt.date | None = None) -> RemindResult:
    """Remind ministries without an update before the deadline; escalate after it.

    ``period`` defaults to the period being collected (the current quarter in its last month,
    else the quarter that just ended); ``today`` to today in Amsterdam.
    """
    today = today or _today()
    period = str(Quarter.parse(period)) if period else str(collecting_period(today))
    collection = collection_step(period)
    if today <= collection.deadline and not is_working_day(today):
        get_run_logger().info(
            "%s is no working day (%s): no announcement or reminder today.",
            today.isoformat(),
            holiday_name(today) or "weekend",
        )
    planned = plan_for_today(collection, today)
    enqueued = enqueue_step(planned)
    refresh_dashboard(period)  # who was reminded, and when
    delivery = deliver_step()
    publish_reminders_step(period)
    return RemindResult(
        period=period,
        deadline=collection.deadline,
        today=today,
        missing=collection.missing,
        planned=[p.dedupe_key for p in planned],
        enqueued=enqueued,
        delivery=delivery,
    )
