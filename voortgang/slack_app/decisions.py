"""A coordinator's decision through Slack: who may decide, recording it once, resuming the run.

The decision goes through ``record_decision`` like every channel (final is final; the same
decision delivered twice is stored once and announced once, through the outbox). Only the
catalogue's coordinators, recognised by their Slack user id, may decide.
"""

from __future__ import annotations

import logging
import os

from pydantic import BaseModel

from voortgang.models.catalogue import Catalogue
from voortgang.models.db import session_scope
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRecord,
    Verdict,
    describe,
    record_decision,
)
from voortgang.reporting.dutch import format_period
from voortgang.reporting.slack_messages import escape_mrkdwn
from voortgang.slack_app.people import SlackUser, coordinator_email, slack_actor
from voortgang.slack_app.submissions import Refused
from voortgang.slack_app.texts import text

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
        return DecisionOutcome(message=text("decided.refused", reason=escape_mrkdwn(str(exc))))
    values = {"version": record.version, "period_label": format_period(record.period)}
    if not record.created:
        return DecisionOutcome(
            message=text("decided.again", what=escape_mrkdwn(describe(record))), record=record
        )
    message = text(f"decided.{verdict.value}", **values)
    resumed = resume_waiting_run(period, record)
    if resumed:
        message += " " + text("decided.resumed")
    return DecisionOutcome(message=message, record=record, resumed=resumed)
