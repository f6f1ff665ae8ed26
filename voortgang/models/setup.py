"""Setting up the database: check it, migrate, load the catalogue, load the bundled CBS data."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from voortgang.models.catalogue import load_catalogue
from voortgang.models.catalogue_store import sync_catalogue
from voortgang.models.db import (
    DatabaseDamagedError,
    alembic_config,
    check_sqlite_file,
    get_engine,
    session_scope,
    sqlite_file,
    upgrade_database,
)
from voortgang.models.municipal_data import load_bundled_data


class InitReport(BaseModel):
    database: str
    catalogue_changes: int
    observations_added: int
    repaired: list[str] = []  # what init found missing and put back, one sentence each


def initialise(
    catalogue_path: Path | None = None, *, database_url: str | None = None
) -> InitReport:
    """Check, create or migrate the database and load what it needs. Safe to run again.

    A damaged SQLite file stops it before anything is written (DatabaseDamagedError); a
    missing table is created again, and said so in ``repaired``.
    """
    from voortgang.settings import get_settings

    catalogue = load_catalogue(catalogue_path)  # a broken catalogue stops before any write
    url = database_url or get_settings().sqlalchemy_url
    path = sqlite_file(url)
    if path is not None:
        check_sqlite_file(path)
    repaired = _record_unrecorded_schema(url)
    upgrade_database(url)
    repaired += [_created(name) for name in create_missing_tables(url)]
    with session_scope(database_url) as session:
        changes = sync_catalogue(session, catalogue)
        added = load_bundled_data(session)
    return InitReport(
        database=_redact(url),
        catalogue_changes=changes,
        observations_added=added,
        repaired=repaired,
    )


def _created(table: str) -> str:
    return f"created missing table {table} (empty: restore its rows from a backup if it had any)"


def create_missing_tables(url: str) -> list[str]:
    """Create every table of the models the database lacks; returns their names.

    The migrations and the models describe the same schema (tests/models/test_migrations.py),
    so a table created from the models is the one the migrations made.
    """
    from sqlalchemy import inspect

    from voortgang.models import tables  # noqa: F401 - registers every table on Base.metadata
    from voortgang.models.base import Base

    engine = get_engine(url)
    present = set(inspect(engine).get_table_names())
    missing = [t for t in Base.metadata.sorted_tables if t.name not in present]
    if missing:
        Base.metadata.create_all(engine, tables=missing)
    return [t.name for t in missing]


def _record_unrecorded_schema(url: str) -> list[str]:
    """voortgang's tables without Alembic's record of their version: record it when they
    match this version's models, else stop (migrating would try to create them again)."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from voortgang.models import tables  # noqa: F401 - registers every table on Base.metadata
    from voortgang.models.base import Base

    engine = get_engine(url)
    present = set(inspect(engine).get_table_names())
    if "alembic_version" in present or not present & set(Base.metadata.tables):
        return []
    created = create_missing_tables(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    if differences:
        raise DatabaseDamagedError(
            f"the database {_redact(url)} has voortgang tables but no record of their version "
            "(table alembic_version), and they differ from this version of voortgang; "
            "restore it from a backup"
        )
    command.stamp(alembic_config(url), "head")
    return [
        *(_created(name) for name in created),
        "recorded the schema version (table alembic_version was missing)",
    ]


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
