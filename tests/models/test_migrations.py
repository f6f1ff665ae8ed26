"""The Alembic migrations: they build the whole schema, again safely, and match the models.

Protects ``upgrade_database``: on an empty database (SQLite, or PostgreSQL with
``VOORTGANG_TEST_DATABASE=postgresql``) it creates every table of ``Base.metadata``; a second
run changes nothing; and autogenerate finds no difference between the SQLAlchemy models and
the migrated database, so nobody changed a table without writing its migration.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from voortgang.models import tables  # noqa: F401 - registers every table on Base.metadata
from voortgang.models.base import Base
from voortgang.models.db import get_engine, upgrade_database


def schema() -> dict[str, Any]:
    """Tables, columns, indexes and the Alembic revision, as the database reports them."""
    engine = get_engine()
    inspector = inspect(engine)
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return {
        "revision": revision,
        "tables": {
            name: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
                sorted(i["name"] or "" for i in inspector.get_indexes(name)),
                inspector.get_pk_constraint(name)["constrained_columns"],
            )
            for name in sorted(inspector.get_table_names())
        },
    }


def test_upgrade_creates_every_table_of_the_models(empty_db: str) -> None:
    assert inspect(get_engine()).get_table_names() == []

    upgrade_database()

    created = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= created
    assert created - set(Base.metadata.tables) == {"alembic_version"}


def test_upgrading_again_is_a_no_op(empty_db: str) -> None:
    upgrade_database()
    before = schema()

    upgrade_database()

    assert schema() == before
    assert len(before["revision"]) == 1


def test_models_and_migrations_do_not_differ(empty_db: str) -> None:
    upgrade_database()
    with get_engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": Base.metadata}
        )
        differences = compare_metadata(context, Base.metadata)
    # No filter: on SQLite too the comparison comes out empty (types are compared as declared
    # in the migration, so SQLite's type affinity adds no noise). Should a future SQLAlchemy
    # report affinity-only type changes on SQLite, filter exactly those here, nothing else.
    assert differences == []
