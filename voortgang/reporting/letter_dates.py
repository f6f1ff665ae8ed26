"""When a period's letter may be final, and the one date it describes (the peildatum).

A final letter for a quarter is drafted only once the quarter has ended and the ministries'
reports are due (the period's deadline has passed): before that, a missing report is not yet
missing and a figure may still change. Before then a draft can only be provisional, marked
"Voorlopig" on every page, and never approved.

The peildatum is the one date the letter describes ("Deze brief beschrijft de stand op ...",
the programme's judgement, missing reports, the coordinators' notes): the deadline for a
final letter (reports that come in later are still used, and the notes name them as late),
the day of drafting for a provisional one. It is the assessment's ``assessed_on``, so
milestones are overdue relative to the same day the letter names.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel

from voortgang.models.periods import Quarter

PROVISIONAL_OPTION = "--voorlopig"

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Readiness(StrEnum):
    final = "final"
    provisional_needed = "provisional-needed"


class DraftNotReady(ValueError):
    """A final letter was asked for before the period's reports are due (one line)."""


class DraftDates(BaseModel):
    """The dates one draft rests on: drafted on ``today``, describing ``peildatum``."""

    period: str
    deadline: dt.date
    today: dt.date
    provisional: bool
    peildatum: dt.date


def english_date(day: dt.date) -> str:
    """``31 December 2026``: the command line speaks English, whatever the locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def first_final_day(period: Quarter, deadline: dt.date) -> dt.date:
    """The first day a final letter may be drafted: after the quarter and its deadline."""
    return max(period.end, deadline) + dt.timedelta(days=1)


def draft_readiness(period: Quarter, deadline: dt.date, today: dt.date) -> Readiness:
    """``final`` once the period has ended and its deadline has passed, else a draft can
    only be provisional."""
    if today >= first_final_day(period, deadline):
        return Readiness.final
    return Readiness.provisional_needed


def not_ready_message(period: Quarter, deadline: dt.date) -> str:
    """Why a final letter cannot be drafted yet, and when it can (one line)."""
    return (
        f"--period {period}: the period ends on {english_date(period.end)} and its reports "
        f"are due on {english_date(deadline)}; a final letter can be drafted from "
        f"{english_date(first_final_day(period, deadline))} (or use {PROVISIONAL_OPTION} "
        "for a provisional draft marked 'Voorlopig')"
    )


def draft_dates(
    period: Quarter, deadline: dt.date, today: dt.date, *, allow_provisional: bool
) -> DraftDates:
    """The dates of a draft made on ``today``. Raises ``DraftNotReady`` when only a
    provisional draft is possible and it was not asked for. After the deadline the draft is
    final whether or not a provisional one was allowed."""
    provisional = draft_readiness(period, deadline, today) is Readiness.provisional_needed
    if provisional and not allow_provisional:
        raise DraftNotReady(not_ready_message(period, deadline))
    return DraftDates(
        period=str(period),
        deadline=deadline,
        today=today,
        provisional=provisional,
        peildatum=today if provisional else max(period.end, deadline),
    )


def provisional_notice(period: Quarter, peildatum: dt.date, deadline: dt.date) -> str:
    """The banner of a provisional draft, in Dutch (the letter's readers are Dutch)."""
    from voortgang.reporting.dutch import format_date

    return (
        f"Voorlopig concept, stand op {format_date(peildatum)}. De rapportages over het "
        f"{period.dutch_label} zijn uiterlijk {format_date(deadline)} in te leveren; "
        "deze versie is niet voor verzending en kan niet worden goedgekeurd. De definitieve "
        f"brief volgt na {format_date(deadline)}."
    )


def drafting_day() -> dt.date:
    """Today for drafting: ``VOORTGANG_TODAY`` when set (demos, tests), else the date."""
    from voortgang.settings import get_settings

    return get_settings().today or dt.date.today()
