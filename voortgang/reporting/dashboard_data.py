"""Everything the coordinators' dashboard of one period shows, read from the database.

Plain data (pydantic) so the page, the exports and the tests read the same thing. The goal
statuses come from the period's latest stored assessment, or from a fresh assessment in
memory when a submission came in after it (or none was stored yet): in the collection
window, before any cycle ran, the dashboard is as live as the submissions.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue
from voortgang.models.period_store import period_deadline
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import (
    SEVERITY,
    GoalAssessment,
    GoalState,
    IndicatorAssessment,
    MilestoneAssessment,
    PeriodAssessment,
)
from voortgang.reporting.assessment_store import latest_assessment_id, load_assessment
from voortgang.reporting.drafts import current_draft
from voortgang.reporting.isolation import assess_isolating
from voortgang.reporting.letter_dates import drafting_day
from voortgang.reporting.reminder_log import ReminderEntry as Reminder
from voortgang.reporting.reminder_log import reminder_log
from voortgang.reporting.submission_diff import FieldChange, diff_payloads
from voortgang.settings import get_settings

TREND_QUARTERS = 8
LETTER_FORMATS = ("html", "docx", "md")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class SubmissionVersion(_Out):
    ministry: str
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    channel: str
    source_name: str | None
    milestones: int
    indicators: int
    municipalities: int
    changes: list[FieldChange]  # against the previous version; empty for the first


class MinistryProgress(_Out):
    code: str
    name: str
    submitted: bool
    latest: SubmissionVersion | None
    versions: int
    reminders: list[Reminder]


class GridCell(_Out):
    """One ministry's part of one goal: its status and everything behind it."""

    ministry: str
    role: str  # lead | contributor
    status: GoalState
    submitted: bool
    deciding: list[str]  # the reasons that give the status
    other: list[str]  # every other reason of the ministry's milestones and indicators
    milestones: list[MilestoneAssessment]
    indicators: list[IndicatorAssessment]


class GridRow(_Out):
    goal_id: str
    title: str
    lead: str
    status: GoalState
    deciding: list[str]  # the reasons that give the goal its status
    other: list[str]  # the goal's other reasons (e.g. a ministry that has not submitted)
    cells: dict[str, GridCell]  # ministry code -> its part; absent: not involved


class GoalTrend(_Out):
    goal_id: str
    title: str
    statuses: dict[str, GoalState]  # period -> status; absent: not assessed then


class TrendPoint(_Out):
    period: str
    value: float
    as_of: dt.date
    expected: float | None


class IndicatorTrend(_Out):
    indicator_id: str
    title: str
    unit: str
    direction: str
    baseline_value: float
    baseline_date: dt.date
    target_value: float
    target_date: dt.date
    status: GoalState
    points: list[TrendPoint]


class DecisionEntry(_Out):
    decision_id: int
    version: int
    decision: str  # approve | changes | timeout | reopen
    decided_by: str | None
    decided_at: dt.datetime
    comment: str | None
    channel: str


class LetterFile(_Out):
    format: str
    path: str
    exists: bool


class DraftState(_Out):
    version: int
    state: str  # draft | final | changes_requested
    created_at: dt.datetime
    decision: DecisionEntry | None  # the decision that holds for this version
    waiting_since: dt.datetime | None  # undecided: since the draft (or its reopening)
    files: list[LetterFile]
    decisions: list[DecisionEntry]  # every decision on the period's drafts, oldest first
    notes: LetterFile | None = None  # the coordinators' notes beside the draft (internal)


class DashboardData(_Out):
    period: str
    generated_at: dt.datetime
    today: dt.date
    deadline: dt.date
    days_to_deadline: int  # negative after the deadline
    received: int
    total: int
    ministries: list[MinistryProgress]
    missing: list[str]
    escalations: list[Reminder]
    live: bool  # True: assessed now, in memory; False: the stored assessment
    assessed_on: dt.date
    assessment_id: int | None
    not_processed: dict[str, str]
    ministry_codes: list[str]
    grid: list[GridRow]  # worst status first
    trend_periods: list[str]
    goal_trends: list[GoalTrend]
    indicator_trends: list[IndicatorTrend]
    submissions: list[SubmissionVersion]  # per ministry in catalogue order, newest first
    item_titles: dict[str, str]  # milestone and indicator ids -> their titles
    draft: DraftState | None


def _versions(session: Session, period: str) -> list[SubmissionVersion]:
    rows = session.scalars(
        select(t.Submission)
        .where(t.Submission.period_id == period)
        .order_by(t.Submission.ministry_code, t.Submission.version)
    )
    out: list[SubmissionVersion] = []
    previous: t.Submission | None = None
    for row in rows:
        before = (
            previous.payload if previous and previous.ministry_code == row.ministry_code else None
        )
        payload = row.payload
        out.append(
            SubmissionVersion(
                ministry=row.ministry_code,
                version=row.version,
                submitted_by=row.submitted_by,
                submitted_at=row.submitted_at,
                channel=row.channel,
                source_name=row.source_name,
                milestones=len(payload.get("milestones") or []),
                indicators=len(payload.get("indicators") or []),
                municipalities=len(payload.get("municipalities") or []),
                changes=diff_payloads(before, payload),
            )
        )
        previous = row
    return out


