"""The application's tables. Submissions and drafts are append-only; nothing here is deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voortgang.models.base import Base, JSONDocument, UTCDateTime, utcnow

# --- the catalogue, with history -------------------------------------------------------


class Ministry(Base):
    __tablename__ = "ministries"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(80))
    slack_channel: Mapped[str] = mapped_column(String(80))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class Person(Base):
    """An officer of a ministry, or a coordinator (ministry_code is then empty)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # officer | coordinator
    ministry_code: Mapped[str | None] = mapped_column(ForeignKey("ministries.code"))
    slack_id: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Goal(Base):
    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    seed_question: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class GoalOwnership(Base):
    """Who leads or contributes to a goal, and since when: ownership moves between cabinets."""

    __tablename__ = "goal_ownership"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"), index=True)
    ministry_code: Mapped[str] = mapped_column(ForeignKey("ministries.code"))
    role: Mapped[str] = mapped_column(String(20))  # lead | contributor
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class Indicator(Base):
    __tablename__ = "indicators"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    goal_id: Mapped[str | None] = mapped_column(ForeignKey("goals.id"))
    title: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(80))
    direction: Mapped[str] = mapped_column(String(10))
    reported_by: Mapped[str] = mapped_column(String(16))
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_date: Mapped[dt.date] = mapped_column(Date)
    baseline_source: Mapped[str] = mapped_column(Text)
    target_value: Mapped[float] = mapped_column(Float)
    target_date: Mapped[dt.date] = mapped_column(Date)
    target_source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    ministry_code: Mapped[str] = mapped_column(ForeignKey("ministries.code"))
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"))
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Commitment(Base):
    """A motion of the Kamer (motie) or a minister's commitment (toezegging), from the catalogue."""

    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # motie | toezegging
    kamerstuk: Mapped[str | None] = mapped_column(String(80))
    debate: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    submitters: Mapped[list[str]] = mapped_column(JSONDocument)
    ministry_code: Mapped[str] = mapped_column(ForeignKey("ministries.code"))
    due: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CatalogueLoad(Base):
    __tablename__ = "catalogue_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changes: Mapped[int] = mapped_column(Integer)


# --- periods and submissions -------------------------------------------------------------


class ReportingPeriod(Base):
    __tablename__ = "reporting_periods"

    id: Mapped[str] = mapped_column(String(6), primary_key=True)  # 2026Q4
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Submission(Base):
    """One version of a ministry's update for a period. Never updated, never deleted."""

    __tablename__ = "submissions"
    # No unique content hash: going back to earlier content is a new version (migration 0003).
    __table_args__ = (UniqueConstraint("ministry_code", "period_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ministry_code: Mapped[str] = mapped_column(ForeignKey("ministries.code"))
    period_id: Mapped[str] = mapped_column(String(6), index=True)
    version: Mapped[int] = mapped_column(Integer)
    submitted_by: Mapped[str] = mapped_column(String(254))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))  # file | cli | form | slack
    source_name: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # Who acted (migration 0008, models/identity.py): the claim, and the principal the
    # channel vouched for (os:user@host, file-owner:name, slack:T/U; NULL: nobody vouched).
    claimed_by: Mapped[str | None] = mapped_column(String(254))
    principal: Mapped[str | None] = mapped_column(String(254))
    principal_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    milestone_updates: Mapped[list[MilestoneUpdate]] = relationship(
        back_populates="submission", lazy="raise", cascade="all"
    )
    indicator_observations: Mapped[list[IndicatorObservation]] = relationship(
        back_populates="submission", lazy="raise", cascade="all"
    )
    municipal_instruments: Mapped[list[MunicipalInstruments]] = relationship(
        back_populates="submission", lazy="raise", cascade="all"
    )
    commitment_updates: Mapped[list[CommitmentUpdate]] = relationship(
        back_populates="submission", lazy="raise", cascade="all"
    )


class MilestoneUpdate(Base):
    __tablename__ = "milestone_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    milestone_id: Mapped[str] = mapped_column(ForeignKey("milestones.id"))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float)
    narrative: Mapped[str] = mapped_column(Text)
    expected_completion: Mapped[dt.date | None] = mapped_column(Date)
    status_reason: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)  # what the ministry does about it

    submission: Mapped[Submission] = relationship(back_populates="milestone_updates", lazy="raise")


