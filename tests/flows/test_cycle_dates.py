"""Protects the cycle's dates: before the deadline it fails before drafting (no assessment,
no draft), with provisional=True it drafts a 'Voorlopig' letter that is not waited on, and
after the deadline the final draft supersedes the provisional one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.drafts import current_draft

PERIOD = "2026Q4"
BEFORE = dt.date(2026, 11, 30)
AFTER = dt.date(2027, 1, 6)


def _count(table: type[t.Base]) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_cycle_before_the_deadline_fails_before_drafting(db: str) -> None:
    submit_examples(PERIOD)
    state = quarterly_cycle(period=PERIOD, wait_for_approval=False, today=BEFORE, return_state=True)
    assert state.is_failed()
    assert "reports are due on 5 January 2027" in state.message
    assert "--voorlopig" in state.message
    assert _count(t.LetterDraft) == 0
    assert _count(t.Assessment) == 0


def test_provisional_draft_then_the_final_one_supersedes_it(db: str) -> None:
    submit_examples(PERIOD)
    early = quarterly_cycle(period=PERIOD, provisional=True, today=BEFORE)
    assert early.draft.provisional and early.decision is None  # not waited on
    with session_scope() as session:
        draft = current_draft(session, PERIOD)
        assert draft is not None and draft.provisional
        assert "Voorlopig" in draft.markdown and "stand op 30 november 2026" in draft.markdown
    final = quarterly_cycle(period=PERIOD, wait_for_approval=False, today=AFTER)
    assert not final.draft.provisional
    assert final.draft.version == early.draft.version + 1
    with session_scope() as session:
        draft = current_draft(session, PERIOD)
        assert draft is not None and not draft.provisional
        assert "Voorlopig" not in draft.markdown
        assert "stand op 5 januari 2027" in draft.markdown
        assert "6 januari 2027" in draft.markdown  # the letter's date
