"""Migration 0008 (who acted): upgrading a database of 0007 keeps every submission and decision.

Protects the rows stored before identity was recorded: after the upgrade each keeps its
claim (``submitted_by`` / ``decided_by`` as ``claimed_by``), has no principal and is not
verified, on SQLite and on PostgreSQL (``VOORTGANG_TEST_DATABASE=postgresql``).
"""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import MetaData, select

from voortgang.models.db import alembic_config, get_engine, upgrade_database

WHEN = dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC)


def _store_rows_of_0007() -> None:
    engine = get_engine()
    meta = MetaData()
    meta.reflect(engine)
    tb = meta.tables
    with engine.begin() as connection:
        connection.execute(
            tb["ministries"].insert(),
            {
                "code": "VWS",
                "name": "Volksgezondheid, Welzijn en Sport",
                "short_name": "VWS",
                "slack_channel": "#vws",
                "valid_from": dt.date(2026, 1, 1),
            },
        )
        connection.execute(
            tb["submissions"].insert(),
            {
                "id": 1,
                "ministry_code": "VWS",
                "period_id": "2026Q4",
                "version": 1,
                "submitted_by": "a.jansen@minvws.nl",
                "submitted_at": WHEN,
                "channel": "form",
                "content_hash": "0" * 64,
                "payload": {},
            },
        )
        connection.execute(
            tb["assessments"].insert(),
            {
                "id": 1,
                "period_id": "2026Q4",
                "created_at": WHEN,
                "content_hash": "1" * 64,
                "payload": {},
            },
        )
        connection.execute(
            tb["letter_drafts"].insert(),
            {
                "id": 1,
                "period_id": "2026Q4",
                "version": 1,
                "created_at": WHEN,
                "assessment_id": 1,
                "content_hash": "2" * 64,
                "markdown": "#",
                "html": "<p>",
                "docx": b"",
                "state": "final",
            },
        )
        connection.execute(
            tb["decisions"].insert(),
            {
                "id": 1,
                "draft_id": 1,
                "decision": "approve",
                "decided_by": "coordinator@minbzk.nl",
                "decided_at": WHEN,
                "channel": "cli",
            },
        )


def test_upgrade_from_0007_keeps_rows_with_their_claim_and_no_principal(empty_db: str) -> None:
    command.upgrade(alembic_config(), "0007")
    _store_rows_of_0007()

    upgrade_database()

    meta = MetaData()
    meta.reflect(get_engine())
    with get_engine().connect() as connection:
        sub = connection.execute(select(meta.tables["submissions"])).mappings().one()
        dec = connection.execute(select(meta.tables["decisions"])).mappings().one()
    assert (sub["submitted_by"], sub["claimed_by"]) == ("a.jansen@minvws.nl",) * 2
    assert (sub["principal"], bool(sub["principal_verified"])) == (None, False)
    assert (sub["version"], sub["channel"]) == (1, "form")
    assert (dec["decided_by"], dec["claimed_by"]) == ("coordinator@minbzk.nl",) * 2
    assert (dec["principal"], bool(dec["principal_verified"])) == (None, False)
    assert dec["decision"] == "approve"


def test_downgrade_to_0007_and_up_again(empty_db: str) -> None:
    upgrade_database()
    command.downgrade(alembic_config(), "0007")
    meta = MetaData()
    meta.reflect(get_engine())
    columns = {c.name for c in meta.tables["submissions"].columns}
    assert "principal" not in columns

    upgrade_database()

    meta = MetaData()
    meta.reflect(get_engine())
    assert {"claimed_by", "principal", "principal_verified"} <= {
        c.name for c in meta.tables["decisions"].columns
    }
