"""The inbox folder: files dropped in are taken in, then moved, never deleted.

One file can never stop the run: whatever goes wrong while reading or storing it, the file
goes to rejected/ with the reason beside it and the run goes on. Only a database that does not
answer stops the run, and then the file stays in the inbox for the next one.

A file is taken only once its size and modification time have stood still for
``settle_seconds``: a file still being copied in is left for a later run. Each file is claimed
by renaming it into a folder of this run under processing/ before it is read; a rename
succeeds for one run only, so two runs at once never take the same file twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError, ProgrammingError

from voortgang.models.db import DatabaseDamagedError, DatabaseUnavailableError
from voortgang.models.submission_intake import take_in_file
from voortgang.models.validation_errors import FieldError, SubmissionRejected
from voortgang.settings import get_settings

PROCESSED = "processed"
REJECTED = "rejected"
PROCESSING = "processing"
ERRORS_SUFFIX = ".errors.txt"
# A claim older than this is taken over even when its run may still live: taking in one file
# takes seconds, so such a run is stuck (or it is on another machine that went away).
STALE_CLAIM_SECONDS = 3600

# The database failing as a whole (away, or its schema not what the code expects) says nothing
# about the file: keep the file for a later run.
# The database, not the file: leave the file for the next run instead of rejecting it.
_NOT_THE_FILES_FAULT = (
    DatabaseUnavailableError,
    DatabaseDamagedError,
    ProgrammingError,
    OperationalError,
    InterfaceError,
    InternalError,
)

log = logging.getLogger(__name__)


class InboxItem(BaseModel):
    file: str
    outcome: str  # stored | duplicate | rejected
    moved_to: str
    ministry: str | None = None
    version: int | None = None
    errors: list[str] = []


class InboxReport(BaseModel):
    items: list[InboxItem] = []
    waiting: list[str] = []  # still being written (or not movable): left for a later run

    @property
    def stored(self) -> int:
        return sum(i.outcome == "stored" for i in self.items)

    @property
    def rejected(self) -> int:
        return sum(i.outcome == "rejected" for i in self.items)


@dataclass(frozen=True)
class _Seen:
    size: int
    mtime_ns: int


def _candidates(inbox: Path) -> dict[Path, _Seen]:
    # Dot-files and .part/.tmp files are still being written by whoever drops them.
    found: dict[Path, _Seen] = {}
    for path in sorted(inbox.iterdir()):
        if path.name.startswith(".") or path.suffix in (".part", ".tmp"):
            continue
        try:
            if not path.is_file():
                continue
            st = path.stat()
        except OSError:
            continue  # gone meanwhile (another run took it) or unreadable
        found[path] = _Seen(st.st_size, st.st_mtime_ns)
    return found


def _settled(inbox: Path, settle_seconds: float, report: InboxReport) -> list[Path]:
    """The files whose size and modification time stood still for ``settle_seconds``.

    A file last changed longer ago than that is ready at once; younger ones are watched until
    they are that old (one wait for all of them, never longer than ``settle_seconds``). A file
    that changes meanwhile is still being written: it is left for a later run.
    """
    first = _candidates(inbox)
    if not first:
        return []
    started = time.time()
    youngest = max(seen.mtime_ns for seen in first.values()) / 1e9
    wait = min(settle_seconds, youngest + settle_seconds - started)
    if wait > 0:
        time.sleep(wait)
    ready = []
    for path, seen in first.items():
        try:
            st = path.stat()
        except OSError:
            continue  # another run took it meanwhile
        if _Seen(st.st_size, st.st_mtime_ns) == seen:
            ready.append(path)
        else:
            report.waiting.append(path.name)
    return ready


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True


def _host() -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in socket.gethostname())[:60]


def _claim_folder_name() -> str:
    return f"{_host()}--{os.getpid()}--{uuid.uuid4().hex[:8]}"


def _is_stale(folder: Path, now: float) -> bool:
    host, _, rest = folder.name.partition("--")
    pid_text, _, _ = rest.partition("--")
    try:
        age = now - folder.stat().st_mtime
    except OSError:
        return False
    if age > STALE_CLAIM_SECONDS:
        return True
    return host == _host() and pid_text.isdigit() and not _pid_alive(int(pid_text))


def _adopt_stale_claims(processing: Path) -> list[Path]:
    """Folders of files left claimed by a run that died, taken over by renaming each (once)."""
    if not processing.is_dir():
        return []
    now = time.time()
    adopted: list[Path] = []
    for folder in sorted(processing.iterdir()):
        if not folder.is_dir() or not _is_stale(folder, now):
            continue
        taken = processing / _claim_folder_name()
        try:
            folder.rename(taken)
        except OSError:
            continue  # another run adopted it first
        log.warning("inbox: taking over the files left claimed by %s", folder.name)
        adopted.append(taken)
    return adopted


def _claim(path: Path, own: Path) -> Path | None:
    own.mkdir(parents=True, exist_ok=True)
    target = own / path.name
    try:
        path.rename(target)
    except FileNotFoundError:
        return None  # another run claimed it first
    except OSError as exc:
        log.warning("inbox: cannot claim %s: %s", path.name, exc)
        return None
    return target


def _name_max(folder: Path) -> int:
    try:
        return min(os.pathconf(folder, "PC_NAME_MAX"), 255)
    except (OSError, ValueError):
        return 255


def _shorten(name: str, budget: int) -> str:
    """``name`` cut to ``budget`` bytes, keeping its suffix and adding a hash of the whole name."""
    if len(os.fsencode(name)) <= budget:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix}" if dot and 0 < len(suffix) <= 12 else ""
    stem = stem if suffix else name
    tail = f"~{digest}{suffix}"
    room = budget - len(os.fsencode(tail))
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return stem + tail


def _link_or_rename(source: Path, target: Path) -> None:
    """Move without ever replacing a file: a hard link fails when the target exists."""
    try:
        # follow_symlinks=False: a symlink dropped in moves as the link, not its target.
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links: check, then rename (racy, but only there).
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from exc
        source.rename(target)
        return
    source.unlink()


def _move(path: Path, name: str, folder: Path, stamp: str) -> Path:
    """Move ``path`` into ``folder`` as ``STAMP-name``; another name if that is taken or long.

    Never replaces a file already there, and leaves room for the ``.errors.txt`` beside it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    budget = _name_max(folder) - len(ERRORS_SUFFIX)
    counter = 0
    while True:
        prefix = f"{stamp}-{counter}-" if counter else f"{stamp}-"
        target = folder / _shorten(prefix + name, budget)
        try:
            _link_or_rename(path, target)
            return target
        except FileExistsError:
            counter += 1
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG or budget <= 64:
                raise
            budget = 64  # a file system (or path) shorter than it says: a short name


