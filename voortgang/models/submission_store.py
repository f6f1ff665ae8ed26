"""Storing submissions as append-only versions, and reading them back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.identity import Actor, Channel, resolve_actor
from voortgang.models.submission_schema import SubmissionIn

CHANNELS = tuple(c.value for c in Channel)


class StoreResult(BaseModel):
    submission_id: int
    ministry: str
    period: str
    version: int
    created: bool  # False: identical content was already stored as this version


def content_hash(sub: SubmissionIn) -> str:
    content = sub.model_dump(mode="json")
    # Without commitments a submission hashes as before they existed, so content stored by an
    # earlier release is still recognised as the same.
    if not content.get("commitments"):
        content.pop("commitments", None)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_submission(
    session: Session,
    sub: SubmissionIn,
    *,
    channel: str,
    source_name: str | None = None,
    submitted_at: dt.datetime | None = None,
    actor: Actor | None = None,
) -> StoreResult:
    """Add a new version unless the latest version has the identical content.

    ``actor`` is who acted (the claim and what the channel verified); None: the
    submission's own ``submitted_by`` as an unverified claim of ``channel``.

    ``submitted_at`` (default: now) is only given by the demo's example loader, which
    stores a past quarter's reports on a day before its deadline.

    The caller owns the transaction; a concurrent writer for the same ministry and period
    makes the insert fail on the unique version, and the caller retries the unit of work.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    actor = resolve_actor(actor, channel=channel, claimed=sub.submitted_by)
    digest = content_hash(sub)
    # Only the latest version counts as "the same": going back to earlier content is a
    # change of its own and must become the latest version again.
    latest = session.scalars(
        select(t.Submission)
        .where(t.Submission.ministry_code == sub.ministry, t.Submission.period_id == sub.period)
        .order_by(t.Submission.version.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.content_hash == digest:
        return StoreResult(
            submission_id=latest.id,
            ministry=latest.ministry_code,
            period=latest.period_id,
            version=latest.version,
            created=False,
        )
    row = t.Submission(
        ministry_code=sub.ministry,
        period_id=sub.period,
        version=latest.version + 1 if latest is not None else 1,
        submitted_by=sub.submitted_by,
        channel=channel,
        claimed_by=actor.claimed,
        principal=actor.principal,
        principal_verified=actor.verified,
        source_name=source_name,
        content_hash=digest,
        payload=sub.model_dump(mode="json"),
    )
    if submitted_at is not None:
        row.submitted_at = submitted_at
    row.milestone_updates = [
        t.MilestoneUpdate(
            milestone_id=m.milestone,
            status=m.status.value,
            progress=m.progress,
            narrative=m.narrative,
            expected_completion=m.expected_completion,
            status_reason=m.status_reason,
            measure=m.measure,
        )
        for m in sub.milestones
    ]
    row.indicator_observations = [
        t.IndicatorObservation(
            indicator_id=i.indicator,
            value=i.value,
            as_of=i.as_of,
            source=i.source,
            measure=i.measure,
        )
        for i in sub.indicators
    ]
    row.municipal_instruments = [
        t.MunicipalInstruments(
            municipality_code=m.municipality,
            ordinance=m.ordinance,
            urgency_scheme=m.urgency_scheme,
            woonzorgvisie=m.woonzorgvisie,
            residents_involved=m.residents_involved,
            as_of=m.as_of,
        )
        for m in sub.municipalities
    ]
    row.commitment_updates = [
        t.CommitmentUpdate(
            commitment_id=c.commitment,
            status=c.status.value,
            explanation=c.explanation,
            expected=c.expected,
        )
        for c in sub.commitments
    ]
    session.add(row)
    session.flush()
    return StoreResult(
        submission_id=row.id,
        ministry=row.ministry_code,
        period=row.period_id,
        version=row.version,
        created=True,
    )


class SubmissionListing(BaseModel):
    """One stored version, as ``voortgang submissions --json`` shows it."""

    ministry: str
    period: str
    version: int
    submitted_by: str
    submitted_at: str
    channel: str
    source_name: str | None
    content_hash: str
    milestones: int
    indicators: int
    municipalities: int


def list_submissions(
    session: Session, *, period: str, ministry: str | None = None
) -> list[SubmissionListing]:
    counts = {
        name: select(model.submission_id, func.count().label("n"))
        .group_by(model.submission_id)
        .subquery(name)
        for name, model in (
            ("mu", t.MilestoneUpdate),
            ("io", t.IndicatorObservation),
            ("mi", t.MunicipalInstruments),
        )
    }
    query = (
        select(
            t.Submission,
            func.coalesce(counts["mu"].c.n, 0),
            func.coalesce(counts["io"].c.n, 0),
            func.coalesce(counts["mi"].c.n, 0),
        )
        .outerjoin(counts["mu"], counts["mu"].c.submission_id == t.Submission.id)
        .outerjoin(counts["io"], counts["io"].c.submission_id == t.Submission.id)
        .outerjoin(counts["mi"], counts["mi"].c.submission_id == t.Submission.id)
        .where(t.Submission.period_id == period)
        .order_by(t.Submission.ministry_code, t.Submission.version)
    )
    if ministry:
        query = query.where(func.lower(t.Submission.ministry_code) == ministry.lower())
    return [
        SubmissionListing(
            ministry=s.ministry_code,
            period=s.period_id,
            version=s.version,
            submitted_by=s.submitted_by,
            submitted_at=s.submitted_at.isoformat(),
            channel=s.channel,
            source_name=s.source_name,
            content_hash=s.content_hash,
            milestones=int(mu),
            indicators=int(io),
            municipalities=int(mi),
        )
        for s, mu, io, mi in session.execute(query)
    ]
