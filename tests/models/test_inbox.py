"""The inbox folder: every dropped file is taken in, moved, and never lost.

Protects ``process_inbox``: valid files are stored and land in processed/, invalid ones land in
rejected/ with a ``.errors.txt`` report beside them that names the field, files still being
written (``.part``) are left where they are, and no file is ever deleted: every byte dropped
in the inbox can be found under it afterwards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

import voortgang.models.inbox as inbox_module
from tests.models.factories import TODAY, example, stored, versions, write_submission
from voortgang.models.inbox import PROCESSED, REJECTED, process_inbox


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

    report = process_inbox(inbox, today=TODAY)

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

    report = process_inbox(inbox, today=TODAY)

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

    report = process_inbox(inbox, today=TODAY)

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

    report = process_inbox(inbox, today=TODAY)

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

    process_inbox(inbox, today=TODAY)
    # The same VWS file again, in the same second: a duplicate, kept under another name.
    second = write_submission(inbox / "VWS.yaml", example("VWS"))
    dropped.append(second.read_bytes())
    report = process_inbox(inbox, today=TODAY)

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
        process_inbox(inbox, today=TODAY)
    assert path.exists()
    assert not (inbox / PROCESSED).exists() and not (inbox / REJECTED).exists()