def _write_errors(target: Path, text: str) -> None:
    try:
        target.with_name(target.name + ERRORS_SUFFIX).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:  # the file itself is in rejected/; the reason is in the run's report
        log.warning("inbox: cannot write the errors of %s: %s", target.name, exc)


def _unexpected(name: str, exc: BaseException) -> SubmissionRejected:
    detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    return SubmissionRejected(
        name,
        [
            FieldError(
                "(file)",
                f"could not be taken in: {type(exc).__name__}{': ' + detail if detail else ''} "
                "(expected a submission that can be read and stored; the programme team has "
                "the details in the run's log)",
            )
        ],
    )


def _put_back(claimed: Path, inbox: Path) -> None:
    # Back under its own name; if a new file of that name arrived meanwhile, the claim stays
    # and a later run takes it over as a stale claim.
    try:
        _link_or_rename(claimed, inbox / claimed.name)
    except OSError as exc:
        log.warning("inbox: %s stays claimed in %s: %s", claimed.name, claimed.parent, exc)


def _take(claimed: Path, inbox: Path, today: dt.date | None, report: InboxReport) -> None:
    name = claimed.name
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
    try:
        result = take_in_file(claimed, channel="file", today=today)
    except _NOT_THE_FILES_FAULT:
        _put_back(claimed, inbox)
        raise
    except Exception as exc:
        if isinstance(exc, SubmissionRejected):
            rejected = exc
        else:
            log.exception("inbox: %s could not be taken in", name)
            rejected = _unexpected(name, exc)
        target = _move(claimed, name, inbox / REJECTED, stamp)
        _write_errors(target, rejected.report().replace(str(claimed), name))
        report.items.append(
            InboxItem(
                file=name,
                outcome="rejected",
                moved_to=str(target),
                errors=[line.replace(str(claimed), name) for line in rejected.lines()],
            )
        )
        return
    target = _move(claimed, name, inbox / PROCESSED, stamp)
    report.items.append(
        InboxItem(
            file=name,
            outcome="stored" if result.created else "duplicate",
            moved_to=str(target),
            ministry=result.ministry,
            version=result.version,
        )
    )


def process_inbox(
    inbox: Path, *, today: dt.date | None = None, settle_seconds: float | None = None
) -> InboxReport:
    """Take in every waiting file: stored ones go to processed/, bad ones to rejected/.

    ``settle_seconds`` (default: the setting ``inbox_settle_seconds``) is how long a file's
    size and time must stand still before it is taken. A database outage raises, and the file
    it happened on goes back to the inbox for the next run.
    """
    if settle_seconds is None:
        settle_seconds = get_settings().inbox_settle_seconds
    inbox.mkdir(parents=True, exist_ok=True)
    report = InboxReport()
    processing = inbox / PROCESSING
    own = processing / _claim_folder_name()
    adopted = _adopt_stale_claims(processing)
    try:
        for folder in adopted:
            for left in sorted(p for p in folder.iterdir() if p.is_file()):
                _take(left, inbox, today, report)
        for path in _settled(inbox, settle_seconds, report):
            claimed = _claim(path, own)
            if claimed is not None:
                _take(claimed, inbox, today, report)
    finally:
        for folder in (own, *adopted):
            with contextlib.suppress(OSError):  # never made, or a file stays claimed in it
                folder.rmdir()
    return report
