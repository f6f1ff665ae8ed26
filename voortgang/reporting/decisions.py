"""The coordinator's decision on a draft: a small state machine, kept with the draft.

A draft starts as ``draft``. Approving makes it ``final``, asking for changes makes it
``changes_requested``; both are terminal for that draft, whichever channel the decision came
through (CLI, the Prefect form, Slack). A second, different decision is refused with the
earlier one named. Only reopening (``reopen_decision``, itself a recorded ``reopen``
decision with who, when and why) sets the draft back to ``draft``. A timeout is recorded but
decides nothing.

The transition is a compare-and-set in the database (``UPDATE ... WHERE state = 'draft'``):
of two decisions at the same moment, from two processes, exactly one changes the row; the
other sees the winner and is refused. Every decision is written to the outbox in the same
transaction, keyed by its id, so it is posted to the coordinators exactly once.

Functions take the session and never commit: the caller owns the unit of work.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.models.identity import Actor, channel_refusal, resolve_actor
from voortgang.models.outbox import enqueue_all
from voortgang.reporting.dashboard_refresh import refresh_after_commit
from voortgang.reporting.drafts import current_draft, final_draft, lock_period
from voortgang.reporting.slack_messages import plan_decision, plan_submission_held


class Verdict(StrEnum):
    approve = "approve"
    changes = "changes"
    timeout = "timeout"  # recorded, decides nothing
    reopen = "reopen"  # undoes the decision on a draft, with a reason


# The deciding verdicts and the draft state each one leads to.
DRAFT_STATE = {
    Verdict.approve: "final",
    Verdict.changes: "changes_requested",
}
DECIDED_BY_STATE = {state: verdict for verdict, state in DRAFT_STATE.items()}

_DESCRIBED = {
    Verdict.approve: "approved",
    Verdict.changes: "sent back with a request for changes",
}


class DecisionError(ValueError):
    """The decision cannot be recorded as given (names the field and what is expected).

    ``reason`` says which rule refused it, for channels that tell it in their own words (Slack,
    in Dutch): ``not_coordinator``, ``no_draft``, ``provisional``, ``no_comment``,
    ``channel_off``, ``no_reason``, ``state`` or ``final`` (``DecisionRefused``).
    """

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason


class DecisionRefused(DecisionError):
    """The draft already has a decision; the message names it, who and when."""

    def __init__(self, message: str, earlier: DecisionRecord) -> None:
        super().__init__(message, "final")
        self.earlier = earlier


class DecisionRecord(BaseModel):
    decision_id: int
    draft_id: int
    period: str
    version: int
    decision: Verdict
    decided_by: str | None
    decided_at: dt.datetime
    comment: str | None
    channel: str
    draft_state: str
    created: bool


class HeldSubmission(BaseModel):
    """A submission stored after its period's letter was approved: it changes nothing yet."""

    submission_id: int
    ministry: str
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    letter_version: int

    def label(self) -> str:
        return f"{self.ministry} v{self.version}"


def _record(row: t.Decision, draft: t.LetterDraft, created: bool) -> DecisionRecord:
    return DecisionRecord(
        decision_id=row.id,
        draft_id=draft.id,
        period=draft.period_id,
        version=draft.version,
        decision=Verdict(row.decision),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        comment=row.comment,
        channel=row.channel,
        draft_state=draft.state,
        created=created,
    )


def _local_time(moment: dt.datetime) -> str:
    """The moment as coordinators in The Hague read it, with its zone."""
    try:
        moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    except ZoneInfoNotFoundError:  # no time zone data on this machine: say UTC
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M %Z")


def _where(channel: str, period: str) -> str:
    # On the command line the message names the option, as every other usage error does.
    return f"--period {period}" if channel == "cli" else period


def describe(record: DecisionRecord) -> str:
    """``version 2 was approved by a@b.nl on 2026-11-30 15:02 CET (cli)``."""
    what = _DESCRIBED.get(record.decision, record.decision.value)
    by = record.decided_by or "nobody"
    return (
        f"version {record.version} of the letter was {what} by {by} on "
        f"{_local_time(record.decided_at)} ({record.channel})"
    )


def decision_for(session: Session, draft_id: int) -> DecisionRecord | None:
    """The decision that holds for a draft now: None while it is undecided (or reopened)."""
    draft = session.get(t.LetterDraft, draft_id)
    if draft is None or draft.state not in DECIDED_BY_STATE:
        return None
    row = session.scalars(
        select(t.Decision)
        .where(
            t.Decision.draft_id == draft_id,
            t.Decision.decision == DECIDED_BY_STATE[draft.state].value,
        )
        .order_by(t.Decision.id.desc())
        .limit(1)
    ).first()
    return _record(row, draft, False) if row else None


