"""What a check of a period produces: goal statuses with their reasons and figures.

These models cross every boundary of the cycle (task results, the database, ``check --json``,
the letter), so they are plain pydantic data without database objects.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class GoalState(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"


# Worst first: a goal takes the worst state of what it is judged on.
SEVERITY = {
    GoalState.off_track: 3,
    GoalState.at_risk: 2,
    GoalState.on_track: 1,
    GoalState.no_data: 0,
}


class IndicatorVerdict(StrEnum):
    """Why an indicator has the status it has; only ``trajectory`` judges the pace.

    The status of the three verdicts without a judgement is ``no_data``: they say nothing
    about the schema, so they never make a goal look better or worse (SEVERITY 0).
    """

    trajectory = "trajectory"  # measured in the period, compared with the streefpad
    target_reached = "target_reached"
    no_value = "no_value"  # nothing reported
    no_new_measurement = "no_new_measurement"  # latest value dated before the period began
    no_official_date = "no_official_date"  # the target date is the programme's own assumption


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class SubmissionRef(_Out):
    """Where a figure or narrative came from: one stored submission version."""

    ministry: str
    period: str
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    channel: str


class DatasetRef(_Out):
    dataset: str  # "CBS 85039NED"
    title: str
    reference_date: dt.date
    boundary_year: int
    licence: str = "Bron: CBS, CC BY 4.0"


class Figure(_Out):
    name: str
    value: float | None
    unit: str
    as_of: dt.date | None
    source: str
    period: str | None = None  # set when the figure comes from an earlier period


class IndicatorAssessment(_Out):
    indicator_id: str
    title: str
    unit: str
    direction: str
    reported_by: str
    baseline_value: float
    baseline_date: dt.date
    target_value: float
    target_date: dt.date
    target_source: str
    value: float | None
    as_of: dt.date | None
    source: str | None
    expected_now: float | None  # where the straight trajectory says we should be
    status: GoalState
    reason: str
    submission: SubmissionRef | None = None
    dataset: DatasetRef | None = None
    from_earlier_period: str | None = None
    measure: str | None = None  # the reporting ministry's maatregel when behind
    # Added later; assessments stored before load with these defaults (verdict None: unknown).
    verdict: IndicatorVerdict | None = None
    target_date_official: bool = True
    # Behind the streefpad in the indicator's own unit (percentage points for a percentage;
    # homes, people otherwise); negative is ahead. None without a trajectory verdict.
    deviation: float | None = None
    # For the coordinators' notes (Dutch): what needs a second look before the letter goes.
    notes: list[str] = []

    @property
    def needs_attention(self) -> bool:
        return bool(self.notes)


class MilestoneAssessment(_Out):
    milestone_id: str
    title: str
    ministry: str
    goal_id: str
    due: dt.date
    status: str | None  # as reported; None when nothing was reported
    progress: float | None
    narrative: str | None
    expected_completion: dt.date | None
    status_reason: str | None
    measure: str | None = None  # the ministry's maatregel (at risk, delayed)
    overdue: bool
    late_expected: bool
    state: GoalState
    reason: str
    submission: SubmissionRef | None = None
    from_earlier_period: str | None = None


class MinistryView(_Out):
    """One ministry's part of a shared goal; never averaged with the others."""

    ministry: str
    role: str  # lead | contributor
    status: GoalState
    reasons: list[str]
    submitted: bool


class GoalAssessment(_Out):
    id: str
    title: str
    lead: str
    contributors: list[str]
    status: GoalState
    reasons: list[str]
    by_ministry: list[MinistryView]
    indicators: list[IndicatorAssessment]
    milestones: list[MilestoneAssessment]
    figures: list[Figure]
    seed_question: str | None = None


class MunicipalityShare(_Out):
    code: str
    name: str
    province: str | None
    share_pct: float | None
    flagged: bool = False
    flag_reason: str | None = None
    # On today's indeling a merged municipality's share is an estimate combined from the
    # municipalities it was formed from (their names, as of the data's boundary year).
    estimated: bool = False
    combined_from: list[str] = []


class MunicipalSummary(_Out):
    source: str  # "CBS 85039NED"
    dataset: DatasetRef
    boundary_year: int
    count: int
    at_least_30: int
    below_25: int
    below_20: int
    flagged: list[str]
    target_pct: float
    thresholds: list[float]
    below_target: list[MunicipalityShare]
    flagged_detail: list[MunicipalityShare]
    # The data's own boundary year when the counts are reported on a later indeling
    # (``boundary_year``); the combined municipalities and how they were weighted.
    data_boundary_year: int | None = None
    estimated: list[MunicipalityShare] = []
    weighting: str | None = None
    merged_away: int = 0


class MunicipalityRef(_Out):
    code: str
    name: str


class InstrumentSummary(_Out):
    """Which municipalities VRO reported as having an ordinance, urgency scheme, woonzorgvisie."""

    submission: SubmissionRef
    as_of: dt.date
    reported: int
    with_ordinance_and_urgency: list[MunicipalityRef]
    without_ordinance_or_urgency: list[MunicipalityRef]
    with_woonzorgvisie: list[MunicipalityRef]
    without_woonzorgvisie: list[MunicipalityRef]
    residents_involved: int
    residents_unknown: int
    # Coverage of the overview: how many of today's municipalities it covers, each instrument
    # on its own (an ordinance without an urgency scheme is possible), and what the
    # coordinators must look at (a claim of completeness the data contradicts).
    municipalities_total: int = 0
    with_ordinance: list[MunicipalityRef] = []
    with_urgency_scheme: list[MunicipalityRef] = []
    needs_attention: list[str] = []


class MinistrySubmission(_Out):
    code: str
    name: str
    submitted: bool
    latest: SubmissionRef | None
    versions: int
    milestones: int
    indicators: int


class PeriodAssessment(_Out):
    period: str
    assessed_on: dt.date
    deadline: dt.date
    goals: list[GoalAssessment]
    missing_ministries: list[str]
    submissions: list[MinistrySubmission]
    municipalities: MunicipalSummary | None
    instruments: InstrumentSummary | None
    # Ministries whose stored data could not be assessed or drafted, with the reason: their
    # part of the letter waits; the coordinators hear why (reporting/isolation.py).
    not_processed: dict[str, str] = {}


class Change(_Out):
    """One thing that moved since the previous letter."""

    kind: str  # goal_status | milestone_status | milestone_new | milestone_done | figure
    subject_id: str
    subject: str
    before: str | None
    after: str | None
