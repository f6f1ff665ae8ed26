"""Engines, the unit of work, and migrations."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from voortgang.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}

T = TypeVar("T")


class DatabaseUnavailableError(RuntimeError):
    """The database did not answer, even after retrying."""


class DatabaseDamagedError(RuntimeError):
    """The database is damaged beyond what `voortgang init` repairs; nothing was written."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and for in-memory SQLite."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_sqlite_file(path: Path) -> None:
    """``PRAGMA quick_check`` on an existing SQLite file, opened read-only.

    Raises DatabaseDamagedError when SQLite finds the file damaged or not a database; other
    failures (locked, no permission) are raised as they are: they say nothing of the file.
    """
    import sqlite3

    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            # One problem a line, under a heading "*** in database main ***".
            problems = [
                line.strip()
                for row in rows
                for line in str(row[0]).splitlines()
                if line.strip() and line.strip() != "ok" and not line.startswith("***")
            ]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # SQLITE_CORRUPT, SQLITE_NOTADB
        problems = [str(exc)]
    if problems:
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise DatabaseDamagedError(
            f"the database file {path} is damaged (SQLite quick_check: {problems[0]}{more}); "
            "nothing was changed. Restore it from a backup, or move it aside and run "
            "`voortgang init` to start an empty database"
        )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (see _begin_immediate).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        # Writers queue on the lock at BEGIN instead of failing mid-transaction when two
        # processes submit at the same moment.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().sqlalchemy_url
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back when it raises."""
    factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _is_connection_failure(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def with_db_retry(work: Callable[[], T], *, attempts: int = 4, first_wait: float = 0.5) -> T:
    """Run one unit of work, retrying it whole when the database is briefly unreachable.

    Each attempt is its own transaction, so a failed attempt leaves nothing half-written.
    """
    wait = first_wait
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if not _is_connection_failure(exc) or attempt == attempts:
                if _is_connection_failure(exc):
                    raise DatabaseUnavailableError(
                        f"the database did not answer after {attempts} attempts: "
                        f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
                    ) from exc
                raise
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "sqlalchemy.url", (url or get_settings().sqlalchemy_url).replace("%", "%%")
    )
    return config


def upgrade_database(url: str | None = None) -> None:
    """Create or migrate the database to the newest schema. Safe to run again."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