def period_is_final(session: Session, period: str) -> bool:
    """The period's letter is approved: no new draft, no decision, until it is reopened."""
    return final_draft(session, period) is not None


def _coordinator(session: Session, decided_by: str | None) -> str:
    email = (decided_by or "").strip().lower()
    found = session.scalars(
        select(t.Person.email).where(
            t.Person.email == email, t.Person.role == "coordinator", t.Person.active.is_(True)
        )
    ).first()
    if found is None:
        raise DecisionError(
            f"decided_by: {decided_by!r} is not a registered coordinator "
            "(expected a coordinator's e-mail address from the catalogue)",
            "not_coordinator",
        )
    return email


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _same(earlier: DecisionRecord, decision: Verdict, by: str, comment: str | None) -> bool:
    """The very same decision delivered again (a retried command, the form resumed with
    the decision the command line already recorded): it is not a second decision."""
    if (earlier.decision, earlier.decided_by) != (decision, by):
        return False
    return decision is Verdict.approve or _text(earlier.comment) == comment


def _set_state(session: Session, draft: t.LetterDraft, *, expected: str, new: str) -> bool:
    """Compare-and-set the draft's state; True when this transaction made the change."""
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(t.LetterDraft)
            .where(t.LetterDraft.id == draft.id, t.LetterDraft.state == expected)
            .values(state=new)
            .execution_options(synchronize_session=False)
        ),
    )
    # Read back what the database holds now: ours, or the winner's.
    session.refresh(draft)
    return result.rowcount == 1


def _announce(session: Session, record: DecisionRecord, catalogue: Catalogue | None) -> None:
    planned = plan_decision(
        catalogue or load_catalogue(),
        decision_id=record.decision_id,
        decision=record.decision.value,
        period=record.period,
        version=record.version,
        decided_by=record.decided_by,
        comment=record.comment,
        draft_id=record.draft_id,
    )
    enqueue_all(session, planned)


def _add(
    session: Session,
    draft: t.LetterDraft,
    decision: Verdict,
    decided_by: str | None,
    comment: str | None,
    channel: str,
    catalogue: Catalogue | None,
    actor: Actor | None = None,
) -> DecisionRecord:
    actor = resolve_actor(actor, channel=channel, claimed=decided_by)
    row = t.Decision(
        draft_id=draft.id,
        decision=decision.value,
        decided_by=decided_by,
        comment=comment,
        channel=channel,
        claimed_by=actor.claimed,
        principal=actor.principal,
        principal_verified=actor.verified,
    )
    session.add(row)
    session.flush()
    record = _record(row, draft, True)
    _announce(session, record, catalogue)
    refresh_after_commit(session, draft.period_id)
    return record


def _refusal(channel: str, earlier: DecisionRecord) -> DecisionRefused:
    return DecisionRefused(
        f"{_where(channel, earlier.period)}: {describe(earlier)}; a decision is final. "
        f"To decide again, first run: voortgang reopen --period {earlier.period} "
        "--by EMAIL --reason TEXT",
        earlier,
    )


def record_decision(
    session: Session,
    *,
    period: str,
    decision: Verdict,
    decided_by: str | None,
    comment: str | None,
    channel: str,
    draft_id: int | None = None,
    catalogue: Catalogue | None = None,
    actor: Actor | None = None,
) -> DecisionRecord:
    """Decide on the period's current draft (or the given one), once.

    ``actor`` is who decided as the channel proves it (models/identity.py); None: the claim
    ``decided_by``, not verified.

    Raises ``DecisionRefused`` when the draft (or another draft of the period) is already
    decided differently, ``DecisionError`` for input that is wrong in itself or a channel
    that may not decide (``VOORTGANG_DECIDE_CHANNELS``; a timeout decides nothing and is
    always recorded). The same decision delivered again returns the stored record
    (``created=False``).
    """
    if decision is Verdict.reopen:
        raise ValueError("use reopen_decision to reopen")
    lock_period(session, period)
    draft = session.get(t.LetterDraft, draft_id) if draft_id else current_draft(session, period)
    if draft is None or draft.period_id != period:
        raise DecisionError(
            f"{_where(channel, period)}: there is no draft for {period} "
            f"(run: voortgang cycle --period {period})",
            "no_draft",
        )
    approved = final_draft(session, period)
    if decision is Verdict.timeout:
        # A wait that ran out while someone decided through another channel: that decision holds.
        held = decision_for(session, approved.id if approved else draft.id)
        if held is not None:
            return held
        return _add(session, draft, decision, None, comment, channel, catalogue, actor)

    if decision is Verdict.approve and draft.provisional:
        raise DecisionError(
            f"{_where(channel, period)}: version {draft.version} is a provisional draft "
            "('Voorlopig', drafted before the reports were due) and cannot be approved "
            f"(run: voortgang cycle --period {period} after the deadline for the final letter)",
            "provisional",
        )
    by = _coordinator(session, decided_by)
    comment = _text(comment)
    if decision is Verdict.changes and comment is None:
        raise DecisionError(
            "comment: a request for changes needs a comment (expected what to change)",
            "no_comment",
        )
    if approved is not None and approved.id != draft.id:
        earlier = decision_for(session, approved.id)
        if earlier is not None:
            raise _refusal(channel, earlier)
    refusal = channel_refusal(channel, act="decide")
    if refusal is not None:
        # A decision already recorded through an allowed channel may arrive here too (the
        # waiting form, resumed by `voortgang approve` or Slack): it holds, as on any channel.
        earlier = decision_for(session, draft.id)
        if earlier is None:
            raise DecisionError(refusal, "channel_off")
        if _same(earlier, decision, by, comment):
            return earlier
        raise _refusal(channel, earlier)
    if _set_state(session, draft, expected="draft", new=DRAFT_STATE[decision]):
        return _add(session, draft, decision, by, comment, channel, catalogue, actor)
    earlier = decision_for(session, draft.id)
    if earlier is None:
        raise DecisionError(
            f"{_where(channel, period)}: version {draft.version} is in state "
            f"{draft.state!r}, which takes no decision",
            "state",
        )
    if _same(earlier, decision, by, comment):
        return earlier
    raise _refusal(channel, earlier)


