"""A coordinator's decision through Slack: who may decide, recording it once, resuming the run.

The decision goes through ``record_decision`` like every channel (final is final; the same
decision delivered twice is stored once and announced once, through the outbox). Only the
catalogue's coordinators, recognised by their Slack user id, may decide.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from voortgang.models.catalogue import Catalogue
from voortgang.models.db import session_scope
from voortgang.models.identity import channel_refusal_nl
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRecord,
    DecisionRefused,
    Verdict,
    record_decision,
)
from voortgang.reporting.drafts import current_draft
from voortgang.reporting.dutch import format_date, format_period
from voortgang.reporting.slack_messages import escape_mrkdwn
from voortgang.slack_app.people import SlackUser, coordinator_email, slack_actor
from voortgang.slack_app.submissions import Refused
from voortgang.slack_app.texts import DECISION_LABELS, text

log = logging.getLogger(__name__)


class DecisionOutcome(BaseModel):
    """What the coordinator who clicked is told (Dutch mrkdwn), and what was recorded."""

    message: str
    record: DecisionRecord | None = None
    resumed: int = 0


def coordinator_for(catalogue: Catalogue, user: SlackUser) -> str:
    email = coordinator_email(catalogue, user.user_id)
    if email is None:
        raise Refused(text("who.not_coordinator", user=user.user_id))
    return email


def describe_nl(record: DecisionRecord) -> str:
    """``versie 2 van de brief is goedgekeurd door a@b.nl op 30 november 2026 om 15:02 (cli)``."""
    moment = record.decided_at
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    except ZoneInfoNotFoundError:  # no time zone data on this machine: say UTC
        moment = moment.astimezone(dt.UTC)
    when = text("decided.when", day=format_date(moment), time=moment.strftime("%H:%M"))
    return text(
        "decided.what",
        version=record.version,
        what=DECISION_LABELS.get(record.decision.value, record.decision.value),
        by=escape_mrkdwn(record.decided_by or text("field.nobody")),
        when=when,
        channel=record.channel,
    )


def refusal_nl(exc: DecisionError, user: SlackUser, *, period: str) -> str:
    """Why ``record_decision`` refused, in Dutch for the coordinator, by the rule that refused
    (``DecisionError.reason``); the English message is the command line's."""
    if isinstance(exc, DecisionRefused):
        return text("decided.final", what=describe_nl(exc.earlier))
    label = format_period(period)
    if exc.reason == "no_draft":
        return text("decided.no_draft", period_label=label)
    if exc.reason == "provisional":
        with session_scope() as session:
            draft = current_draft(session, period)
            version = draft.version if draft is not None else ""
        return text("decided.provisional", version=version, period_label=label)
    if exc.reason == "not_coordinator":
        return text("who.not_coordinator", user=user.user_id)
    if exc.reason == "no_comment":
        return text("decided.no_comment")
    if exc.reason == "channel_off":
        refusal = channel_refusal_nl("slack", act="decide") or str(exc)
        return text("decided.channel_off", reason=escape_mrkdwn(refusal))
    return text("decided.refused", reason=escape_mrkdwn(str(exc)))


def resume_waiting_run(period: str, record: DecisionRecord) -> int:
    """Resume a cycle run that waits for this decision on the Prefect server, if one does.

    Only with ``PREFECT_API_URL`` (a server that keeps paused runs); the same function as
    ``voortgang approve`` uses.
    """
    if not os.environ.get("PREFECT_API_URL"):
        return 0
    from voortgang.flows.resume import resume_waiting_cycles

    try:
        return resume_waiting_cycles(
            period, record.decision.value, record.decided_by or "", record.comment
        )
    except Exception as exc:  # the decision is stored; a run left waiting can be resumed later
        log.warning("Could not resume the waiting cycle run of %s: %s", period, exc)
        return 0


def decide(
    catalogue: Catalogue,
    user: SlackUser,
    *,
    period: str,
    draft_id: int,
    verdict: Verdict,
    comment: str | None = None,
) -> DecisionOutcome:
    """Record the coordinator's decision once; refusals come back as the message to show."""
    try:
        email = coordinator_for(catalogue, user)
    except Refused as exc:
        return DecisionOutcome(message=str(exc))
    try:
        with session_scope() as session:
            record = record_decision(
                session,
                period=period,
                decision=verdict,
                decided_by=email,
                comment=comment,
                channel="slack",
                draft_id=draft_id,
                catalogue=catalogue,
                actor=slack_actor(user, email),
            )
    except DecisionError as exc:
        message = refusal_nl(exc, user, period=period)
        return DecisionOutcome(message=message)
    values = {"version": record.version, "period_label": format_period(record.period)}
    if not record.created:
        return DecisionOutcome(
            message=text("decided.again", what=describe_nl(record)), record=record
        )
    message = text(f"decided.{verdict.value}", **values)
    resumed = resume_waiting_run(period, record)
    if resumed:
        message += " " + text("decided.resumed")
    return DecisionOutcome(message=message, record=record, resumed=resumed)
