"""The inbox folder: files dropped in are taken in, then moved, never deleted."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pydantic import BaseModel

from voortgang.models.submission_intake import take_in_file
from voortgang.models.validation_errors import SubmissionRejected

PROCESSED = "processed"
REJECTED = "rejected"


class InboxItem(BaseModel):
    file: str
    outcome: str  # stored | duplicate | rejected
    moved_to: str
    ministry: str | None = None
    version: int | None = None
    errors: list[str] = []


class InboxReport(BaseModel):
    items: list[InboxItem] = []

    @property
    def stored(self) -> int:
        return sum(i.outcome == "stored" for i in self.items)

    @property
    def rejected(self) -> int:
        return sum(i.outcome == "rejected" for i in self.items)


def _waiting(inbox: Path) -> list[Path]:
    # Dot-files and .part/.tmp files are still being written by whoever drops them.
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix not in (".part", ".tmp")
    )


def _move(path: Path, folder: Path, stamp: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stamp}-{path.name}"
    counter = 1
    while target.exists():
        target = folder / f"{stamp}-{counter}-{path.name}"
        counter += 1
    shutil.move(str(path), target)
    return target


def process_inbox(inbox: Path, *, today: dt.date | None = None) -> InboxReport:
    """Take in every waiting file: stored ones go to processed/, bad ones to rejected/.

    A database outage raises before the file is moved, so the file waits for the next run.
    """
    inbox.mkdir(parents=True, exist_ok=True)
    report = InboxReport()
    for path in _waiting(inbox):
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
        try:
            result = take_in_file(path, channel="file", today=today)
        except SubmissionRejected as exc:
            target = _move(path, inbox / REJECTED, stamp)
            target.with_name(target.name + ".errors.txt").write_text(
                exc.report().replace(str(path), path.name) + "\n", encoding="utf-8"
            )
            report.items.append(
                InboxItem(
                    file=path.name, outcome="rejected", moved_to=str(target), errors=exc.lines()
                )
            )
            continue
        target = _move(path, inbox / PROCESSED, stamp)
        report.items.append(
            InboxItem(
                file=path.name,
                outcome="stored" if result.created else "duplicate",
                moved_to=str(target),
                ministry=result.ministry,
                version=result.version,
            )
        )
    return report
