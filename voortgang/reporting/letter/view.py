"""What the templates read: the assessment regrouped the way the letter tells it.

Only grouping, ordering and counting happen here; every Dutch sentence is in the templates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup

from voortgang.models.catalogue import Goal, Ministry, Signatory
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import (
    SEVERITY,
    Change,
    Figure,
    GoalAssessment,
    GoalState,
    IndicatorAssessment,
    MilestoneAssessment,
    MinistrySubmission,
    MinistryView,
    MunicipalityRef,
    MunicipalityShare,
    SubmissionRef,
)
from voortgang.reporting.charts import Chart
from voortgang.reporting.dutch import change_state_label, format_value
from voortgang.reporting.letter.chart_set import indicator_chart_names
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.notes import NoteBook

# Which standing question of the seed letter a goal answers, and with which data block.
QUESTION_KINDS = {
    "ordinance-urgency": "ordinance",
    "social-rent-share": "social_rent",
    "woonzorgvisie": "woonzorgvisie",
    "residents-involvement": "residents",
    "joint-steering": "joint",
}
STATE_ORDER = (GoalState.on_track, GoalState.at_risk, GoalState.off_track, GoalState.no_data)


@dataclass(frozen=True)
class MinistryBlock:
    view: MinistryView
    ministry: Ministry
    milestones: list[MilestoneAssessment]


@dataclass(frozen=True)
class GoalSection:
    number: int
    assessment: GoalAssessment
    goal: Goal
    lead: Ministry
    contributors: list[Ministry]
    ministries: list[MinistryBlock]
    views_differ: bool
    overdue: list[MilestoneAssessment]
    late_expected: list[MilestoneAssessment]
    indicators: list[IndicatorAssessment]
    extra_figures: list[Figure]
    question_kind: str | None

    @property
    def reporting_ministries(self) -> list[MinistryBlock]:
        """The ministries that submitted: only they can hold a view on the goal."""
        return [b for b in self.ministries if b.view.submitted]


@dataclass(frozen=True)
class Missing:
    ministry: Ministry
    goals: list[GoalSection]
    milestones: list[MilestoneAssessment]


@dataclass(frozen=True)
class InstrumentRow:
    name: str
    code: str
    has_it: bool


@dataclass(frozen=True)
class PlacedFigure:
    number: int
    chart: Chart


@dataclass
class FigureList:
    """Numbers the charts in the order the template places them."""

    charts: dict[str, Chart]
    placed: list[str] = field(default_factory=list)

    def place(self, name: str) -> PlacedFigure | None:
        chart = self.charts.get(name)
        if chart is None:
            return None
        if name not in self.placed:
            self.placed.append(name)
        return PlacedFigure(self.placed.index(name) + 1, chart)


def sort_name(name: str) -> str:
    """Dutch ordering of municipality names: ``'s-Hertogenbosch`` sorts under H."""
    lowered = name.casefold()
    for prefix in ("'s-", "'s ", "'t "):
        if lowered.startswith(prefix):
            return lowered[len(prefix) :]
    return lowered


def local_date(moment: dt.datetime) -> dt.date:
    """The Dutch calendar date of a timestamp (naive timestamps are taken as they are)."""
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    except ZoneInfoNotFoundError:  # pragma: no cover - system without tz data
        return moment.date()