def reopen_decision(
    session: Session,
    *,
    period: str,
    decided_by: str,
    reason: str,
    channel: str,
    catalogue: Catalogue | None = None,
    actor: Actor | None = None,
) -> DecisionRecord:
    """Undo the decision on the period's current draft, recorded as a ``reopen`` decision.

    The draft is ``draft`` again: it can be decided on anew, and the next cycle drafts a new
    version when what the letter says changed (submissions that came in meanwhile).
    """
    lock_period(session, period)
    draft = current_draft(session, period)
    if draft is None:
        raise DecisionError(
            f"{_where(channel, period)}: there is no draft for {period}", "no_draft"
        )
    by = _coordinator(session, decided_by)
    why = _text(reason)
    if why is None:
        raise DecisionError(
            "--reason: reopening needs a reason (expected why, in a sentence)", "no_reason"
        )
    earlier = decision_for(session, draft.id)
    if earlier is None:
        last = session.scalars(
            select(t.Decision)
            .where(t.Decision.draft_id == draft.id, t.Decision.decision != Verdict.timeout.value)
            .order_by(t.Decision.id.desc())
            .limit(1)
        ).first()
        if last is not None and (last.decision, last.decided_by, last.comment) == (
            Verdict.reopen.value,
            by,
            why,
        ):
            return _record(last, draft, False)  # the same reopen, delivered again
        raise DecisionError(
            f"{_where(channel, period)}: version {draft.version} of the letter has no "
            f"decision to reopen (decide with: voortgang approve --period {period})"
        )
    refusal = channel_refusal(channel, act="decide")
    if refusal is not None:
        raise DecisionError(refusal, "channel_off")
    if not _set_state(session, draft, expected=draft.state, new="draft"):
        raise DecisionError(
            f"{_where(channel, period)}: version {draft.version} changed while reopening it "
            "(someone else decided or reopened it at the same moment); look again"
        )
    return _add(session, draft, Verdict.reopen, by, why, channel, catalogue, actor)


def held_submissions(session: Session, period: str) -> list[HeldSubmission]:
    """Submissions stored after the period's letter was approved, oldest first."""
    approved = final_draft(session, period)
    if approved is None:
        return []
    approval = decision_for(session, approved.id)
    if approval is None:
        return []
    rows = session.scalars(
        select(t.Submission)
        .where(t.Submission.period_id == period, t.Submission.submitted_at > approval.decided_at)
        .order_by(t.Submission.id)
    )
    return [
        HeldSubmission(
            submission_id=row.id,
            ministry=row.ministry_code,
            version=row.version,
            submitted_by=row.submitted_by,
            submitted_at=row.submitted_at,
            letter_version=approved.version,
        )
        for row in rows
    ]


def flag_held_submissions(
    session: Session, period: str, *, catalogue: Catalogue | None = None
) -> list[HeldSubmission]:
    """Tell the coordinators, once per submission, about submissions after the approval."""
    held = held_submissions(session, period)
    if held:
        catalogue = catalogue or load_catalogue()
        for item in held:
            enqueue_all(
                session,
                plan_submission_held(
                    catalogue,
                    submission_id=item.submission_id,
                    ministry=item.ministry,
                    submission_version=item.version,
                    submitted_by=item.submitted_by,
                    period=period,
                    letter_version=item.letter_version,
                ),
            )
    return held
