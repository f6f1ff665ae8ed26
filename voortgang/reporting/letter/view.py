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
from voortgang.models.letter_form import LetterForm, SigningMode
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
from voortgang.reporting.dutch import (
    change_state_label,
    format_date,
    format_number,
    format_points,
    format_value,
    number_words,
)
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
ANNEXES = [
    "Stand per mijlpaal",
    "Gemeenten",
    "Indicatoren en werkwijze",
    "Ontvangen voortgangsrapportages en bronnen",
]
MOTIONS_ANNEX = "Stand van zaken moties en toezeggingen"
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
class GoalStory:
    """What the running text of one goal says: where it stands, why, what is done, what next."""

    section: GoalSection
    figures: list[IndicatorAssessment]  # each figure once; the municipal share is its own
    social_rent: bool  # the goal is told with the CBS municipal counts
    reasons: list[MilestoneAssessment]  # at risk, delayed or overdue, with the ministry's reason
    measures: list[str]  # what the cabinet does (the ministries' maatregelen), each once
    done: list[MilestoneAssessment]
    slipped: list[MilestoneAssessment]  # expected after its due date, with the new date
    upcoming: list[MilestoneAssessment]  # due before the next letter
    waiting: bool  # the goal's stand is not known this quarter (no input): told next letter


@dataclass(frozen=True)
class KeyChange:
    """One change since the previous letter, with what explains it."""

    change: Change
    weight: int
    reason: MilestoneAssessment | None  # the milestone whose reason explains it
    goal: GoalSection | None


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
        title = self.cat.programme.title
        subject = self.cat.programme.letter_subject.replace(title, f"‘{title}’", 1)
        marked = "Voorlopig: " if self.ctx.provisional else ""  # before the deadline
        return f"{marked}{subject} – {self.quarter.dutch_label}"

    @property
    def lead(self) -> Ministry:
        return self.cat.ministry(self.ctx.lead_ministry or self.form.signing_ministry)

    @property
    def signatories(self) -> list[Signatory]:
        return self.cat.signatories_on(self.ctx.letter_date)

    @property
    def annexes(self) -> list[str]:
        """The annexes (bijlagen), delivered as one file beside the letter, in this order;
        the moties en toezeggingen as the fifth when the catalogue holds any."""
        return [*ANNEXES, MOTIONS_ANNEX] if self.cat.motions else list(ANNEXES)

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
        """Milestones due after this period and the peildatum and before the next letter, not
        yet done (one due by the peildatum is no longer ahead of a letter that describes it)."""
        after = max(self.quarter.end, self.ctx.peildatum)
        return [
            m
            for m in self.all_milestones
            if after < m.due <= self.ctx.next_letter_date and m.status != "done"
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

    # --- the form of the letter (catalogue ``letter:``) ---------------------------------------
    @property
    def form(self) -> LetterForm:
        return self.cat.letter

    @property
    def co_signed(self) -> bool:
        """Every minister signs and the text says "wij"; else one signs "mede namens"."""
        return self.form.signing is SigningMode.co_signed or self.signer is None

    @property
    def signer(self) -> Signatory | None:
        """The minister who signs "mede namens" the others: the signing ministry's."""
        code = self.lead.code
        return next((s for s in self.signatories if s.ministry == code), None)

    @property
    def on_behalf_of(self) -> list[Signatory]:
        signer = self.signer
        return [s for s in self.signatories if s is not signer]

    @property
    def signature_blocks(self) -> list[Signatory]:
        if self.co_signed or self.signer is None:
            return self.signatories
        return [self.signer]

    @property
    def sender_lines(self) -> list[str]:
        sender = self.form.sender
        if sender is None:
            return []
        website = [sender.website] if sender.website else []
        return [*sender.visiting_address, *sender.postal_address, *website]

    @property
    def return_address(self) -> str:
        return self.ctx.return_address or self.form.return_address

    @property
    def salutation(self) -> str | None:
        return self.ctx.salutation or self.form.salutation

    @property
    def previous_kamerstuk(self) -> str | None:
        period = self.ctx.previous_period
        return self.form.previous_letters.get(period) if period else None

    @property
    def programme_quoted(self) -> str:
        return f"‘{self.cat.programme.title}’"

    # --- numbers in the letter's one style ------------------------------------------------
    @staticmethod
    def fmt(value: float, unit: str) -> str:
        """A value with its unit, percentages always with one decimal (one precision per
        letter); "100% van de gemeenten" reads "alle gemeenten"."""
        unit = unit.strip()
        if unit.startswith("%"):
            rest = unit[1:].strip()
            if value == 100 and rest == "van de gemeenten":
                return "alle gemeenten"
            return f"{format_number(value, 1)}%" + (f" {rest}" if rest else "")
        return format_value(value, unit)

    @classmethod
    def fmt_path(cls, value: float, unit: str) -> str:
        """A value on the streefpad: a line, not a count, so no false precision (three
        significant digits: 12.563 reads 12.600); percentages keep the letter's one decimal."""
        if not unit.strip().startswith("%") and abs(value) >= 1000:
            digits = len(str(int(abs(value)))) - 3
            value = round(value, -digits)
        return cls.fmt(value, unit)

    def since_previous(self, ind: IndicatorAssessment) -> str:
        """ ", 350 personen minder dan in de vorige brief" when the figure moved since the
        previous letter (its change is in the context); else ""."""
        before = next(
            (
                c.before
                for c in self.ctx.changes
                if c.kind == "figure" and c.subject_id == ind.indicator_id and c.before
            ),
            None,
        )
        if before is None or ind.value is None:
            return ""
        try:
            diff = ind.value - float(before)
        except ValueError:
            return ""
        if diff == 0:
            return ""
        direction = "meer" if diff > 0 else "minder"
        size = abs(diff)
        unit = ind.unit.strip()
        if unit.startswith("%"):
            amount = format_points(size, 1)
        elif size == int(size) and size <= 20:
            amount = f"{number_words(int(size))} {unit}".strip()
        else:
            amount = format_value(size, unit)
        return f", {amount} {direction} dan in de vorige brief"

    @staticmethod
    def unjudged_reason(st: GoalStory) -> str:
        """Why a goal has no verdict on its pace, in a clause after a colon."""
        verdicts = {LetterView.verdict(i) for i in st.figures}
        if "no_official_date" in verdicts:
            return "de bron van het doel noemt geen datum waarop het bereikt moet zijn"
        return "er is in dit kwartaal geen nieuwe meting"

    @staticmethod
    def pct(value: float) -> str:
        return f"{format_number(value, 1)}%"

    # --- the running text per goal ---------------------------------------------------------
    def in_period(self, day: dt.date | None) -> bool:
        return day is not None and self.quarter.start <= day <= self.quarter.end

    def _story(self, g: GoalSection) -> GoalStory:
        social_rent = g.question_kind == "social_rent" and self.a.municipalities is not None
        figures = [
            i
            for i in g.indicators
            if i.value is not None and not (social_rent and i.dataset is not None)
        ]
        open_ms = [m for m in g.assessment.milestones if m.status not in ("done", None)]
        reasons = [
            m
            for m in open_ms
            if (m.status in ("at_risk", "delayed") or m.overdue) and m.status_reason
        ]
        measures: list[str] = []
        texts = [m.measure for m in g.assessment.milestones] + [i.measure for i in g.indicators]
        for measure in texts:
            text = (measure or "").strip()
            if text and text not in measures:
                measures.append(text)
        # A ministry whose data could not be processed waits like one that did not report.
        missing = set(self.a.missing_ministries) | set(self.a.not_processed)
        return GoalStory(
            section=g,
            figures=figures,
            social_rent=social_rent,
            reasons=reasons,
            measures=measures,
            done=[
                m
                for m in g.assessment.milestones
                if m.status == "done" and m.submission is not None and not m.from_earlier_period
            ],
            slipped=[m for m in open_ms if m in self.slipped],
            upcoming=[m for m in self.upcoming if m.goal_id == g.assessment.id],
            # Only a missing report makes the Kamer wait; no verdict for want of a measurement
            # or an official date is told at the indicator itself.
            waiting=g.assessment.lead in missing,
        )

    @property
    def stories(self) -> list[GoalStory]:
        return [self._story(g) for g in self.goals]

    @staticmethod
    def verdict(ind: IndicatorAssessment) -> str:
        """Why the indicator has its status (assessment_schema.IndicatorVerdict), "" unknown."""
        value = getattr(ind, "verdict", None)
        return "" if value is None else str(getattr(value, "value", value))

    @property
    def unjudged(self) -> list[GoalStory]:
        """Goals without a verdict on their pace this quarter, although their reports came in."""
        return [
            st
            for st in self.stories
            if st.section.assessment.status is GoalState.no_data and not st.waiting
        ]

    @property
    def ranked(self) -> list[GoalSection]:
        """Goals off track first, then at risk (each in catalogue order): the kernboodschap."""
        behind = [
            g for g in self.goals if g.assessment.status in (GoalState.off_track, GoalState.at_risk)
        ]
        return sorted(behind, key=lambda g: (-SEVERITY[g.assessment.status], g.number))

    def goals_in(self, state: str) -> list[GoalSection]:
        return [g for g in self.goals if g.assessment.status.value == state]

    @property
    def slipped(self) -> list[MilestoneAssessment]:
        """Open milestones that will be late, with the new date the ministry expects."""
        return [
            m
            for m in self.all_milestones
            if m.status != "done"
            and m.expected_completion is not None
            and m.expected_completion > m.due
        ]

    @property
    def overdue_without_date(self) -> list[MilestoneAssessment]:
        return [
            m
            for m in self.all_milestones
            if m.overdue and m.status != "done" and (m.expected_completion or m.due) <= m.due
        ]

    @staticmethod
    def milestone_state(m: MilestoneAssessment, subordinate: bool = False) -> str:
        """A milestone's state as a verb phrase for running text; ``subordinate`` puts the
        verb last, as after "omdat"."""
        if m.overdue and m.status != "done":
            phrase = ("is", f"niet op de uiterste datum ({format_date(m.due)}) afgerond")
        else:
            phrase = {
                "at_risk": ("loopt", "risico"),
                "delayed": ("is", "vertraagd"),
                "done": ("is", "gereed"),
                "not_started": ("is", "nog niet begonnen"),
            }.get(m.status or "", ("ligt", "op schema"))
        verb, rest = phrase
        return f"{rest} {verb}" if subordinate else f"{verb} {rest}"

    @staticmethod
    def first_sentence(text: str) -> str:
        """The first sentence of a ministry's reason (the letter tells the rest at the goal)."""
        text = " ".join(text.split())
        for i, ch in enumerate(text):
            if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " "):
                return text[: i + 1]
        return text

    def deciding_indicator(self, g: GoalSection) -> IndicatorAssessment | None:
        worst = [i for i in g.indicators if i.status is g.assessment.status and i.value is not None]
        return worst[0] if worst else None

    def deciding_milestone(self, g: GoalSection) -> MilestoneAssessment | None:
        worst = [m for m in g.assessment.milestones if m.state is g.assessment.status]
        return worst[0] if worst else None

    # --- what changed, ranked by weight ------------------------------------------------------
    @property
    def key_changes(self) -> list[KeyChange]:
        """At most five changes since the previous letter, the weightiest first. A figure is
        told at its goal, so it counts only when nothing else moved."""
        by_id = {g.assessment.id: g for g in self.goals}
        milestones = {m.milestone_id: m for m in self.all_milestones}
        ranked: list[KeyChange] = []
        for c in self.ctx.changes:
            goal = by_id.get(c.subject_id)
            ms = milestones.get(c.subject_id)
            if c.kind == "goal_status" and goal is not None:
                after = GoalState(c.after) if c.after and c.after in GoalState.__members__ else None
                before = (
                    GoalState(c.before) if c.before and c.before in GoalState.__members__ else None
                )
                worse = (
                    after is not None and before is not None and SEVERITY[after] > SEVERITY[before]
                )
                weight = 60 + (SEVERITY[after] if after else 0) if worse else 30
                reason = self.deciding_milestone(goal)
                ranked.append(
                    KeyChange(c, weight, reason if reason and reason.status_reason else None, goal)
                )
            elif c.kind == "milestone_status" and ms is not None:
                weight = 50 if c.after in ("delayed", "at_risk") else 25
                goal = by_id.get(ms.goal_id)
                ranked.append(KeyChange(c, weight, ms if ms.status_reason else None, goal))
            elif c.kind == "milestone_done" and ms is not None:
                ranked.append(KeyChange(c, 20, None, by_id.get(ms.goal_id)))
            elif c.kind == "milestone_new" and ms is not None:
                ranked.append(KeyChange(c, 10, None, by_id.get(ms.goal_id)))
        # A goal whose change is explained by a milestone change needs it only once.
        told = {
            k.reason.milestone_id for k in ranked if k.change.kind == "goal_status" and k.reason
        }
        ranked = [
            k
            for k in ranked
            if not (k.change.kind == "milestone_status" and k.change.subject_id in told)
        ]
        ranked.sort(key=lambda k: -k.weight)
        return ranked[:5]

    def goal_of(self, change: Change) -> GoalSection | None:
        return next((g for g in self.goals if g.assessment.id == change.subject_id), None)
