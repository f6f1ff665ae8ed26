"""The inbox folder: every dropped file is taken in, moved, and never lost; none jams it.

Protects ``process_inbox``: valid files are stored and land in processed/, invalid ones land in
rejected/ with a ``.errors.txt`` report beside them that names the field, files still being
written (``.part``, or still growing) are left where they are, and no file is ever deleted:
every byte dropped in the inbox can be found under it afterwards. Whatever fails on one file
(a corrupt or password-protected workbook, a spreadsheet bomb, a file nested 100,000 levels
deep, a key written twice, the database refusing its values, a name too long to move) rejects
that file with its reason and the run goes on to the next; only a database outage stops the
run, leaving the file for the next one. Two runs at once neither fail nor store a file twice,
and a file left claimed by a run that died is taken by the next.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

import voortgang.models.inbox as inbox_module
from tests.models.factories import (
    NOTHING,
    TODAY,
    dump_yaml,
    example,
    stored,
    versions,
    write_submission,
)
from tests.models.test_submission_xlsx_limits import (
    MILESTONES_PART,
    filled_workbook,
    rewrite,
    xfd_rows_bomb,
)
from voortgang.models.db import get_engine, session_scope
from voortgang.models.inbox import PROCESSED, PROCESSING, REJECTED, InboxReport, process_inbox


def everything_under(folder: Path) -> list[bytes]:
    return sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def inbox(home: Path) -> Path:
    folder = home / "inbox"
    folder.mkdir()
    return folder


def test_valid_files_are_stored_and_moved_to_processed(inbox: Path) -> None:
    vws = write_submission(inbox / "VWS.yaml", example("VWS"))
    bzk = write_submission(inbox / "BZK.json", example("BZK"))

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert sorted((i.file, i.outcome, i.ministry, i.version) for i in report.items) == [
        ("BZK.json", "stored", "BZK", 1),
        ("VWS.yaml", "stored", "VWS", 1),
    ]
    assert not vws.exists() and not bzk.exists()
    processed = sorted(p.name for p in (inbox / PROCESSED).iterdir())
    assert [name.split("-", 1)[1] for name in processed] == ["BZK.json", "VWS.yaml"]
    assert versions("VWS", "2026Q4") == [1] and versions("BZK", "2026Q4") == [1]


def test_invalid_file_is_moved_to_rejected_with_a_report_naming_the_field(inbox: Path) -> None:
    data = example("VWS")
    data["milestones"][0]["progress"] = 140
    data["milestones"][1]["milestone"] = "bzk-joint-steering"
    write_submission(inbox / "VWS.yaml", data)

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    (item,) = report.items
    assert item.outcome == "rejected"
    moved = Path(item.moved_to)
    assert moved.parent == inbox / REJECTED and moved.name.endswith("VWS.yaml")
    errors = moved.with_name(moved.name + ".errors.txt").read_text(encoding="utf-8")
    assert "VWS.yaml: milestones.0.progress:" in errors and "0 to 100" in errors
    assert "VWS.yaml: milestones.1.milestone:" in errors and "belongs to BZK" in errors
    assert str(inbox) not in errors  # the report names the file as the sender knows it
    assert stored().submissions == 0


def test_files_that_are_not_submissions_are_rejected_not_deleted(inbox: Path) -> None:
    (inbox / "notes.txt").write_text("bel VWS terug\n", encoding="utf-8")
    (inbox / "empty.yaml").write_bytes(b"")
    (inbox / "latin.yaml").write_bytes("narrative: caf\xe9\n".encode("latin-1"))

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert {i.file: i.outcome for i in report.items} == {
        "notes.txt": "rejected",
        "empty.yaml": "rejected",
        "latin.yaml": "rejected",
    }
    rejected = {p.name for p in (inbox / REJECTED).iterdir()}
    for name, problem in (
        ("notes.txt", "not accepted"),
        ("empty.yaml", "empty"),
        ("latin.yaml", "UTF-8"),
    ):
        (moved,) = [r for r in rejected if r.endswith("-" + name)]
        report_text = (inbox / REJECTED / (moved + ".errors.txt")).read_text(encoding="utf-8")
        assert f"{name}: (file): " in report_text and problem in report_text


def test_part_files_and_hidden_files_are_left_alone(inbox: Path) -> None:
    part = inbox / "VWS.yaml.part"
    part.write_text("ministry: VWS\nperiod: 20", encoding="utf-8")
    hidden = inbox / ".VWS.yaml.swp"
    hidden.write_bytes(b"\x00\x01")

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert report.items == []
    assert part.read_text(encoding="utf-8") == "ministry: VWS\nperiod: 20"
    assert hidden.exists()
    assert stored().submissions == 0


class _FrozenClock(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _FrozenClock:
        return cls(2026, 11, 25, 12, 0, 0, tzinfo=tz)


def test_nothing_dropped_in_the_inbox_is_ever_deleted(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen clock: both runs use the same time stamp, so the moved names would collide.
    monkeypatch.setattr(
        inbox_module, "dt", SimpleNamespace(datetime=_FrozenClock, UTC=dt.UTC, date=dt.date)
    )
    write_submission(inbox / "VWS.yaml", example("VWS"))
    bad = example("JenV")
    bad["ministry"] = "VWX"
    write_submission(inbox / "JenV.yaml", bad)
    (inbox / "letter.pdf").write_bytes(b"%PDF-1.4 ...")
    (inbox / "AenM.yaml.part").write_text("half", encoding="utf-8")
    dropped = everything_under(inbox)

    process_inbox(inbox, today=TODAY, settle_seconds=0)
    # The same VWS file again, in the same second: a duplicate, kept under another name.
    second = write_submission(inbox / "VWS.yaml", example("VWS"))
    dropped.append(second.read_bytes())
    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert [(i.file, i.outcome) for i in report.items] == [("VWS.yaml", "duplicate")]
    assert versions("VWS", "2026Q4") == [1]
    kept = sorted(
        p.read_bytes()
        for p in inbox.rglob("*")
        if p.is_file() and not p.name.endswith(".errors.txt")
    )
    assert kept == sorted(dropped)  # every file, byte for byte, and nothing more
    assert sorted(p.name for p in (inbox / PROCESSED).iterdir()) == [
        "20261125T120000-1-VWS.yaml",
        "20261125T120000-VWS.yaml",
    ]
    assert (inbox / "AenM.yaml.part").exists()


def test_a_database_outage_leaves_the_file_waiting_in_the_inbox(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voortgang.models.db import DatabaseUnavailableError

    def unavailable(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailableError("the database did not answer")

    path = write_submission(inbox / "VWS.yaml", example("VWS"))
    monkeypatch.setattr(inbox_module, "take_in_file", unavailable)
    with pytest.raises(DatabaseUnavailableError):
        process_inbox(inbox, today=TODAY, settle_seconds=0)
    assert path.exists()
    assert not (inbox / PROCESSED).exists() and not (inbox / REJECTED).exists()


def errors_beside(moved_to: str) -> str:
    moved = Path(moved_to)
    return moved.with_name(moved.name + ".errors.txt").read_text(encoding="utf-8")


def _corrupt_xlsx(inbox: Path) -> bytes:
    good = filled_workbook(inbox.parent / "made").read_bytes()
    return good[: len(good) // 2]


def _xlsx_bomb(inbox: Path) -> bytes:
    made = inbox.parent / "made"
    bomb = rewrite(filled_workbook(made), made / "bomb.xlsx", {MILESTONES_PART: xfd_rows_bomb})
    return bomb.read_bytes()


def _duplicate_key(inbox: Path) -> bytes:
    return (dump_yaml(example("BZK")) + "period: 2026Q3\n").encode("utf-8")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a-corrupt.xlsx", _corrupt_xlsx, "the workbook cannot be read"),
        ("a-locked.xlsx", lambda _: bytes.fromhex("d0cf11e0a1b11ae1") * 64, "password-protected"),
        ("a-bomb.xlsx", _xlsx_bomb, "the sheet 'Mijlpalen' has a value in cell XFD"),
        ("a-deep.json", lambda _: b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        ("a-deep.yaml", lambda _: b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        ("a-twice.yaml", _duplicate_key, "the key 'period' appears twice"),
    ],
)
def test_a_bad_file_ahead_of_a_good_one_is_rejected_and_the_good_one_stored(
    inbox: Path, name: str, content: object, reason: str
) -> None:
    assert callable(content)
    (inbox / name).write_bytes(content(inbox))
    write_submission(inbox / "b-VWS.yaml", example("VWS"))

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    bad, good = report.items
    assert (bad.file, bad.outcome) == (name, "rejected")
    assert Path(bad.moved_to).parent == inbox / REJECTED
    errors = errors_beside(bad.moved_to)
    assert errors.startswith(f"{name}: (file): ") and reason in errors and "(expected" in errors
    assert (good.file, good.outcome, good.ministry, good.version) == (
        "b-VWS.yaml",
        "stored",
        "VWS",
        1,
    )
    assert stored().submissions == 1
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == []


def _refuse_in_the_database(source_name_prefix: str) -> None:
    """A rule in the database itself that refuses a submission's values, on either backend."""
    with session_scope() as session:
        if get_engine().dialect.name == "postgresql":
            session.execute(
                text(
                    "CREATE FUNCTION refuse_for_test() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.source_name LIKE '{source_name_prefix}%' THEN "
                    "RAISE EXCEPTION 'refused by a rule of the database' "
                    "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER refuse_for_test BEFORE INSERT ON submissions "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_for_test()"
                )
            )
        else:
            session.execute(
                text(
                    "CREATE TRIGGER refuse_for_test BEFORE INSERT ON submissions "
                    f"WHEN NEW.source_name LIKE '{source_name_prefix}%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by a rule of the database'); END"
                )
            )