def _reminders(session: Session, catalogue: Catalogue, period: str) -> list[Reminder]:
    """Reminders and escalations, as the remind flow's artifact lists them too."""
    return [
        e for e in reminder_log(session, catalogue, period) if e.kind in ("reminder", "escalation")
    ]


def _latest_versions(session: Session, period: str) -> dict[str, int]:
    """Each ministry's latest stored version of the period."""
    rows = session.execute(
        select(t.Submission.ministry_code, func.max(t.Submission.version))
        .where(t.Submission.period_id == period)
        .group_by(t.Submission.ministry_code)
    )
    return {row[0]: row[1] for row in rows}


def _current_assessment(
    session: Session, catalogue: Catalogue, period: str, today: dt.date
) -> tuple[PeriodAssessment, int | None, bool]:
    """The stored assessment while it covers every ministry's latest version; once a newer
    version is stored, one made now (not stored).

    Judged by versions, not by clocks: a submission's time is when it was handed in (the demo
    stores past quarters' reports on their own days), not when the row was written.
    """
    stored_id = latest_assessment_id(session, period)
    if stored_id is not None:
        stored = load_assessment(session, stored_id)
        covered = {s.code: s.latest.version for s in stored.submissions if s.latest is not None}
        if _latest_versions(session, period) == covered:
            return stored, stored_id, False
    return assess_isolating(session, catalogue, period, today=today), None, True


def _cell(goal: GoalAssessment, code: str, role: str, status: GoalState) -> GridCell:
    view = next(v for v in goal.by_ministry if v.ministry == code)
    milestones = [m for m in goal.milestones if m.ministry == code]
    indicators = [i for i in goal.indicators if i.reported_by == code]
    every = [m.reason for m in milestones] + [i.reason for i in indicators]
    return GridCell(
        ministry=code,
        role=role,
        status=status,
        submitted=view.submitted,
        deciding=list(view.reasons),
        other=[r for r in every if r and r not in view.reasons],
        milestones=milestones,
        indicators=indicators,
    )


def _split_reasons(goal: GoalAssessment) -> tuple[list[str], list[str]]:
    """The goal's reasons that come from a part with another status than the goal's are not
    the deciding ones: a goal at risk must not open with a ministry that is on schedule."""
    elsewhere = {r for v in goal.by_ministry if v.status != goal.status for r in v.reasons} | {
        i.reason for i in goal.indicators if i.status != goal.status
    }
    deciding = [r for r in goal.reasons if r not in elsewhere]
    if not deciding:
        return list(goal.reasons), []
    return deciding, [r for r in goal.reasons if r in elsewhere]


def build_grid(assessment: PeriodAssessment) -> list[GridRow]:
    """Goals by severity (worst first, then in catalogue order), a cell per involved ministry."""
    rows = []
    for goal in assessment.goals:
        roles = {v.ministry: v.role for v in goal.by_ministry}
        cells = {
            v.ministry: _cell(goal, v.ministry, roles[v.ministry], v.status)
            for v in goal.by_ministry
        }
        deciding, other = _split_reasons(goal)
        rows.append(
            GridRow(
                goal_id=goal.id,
                title=goal.title,
                lead=goal.lead,
                status=goal.status,
                deciding=deciding,
                other=other,
                cells=cells,
            )
        )
    order = {g.id: i for i, g in enumerate(assessment.goals)}
    return sorted(rows, key=lambda r: (-SEVERITY[r.status], order[r.goal_id]))


def _history(session: Session, period: str) -> list[PeriodAssessment]:
    """The latest stored assessment of each earlier quarter, oldest first."""
    latest = (
        select(func.max(t.Assessment.id))
        .where(t.Assessment.period_id < period)
        .group_by(t.Assessment.period_id)
    )
    ids = list(session.scalars(latest))
    found = [load_assessment(session, i) for i in ids]
    found.sort(key=lambda a: Quarter.parse(a.period))
    return found[-(TREND_QUARTERS - 1) :]


def _trends(
    assessments: list[PeriodAssessment], current: PeriodAssessment
) -> tuple[list[GoalTrend], list[IndicatorTrend]]:
    goals = [
        GoalTrend(
            goal_id=g.id,
            title=g.title,
            statuses={a.period: s.status for a in assessments for s in a.goals if s.id == g.id},
        )
        for g in current.goals
    ]
    indicators: list[IndicatorTrend] = []
    for goal in current.goals:
        for ind in goal.indicators:
            points: dict[tuple[dt.date, float], TrendPoint] = {}
            for a in assessments:
                for earlier in (i for g in a.goals for i in g.indicators):
                    if earlier.indicator_id == ind.indicator_id:
                        _add_point(points, a.period, earlier)
            if any(i.indicator_id == ind.indicator_id for i in indicators):
                continue  # an indicator shown under two goals is drawn once
            indicators.append(
                IndicatorTrend(
                    indicator_id=ind.indicator_id,
                    title=ind.title,
                    unit=ind.unit,
                    direction=ind.direction,
                    baseline_value=ind.baseline_value,
                    baseline_date=ind.baseline_date,
                    target_value=ind.target_value,
                    target_date=ind.target_date,
                    status=ind.status,
                    points=sorted(points.values(), key=lambda p: p.as_of),
                )
            )
    return goals, indicators


