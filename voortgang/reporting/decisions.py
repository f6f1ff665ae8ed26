"""The coordinator's decision on a draft: approve it, or ask for changes. Kept with the draft."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.reporting.drafts import latest_draft


class Verdict(StrEnum):
    approve = "approve"
    changes = "changes"
    timeout = "timeout"


DRAFT_STATE = {
    Verdict.approve: "final",
    Verdict.changes: "changes_requested",
    Verdict.timeout: "draft",
}


class DecisionError(ValueError):
    """The decision cannot be recorded as given (names the field and what is expected)."""


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


def decision_for(session: Session, draft_id: int) -> DecisionRecord | None:
    """The deciding (non-timeout) decision on a draft, if any."""
    draft = session.get(t.LetterDraft, draft_id)
    if draft is None:
        return None
    row = session.scalars(
        select(t.Decision)
        .where(t.Decision.draft_id == draft_id, t.Decision.decision != Verdict.timeout.value)
        .order_by(t.Decision.id.desc())
        .limit(1)
    ).first()
    return _record(row, draft, False) if row else None


def record_decision(
    session: Session,
    *,
    period: str,
    decision: Verdict,
    decided_by: str | None,
    comment: str | None,
    channel: str,
    draft_id: int | None = None,
) -> DecisionRecord:
    """Record a decision on the latest draft (or the given one). Idempotent for one decision."""
    draft = session.get(t.LetterDraft, draft_id) if draft_id else latest_draft(session, period)
    if draft is None:
        raise DecisionError(f"--period: there is no draft for {period} (expected a drafted period)")
    if decision is not Verdict.timeout:
        email = (decided_by or "").strip().lower()
        coordinator = session.scalars(
            select(t.Person).where(
                t.Person.email == email, t.Person.role == "coordinator", t.Person.active.is_(True)
            )
        ).first()
        if coordinator is None:
            raise DecisionError(
                f"decided_by: {decided_by!r} is not a registered coordinator "
                "(expected a coordinator's e-mail address from the catalogue)"
            )
        decided_by = email
    if decision is Verdict.changes and not (comment and comment.strip()):
        raise DecisionError(
            "comment: a request for changes needs a comment (expected what to change)"
        )
    existing = decision_for(session, draft.id)
    if (
        existing is not None
        and decision is not Verdict.timeout
        and (existing.decision, existing.comment) == (decision, comment)
    ):
        return existing
    row = t.Decision(
        draft_id=draft.id,
        decision=decision.value,
        decided_by=decided_by,
        comment=comment,
        channel=channel,
    )
    session.add(row)
    if decision is not Verdict.timeout:
        draft.state = DRAFT_STATE[decision]
    session.flush()
    return _record(row, draft, True)