def test_a_database_error_on_one_files_values_rejects_that_file_only(inbox: Path) -> None:
    _refuse_in_the_database("a-")
    write_submission(inbox / "a-BZK.yaml", example("BZK"))
    write_submission(inbox / "b-VWS.yaml", example("VWS"))

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    bad, good = report.items
    assert (bad.file, bad.outcome) == ("a-BZK.yaml", "rejected")
    errors = errors_beside(bad.moved_to)
    assert errors.startswith("a-BZK.yaml: (file): could not be taken in: ")
    assert (good.file, good.outcome) == ("b-VWS.yaml", "stored")
    assert versions("BZK", "2026Q4") == [] and versions("VWS", "2026Q4") == [1]


def test_a_name_too_long_to_move_is_shortened_and_the_file_stored_once(inbox: Path) -> None:
    limit = os.pathconf(inbox, "PC_NAME_MAX")
    good_name = "VWS-" + "x" * (limit - len("VWS-.yaml")) + ".yaml"
    bad_name = "BZK-" + "y" * (limit - len("BZK-.yaml")) + ".yaml"
    good = write_submission(inbox / good_name, example("VWS"))
    content = good.read_bytes()
    bad = example("BZK")
    bad["ministry"] = "BZX"
    write_submission(inbox / bad_name, bad)

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)
    again = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert {i.file: i.outcome for i in report.items} == {good_name: "stored", bad_name: "rejected"}
    assert again.items == []
    assert versions("VWS", "2026Q4") == [1] and stored().submissions == 1
    (processed,) = (inbox / PROCESSED).iterdir()
    assert processed.name.endswith(".yaml") and processed.name.startswith(
        dt.date.today().strftime("%Y")
    )
    assert len(processed.name) <= limit and processed.read_bytes() == content
    rejected = sorted(p.name for p in (inbox / REJECTED).iterdir())
    assert len(rejected) == 2 and rejected[1] == rejected[0] + ".errors.txt"
    assert errors_beside(str(inbox / REJECTED / rejected[0])).startswith(f"{bad_name}: ministry: ")


