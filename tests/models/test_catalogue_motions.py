"""Moties en toezeggingen in the catalogue, and in the database it is loaded into.

Protects issue 9 part 3: the bundled motions are real ones (each with its Kamerstuk or debate,
date and public source) owned by a ministry of the catalogue; a broken motion entry (unknown
owner, id twice, a motie without submitters, nothing saying where it was made, a source that
is no web address) stops the catalogue naming the file and the path; ``voortgang init``
loads them as ``commitments`` and deactivates one the catalogue drops, keeping the reports
on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from tests.models.factories import TODAY, dump_yaml, example, write_submission
from voortgang.models import tables as t
from voortgang.models.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.setup import initialise
from voortgang.models.submission_intake import take_in_file
from voortgang.models.validation_errors import SubmissionRejected


def _bundled() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def test_the_bundled_motions_are_sourced_and_owned_by_a_ministry() -> None:
    catalogue = load_catalogue()
    codes = {m.code for m in catalogue.ministries}
    assert 4 <= len(catalogue.motions) <= 10
    for motion in catalogue.motions:
        assert motion.owner in codes
        assert motion.source.startswith("https://")
        assert motion.kamerstuk or motion.debate
        if motion.kind == "motie":
            assert motion.submitters, motion.id
            # The id carries the dossier and number of the Kamerstuk it cites.
            dossier = motion.kamerstuk.split(",")[0].replace(" ", "").lower()  # type: ignore[union-attr]
            assert dossier in motion.id.replace("-", ""), motion.id
    assert {m.kind.value for m in catalogue.motions} == {"motie", "toezegging"}


def _unknown_owner(data: dict[str, Any]) -> None:
    data["motions"][1]["owner"] = "OCW"


def _same_id_twice(data: dict[str, Any]) -> None:
    data["motions"][2]["id"] = data["motions"][0]["id"]


def _motie_without_submitters(data: dict[str, Any]) -> None:
    data["motions"][0]["submitters"] = []


def _made_nowhere(data: dict[str, Any]) -> None:
    data["motions"][0].pop("kamerstuk")


def _source_not_a_web_address(data: dict[str, Any]) -> None:
    data["motions"][0]["source"] = "Kamerstuk 29 325, nr. 145"


@pytest.mark.parametrize(
    ("edit", "where", "says"),
    [
        (_unknown_owner, "motions.1.owner", "unknown ministry 'OCW'"),
        (_same_id_twice, "motions", "duplicate id 'motie-29325-145'"),
        (_motie_without_submitters, "motions.0", "needs its submitters"),
        (_made_nowhere, "motions.0", "kamerstuk, or the debate"),
        (_source_not_a_web_address, "motions.0.source", "should match pattern"),
    ],
)
def test_a_broken_motion_stops_the_catalogue_naming_where(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], where: str, says: str
) -> None:
    data = _bundled()
    assert data["motions"][0]["id"] == "motie-29325-145"
    edit(data)
    path = _write(tmp_path, data)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    lines = str(info.value).splitlines()
    assert any(line.startswith(f"{path}: {where}") and says in line for line in lines), "\n".join(
        lines
    )


def commitments() -> dict[str, t.Commitment]:
    with session_scope() as session:
        rows = session.scalars(select(t.Commitment)).all()
        session.expunge_all()
        return {row.id: row for row in rows}


def test_init_loads_every_motion_as_a_commitment(db: str) -> None:
    catalogue = load_catalogue()
    rows = commitments()
    assert set(rows) == {m.id for m in catalogue.motions}
    skaeve = rows["motie-36410-xvi-91"]
    assert skaeve.kamerstuk == "36 410 XVI, nr. 91"
    assert skaeve.ministry_code == "VWS"
    assert skaeve.submitters == ["Eerdmans (JA21)", "Bikker (ChristenUnie)"]
    assert skaeve.due is not None and skaeve.due.isoformat() == "2024-07-01"
    assert all(row.active for row in rows.values())
    assert initialise().catalogue_changes == 0  # loading again changes nothing


def test_a_motion_dropped_from_the_catalogue_is_deactivated_not_deleted(
    db: str, tmp_path: Path
) -> None:
    data = example("VWS")
    data["commitments"] = [{"commitment": "motie-29325-145", "status": "in_progress"}]
    path = write_submission(tmp_path / "VWS.yaml", data)
    take_in_file(path, today=TODAY)

    catalogue = _bundled()
    catalogue["motions"] = [m for m in catalogue["motions"] if m["id"] != "motie-29325-145"]
    report = initialise(_write(tmp_path, catalogue))
    assert report.catalogue_changes == 1

    row = commitments()["motie-29325-145"]
    assert row.active is False
    with session_scope() as session:
        kept = session.scalar(select(func.count()).select_from(t.CommitmentUpdate))
    assert kept == 1

    # A new report on it is refused: it is no longer the programme's.
    data["milestones"][1]["progress"] = 61
    again = write_submission(tmp_path / "again" / "VWS.yaml", data)
    with pytest.raises(SubmissionRejected, match="unknown motie or toezegging 'motie-29325-145'"):
        take_in_file(again, today=TODAY)

    initialise()
    assert commitments()["motie-29325-145"].active is True
    take_in_file(again, today=TODAY)
