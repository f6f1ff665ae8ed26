"""Bring the database in line with the catalogue file, keeping the history of ownership."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.base import Base
from voortgang.models.catalogue import Catalogue


def catalogue_hash(catalogue: Catalogue) -> str:
    return hashlib.sha256(
        json.dumps(catalogue.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()


def _upsert(session: Session, row_type: type[Base], key: object, values: dict[str, object]) -> int:
    """Insert or update one row; returns 1 when something changed."""
    row = session.get(row_type, key)
    if row is None:
        session.add(row_type(**values))
        return 1
    changed = 0
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = 1
    return changed


def _sync_ownership(session: Session, catalogue: Catalogue, today: dt.date) -> int:
    """Close ownership rows that the catalogue no longer says, open the new ones."""
    wanted = {
        (g.id, code, role)
        for g in catalogue.goals
        for code, role in [(g.lead, "lead")] + [(c, "contributor") for c in g.contributors]
    }
    current = session.scalars(
        select(t.GoalOwnership).where(t.GoalOwnership.valid_to.is_(None))
    ).all()
    have = {(o.goal_id, o.ministry_code, o.role): o for o in current}
    changes = 0
    for key, row in have.items():
        if key not in wanted:
            row.valid_to = today
            changes += 1
    for goal_id, code, role in sorted(wanted - have.keys()):
        session.add(
            t.GoalOwnership(
                goal_id=goal_id, ministry_code=code, role=role, valid_from=today, valid_to=None
            )
        )
        changes += 1
    return changes


def sync_catalogue(session: Session, catalogue: Catalogue, *, today: dt.date | None = None) -> int:
    """Load the catalogue into the database; returns how many rows changed (0: nothing to do).

    Rows the catalogue drops are deactivated, never deleted: submissions keep pointing at them.
    """
    today = today or dt.date.today()
    digest = catalogue_hash(catalogue)
    last = session.scalars(
        select(t.CatalogueLoad).order_by(t.CatalogueLoad.id.desc()).limit(1)
    ).first()
    if last is not None and last.content_hash == digest:
        return 0

    changes = 0
    for m in catalogue.ministries:
        changes += _upsert(
            session,
            t.Ministry,
            m.code,
            {
                "code": m.code,
                "name": m.name,
                "short_name": m.short_name,
                "slack_channel": m.slack_channel,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
            },
        )
    session.flush()
    changes += _sync_people(session, catalogue)
    goal_of_indicator = {i: g.id for g in catalogue.goals for i in g.indicators}
    for position, g in enumerate(catalogue.goals):
        changes += _upsert(
            session,
            t.Goal,
            g.id,
            {
                "id": g.id,
                "title": g.title,
                "description": g.description,
                "seed_question": g.seed_question,
                "position": position,
                "active": True,
            },
        )
    session.flush()
    for i in catalogue.indicators:
        changes += _upsert(
            session,
            t.Indicator,
            i.id,
            {
                "id": i.id,
                "goal_id": goal_of_indicator.get(i.id),
                "title": i.title,
                "unit": i.unit,
                "direction": i.direction.value,
                "reported_by": i.reported_by,
                "baseline_value": i.baseline.value,
                "baseline_date": i.baseline.date,
                "baseline_source": i.baseline.source,
                "target_value": i.target.value,
                "target_date": i.target.date,
                "target_source": i.target.source,
                "active": True,
            },
        )
    for ms in catalogue.milestones:
        changes += _upsert(
            session,
            t.Milestone,
            ms.id,
            {
                "id": ms.id,
                "ministry_code": ms.ministry,
                "goal_id": ms.goal,
                "title": ms.title,
                "due": ms.due,
                "source": ms.source,
                "active": True,
            },
        )
    for motion in catalogue.motions:
        changes += _upsert(
            session,
            t.Commitment,
            motion.id,
            {
                "id": motion.id,
                "kind": motion.kind.value,
                "kamerstuk": motion.kamerstuk,
                "debate": motion.debate,
                "date": motion.date,
                "text": motion.text,
                "submitters": list(motion.submitters),
                "ministry_code": motion.owner,
                "due": motion.due,
                "source": motion.source,
                "active": True,
            },
        )
    changes += _deactivate_missing(session, catalogue)
    session.flush()
    changes += _sync_ownership(session, catalogue, today)
    session.add(t.CatalogueLoad(content_hash=digest, changes=changes))
    return changes


def _sync_people(session: Session, catalogue: Catalogue) -> int:
    wanted: dict[str, dict[str, object]] = {}
    for m in catalogue.ministries:
        for o in m.officers:
            wanted[o.email.lower()] = {
                "name": o.name,
                "role": "officer",
                "ministry_code": m.code,
                "slack_id": o.slack_id,
                "active": True,
            }
    for c in catalogue.coordinators:
        wanted[c.email.lower()] = {
            "name": c.name,
            "role": "coordinator",
            "ministry_code": None,
            "slack_id": c.slack_id,
            "active": True,
        }
    people = {p.email: p for p in session.scalars(select(t.Person))}
    changes = 0
    for email, values in wanted.items():
        person = people.get(email)
        if person is None:
            session.add(t.Person(email=email, **values))
            changes += 1
            continue
        for name, value in values.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changes += 1
    for email, person in people.items():
        if email not in wanted and person.active:
            person.active = False
            changes += 1
    return changes


def _deactivate_missing(session: Session, catalogue: Catalogue) -> int:
    changes = 0
    for model, ids in (
        (t.Goal, {g.id for g in catalogue.goals}),
        (t.Indicator, {i.id for i in catalogue.indicators}),
        (t.Milestone, {m.id for m in catalogue.milestones}),
        (t.Commitment, {m.id for m in catalogue.motions}),
    ):
        gone = update(model).where(model.active.is_(True), model.id.not_in(ids))
        changes += session.execute(gone.values(active=False)).rowcount  # type: ignore[attr-defined]
    return changes