def _write_slowly(path: Path, content: bytes, seconds: float) -> None:
    pieces = 30
    step = len(content) // pieces + 1
    with path.open("wb") as handle:
        for start in range(0, len(content), step):
            handle.write(content[start : start + step])
            handle.flush()
            time.sleep(seconds / pieces)


def test_a_file_still_being_written_is_not_taken(inbox: Path) -> None:
    content = dump_yaml(example("VWS")).encode("utf-8")
    path = inbox / "VWS.yaml"
    writer = threading.Thread(target=_write_slowly, args=(path, content, 3.0))
    writer.start()
    try:
        time.sleep(0.3)  # the writer has begun: part of the file is there
        report = process_inbox(inbox, today=TODAY, settle_seconds=1.0)
    finally:
        writer.join()

    assert report.items == [] and report.waiting == ["VWS.yaml"]
    assert stored() == NOTHING
    assert path.read_bytes() == content  # still there, whole, for the next run

    later = process_inbox(inbox, today=TODAY, settle_seconds=0.5)

    assert [(i.file, i.outcome) for i in later.items] == [("VWS.yaml", "stored")]


def test_a_file_that_arrived_by_rename_is_taken_without_waiting(inbox: Path) -> None:
    # Written under a name the inbox ignores, then renamed: the rename keeps the time of the
    # last write, which here lies well in the past, as after a copy that keeps times.
    part = write_submission(inbox / "VWS.yaml.part", example("VWS"))
    an_hour_ago = time.time() - 3600
    os.utime(part, (an_hour_ago, an_hour_ago))
    part.rename(inbox / "VWS.yaml")
    started = time.monotonic()

    report = process_inbox(inbox, today=TODAY, settle_seconds=60)

    assert time.monotonic() - started < 30
    assert [(i.file, i.outcome) for i in report.items] == [("VWS.yaml", "stored")]