class IndicatorObservation(Base):
    __tablename__ = "indicator_observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicators.id"))
    value: Mapped[float] = mapped_column(Float)
    as_of: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)  # what the ministry does about it

    submission: Mapped[Submission] = relationship(
        back_populates="indicator_observations", lazy="raise"
    )


class MunicipalInstruments(Base):
    """VRO's report of which instruments a municipality has (ordinance, urgency, woonzorgvisie)."""

    __tablename__ = "municipal_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    ordinance: Mapped[bool] = mapped_column(Boolean)
    urgency_scheme: Mapped[bool] = mapped_column(Boolean)
    woonzorgvisie: Mapped[bool] = mapped_column(Boolean)
    residents_involved: Mapped[bool | None] = mapped_column(Boolean)
    as_of: Mapped[dt.date] = mapped_column(Date)

    submission: Mapped[Submission] = relationship(
        back_populates="municipal_instruments", lazy="raise"
    )


class CommitmentUpdate(Base):
    """A ministry's report on one of its moties or toezeggingen in one submission version."""

    __tablename__ = "commitment_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id"))
    status: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[dt.date | None] = mapped_column(Date)

    submission: Mapped[Submission] = relationship(back_populates="commitment_updates", lazy="raise")


# --- municipal data ------------------------------------------------------------------------


class Municipality(Base):
    __tablename__ = "municipalities"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # GM0014
    name: Mapped[str] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(40))
    latest_boundary_year: Mapped[int] = mapped_column(Integer)


class MunicipalObservation(Base):
    __tablename__ = "municipal_observations"
    __table_args__ = (
        UniqueConstraint("municipality_code", "indicator", "reference_date", "dataset"),
        Index("ix_municipal_observations_indicator_year", "indicator", "boundary_year"),
        # The municipal counts read one indicator on its latest reference date.
        Index("ix_municipal_observations_indicator_date", "indicator", "reference_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    indicator: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    reference_date: Mapped[dt.date] = mapped_column(Date)
    boundary_year: Mapped[int] = mapped_column(Integer)
    dataset: Mapped[str] = mapped_column(String(40))  # e.g. "CBS 85039NED"
    source: Mapped[str] = mapped_column(Text)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(Text)


# --- the cycle's results --------------------------------------------------------------------


class Assessment(Base):
    """The goal statuses of a period as one check computed them."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[str] = mapped_column(String(6), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class GoalStatus(Base):
    __tablename__ = "goal_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"))
    ministry_code: Mapped[str | None] = mapped_column(String(16))  # None: the goal as a whole
    status: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JSONDocument)


class LetterDraft(Base):
    __tablename__ = "letter_drafts"
    __table_args__ = (UniqueConstraint("period_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[str] = mapped_column(String(6), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    markdown: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(20), default="draft")  # draft|final|changes_requested
    # The annexes (bijlagen) as one document beside the letter, and the coordinators' notes
    # (internal); None for drafts stored before migration 0006.
    annexes_markdown: Mapped[str | None] = mapped_column(Text)
    annexes_html: Mapped[str | None] = mapped_column(Text)
    annexes_docx: Mapped[bytes | None] = mapped_column(LargeBinary)
    notes_markdown: Mapped[str | None] = mapped_column(Text)
    # Drafted before the period's deadline (reporting/letter_dates.py): marked "Voorlopig"
    # on every page, never approved; a final draft of the period supersedes it.
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("letter_drafts.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # approve | changes | timeout
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10))  # cli | form | slack
    # Who acted (migration 0008, models/identity.py): the claim, and the principal the
    # channel vouched for (os:user@host, file-owner:name, slack:T/U; NULL: nobody vouched).
    claimed_by: Mapped[str | None] = mapped_column(String(254))
    principal: Mapped[str | None] = mapped_column(String(254))
    principal_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class OutboxMessage(Base):
    """A notification written before it is sent, so a Slack outage loses nothing."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
