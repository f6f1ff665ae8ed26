"""Taking in a submission: read, validate, store, as one unit of work per file."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from voortgang.models.db import session_scope, with_db_retry
from voortgang.models.identity import Actor, Channel, channel_refusal, file_owner_actor
from voortgang.models.submission_files import read_submission_file
from voortgang.models.submission_schema import SubmissionIn
from voortgang.models.submission_store import StoreResult, store_submission
from voortgang.models.submission_validation import load_registry, validate_submission
from voortgang.models.validation_errors import FieldError, SubmissionRejected
from voortgang.settings import get_settings


def take_in(
    raw: Any,
    *,
    source: str,
    channel: str,
    source_name: str | None = None,
    today: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
    actor: Actor | None = None,
) -> StoreResult:
    """Validate and store one submission; all or nothing.

    ``actor`` is who acted as the channel proves it (models/identity.py); None: the claim
    in the submission (``submitted_by``), not verified.

    ``today`` bounds the dates (as_of not after it); ``submitted_at`` overrides the moment
    stored (only the demo's example loader gives it, for a past quarter).

    Raises SubmissionRejected (nothing stored) or DatabaseUnavailableError; also when the
    channel may not submit (``VOORTGANG_SUBMIT_CHANNELS``).
    """
    refusal = channel_refusal(channel, act="submit")
    if refusal is not None:
        raise SubmissionRejected(source, [FieldError("channel", refusal)])

    def unit_of_work() -> StoreResult:
        # Two writers for the same ministry may race for the same version number; the
        # unique constraint refuses the second, which then simply tries again.
        for attempt in range(20):
            if attempt:
                # Many writers for one ministry at once: spread the retries out a little.
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter only
            try:
                with session_scope() as session:
                    sub: SubmissionIn = validate_submission(
                        raw, load_registry(session), source=source, today=today
                    )
                    stored = store_submission(
                        session,
                        sub,
                        channel=channel,
                        source_name=source_name,
                        submitted_at=submitted_at,
                        actor=actor,
                    )
                    if stored.created:
                        # After the letter's approval: kept, and the coordinators told.
                        from voortgang.reporting.decisions import flag_held_submissions

                        flag_held_submissions(session, stored.period)
                    return stored
            except IntegrityError as exc:
                if not _version_clash(exc):
                    raise  # a value the database refuses: its own reason, not a retry
                continue
        raise RuntimeError(f"{source}: could not get a version number after 20 attempts")

    stored = with_db_retry(unit_of_work)
    if stored.created:
        from voortgang.reporting.dashboard_refresh import refresh_dashboard

        refresh_dashboard(stored.period)  # committed: the dashboard shows it at once
    return stored


def _version_clash(exc: IntegrityError) -> bool:
    """A concurrent writer took the version number (the only constraint worth a retry)."""
    text = str(exc.orig)
    return "uq_submissions_ministry_code_period_id_version" in text or (
        # SQLite names the columns, not the constraint.
        "submissions.ministry_code, submissions.period_id, submissions.version" in text
    )


def take_in_file(
    path: Path,
    *,
    channel: str = "file",
    today: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
    actor: Actor | None = None,
) -> StoreResult:
    if actor is None and channel == Channel.file.value:
        actor = file_owner_actor(path)  # the inbox: whoever owns the file on disk
    raw, _fmt = read_submission_file(path, max_bytes=get_settings().max_submission_bytes)
    return take_in(
        raw,
        source=str(path),
        channel=channel,
        source_name=path.name,
        today=today,
        submitted_at=submitted_at,
        actor=actor,
    )
