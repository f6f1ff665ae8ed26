"""Loading the catalogue into the database: idempotent, with history, never losing submissions.

Protects ``voortgang init`` / ``initialise`` and ``sync_catalogue``: running it again changes
nothing; a goal whose lead moves to another ministry closes the old ownership row and opens a
new one; what the catalogue drops is deactivated, not deleted; stored submissions survive
every reload.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from tests.models.factories import TODAY, dump_yaml, example, stored, write_submission
from voortgang.models import tables as t
from voortgang.models.catalogue import DEFAULT_CATALOGUE, load_catalogue
from voortgang.models.catalogue_store import sync_catalogue
from voortgang.models.db import session_scope
from voortgang.models.setup import initialise
from voortgang.models.submission_intake import take_in_file
from voortgang.models.validation_errors import SubmissionRejected

CATALOGUE_TABLES = (
    t.Ministry,
    t.Person,
    t.Goal,
    t.GoalOwnership,
    t.Indicator,
    t.Milestone,
    t.CatalogueLoad,
    t.Municipality,
    t.MunicipalObservation,
)


def row_counts() -> dict[str, int]:
    with session_scope() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in CATALOGUE_TABLES
        }


def edited_catalogue(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "catalogue.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def goal(data: dict[str, Any], goal_id: str) -> dict[str, Any]:
    return next(g for g in data["goals"] if g["id"] == goal_id)


def ownership(goal_id: str) -> list[t.GoalOwnership]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(t.GoalOwnership)
                .where(t.GoalOwnership.goal_id == goal_id)
                .order_by(t.GoalOwnership.id)
            )
        )


def submit_examples(tmp_path: Path) -> None:
    for ministry, period in (("SZW", "2026Q3"), ("VRO", "2026Q3"), ("VWS", "2026Q4")):
        path = write_submission(tmp_path / period / f"{ministry}.yaml", example(ministry, period))
        take_in_file(path, today=TODAY)


def test_init_twice_changes_nothing(db: str) -> None:
    before = row_counts()
    assert before["ministries"] == 6 and before["milestones"] >= 12  # the db fixture loaded it

    report = initialise()

    assert report.catalogue_changes == 0
    assert report.observations_added == 0
    assert row_counts() == before


def test_goal_lead_moving_to_another_ministry_closes_the_old_ownership_and_opens_a_new_one(
    db: str, tmp_path: Path
) -> None:
    submit_examples(tmp_path)
    submissions_before = stored()
    (contributor_before,) = [o for o in ownership("livelihood") if o.role == "contributor"]

    def move_lead(data: dict[str, Any]) -> None:
        assert goal(data, "livelihood")["lead"] == "SZW"
        goal(data, "livelihood")["lead"] = "VWS"

    report = initialise(edited_catalogue(tmp_path, move_lead))

    assert report.catalogue_changes == 2  # one ownership closed, one opened
    leads = [o for o in ownership("livelihood") if o.role == "lead"]
    assert [(o.ministry_code, o.valid_to is None) for o in leads] == [("SZW", False), ("VWS", True)]
    old, new = leads
    assert new.valid_from == old.valid_to
    # The contributor did not change, so its row is the same row, still open.
    (contributor,) = [o for o in ownership("livelihood") if o.role == "contributor"]
    assert (contributor.id, contributor.ministry_code, contributor.valid_to) == (
        contributor_before.id,
        "VRO",
        None,
    )
    assert stored() == submissions_before


def test_reloading_the_same_changed_catalogue_again_changes_nothing(
    db: str, tmp_path: Path
) -> None:
    path = edited_catalogue(tmp_path, lambda d: goal(d, "livelihood").update(lead="VWS"))
    initialise(path)
    before = row_counts()
    assert initialise(path).catalogue_changes == 0
    assert row_counts() == before


def test_ownership_history_keeps_every_period_of_a_lead(db: str, tmp_path: Path) -> None:
    moved = edited_catalogue(tmp_path, lambda d: goal(d, "livelihood").update(lead="VWS"))
    with session_scope() as session:
        sync_catalogue(session, load_catalogue(moved), today=dt.date(2027, 1, 1))
    with session_scope() as session:
        sync_catalogue(session, load_catalogue(), today=dt.date(2027, 7, 1))

    leads = [(o.ministry_code, o.valid_to) for o in ownership("livelihood") if o.role == "lead"]
    assert leads == [
        ("SZW", dt.date(2027, 1, 1)),
        ("VWS", dt.date(2027, 7, 1)),
        ("SZW", None),
    ]


def test_milestone_dropped_from_the_catalogue_is_deactivated_not_deleted(
    db: str, tmp_path: Path
) -> None:
    submit_examples(tmp_path)
    before = stored()

    def drop(data: dict[str, Any]) -> None:
        data["milestones"] = [
            m for m in data["milestones"] if m["id"] != "vro-monitor-aandachtsgroepen"
        ]

    report = initialise(edited_catalogue(tmp_path, drop))
    assert report.catalogue_changes == 1

    with session_scope() as session:
        row = session.get(t.Milestone, "vro-monitor-aandachtsgroepen")
        assert row is not None and row.active is False
        kept_updates = session.scalar(
            select(func.count())
            .select_from(t.MilestoneUpdate)
            .where(t.MilestoneUpdate.milestone_id == "vro-monitor-aandachtsgroepen")
        )
    assert kept_updates == 1  # VRO's 2026Q3 update of it is still there
    assert stored() == before

    # A new update of a dropped milestone is refused: it is no longer in the programme.
    path = write_submission(tmp_path / "new" / "VRO.yaml", example("VRO"))
    with pytest.raises(
        SubmissionRejected, match="unknown milestone 'vro-monitor-aandachtsgroepen'"
    ):
        take_in_file(path, today=TODAY)

    # Put back in the catalogue, it is active again.
    initialise()
    with session_scope() as session:
        row = session.get(t.Milestone, "vro-monitor-aandachtsgroepen")
        assert row is not None and row.active is True
    take_in_file(path, today=TODAY)


def test_officer_removed_from_the_catalogue_can_no_longer_submit(db: str, tmp_path: Path) -> None:
    def remove(data: dict[str, Any]) -> None:
        vws = next(m for m in data["ministries"] if m["code"] == "VWS")
        vws["officers"] = [o for o in vws["officers"] if o["email"] != "l.bakker@minvws.example.nl"]

    initialise(edited_catalogue(tmp_path, remove))
    with session_scope() as session:
        person = session.scalars(
            select(t.Person).where(t.Person.email == "l.bakker@minvws.example.nl")
        ).one()
        assert person.active is False  # kept, so earlier submissions still name a known person

    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))  # submitted by l.bakker
    with pytest.raises(SubmissionRejected, match=r"submitted_by: .*not a registered officer"):
        take_in_file(path, today=TODAY)
