"""A letter draft for a period through the plain functions the cycle's steps call (no Prefect)."""

from __future__ import annotations

import datetime as dt

from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.period_store import open_period
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_store import store_assessment
from voortgang.reporting.drafts import DraftResult, make_draft
from voortgang.settings import get_settings

TODAY = dt.date(2026, 11, 25)


def draft_period(period: str, *, today: dt.date = TODAY, provisional: bool = False) -> DraftResult:
    """Open the period, assess what is stored and draft the letter, as the cycle does."""
    catalogue = load_catalogue()
    with session_scope() as session:
        open_period(session, period)
        assessment = assess_period(session, catalogue, period, today=today)
        assessment_id = store_assessment(session, assessment)
        return make_draft(
            session,
            catalogue,
            period,
            assessment_id,
            letters_dir=get_settings().letters_dir,
            letter_date=today,
            provisional=provisional,
        )
