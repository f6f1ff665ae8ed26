"""The notification outbox: every Slack message is written here first, then sent.

A message is identified by its ``dedupe_key`` (``reminder:2026Q4:SZW:2026-12-30``): planning
the same message again, in a retried task, a resumed flow run or a second process, adds
nothing. Rows are never deleted; ``sent_at`` says whether Slack accepted the message.

Functions take the session as an argument and never commit: the caller owns the unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voortgang.models.base import utcnow
from voortgang.models.tables import OutboxMessage

MAX_ERROR_CHARS = 1000

DraftFormat = Literal["docx", "html", "md"]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DraftFile(_Payload):
    """A letter draft to share as a file. Only a reference: the sender reads the bytes from
    ``LetterDraft`` when it sends, so the outbox does not hold the letter a second time."""

    draft_id: int
    format: DraftFormat
    filename: str = Field(min_length=1)
    title: str
    initial_comment: str = ""


class SlackPayload(_Payload):
    """What Slack needs for one message: a fallback text and Block Kit blocks, or a file."""

    text: str = Field(min_length=1)  # the notification text; also what screen readers get
    blocks: list[dict[str, Any]] = []
    file: DraftFile | None = None


class OutgoingMessage(Protocol):
    """Anything that describes one message to enqueue (``PlannedMessage`` does)."""

    @property
    def kind(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def dedupe_key(self) -> str: ...
    @property
    def payload(self) -> SlackPayload: ...


def _by_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).first()


def _enqueue(
    session: Session,
    *,
    kind: str,
    channel: str,
    dedupe_key: str,
    payload: SlackPayload | Mapping[str, Any],
) -> tuple[OutboxMessage, bool]:
    existing = _by_key(session, dedupe_key)
    if existing is not None:
        return existing, False
    document = SlackPayload.model_validate(payload).model_dump(mode="json", exclude_none=True)
    row = OutboxMessage(
        kind=kind, channel=channel, dedupe_key=dedupe_key, payload=document, attempts=0
    )
    try:
        # A savepoint: when another process inserted the same key in the meantime, only
        # this insert is undone, not the caller's transaction.
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raced = _by_key(session, dedupe_key)
        if raced is None:  # the IntegrityError was about something else
            raise
        return raced, False
    return row, True


def enqueue(
    session: Session,
    *,
    kind: str,
    channel: str,
    dedupe_key: str,
    payload: SlackPayload | Mapping[str, Any],
) -> OutboxMessage:
    """Add a message to the outbox once: a second call with the same key returns the
    stored row and adds nothing, also when two processes enqueue it at the same moment."""
    row, _created = _enqueue(
        session, kind=kind, channel=channel, dedupe_key=dedupe_key, payload=payload
    )
    return row


def enqueue_all(session: Session, messages: Iterable[OutgoingMessage]) -> int:
    """Enqueue each message once; returns how many were new."""
    new = 0
    for message in messages:
        _row, created = _enqueue(
            session,
            kind=message.kind,
            channel=message.channel,
            dedupe_key=message.dedupe_key,
            payload=message.payload,
        )
        new += created
    return new


def pending(session: Session, *, limit: int | None = None) -> list[OutboxMessage]:
    """Messages Slack has not accepted yet, oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_pending(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
        or 0
    )


def recent(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """The newest messages, sent or not, oldest of them first (for ``voortgang notify``)."""
    newest = list(
        session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
    )
    return newest[::-1]


def claim_next(session: Session, *, after_id: int = 0) -> OutboxMessage | None:
    """Lock the next unsent message after ``after_id`` for sending in this transaction.

    On PostgreSQL the row is taken with ``SELECT ... FOR UPDATE SKIP LOCKED``: a second
    deliverer skips rows another one is sending and takes the next, and a row committed as
    sent in the meantime no longer matches ``sent_at IS NULL`` when it is locked. On SQLite
    ``with_for_update`` renders nothing; there our engine opens every transaction with
    ``BEGIN IMMEDIATE`` (models/db.py), so one deliverer at a time holds the write lock from
    this select until its commit, and the next one sees the row as sent.
    """
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.id > after_id)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).first()


def mark_sent(message: OutboxMessage, *, at: dt.datetime | None = None) -> None:
    """Slack accepted the message: it is never sent again."""
    message.attempts = (message.attempts or 0) + 1
    message.sent_at = at or utcnow()


def mark_failed(message: OutboxMessage, error: str) -> None:
    """Sending failed: count the attempt and keep the error; the message stays pending."""
    message.attempts = (message.attempts or 0) + 1
    message.last_error = error.strip()[:MAX_ERROR_CHARS] or "unknown error"
