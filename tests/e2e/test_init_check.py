"""`voortgang init` checks the database before it says "ready" (issue 12, part 9).

Protects: a table that went missing is created again, named as repaired, and the schema is
then the models' own again (no difference for Alembic's autogenerate); a database whose
record of its schema version (``alembic_version``) went missing gets it back when its tables
match; on SQLite a damaged file (``PRAGMA quick_check``) stops init with exit 1 and one line
that names the file and says to restore it, the file left byte for byte as it was, and never
"ready". Runs the installed command on the test database: SQLite, or PostgreSQL with
``VOORTGANG_TEST_DATABASE=postgresql`` (the damaged-file cases are SQLite's alone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from voortgang.models import tables  # noqa: F401 - registers every table on Base.metadata
from voortgang.models.base import Base
from voortgang.models.db import dispose_engines, get_engine, sqlite_file

VOORTGANG = Path(sys.executable).with_name("voortgang")


def init(env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VOORTGANG), "init"],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def drop(*names: str) -> None:
    with get_engine().begin() as connection:
        for name in names:
            connection.execute(text(f"DROP TABLE {name}"))
    dispose_engines()  # the command is another process: let go of the file


def schema_differences() -> list[object]:
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    dispose_engines()
    return list(differences)


def test_a_missing_table_is_created_again_and_named(db: str) -> None:
    drop("outbox", "decisions")
    assert {"outbox", "decisions"}.isdisjoint(inspect(get_engine()).get_table_names())
    dispose_engines()

    done = init()

    assert done.returncode == 0, done.stderr
    repaired = [line for line in done.stderr.splitlines() if line.startswith("Repaired: ")]
    assert len(repaired) == 2, done.stderr
    assert any("created missing table outbox" in line for line in repaired)
    assert any("created missing table decisions" in line for line in repaired)
    assert "Database ready" in done.stderr
    assert schema_differences() == []

    again = init()
    assert again.returncode == 0, again.stderr
    assert "Repaired" not in again.stderr


def test_a_lost_schema_version_is_recorded_again(db: str) -> None:
    drop("alembic_version", "outbox")

    done = init()

    assert done.returncode == 0, done.stderr
    assert "Repaired: created missing table outbox" in done.stderr
    assert "Repaired: recorded the schema version" in done.stderr
    with get_engine().connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    dispose_engines()
    assert schema_differences() == []
    assert "Repaired" not in init().stderr


def _damage_header(data: bytearray, _page_size: int) -> None:
    data[0:16] = b"not a database!\0"


def _damage_pages(data: bytearray, page_size: int) -> None:
    # Page headers of tables and indexes in the middle of the file: the b-tree no longer holds.
    for page in range(2, min(len(data) // page_size, 40)):
        data[page * page_size : page * page_size + 12] = b"\xff" * 12


@pytest.mark.parametrize("damage", [_damage_header, _damage_pages], ids=["header", "pages"])
def test_a_damaged_sqlite_file_is_named_and_left_alone(
    damage: object, db: str, tmp_path: Path
) -> None:
    path = sqlite_file(db)
    if path is None:
        pytest.skip("a damaged database file is SQLite's case (PRAGMA quick_check)")
    dispose_engines()
    copy_home = tmp_path / "copy"
    copy_home.mkdir()
    copy = copy_home / "voortgang.db"
    shutil.copy(path, copy)
    data = bytearray(copy.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert callable(damage)
    damage(data, page_size)
    copy.write_bytes(bytes(data))

    done = init({"VOORTGANG_HOME": str(copy_home), "VOORTGANG_DATABASE_URL": f"sqlite:///{copy}"})

    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"the database file {copy} is damaged" in lines[0]
    assert "quick_check" in lines[0]
    assert "Restore it from a backup" in lines[0]
    assert "ready" not in done.stderr
    assert copy.read_bytes() == bytes(data)
