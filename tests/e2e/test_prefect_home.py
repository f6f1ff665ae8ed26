"""Prefect's home follows voortgang's home (issue 11, part 2).

Protects: what voortgang starts itself keeps Prefect's files (profiles, the database of the
server it starts) in ``$VOORTGANG_HOME/prefect`` unless PREFECT_HOME is set, so two voortgang
homes never mix their runs in the user's ``~/.prefect``. The command runs as a user runs it,
in its own process, on the test database (SQLite, or PostgreSQL with
``VOORTGANG_TEST_DATABASE=postgresql``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.prefect_server import run_voortgang
from tests.support.submissions import submit_examples
from voortgang.flows.runtime import prepare_environment
from voortgang.settings import reset_settings


def _without_prefect(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith("PREFECT_")}


def test_voortgang_cycle_keeps_prefect_inside_the_voortgang_home(db: str, tmp_path: Path):
    home = Path(os.environ["VOORTGANG_HOME"])
    submit_examples("2026Q4")
    user_home = tmp_path / "user"
    user_home.mkdir()
    env = _without_prefect(dict(os.environ)) | {"HOME": str(user_home), "DO_NOT_TRACK": "1"}

    done = run_voortgang("cycle", "--period", "2026Q4", env=env, timeout=300)

    assert done.returncode == 0, done.stderr
    # The temporary Prefect server of the run kept its database in voortgang's home.
    assert (home / "prefect" / "prefect.db").is_file()
    assert not (user_home / ".prefect").exists()


def test_an_explicit_prefect_home_wins(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # prepare_environment writes os.environ: give it a copy that goes with this test.
    monkeypatch.setattr(os, "environ", dict(os.environ))
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    prepare_environment()
    assert os.environ["PREFECT_HOME"] == str(Path(os.environ["VOORTGANG_HOME"]) / "prefect")

    chosen = tmp_path / "elsewhere"
    monkeypatch.setenv("PREFECT_HOME", str(chosen))
    monkeypatch.setenv("VOORTGANG_HOME", str(tmp_path / "other-home"))
    reset_settings()
    prepare_environment()
    assert os.environ["PREFECT_HOME"] == str(chosen)


def test_a_voortgang_home_that_does_not_exist_yet_is_made_for_prefect(db: str, tmp_path: Path):
    """A newcomer's first run: the database lives elsewhere, the home folder is not there yet.
    Prefect makes its home without parents, so voortgang must make the path first."""
    submit_examples("2026Q4")
    fresh = tmp_path / "not" / "there" / "yet"
    env = _without_prefect(dict(os.environ)) | {
        "VOORTGANG_HOME": str(fresh),
        "HOME": str(tmp_path),
        "DO_NOT_TRACK": "1",
    }
    done = run_voortgang("cycle", "--period", "2026Q4", env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (fresh / "prefect" / "prefect.db").is_file()
