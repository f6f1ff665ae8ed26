"""The one validation every submission passes, whatever channel it came through."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue, ValueRange, load_catalogue
from voortgang.models.periods import Quarter
from voortgang.models.submission_schema import SubmissionIn
from voortgang.models.validation_errors import (
    FIELD_LABELS_NL,
    FieldError,
    SubmissionRejected,
    dutch_date,
    dutch_number,
    from_validation_error,
)


@dataclass(frozen=True)
class Registry:
    """What a submission may refer to, read from the database once per validation."""

    ministries: dict[str, str]  # lower-case code -> code
    officers: dict[str, str]  # e-mail -> ministry code
    milestones: dict[str, str]  # id -> ministry code (active milestones only)
    indicators: dict[str, str]  # id -> reporter (ministry code or "data")
    municipalities: set[str] = field(default_factory=set)
    commitments: dict[str, str] = field(default_factory=dict)  # id -> owner (active only)
    value_ranges: dict[str, ValueRange] = field(default_factory=dict)
    earliest_as_of: dict[str, dt.date] = field(
        default_factory=dict
    )  # 1 January of the baseline year
    earliest_date: dt.date = dt.date(2020, 1, 1)
    completion_horizon_years: int = 10

    def latest_completion(self, today: dt.date) -> dt.date:
        years = today.year + self.completion_horizon_years
        return dt.date(years, 12, 31)


def load_registry(session: Session, catalogue: Catalogue | None = None) -> Registry:
    """The references from the database; value ranges and date rules from the catalogue,
    which the assessment judges by too."""
    catalogue = catalogue or load_catalogue()
    rules = catalogue.rules.submissions
    return Registry(
        ministries={c.lower(): c for c in session.scalars(select(t.Ministry.code))},
        officers={
            p.email: p.ministry_code or ""
            for p in session.scalars(
                select(t.Person).where(t.Person.active.is_(True), t.Person.role == "officer")
            )
        },
        milestones=dict(
            session.execute(
                select(t.Milestone.id, t.Milestone.ministry_code).where(
                    t.Milestone.active.is_(True)
                )
            ).all()
        ),
        indicators=dict(
            session.execute(
                select(t.Indicator.id, t.Indicator.reported_by).where(t.Indicator.active.is_(True))
            ).all()
        ),
        municipalities=set(session.scalars(select(t.Municipality.code))),
        commitments=dict(
            session.execute(
                select(t.Commitment.id, t.Commitment.ministry_code).where(
                    t.Commitment.active.is_(True)
                )
            ).all()
        ),
        value_ranges={
            i.id: i.accepted_range
            for i in catalogue.indicators
            if i.value_range is not None or i.is_percentage
        },
        earliest_as_of={i.id: dt.date(i.baseline.date.year, 1, 1) for i in catalogue.indicators},
        earliest_date=rules.earliest_date,
        completion_horizon_years=rules.expected_completion_horizon_years,
    )


@dataclass(frozen=True)
class _References:
    """What the catalogue checks look at: from a valid submission, or best effort from raw input.

    Reading them from raw input too means a file with a wrong progress *and* a milestone of
    another ministry hears about both at once.
    """

    ministry: str | None
    period: str | None
    submitted_by: str | None
    milestones: list[tuple[int, str, dt.date | None]]
    indicators: list[tuple[int, str | None, dt.date | None, float | None]]
    municipalities: list[tuple[int, str, dt.date | None]]
    commitments: list[tuple[int, str, dt.date | None]] = field(default_factory=list)


def _references_of(sub: SubmissionIn) -> _References:
    return _References(
        ministry=sub.ministry,
        period=sub.period,
        submitted_by=sub.submitted_by,
        milestones=[(i, m.milestone, m.expected_completion) for i, m in enumerate(sub.milestones)],
        indicators=[(i, v.indicator, v.as_of, v.value) for i, v in enumerate(sub.indicators)],
        municipalities=[(i, m.municipality, m.as_of) for i, m in enumerate(sub.municipalities)],
        commitments=[(i, c.commitment, c.expected) for i, c in enumerate(sub.commitments)],
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _plain(x: float) -> str:
    """A figure as an officer wrote it: 3,000,001 rather than 3e+06; 1e+29 stays short."""
    return f"{int(x):,}" if x.is_integer() and abs(x) < 1e15 else f"{x:g}"


def _entries(raw: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = raw.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _references_of_raw(raw: dict[str, Any]) -> _References:
    try:
        period: str | None = str(Quarter.parse(raw["period"]))
    except (KeyError, TypeError, AttributeError, ValueError):
        period = None
    submitted_by = _text(raw.get("submitted_by"))
    return _References(
        ministry=_text(raw.get("ministry")),
        period=period,
        submitted_by=submitted_by.lower() if submitted_by else None,
        milestones=[
            (i, ident, _day(item.get("expected_completion")))
            for i, item in _entries(raw, "milestones")
            if (ident := _text(item.get("milestone")))
        ],
        indicators=[
            (i, _text(item.get("indicator")), _day(item.get("as_of")), _number(item.get("value")))
            for i, item in _entries(raw, "indicators")
        ],
        municipalities=[
            (i, code, _day(item.get("as_of")))
            for i, item in _entries(raw, "municipalities")
            if (code := _text(item.get("municipality")))
        ],
        commitments=[
            (i, ident, _day(item.get("expected")))
            for i, item in _entries(raw, "commitments")
            if (ident := _text(item.get("commitment")))
        ],
    )


def _catalogue_errors(sub: _References, registry: Registry, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    code = registry.ministries.get(sub.ministry.lower()) if sub.ministry else None
    if code is None and sub.ministry:
        known = ", ".join(sorted(registry.ministries.values()))
        errors.append(
            FieldError(
                "ministry",
                f"unknown ministry {sub.ministry!r} (expected one of {known})",
                f"onbekend ministerie {sub.ministry!r} (verwacht een van {known})",
            )
        )
    current = Quarter.containing(today)
    if sub.period and Quarter.parse(sub.period) > current:
        errors.append(
            FieldError(
                "period",
                f"{sub.period} has not started yet (expected {current} or an earlier quarter)",
                f"kwartaal {sub.period} is nog niet begonnen "
                f"(verwacht {current} of een eerder kwartaal)",
            )
        )
    officer_of = registry.officers.get(sub.submitted_by) if sub.submitted_by else None
    if sub.submitted_by and officer_of is None:
        errors.append(
            FieldError(
                "submitted_by",
                f"{sub.submitted_by} is not a registered officer "
                f"(expected an officer of {code or sub.ministry or 'the ministry'} "
                "from the catalogue)",
                f"{sub.submitted_by} is geen geregistreerde contactpersoon "
                f"(verwacht een contactpersoon van {code or sub.ministry or 'het ministerie'} "
                "uit de catalogus)",
            )
        )
    elif code is not None and officer_of != code:
        errors.append(
            FieldError(
                "submitted_by",
                f"{sub.submitted_by} is an officer of {officer_of}, not of {code} "
                f"(expected an officer of {code})",
                f"{sub.submitted_by} is contactpersoon van {officer_of}, niet van {code} "
                f"(verwacht een contactpersoon van {code})",
            )
        )
    seen: set[str] = set()
    latest_completion = registry.latest_completion(today)
    for i, milestone, expected in sub.milestones:
        if expected is not None and not registry.earliest_date <= expected <= latest_completion:
            errors.append(
                FieldError(
                    f"milestones.{i}.expected_completion",
                    f"{expected} lies outside the programme's horizon "
                    f"(expected a date from {registry.earliest_date} to {latest_completion})",
                    f"verwachte afronding {dutch_date(expected)} ligt buiten de looptijd van het "
                    f"programma (verwacht een datum van {dutch_date(registry.earliest_date)} "
                    f"tot en met {dutch_date(latest_completion)})",
                )
            )
        owner = registry.milestones.get(milestone)
        where = f"milestones.{i}.milestone"
        if owner is None:
            errors.append(
                FieldError(
                    where,
                    f"unknown milestone {milestone!r} (expected an id from the template)",
                    f"onbekende mijlpaal {milestone!r} (verwacht een id uit het sjabloon)",
                )
            )
        elif code is not None and owner != code:
            errors.append(
                FieldError(
                    where,
                    f"milestone {milestone!r} belongs to {owner}, not to {code} (expected one of {code}'s milestones)",
                    f"mijlpaal {milestone!r} hoort bij {owner}, niet bij {code} "
                    f"(verwacht een mijlpaal van {code})",
                )
            )
        if milestone in seen:
            errors.append(
                FieldError(
                    where,
                    f"milestone {milestone!r} appears twice (expected one update per milestone)",
                    f"mijlpaal {milestone!r} komt twee keer voor "
                    "(verwacht één update per mijlpaal)",
                )
            )
        seen.add(milestone)
    seen = set()
    for i, indicator, as_of, value in sub.indicators:
        where = f"indicators.{i}.indicator"
        bounds = registry.value_ranges.get(indicator or "")
        if bounds is not None and value is not None and not bounds.min <= value <= bounds.max:
            errors.append(
                FieldError(
                    f"indicators.{i}.value",
                    f"{_plain(value)} is outside the range of {indicator!r} "
                    f"(expected a number from {_plain(bounds.min)} to {_plain(bounds.max)})",
                    f"waarde {dutch_number(value)} ligt buiten het bereik van {indicator!r} "
                    f"(verwacht een getal van {dutch_number(bounds.min)} "
                    f"tot {dutch_number(bounds.max)})",
                )
            )
        earliest = registry.earliest_as_of.get(indicator or "", registry.earliest_date)
        if as_of is not None and as_of < earliest:
            errors.append(
                FieldError(
                    f"indicators.{i}.as_of",
                    f"{as_of} lies before the indicator's baseline year "
                    f"(expected a date from {earliest} to {today})",
                    f"peildatum {dutch_date(as_of)} ligt vóór het basisjaar van de indicator "
                    f"(verwacht een datum van {dutch_date(earliest)} "
                    f"tot en met {dutch_date(today)})",
                )
            )
        if indicator is not None:
            reporter = registry.indicators.get(indicator)
            if reporter is None:
                errors.append(
                    FieldError(
                        where,
                        f"unknown indicator {indicator!r} (expected an id from the template)",
                        f"onbekende indicator {indicator!r} (verwacht een id uit het sjabloon)",
                    )
                )
            elif code is not None and reporter != code:
                errors.append(
                    FieldError(
                        where,
                        f"indicator {indicator!r} is reported by {reporter}, not by {code} (expected one of {code}'s indicators)",
                        f"indicator {indicator!r} wordt gemeld door {reporter}, niet door {code} "
                        f"(verwacht een indicator van {code})",
                    )
                )
            if indicator in seen:
                errors.append(
                    FieldError(
                        where,
                        f"indicator {indicator!r} appears twice (expected one value per indicator)",
                        f"indicator {indicator!r} komt twee keer voor "
                        "(verwacht één waarde per indicator)",
                    )
                )
            seen.add(indicator)
        if as_of is not None and as_of > today:
            errors.append(
                FieldError(
                    f"indicators.{i}.as_of",
                    f"{as_of} lies in the future (expected a date up to {today})",
                    f"peildatum {dutch_date(as_of)} ligt in de toekomst "
                    f"(verwacht een datum tot en met {dutch_date(today)})",
                )
            )
    seen = set()
    for i, municipality, as_of in sub.municipalities:
        where = f"municipalities.{i}.municipality"
        if municipality not in registry.municipalities:
            errors.append(
                FieldError(
                    where,
                    f"unknown municipality {municipality!r} (expected a CBS code like GM0014)",
                    f"onbekende gemeente {municipality!r} "
                    "(verwacht een CBS-gemeentecode zoals GM0014)",
                )
            )
        if municipality in seen:
            errors.append(
                FieldError(
                    where,
                    f"municipality {municipality!r} appears twice (expected one row per municipality)",
                    f"gemeente {municipality!r} komt twee keer voor "
                    "(verwacht één regel per gemeente)",
                )
            )
        seen.add(municipality)
        if as_of is not None and not registry.earliest_date <= as_of <= today:
            errors.append(
                FieldError(
                    f"municipalities.{i}.as_of",
                    f"{as_of} lies outside the reporting range "
                    f"(expected a date from {registry.earliest_date} to {today})",
                    f"peildatum {dutch_date(as_of)} ligt buiten de rapportageperiode "
                    f"(verwacht een datum van {dutch_date(registry.earliest_date)} "
                    f"tot en met {dutch_date(today)})",
                )
            )
    errors += _commitment_errors(sub, code, registry, today)
    return errors


def _commitment_errors(
    sub: _References, code: str | None, registry: Registry, today: dt.date
) -> list[FieldError]:
    """Each motie or toezegging once, from the catalogue, and the submitting ministry's own."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    latest = registry.latest_completion(today)
    for i, commitment, expected in sub.commitments:
        where = f"commitments.{i}.commitment"
        owner = registry.commitments.get(commitment)
        if owner is None:
            errors.append(
                FieldError(
                    where,
                    f"unknown motie or toezegging {commitment!r} "
                    "(expected an id from the template)",
                    f"onbekende motie of toezegging {commitment!r} "
                    "(verwacht een id uit het sjabloon)",
                )
            )
        elif code is not None and owner != code:
            errors.append(
                FieldError(
                    where,
                    f"motie or toezegging {commitment!r} belongs to {owner}, not to {code} "
                    f"(expected one of {code}'s moties and toezeggingen)",
                    f"motie of toezegging {commitment!r} hoort bij {owner}, niet bij {code} "
                    f"(verwacht een motie of toezegging van {code})",
                )
            )
        if commitment in seen:
            errors.append(
                FieldError(
                    where,
                    f"motie or toezegging {commitment!r} appears twice "
                    "(expected one report per motie or toezegging)",
                    f"motie of toezegging {commitment!r} komt twee keer voor "
                    "(verwacht één stand per motie of toezegging)",
                )
            )
        seen.add(commitment)
        if expected is not None and not registry.earliest_date <= expected <= latest:
            errors.append(
                FieldError(
                    f"commitments.{i}.expected",
                    f"{expected} lies outside the programme's horizon "
                    f"(expected a date from {registry.earliest_date} to {latest})",
                    f"verwachte afronding {dutch_date(expected)} ligt buiten de looptijd van het "
                    f"programma (verwacht een datum van {dutch_date(registry.earliest_date)} "
                    f"tot en met {dutch_date(latest)})",
                )
            )
    return errors


