"""Shared fixtures: a fresh application database per test, on SQLite or PostgreSQL.

The suite runs on SQLite by default. ``VOORTGANG_TEST_DATABASE=postgresql`` runs the same
tests on the PostgreSQL server named by ``VOORTGANG_TEST_POSTGRES_URL`` (default: the one on
127.0.0.1:5432); each test gets its own database, cloned from a migrated template.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.slack_channels import TOKEN, catalogue_channels
from tests.support.submissions import CYCLE_DAY
from voortgang.models.db import dispose_engines
from voortgang.settings import reset_settings

BACKEND = os.environ.get("VOORTGANG_TEST_DATABASE", "sqlite")
TEST_TODAY = CYCLE_DAY
POSTGRES_ADMIN_URL = os.environ.get(
    "VOORTGANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def postgres_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(_pg_admin_dsn(), connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}"


def _pg_url(database: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def _pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(sql)


def _set_env(monkeypatch: pytest.MonkeyPatch, home: Path, url: str) -> None:
    monkeypatch.setenv("VOORTGANG_HOME", str(home))
    monkeypatch.setenv("VOORTGANG_DATABASE_URL", url)
    # Cycles draft as on the day after 2026Q4's deadline, so the bundled quarters may have a
    # final letter whatever the real date; tests of the refusal set an earlier day.
    monkeypatch.setenv("VOORTGANG_TODAY", TEST_TODAY)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("VOORTGANG_SLACK_API_URL", raising=False)
    reset_settings()
    dispose_engines()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with the catalogue and CBS data, cloned for each test."""
    from voortgang.models.setup import initialise

    if BACKEND == "postgresql":
        reason = postgres_available()
        if reason:
            pytest.skip(reason)
        name = f"vt_template_{uuid.uuid4().hex[:10]}"
        _pg_execute(f"CREATE DATABASE {name}")
        initialise(database_url=_pg_url(name))
        dispose_engines()
        yield name
        _pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        path = tmp_path_factory.mktemp("template") / "voortgang.db"
        initialise(database_url=f"sqlite:///{path}")
        dispose_engines()
        yield str(path)


@contextmanager
def _fresh_database(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    sqlite_template: Path | None = None,
    pg_template: str | None = None,
) -> Iterator[str]:
    """A database of the test's own, copied from a template or empty; dropped afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    if BACKEND == "postgresql":
        reason = postgres_available()
        if reason:
            pytest.skip(reason)
        name = f"vt_{uuid.uuid4().hex[:12]}"
        _pg_execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {pg_template}" if pg_template else ""))
        url = _pg_url(name)
    else:
        if sqlite_template is not None:
            shutil.copy(sqlite_template, home / "voortgang.db")
        url = f"sqlite:///{home / 'voortgang.db'}"
    _set_env(monkeypatch, home, url)
    try:
        yield url
    finally:
        dispose_engines()
        if BACKEND == "postgresql":
            _pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        reset_settings()


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database URL with nothing in it (not even tables): for migration tests."""
    with _fresh_database(tmp_path / "home", monkeypatch) as url:
        yield url


@pytest.fixture
def db(template_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, initialised application database for one test; yields its URL."""
    with _fresh_database(
        tmp_path / "home",
        monkeypatch,
        sqlite_template=None if BACKEND == "postgresql" else Path(template_database),
        pg_template=template_database if BACKEND == "postgresql" else None,
    ) as url:
        yield url


@pytest.fixture
def home(db: str) -> Path:
    return Path(os.environ["VOORTGANG_HOME"])


EXAMPLES = Path(__file__).resolve().parent.parent / "voortgang" / "data" / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def slack(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """A fake Slack workspace with the catalogue's channels; voortgang is pointed at it."""
    with FakeSlack(token=TOKEN, channels=catalogue_channels()) as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("VOORTGANG_SLACK_API_URL", fake.base_url)
        reset_settings()
        yield fake
    reset_settings()
