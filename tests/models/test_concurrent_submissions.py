"""Submissions that arrive at the same moment from different processes all land.

Protects the store under concurrency (issue 2): two processes released together by a barrier
submit for different ministries, and both are stored; two processes submit different content
for the same ministry and period, and both are stored, as versions 1 and 2, with no version
lost or doubled. Runs on SQLite by default and on PostgreSQL with
``VOORTGANG_TEST_DATABASE=postgresql`` (the ``db`` fixture picks the database).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from tests.models.factories import TODAY, example, write_submission
from voortgang.models import tables as t
from voortgang.models.db import session_scope

TIMEOUT = 60


def _submit_when_released(
    url: str, home: str, path: str, barrier: Any, results: Any
) -> None:  # runs in a spawned process
    os.environ["VOORTGANG_DATABASE_URL"] = url
    os.environ["VOORTGANG_HOME"] = home
    from voortgang.models.submission_intake import take_in_file

    try:
        with session_scope() as session:  # connect before the start, so both start warm
            session.execute(text("SELECT 1"))
        barrier.wait(timeout=TIMEOUT)
        result = take_in_file(Path(path), today=TODAY)
        results.put(("stored", result.ministry, result.version, result.created))
    except Exception as exc:  # reported to the test, which fails with it
        results.put(("error", path, repr(exc)))


def submit_at_the_same_moment(db: str, paths: list[Path]) -> list[tuple[Any, ...]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(paths))
    results = context.Queue()
    processes = [
        context.Process(
            target=_submit_when_released,
            args=(db, os.environ["VOORTGANG_HOME"], str(path), barrier, results),
        )
        for path in paths
    ]
    for process in processes:
        process.start()
    outcomes = []
    try:
        for _ in processes:
            outcomes.append(results.get(timeout=TIMEOUT))
    except queue.Empty:
        outcomes.append(("error", "a process did not report in time"))
    finally:
        for process in processes:
            process.join(timeout=TIMEOUT)
            if process.is_alive():
                process.kill()
    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, errors
    assert all(p.exitcode == 0 for p in processes)
    return outcomes


def stored_versions() -> list[tuple[str, str, int]]:
    with session_scope() as session:
        return [
            (s.ministry_code, s.period_id, s.version)
            for s in session.scalars(
                select(t.Submission).order_by(t.Submission.ministry_code, t.Submission.version)
            )
        ]


def test_two_processes_submitting_for_different_ministries_both_land(
    db: str, tmp_path: Path
) -> None:
    paths = [
        write_submission(tmp_path / "VWS.yaml", example("VWS")),
        write_submission(tmp_path / "BZK.yaml", example("BZK")),
    ]

    outcomes = submit_at_the_same_moment(db, paths)

    assert sorted(outcomes) == [("stored", "BZK", 1, True), ("stored", "VWS", 1, True)]
    assert stored_versions() == [("BZK", "2026Q4", 1), ("VWS", "2026Q4", 1)]


def test_two_processes_submitting_different_content_for_one_ministry_become_versions_1_and_2(
    db: str, tmp_path: Path
) -> None:
    changed = example("VWS")
    changed["milestones"][1]["progress"] = 65
    paths = [
        write_submission(tmp_path / "a" / "VWS.yaml", example("VWS")),
        write_submission(tmp_path / "b" / "VWS.yaml", changed),
    ]

    outcomes = submit_at_the_same_moment(db, paths)

    assert sorted(o[1:] for o in outcomes) == [("VWS", 1, True), ("VWS", 2, True)]
    assert stored_versions() == [("VWS", "2026Q4", 1), ("VWS", "2026Q4", 2)]
    with session_scope() as session:
        progress = sorted(
            session.scalars(
                select(t.MilestoneUpdate.progress).where(
                    t.MilestoneUpdate.milestone_id == "vws-lived-experience"
                )
            )
        )
    assert progress == [60, 65]  # both contents kept, one per version


def test_two_processes_submitting_identical_content_store_one_version(
    db: str, tmp_path: Path
) -> None:
    paths = [
        write_submission(tmp_path / "a" / "VWS.yaml", example("VWS")),
        write_submission(tmp_path / "b" / "VWS.yaml", example("VWS")),
    ]

    outcomes = submit_at_the_same_moment(db, paths)

    assert sorted(o[1:] for o in outcomes) == [("VWS", 1, False), ("VWS", 1, True)]
    assert stored_versions() == [("VWS", "2026Q4", 1)]