_ITEM_KEYS = {
    "milestones": "milestone",
    "indicators": "indicator",
    "municipalities": "municipality",
    "commitments": "commitment",
}


def _named(errors: list[FieldError], raw: Any) -> list[FieldError]:
    """Name the milestone, indicator or municipality an error is about, not only its index:
    officers know their items by id, not by position in the file."""
    if not isinstance(raw, dict):
        return errors
    named = []
    for error in errors:
        parts = error.path.split(".")
        key = _ITEM_KEYS.get(parts[0])
        if key is None or len(parts) < 3 or not parts[1].isdigit() or parts[2] == key:
            named.append(error)
            continue
        items = raw.get(parts[0])
        index = int(parts[1])
        item = items[index] if isinstance(items, list) and index < len(items) else None
        ident = _text(item.get(key)) if isinstance(item, dict) else None
        if ident is None or ident[:80] in error.message:
            named.append(error)
            continue
        dutch = error.message_nl
        if dutch and ident[:80] not in dutch:
            dutch = f"{FIELD_LABELS_NL[key]} {ident[:80]!r}: {dutch}"
        named.append(FieldError(error.path, f"{key} {ident[:80]!r}: {error.message}", dutch))
    return named


def validate_submission(
    raw: Any, registry: Registry, *, source: str, today: dt.date | None = None
) -> SubmissionIn:
    """Return the validated submission, or raise SubmissionRejected naming every problem."""
    today = today or dt.date.today()
    if isinstance(raw, SubmissionIn):
        raw = raw.model_dump(mode="json")
    try:
        sub = SubmissionIn.model_validate(raw)
    except ValidationError as exc:
        errors = from_validation_error(exc)
        if isinstance(raw, dict):
            # Every error at once: also what the catalogue says, except where the field
            # itself is already reported as malformed.
            reported = {e.path for e in errors}
            errors += [
                e
                for e in _catalogue_errors(_references_of_raw(raw), registry, today)
                if e.path not in reported
            ]
        raise SubmissionRejected(source, _named(errors, raw)) from exc
    errors = _catalogue_errors(_references_of(sub), registry, today)
    if errors:
        raise SubmissionRejected(source, _named(errors, raw))
    code = registry.ministries[sub.ministry.lower()]
    return sub.model_copy(update={"ministry": code})
