"""The one validation every submission passes, whatever channel it came through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.periods import Quarter
from voortgang.models.submission_schema import SubmissionIn
from voortgang.models.validation_errors import (
    FieldError,
    SubmissionRejected,
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


def load_registry(session: Session) -> Registry:
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
    milestones: list[tuple[int, str]]
    indicators: list[tuple[int, str | None, dt.date | None]]
    municipalities: list[tuple[int, str]]


def _references_of(sub: SubmissionIn) -> _References:
    return _References(
        ministry=sub.ministry,
        period=sub.period,
        submitted_by=sub.submitted_by,
        milestones=[(i, m.milestone) for i, m in enumerate(sub.milestones)],
        indicators=[(i, v.indicator, v.as_of) for i, v in enumerate(sub.indicators)],
        municipalities=[(i, m.municipality) for i, m in enumerate(sub.municipalities)],
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
            (i, ident)
            for i, item in _entries(raw, "milestones")
            if (ident := _text(item.get("milestone")))
        ],
        indicators=[
            (i, _text(item.get("indicator")), _day(item.get("as_of")))
            for i, item in _entries(raw, "indicators")
        ],
        municipalities=[
            (i, code)
            for i, item in _entries(raw, "municipalities")
            if (code := _text(item.get("municipality")))
        ],
    )


def _catalogue_errors(sub: _References, registry: Registry, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    code = registry.ministries.get(sub.ministry.lower()) if sub.ministry else None
    if code is None and sub.ministry:
        known = ", ".join(sorted(registry.ministries.values()))
        errors.append(
            FieldError("ministry", f"unknown ministry {sub.ministry!r} (expected one of {known})")
        )
    current = Quarter.containing(today)
    if sub.period and Quarter.parse(sub.period) > current:
        errors.append(
            FieldError(
                "period",
                f"{sub.period} has not started yet (expected {current} or an earlier quarter)",
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
            )
        )
    elif code is not None and officer_of != code:
        errors.append(
            FieldError(
                "submitted_by",
                f"{sub.submitted_by} is an officer of {officer_of}, not of {code} "
                f"(expected an officer of {code})",
            )
        )
    seen: set[str] = set()
    for i, milestone in sub.milestones:
        owner = registry.milestones.get(milestone)
        where = f"milestones.{i}.milestone"
        if owner is None:
            errors.append(
                FieldError(
                    where, f"unknown milestone {milestone!r} (expected an id from the template)"
                )
            )
        elif code is not None and owner != code:
            errors.append(
                FieldError(
                    where,
                    f"milestone {milestone!r} belongs to {owner}, not to {code} (expected one of {code}'s milestones)",
                )
            )
        if milestone in seen:
            errors.append(
                FieldError(
                    where,
                    f"milestone {milestone!r} appears twice (expected one update per milestone)",
                )
            )
        seen.add(milestone)
    seen = set()
    for i, indicator, as_of in sub.indicators:
        where = f"indicators.{i}.indicator"
        if indicator is not None:
            reporter = registry.indicators.get(indicator)
            if reporter is None:
                errors.append(
                    FieldError(
                        where, f"unknown indicator {indicator!r} (expected an id from the template)"
                    )
                )
            elif code is not None and reporter != code:
                errors.append(
                    FieldError(
                        where,
                        f"indicator {indicator!r} is reported by {reporter}, not by {code} (expected one of {code}'s indicators)",
                    )
                )
            if indicator in seen:
                errors.append(
                    FieldError(
                        where,
                        f"indicator {indicator!r} appears twice (expected one value per indicator)",
                    )
                )
            seen.add(indicator)
        if as_of is not None and as_of > today:
            errors.append(
                FieldError(
                    f"indicators.{i}.as_of",
                    f"{as_of} lies in the future (expected a date up to {today})",
                )
            )
    for i, municipality in sub.municipalities:
        if municipality not in registry.municipalities:
            errors.append(
                FieldError(
                    f"municipalities.{i}.municipality",
                    f"unknown municipality {municipality!r} (expected a CBS code like GM0014)",
                )
            )
    return errors


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
        raise SubmissionRejected(source, errors) from exc
    errors = _catalogue_errors(_references_of(sub), registry, today)
    if errors:
        raise SubmissionRejected(source, errors)
    code = registry.ministries[sub.ministry.lower()]
    return sub.model_copy(update={"ministry": code})
