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
            ).tuples().all()
        ),
        indicators=dict(
            session.execute(
                select(t.Indicator.id, t.Indicator.reported_by).where(t.Indicator.active.is_(True))
            ).tuples().all()
        ),
        municipalities=set(session.scalars(select(t.Municipality.code))),
    )


def _catalogue_errors(sub: SubmissionIn, registry: Registry, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    code = registry.ministries.get(sub.ministry.lower())
    if code is None:
        known = ", ".join(sorted(registry.ministries.values()))
        errors.append(
            FieldError("ministry", f"unknown ministry {sub.ministry!r} (expected one of {known})")
        )
    current = Quarter.containing(today)
    if Quarter.parse(sub.period) > current:
        errors.append(
            FieldError(
                "period",
                f"{sub.period} has not started yet (expected {current} or an earlier quarter)",
            )
        )
    officer_of = registry.officers.get(sub.submitted_by)
    if officer_of is None:
        errors.append(
            FieldError(
                "submitted_by",
                f"{sub.submitted_by} is not a registered officer "
                f"(expected an officer of {code or sub.ministry} from the catalogue)",
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
    for i, update in enumerate(sub.milestones):
        owner = registry.milestones.get(update.milestone)
        where = f"milestones.{i}.milestone"
        if owner is None:
            errors.append(FieldError(where, f"unknown milestone {update.milestone!r} (expected an id from the template)"))
        elif code is not None and owner != code:
            errors.append(
                FieldError(where, f"milestone {update.milestone!r} belongs to {owner}, not to {code} (expected one of {code}'s milestones)")
            )
        if update.milestone in seen:
            errors.append(FieldError(where, f"milestone {update.milestone!r} appears twice (expected one update per milestone)"))
        seen.add(update.milestone)
    seen = set()
    for i, value in enumerate(sub.indicators):
        reporter = registry.indicators.get(value.indicator)
        where = f"indicators.{i}.indicator"
        if reporter is None:
            errors.append(FieldError(where, f"unknown indicator {value.indicator!r} (expected an id from the template)"))
        elif code is not None and reporter != code:
            errors.append(
                FieldError(where, f"indicator {value.indicator!r} is reported by {reporter}, not by {code} (expected one of {code}'s indicators)")
            )
        if value.indicator in seen:
            errors.append(FieldError(where, f"indicator {value.indicator!r} appears twice (expected one value per indicator)"))
        seen.add(value.indicator)
        if value.as_of > today:
            errors.append(FieldError(f"indicators.{i}.as_of", f"{value.as_of} lies in the future (expected a date up to {today})"))
    for i, row in enumerate(sub.municipalities):
        if row.municipality not in registry.municipalities:
            errors.append(
                FieldError(f"municipalities.{i}.municipality", f"unknown municipality {row.municipality!r} (expected a CBS code like GM0014)")
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
        raise SubmissionRejected(source, from_validation_error(exc)) from exc
    errors = _catalogue_errors(sub, registry, today)
    if errors:
        raise SubmissionRejected(source, errors)
    code = registry.ministries[sub.ministry.lower()]
    return sub.model_copy(update={"ministry": code})