class LetterView:
    """The letter's content, grouped for the templates."""

    def __init__(self, ctx: LetterContext, charts: Sequence[Chart]) -> None:
        self.ctx = ctx
        self.a = ctx.assessment
        self.cat = ctx.catalogue
        self.quarter = Quarter.parse(self.a.period)
        self.figures = FigureList({c.name: c for c in charts})
        self.indicator_charts = indicator_chart_names(self.a)
        self.goals = [self._section(i, g) for i, g in enumerate(self.a.goals, start=1)]

    # --- lookups -------------------------------------------------------------------------
    def ministry(self, code: str) -> Ministry:
        return self.cat.ministry(code)

    def submitter(self, ref: SubmissionRef) -> str:
        email = ref.submitted_by.lower()
        for officer in [o for m in self.cat.ministries for o in m.officers] + list(
            self.cat.coordinators
        ):
            if officer.email.lower() == email:
                return officer.name
        return ref.submitted_by

    def submitted_on(self, ref: SubmissionRef) -> dt.date:
        return local_date(ref.submitted_at)

    # --- header and opening ----------------------------------------------------------------
    @property
    def subject(self) -> str:
        return f"{self.cat.programme.letter_subject} – {self.quarter.dutch_label}"

    @property
    def lead(self) -> Ministry:
        return self.cat.ministry(self.ctx.lead_ministry)

    @property
    def signatories(self) -> list[Signatory]:
        return self.cat.signatories_on(self.ctx.letter_date)

    @property
    def annexes(self) -> list[str]:
        return ["Stand per mijlpaal", "Gemeenten", "Bronnen"]

    @property
    def next_quarter_label(self) -> str:
        return self.quarter.next().dutch_label

    # --- goals -------------------------------------------------------------------------------
    def _section(self, number: int, ga: GoalAssessment) -> GoalSection:
        goal = self.cat.goal(ga.id)
        blocks = [
            MinistryBlock(
                view=view,
                ministry=self.ministry(view.ministry),
                milestones=[m for m in ga.milestones if m.ministry == view.ministry],
            )
            for view in sorted(ga.by_ministry, key=lambda v: (v.role != "lead",))
        ]
        indicator_names = {i.title for i in ga.indicators} | {i.indicator_id for i in ga.indicators}
        return GoalSection(
            number=number,
            assessment=ga,
            goal=goal,
            lead=self.ministry(ga.lead),
            contributors=[self.ministry(c) for c in ga.contributors],
            ministries=blocks,
            # Only ministries that reported can differ; a missing report is named on its own.
            views_differ=len({b.view.status for b in blocks if b.view.submitted}) > 1,
            overdue=[m for m in ga.milestones if m.overdue],
            late_expected=[
                m
                for m in ga.milestones
                if m.late_expected and not m.overdue and m.expected_completion is not None
            ],
            indicators=list(ga.indicators),
            extra_figures=[f for f in ga.figures if f.name not in indicator_names],
            question_kind=QUESTION_KINDS.get(ga.id),
        )

    def goal_section(self, goal_id: str) -> GoalSection | None:
        return next((g for g in self.goals if g.assessment.id == goal_id), None)

    @property
    def state_counts(self) -> list[tuple[GoalState, int]]:
        counts = Counter(g.assessment.status for g in self.goals)
        return [(state, counts[state]) for state in STATE_ORDER if counts[state]]

    @property
    def questions(self) -> list[GoalSection]:
        return [g for g in self.goals if g.goal.seed_question or g.assessment.seed_question]

    def worst(self, states: Sequence[GoalState]) -> GoalState:
        return max(states, key=lambda s: SEVERITY[s]) if states else GoalState.no_data

    # --- milestones ------------------------------------------------------------------------
    @property
    def all_milestones(self) -> list[MilestoneAssessment]:
        ms = [m for g in self.goals for m in g.assessment.milestones]
        return sorted(ms, key=lambda m: (m.due, m.ministry.lower(), m.title))

    @property
    def upcoming(self) -> list[MilestoneAssessment]:
        """Milestones due after this period and before the next letter, not yet done."""
        return [
            m
            for m in self.all_milestones
            if self.quarter.end < m.due <= self.ctx.next_letter_date and m.status != "done"
        ]

    def submission_of(self, code: str) -> MinistrySubmission | None:
        return next((s for s in self.a.submissions if s.code.lower() == code.lower()), None)

    @property
    def missing(self) -> list[Missing]:
        result = []
        for code in self.a.missing_ministries:
            ministry = self.ministry(code)
            goals = [
                g
                for g in self.goals
                if ministry.code in (g.assessment.lead, *g.assessment.contributors)
            ]
            milestones = [m for m in self.all_milestones if m.ministry == ministry.code]
            result.append(Missing(ministry, goals, milestones))
        return result

    # --- municipalities --------------------------------------------------------------------
    @property
    def below_target(self) -> list[MunicipalityShare]:
        m = self.a.municipalities
        rows = list(m.below_target) if m else []
        return sorted(rows, key=lambda r: (sort_name(r.name), r.code))

    @property
    def flagged(self) -> list[MunicipalityShare]:
        m = self.a.municipalities
        rows = list(m.flagged_detail) if m else []
        return sorted(rows, key=lambda r: (sort_name(r.name), r.code))

    @property
    def flagged_names(self) -> list[str]:
        return [r.name for r in self.flagged]

    def _instrument_rows(
        self, yes: Sequence[MunicipalityRef], no: Sequence[MunicipalityRef]
    ) -> list[InstrumentRow]:
        rows = [InstrumentRow(r.name, r.code, True) for r in yes]
        rows += [InstrumentRow(r.name, r.code, False) for r in no]
        return sorted(rows, key=lambda r: (sort_name(r.name), r.code))

    @property
    def ordinance_rows(self) -> list[InstrumentRow]:
        i = self.a.instruments
        if i is None:
            return []
        return self._instrument_rows(i.with_ordinance_and_urgency, i.without_ordinance_or_urgency)

    @property
    def woonzorgvisie_rows(self) -> list[InstrumentRow]:
        i = self.a.instruments
        if i is None:
            return []
        return self._instrument_rows(i.with_woonzorgvisie, i.without_woonzorgvisie)

    @staticmethod
    def names(refs: Sequence[MunicipalityRef]) -> list[str]:
        return sorted((r.name for r in refs), key=sort_name)

    # --- notes for figures ---------------------------------------------------------------------
    @property
    def submitted_count(self) -> int:
        return sum(1 for s in self.a.submissions if s.submitted)

    @property
    def reported_indicators(self) -> list[IndicatorAssessment]:
        """Indicators with a value, each once, in goal order: the key figures."""
        seen: dict[str, IndicatorAssessment] = {}
        for g in self.goals:
            for ind in g.indicators:
                if ind.value is not None and ind.indicator_id not in seen:
                    seen[ind.indicator_id] = ind
        return list(seen.values())

    def value_note(self, notes: NoteBook, ind: IndicatorAssessment) -> Markup:
        if ind.dataset is not None:
            return notes.dataset(ind.dataset)
        if ind.submission is not None or ind.source:
            return notes.reported(
                ind.title, ind.source, ind.submission, ind.as_of, ind.from_earlier_period
            )
        return notes.assessment()

    def baseline_note(self, notes: NoteBook, ind: IndicatorAssessment) -> Markup:
        source = next(
            (i.baseline.source for i in self.cat.indicators if i.id == ind.indicator_id), None
        )
        return notes.catalogue(source) if source else notes.assessment()

    def milestone_note(self, notes: NoteBook, ms: MilestoneAssessment) -> Markup:
        return notes.submission(ms.submission) if ms.submission else notes.assessment()

    def change_value(self, change: Change, value: str | None) -> str:
        """A before/after value of a figure change, with the unit of its indicator when known."""
        indicator = next((i for i in self.cat.indicators if i.id == change.subject_id), None)
        if indicator is not None and value is not None:
            try:
                return format_value(float(value), indicator.unit)
            except ValueError:
                pass
        return change_state_label(value)