def _add_point(
    points: dict[tuple[dt.date, float], TrendPoint], period: str, ind: IndicatorAssessment
) -> None:
    # A value carried over from an earlier quarter is that quarter's point, not a new one.
    if ind.value is None or ind.as_of is None or (ind.as_of, ind.value) in points:
        return
    points[(ind.as_of, ind.value)] = TrendPoint(
        period=ind.from_earlier_period or period,
        value=ind.value,
        as_of=ind.as_of,
        expected=ind.expected_now,
    )


def _entry(row: t.Decision, version: int) -> DecisionEntry:
    return DecisionEntry(
        decision_id=row.id,
        version=version,
        decision=row.decision,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        comment=row.comment,
        channel=row.channel,
    )


def _draft_state(session: Session, period: str) -> DraftState | None:
    from voortgang.reporting.decisions import decision_for

    draft = current_draft(session, period)
    if draft is None:
        return None
    entries = [
        _entry(row, version)
        for row, version in session.execute(
            select(t.Decision, t.LetterDraft.version)
            .join(t.LetterDraft, t.LetterDraft.id == t.Decision.draft_id)
            .where(t.LetterDraft.period_id == period)
            .order_by(t.Decision.decided_at, t.Decision.id)
        )
    ]
    holding = decision_for(session, draft.id)
    waiting: dt.datetime | None = None
    if holding is None and draft.state == "draft":
        reopened = [
            e.decided_at for e in entries if e.version == draft.version and e.decision == "reopen"
        ]
        waiting = max([draft.created_at, *reopened])
    folder = get_settings().letters_dir / period
    stem = f"voortgangsbrief-{period}-v{draft.version}"
    files = [
        LetterFile(
            format=fmt,
            path=str(folder / f"{stem}.{fmt}"),
            exists=(folder / f"{stem}.{fmt}").is_file(),
        )
        for fmt in LETTER_FORMATS
    ]
    notes_path = folder / f"{stem}-notities.md"
    return DraftState(
        notes=LetterFile(format="md", path=str(notes_path), exists=notes_path.is_file()),
        version=draft.version,
        state=draft.state,
        created_at=draft.created_at,
        decision=next(
            (e for e in entries if holding and e.decision_id == holding.decision_id), None
        ),
        waiting_since=waiting,
        files=files,
        decisions=entries,
    )


def build_dashboard_data(
    session: Session,
    catalogue: Catalogue,
    period: str,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DashboardData:
    """The dashboard of ``period`` as the database holds it now."""
    quarter = str(Quarter.parse(period))
    today = today or drafting_day()
    deadline = period_deadline(session, quarter)
    assessment, assessment_id, live = _current_assessment(session, catalogue, quarter, today)
    versions = _versions(session, quarter)
    reminders = _reminders(session, catalogue, quarter)
    ministries = []
    for m in catalogue.ministries:
        own = [v for v in versions if v.ministry == m.code]
        ministries.append(
            MinistryProgress(
                code=m.code,
                name=m.name,
                submitted=bool(own),
                latest=own[-1] if own else None,
                versions=len(own),
                reminders=[r for r in reminders if r.ministry == m.code],
            )
        )
    history = _history(session, quarter)
    goal_trends, indicator_trends = _trends([*history, assessment], assessment)
    order = {m.code: i for i, m in enumerate(catalogue.ministries)}
    return DashboardData(
        period=quarter,
        generated_at=now or dt.datetime.now(tz=dt.UTC),
        today=today,
        deadline=deadline,
        days_to_deadline=(deadline - today).days,
        received=sum(p.submitted for p in ministries),
        total=len(ministries),
        ministries=ministries,
        missing=[p.code for p in ministries if not p.submitted],
        escalations=[r for r in reminders if r.kind == "escalation"],
        live=live,
        assessed_on=assessment.assessed_on,
        assessment_id=assessment_id,
        not_processed=dict(assessment.not_processed),
        ministry_codes=[m.code for m in catalogue.ministries],
        grid=build_grid(assessment),
        trend_periods=[a.period for a in history] + [quarter],
        goal_trends=goal_trends,
        indicator_trends=indicator_trends,
        submissions=sorted(versions, key=lambda v: (order.get(v.ministry, len(order)), -v.version)),
        item_titles={
            **{m.id: m.title for m in catalogue.milestones},
            **{i.id: i.title for i in catalogue.indicators},
        },
        draft=_draft_state(session, quarter),
    )
