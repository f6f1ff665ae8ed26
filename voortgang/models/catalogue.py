"""The programme catalogue: ministries, goals, indicators, milestones and the rules that judge them.

The catalogue is reviewed data (``voortgang/data/catalogue.yaml``), not code. Loading it
validates every reference, so a broken catalogue fails at load time with the file and the
path inside it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from voortgang.models.letter_form import LetterForm
from voortgang.models.safe_yaml import UnsafeYamlError, load_yaml_text

DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue.yaml"

Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]{1,15}$")]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,80}$")]


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Strict):
    value: float
    date: dt.date
    source: str = Field(min_length=3)


class Target(Sourced):
    """The value to reach and by when. ``date_official`` is false when no Kamerstuk or law
    names the date and the programme assumed one: such a target gets no trajectory verdict."""

    date_official: bool = True


class Thresholds(Strict):
    """How far behind the streefpad an indicator may be, in its own unit: percentage points
    (``points``) for a percentage, the counted thing (``units``: homes, people) otherwise.
    Behind by more than ``at_risk`` is risico; by more than ``off_track``, achter op schema."""

    at_risk: float = Field(gt=0, allow_inf_nan=False)
    off_track: float = Field(gt=0, allow_inf_nan=False)
    unit: Literal["points", "units"]


ASSUMED_DATE_MARKER = "aanname van het programma"


class Programme(Strict):
    id: Ident
    title: str
    letter_subject: str
    next_letter_months: int = Field(default=3, ge=1, le=12)


class Officer(Strict):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str
    slack_id: str | None = None


class Ministry(Strict):
    code: Code
    name: str
    short_name: str
    slack_channel: str
    officers: list[Officer] = Field(min_length=1)
    valid_from: dt.date = dt.date(2022, 1, 1)
    valid_to: dt.date | None = None


class Signatory(Strict):
    ministry: Code
    title: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None = None


class Goal(Strict):
    id: Ident
    title: str
    description: str
    lead: Code
    contributors: list[Code] = []
    indicators: list[Ident] = []
    seed_question: str | None = None


class ValueRange(Strict):
    """The values a ministry may report for an indicator; anything outside is a typo."""

    min: float = Field(allow_inf_nan=False)
    max: float = Field(allow_inf_nan=False)


PERCENTAGE_RANGE = ValueRange(min=0, max=100)


class Indicator(Strict):
    id: Ident
    title: str
    unit: str
    direction: Direction
    reported_by: str  # a ministry code or "data"
    baseline: Sourced
    target: Target
    # Deviation from the streefpad that makes it risico / achter op schema; without it the
    # global percentages of rules.indicators apply.
    thresholds: Thresholds | None = None
    # A percentage runs from 0 to 100 by itself; a count needs a ceiling stated here.
    value_range: ValueRange | None = None

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip().startswith("%")

    @property
    def accepted_range(self) -> ValueRange:
        if self.value_range is not None:
            return self.value_range
        if self.is_percentage:
            return PERCENTAGE_RANGE
        raise ValueError(f"indicator {self.id!r} has no value_range")


class Milestone(Strict):
    id: Ident
    ministry: Code
    goal: Ident
    title: str
    due: dt.date
    source: str = Field(min_length=3)


class CommitmentKind(StrEnum):
    motie = "motie"
    toezegging = "toezegging"


class Motion(Strict):
    """A motion of the Kamer (motie) or a minister's commitment (toezegging) the programme
    answers for, with the public source it was taken from."""

    id: Ident
    kind: CommitmentKind
    # "29 325, nr. 145"; a toezegging made in a debate may have none, then ``debate`` says where.
    kamerstuk: str | None = Field(default=None, min_length=3, max_length=80)
    debate: str | None = Field(default=None, min_length=3, max_length=200)
    date: dt.date
    text: str = Field(min_length=10, max_length=1000)
    submitters: list[str] = []  # a motie's members, "Mohandis (PvdA)"
    owner: Code
    due: dt.date | None = None
    source: str = Field(pattern=r"^https://\S+$")

    @model_validator(mode="after")
    def _where_it_was_made(self) -> Motion:
        if self.kamerstuk is None and self.debate is None:
            raise ValueError("a motion needs its kamerstuk, or the debate a commitment was made in")
        if self.kind is CommitmentKind.motie and not self.submitters:
            raise ValueError("a motie needs its submitters")
        return self


class IndicatorRules(Strict):
    trajectory_tolerance_pct: float = Field(default=10.0, ge=0, le=100)
    off_track_below_trajectory_pct: float = Field(default=25.0, ge=0, le=100)


class MunicipalRules(Strict):
    corporation_share_target_pct: float = 30.0
    below_thresholds_pct: list[float] = [25.0, 20.0]
    at_risk_if_share_at_target_below_pct: float = Field(default=50.0, ge=0, le=100)


class MilestoneRules(Strict):
    at_risk_when_any: list[Literal["overdue", "delayed", "at_risk", "late_expected"]] = [
        "delayed",
        "at_risk",
        "late_expected",
    ]
    off_track_when_overdue_days: int = Field(default=90, ge=0)


class SubmissionRules(Strict):
    """The dates a submission may carry, beyond "not in the future"."""

    earliest_date: dt.date = dt.date(2020, 1, 1)
    expected_completion_horizon_years: int = Field(default=10, ge=1, le=50)


class Rules(Strict):
    submissions: SubmissionRules = SubmissionRules()
    indicators: IndicatorRules = IndicatorRules()
    milestones: MilestoneRules = MilestoneRules()
    municipal: MunicipalRules = MunicipalRules()


class Catalogue(Strict):
    programme: Programme
    coordinators: list[Officer] = Field(min_length=1)
    coordinators_channel: str
    ministries: list[Ministry] = Field(min_length=1)
    signatories: list[Signatory] = []
    letter: LetterForm = LetterForm()  # the form of the Kamerbrief (who signs, sender)
    goals: list[Goal] = Field(min_length=1)
    indicators: list[Indicator] = []
    milestones: list[Milestone] = []
    motions: list[Motion] = []  # moties en toezeggingen
    rules: Rules = Rules()

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalogue:
        problems: list[str] = []
        ministry_codes = [m.code for m in self.ministries]
        goal_ids = [g.id for g in self.goals]
        indicator_ids = [i.id for i in self.indicators]
        for kind, ids in (
            ("ministries", ministry_codes),
            ("goals", goal_ids),
            ("indicators", indicator_ids),
            ("milestones", [m.id for m in self.milestones]),
            ("motions", [m.id for m in self.motions]),
        ):
            for ident, count in Counter(ids).items():
                if count > 1:
                    problems.append(f"{kind}: duplicate id {ident!r} ({count} times)")
        emails = [o.email.lower() for m in self.ministries for o in m.officers]
        for email, count in Counter(emails).items():
            if count > 1:
                problems.append(f"ministries.officers: {email} is registered {count} times")
        known = set(ministry_codes)
        for i, goal in enumerate(self.goals):
            if goal.lead not in known:
                problems.append(f"goals.{i}.lead: unknown ministry {goal.lead!r}")
            for j, code in enumerate(goal.contributors):
                if code not in known:
                    problems.append(f"goals.{i}.contributors.{j}: unknown ministry {code!r}")
            for j, ind_id in enumerate(goal.indicators):
                if ind_id not in indicator_ids:
                    problems.append(f"goals.{i}.indicators.{j}: unknown indicator {ind_id!r}")
        for i, ind in enumerate(self.indicators):
            if ind.reported_by != "data" and ind.reported_by not in known:
                problems.append(
                    f"indicators.{i}.reported_by: {ind.reported_by!r} is neither a ministry nor 'data'"
                )
            if ind.target.date <= ind.baseline.date:
                problems.append(f"indicators.{i}.target.date: must be after the baseline date")
            if ind.target.date_official and ASSUMED_DATE_MARKER in ind.target.source.lower():
                problems.append(
                    f"indicators.{i}.target.date_official: the source calls the date an "
                    f"assumption ({ASSUMED_DATE_MARKER!r}); set date_official: false"
                )
            limits = ind.thresholds
            if limits is not None:
                wanted = "points" if ind.is_percentage else "units"
                if limits.unit != wanted:
                    problems.append(
                        f"indicators.{i}.thresholds.unit: expected {wanted!r} for the unit "
                        f"{ind.unit!r}"
                    )
                if limits.at_risk >= limits.off_track:
                    problems.append(f"indicators.{i}.thresholds: at_risk must be below off_track")
            bounds = ind.value_range
            if bounds is None and not ind.is_percentage:
                problems.append(
                    f"indicators.{i}.value_range: required for the unit {ind.unit!r} "
                    "(expected {min: 0, max: a ceiling no real value reaches})"
                )
            elif bounds is not None and bounds.min >= bounds.max:
                problems.append(f"indicators.{i}.value_range: min must be below max")
            elif bounds is not None and ind.is_percentage and (bounds.min < 0 or bounds.max > 100):
                problems.append(f"indicators.{i}.value_range: a percentage lies within 0 to 100")
        for i, ms in enumerate(self.milestones):
            if ms.ministry not in known:
                problems.append(f"milestones.{i}.ministry: unknown ministry {ms.ministry!r}")
            if ms.goal not in goal_ids:
                problems.append(f"milestones.{i}.goal: unknown goal {ms.goal!r}")
        for i, motion in enumerate(self.motions):
            if motion.owner not in known:
                problems.append(f"motions.{i}.owner: unknown ministry {motion.owner!r}")
        for i, sig in enumerate(self.signatories):
            if sig.ministry not in known:
                problems.append(f"signatories.{i}.ministry: unknown ministry {sig.ministry!r}")
        if self.letter.signing_ministry not in known:
            problems.append(
                f"letter.signing_ministry: unknown ministry {self.letter.signing_ministry!r}"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    # Lookups used all over; the catalogue is small, so plain scans stay cheap and obvious.
    def ministry(self, code: str) -> Ministry:
        for m in self.ministries:
            if m.code.lower() == code.lower():
                return m
        raise KeyError(code)

    def goal(self, goal_id: str) -> Goal:
        return next(g for g in self.goals if g.id == goal_id)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def milestones_of(self, code: str) -> list[Milestone]:
        return [m for m in self.milestones if m.ministry == code]

    def motions_of(self, code: str) -> list[Motion]:
        return [m for m in self.motions if m.owner == code]

    def indicators_of(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.reported_by == code]

    def signatories_on(self, day: dt.date) -> list[Signatory]:
        return [
            s
            for s in self.signatories
            if s.valid_from <= day and (s.valid_to is None or day <= s.valid_to)
        ]


class CatalogueError(Exception):
    """The catalogue file is broken; the message names the file and the path inside it."""


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at ``path``, else VOORTGANG_CATALOGUE, else the bundled one."""
    if path is None:
        from voortgang.settings import get_settings

        path = get_settings().catalogue or DEFAULT_CATALOGUE
    try:
        stat = path.stat()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read: {exc.strerror}") from exc
    # Every step of a cycle reads the catalogue; parse a file once per version of it.
    return _load_file(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_file(path: Path, _mtime_ns: int, _size: int) -> Catalogue:
    try:
        raw = load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, UnsafeYamlError) as exc:
        raise CatalogueError(f"{path}: cannot be read as YAML: {exc}") from exc
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            if not err["loc"] and err["type"] == "value_error":
                # The cross-reference check: each problem already starts with its own path.
                problems = str(err["msg"]).removeprefix("Value error, ").splitlines()
                lines += [f"{path}: {problem}" for problem in problems]
                continue
            where = ".".join(str(p) for p in err["loc"]) or "(top)"
            lines.append(f"{path}: {where}: {err['msg']}")
        raise CatalogueError("\n".join(lines)) from exc
