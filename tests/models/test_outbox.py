"""Protects the outbox: a message is stored once per dedupe key, whatever runs twice.

A retried task, a resumed flow run and a second process all plan the same messages again;
the outbox must hold each once, must not commit on its own (the caller owns the unit of
work), and must say what is still unsent, how often it was tried, and why it failed.
"""

from __future__ import annotations

import threading
import time

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from voortgang.models.db import session_scope
from voortgang.models.outbox import (
    DraftFile,
    SlackPayload,
    count_pending,
    enqueue,
    enqueue_all,
    mark_failed,
    mark_sent,
    pending,
    recent,
)
from voortgang.models.tables import OutboxMessage
from voortgang.reporting.slack_messages import PlannedMessage


def _payload(text: str = "Herinnering") -> SlackPayload:
    return SlackPayload(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def _rows() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_second_enqueue_with_the_same_key_returns_the_stored_row_and_adds_nothing(db):
    with session_scope() as session:
        first = enqueue(
            session,
            kind="reminder",
            channel="#etvi-szw",
            dedupe_key="reminder:2026Q4:SZW:2026-12-30",
            payload=_payload("eerste"),
        )
        first_id = first.id
    with session_scope() as session:
        again = enqueue(
            session,
            kind="reminder",
            channel="#etvi-szw",
            dedupe_key="reminder:2026Q4:SZW:2026-12-30",
            payload=_payload("tweede"),
        )
        assert again.id == first_id
        assert again.payload["text"] == "eerste"  # the stored message is not rewritten
    assert _rows() == 1


def test_enqueue_stores_the_payload_as_json_and_a_file_only_as_a_reference(db):
    with session_scope() as session:
        row = enqueue(
            session,
            kind="draft_posted",
            channel="#etvi-coordinatie",
            dedupe_key="draft:2026Q4:v1",
            payload=SlackPayload(
                text="Concept",
                file=DraftFile(
                    draft_id=3,
                    format="docx",
                    filename="voortgangsbrief-2026Q4-v1.docx",
                    title="Concept",
                    initial_comment="Concept, versie 1",
                ),
            ),
        )
        row_id = row.id
    with session_scope() as session:
        stored = session.get(OutboxMessage, row_id)
        assert stored is not None
        assert stored.payload["file"] == {
            "draft_id": 3,
            "format": "docx",
            "filename": "voortgangsbrief-2026Q4-v1.docx",
            "title": "Concept",
            "initial_comment": "Concept, versie 1",
        }
        assert (stored.attempts, stored.sent_at, stored.last_error) == (0, None, None)


def test_a_payload_slack_could_not_send_is_refused_before_it_is_stored(db):
    with pytest.raises(ValidationError), session_scope() as session:
        enqueue(session, kind="reminder", channel="#x", dedupe_key="k", payload={"text": ""})
    with pytest.raises(ValidationError), session_scope() as session:
        enqueue(
            session,
            kind="draft_posted",
            channel="#x",
            dedupe_key="k2",
            payload={"text": "t", "file": {"draft_id": 1, "format": "pdf", "filename": "a"}},
        )
    assert _rows() == 0


def test_enqueue_never_commits_on_its_own(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), session_scope() as session:
        enqueue(session, kind="reminder", channel="#x", dedupe_key="k", payload=_payload())
        raise Boom
    assert _rows() == 0


def test_enqueue_all_counts_only_new_messages(db):
    planned = [
        PlannedMessage(kind="reminder", channel="#a", dedupe_key=f"k{i}", payload=_payload())
        for i in range(3)
    ]
    with session_scope() as session:
        assert enqueue_all(session, planned) == 3
    with session_scope() as session:
        assert (
            enqueue_all(session, [*planned[1:], planned[0].model_copy(update={"dedupe_key": "k9"})])
            == 1
        )
    assert _rows() == 4


def test_two_processes_enqueueing_the_same_key_at_once_store_one_row(db):
    """The second writer waits for the first (SQLite: BEGIN IMMEDIATE; PostgreSQL: the unique
    index) and then returns the first writer's row instead of failing."""
    key = "escalation:2026Q4"
    first_in = threading.Event()
    release = threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with session_scope() as session:
                row = enqueue(
                    session, kind="escalation", channel="#c", dedupe_key=key, payload=_payload("A")
                )
                session.flush()
                results["first"] = row.id
                first_in.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)
            first_in.set()

    def second() -> None:
        try:
            with session_scope() as session:
                row = enqueue(
                    session, kind="escalation", channel="#c", dedupe_key=key, payload=_payload("B")
                )
                results["second"] = row.id
                results["second_text"] = row.payload["text"] == "A"
        except BaseException as exc:
            errors.append(exc)

    a = threading.Thread(target=first)
    a.start()
    assert first_in.wait(10)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(0.5)  # the second writer is now blocked behind the first one's transaction
    assert b.is_alive()
    release.set()
    a.join(15)
    b.join(15)
    assert not errors, errors
    assert results["first"] == results["second"]
    assert results["second_text"] is True
    assert _rows() == 1


def test_pending_lists_unsent_oldest_first_and_marks_record_attempts_and_errors(db):
    with session_scope() as session:
        for key in ("a", "b", "c"):
            enqueue(session, kind="reminder", channel="#x", dedupe_key=key, payload=_payload(key))
    with session_scope() as session:
        a, b, c = pending(session)
        assert [m.dedupe_key for m in (a, b, c)] == ["a", "b", "c"]
        mark_sent(a)
        mark_failed(b, "Slack answered HTTP 500: internal_error")
        mark_failed(b, "RemoteDisconnected: Remote end closed connection without response")
    with session_scope() as session:
        assert [m.dedupe_key for m in pending(session)] == ["b", "c"]
        assert [m.dedupe_key for m in pending(session, limit=1)] == ["b"]
        assert count_pending(session) == 2
        by_key = {m.dedupe_key: m for m in recent(session)}
        assert by_key["a"].sent_at is not None and by_key["a"].attempts == 1
        assert by_key["b"].sent_at is None and by_key["b"].attempts == 2
        assert by_key["b"].last_error == (
            "RemoteDisconnected: Remote end closed connection without response"
        )
        assert by_key["c"].attempts == 0