def test_the_setting_decides_how_long_a_new_file_must_stand_still(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voortgang.settings import reset_settings

    monkeypatch.setenv("VOORTGANG_INBOX_SETTLE_SECONDS", "1.5")
    reset_settings()
    write_submission(inbox / "VWS.yaml", example("VWS"))
    started = time.monotonic()

    report = process_inbox(inbox, today=TODAY)

    assert time.monotonic() - started >= 1.0  # it watched the new file before taking it
    assert [(i.file, i.outcome) for i in report.items] == [("VWS.yaml", "stored")]


def test_two_ingests_at_once_neither_fail_nor_double_a_file(inbox: Path) -> None:
    ministries = ["AenM", "BZK", "JenV", "VRO", "VWS"]
    for code in ministries:
        write_submission(inbox / f"{code}.yaml", example(code))
        write_submission(inbox / f"copy-{code}.json", example(code))
    dropped = everything_under(inbox)
    start = threading.Barrier(2)
    reports: list[InboxReport] = []
    failures: list[BaseException] = []

    def ingest() -> None:
        start.wait()
        try:
            reports.append(process_inbox(inbox, today=TODAY, settle_seconds=0))
        except BaseException as exc:
            failures.append(exc)

    runs = [threading.Thread(target=ingest) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    assert failures == []
    taken = sorted(item.file for report in reports for item in report.items)
    assert taken == sorted(
        [f"{c}.yaml" for c in ministries] + [f"copy-{c}.json" for c in ministries]
    )
    assert [versions(code, "2026Q4") for code in ministries] == [[1]] * 5
    outcomes = sorted(item.outcome for report in reports for item in report.items)
    assert outcomes == ["duplicate"] * 5 + ["stored"] * 5
    assert sorted(p.read_bytes() for p in (inbox / PROCESSED).iterdir()) == dropped
    assert [p for p in inbox.rglob("*") if p.is_file() and PROCESSED not in p.parts] == []


def test_a_file_left_claimed_by_a_run_that_died_is_taken_by_the_next(inbox: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    claim = inbox / PROCESSING / f"{inbox_module._host()}--{dead.pid}--deadbeef"
    write_submission(claim / "VWS.yaml", example("VWS"))

    report = process_inbox(inbox, today=TODAY, settle_seconds=0)

    assert [(i.file, i.outcome) for i in report.items] == [("VWS.yaml", "stored")]
    assert list((inbox / PROCESSING).iterdir()) == []
    assert versions("VWS", "2026Q4") == [1]
