"""Who did what in a period: every submission version and every decision, with the claimed
identity beside the principal its channel verified (issue 10; models/identity.py).

``voortgang audit`` prints it; the coordinators' notes list the acts nobody vouched for.
Functions take the session and never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t


class AuditAct(BaseModel):
    """One act: a stored submission version, or a decision on a letter draft."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["submission", "decision"]
    at: dt.datetime
    # A submission: its ministry and version. A decision: the letter draft's version and
    # the decision (approve, changes, reopen, timeout); ministry is None.
    ministry: str | None
    version: int
    decision: str | None
    channel: str
    claimed: str | None
    principal: str | None
    verified: bool

    @property
    def what(self) -> str:
        if self.kind == "submission":
            return f"{self.ministry} version {self.version}"
        return f"letter version {self.version}: {self.decision}"


class PeriodAudit(BaseModel):
    """Every act of the period, oldest first, as ``voortgang audit --json`` shows it."""

    period: str
    submissions: list[AuditAct]
    decisions: list[AuditAct]

    @property
    def acts(self) -> list[AuditAct]:
        """Submissions and decisions in one timeline, oldest first."""
        return sorted(
            [*self.submissions, *self.decisions], key=lambda a: (a.at, a.kind != "submission")
        )


def audit_period(session: Session, *, period: str) -> PeriodAudit:
    submissions = [
        AuditAct(
            kind="submission",
            at=s.submitted_at,
            ministry=s.ministry_code,
            version=s.version,
            decision=None,
            channel=s.channel,
            claimed=s.claimed_by if s.claimed_by is not None else s.submitted_by,
            principal=s.principal,
            verified=s.principal_verified,
        )
        for s in session.scalars(
            select(t.Submission)
            .where(t.Submission.period_id == period)
            .order_by(t.Submission.submitted_at, t.Submission.id)
        )
    ]
    decisions = [
        AuditAct(
            kind="decision",
            at=d.decided_at,
            ministry=None,
            version=version,
            decision=d.decision,
            channel=d.channel,
            claimed=d.claimed_by if d.claimed_by is not None else d.decided_by,
            principal=d.principal,
            verified=d.principal_verified,
        )
        for d, version in session.execute(
            select(t.Decision, t.LetterDraft.version)
            .join(t.LetterDraft, t.LetterDraft.id == t.Decision.draft_id)
            .where(t.LetterDraft.period_id == period)
            .order_by(t.Decision.decided_at, t.Decision.id)
        )
    ]
    return PeriodAudit(period=period, submissions=submissions, decisions=decisions)


def unverified_acts(session: Session, *, period: str) -> list[AuditAct]:
    """The period's acts whose claim no channel verified, oldest first.

    A timeout is nobody's act and is left out.
    """
    return [
        act
        for act in audit_period(session, period=period).acts
        if not (act.verified and act.principal) and act.decision != "timeout"
    ]
