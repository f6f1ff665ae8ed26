"""Dutch notation for the letter: dates, numbers, percentages and status labels.

The conventions follow the Kamerbrief practice (``letter-conventions.md``): ``25 november 2026``
without a leading zero and with the month in lower case; a point as thousands separator from
five digits (``28.721``, ``900.000``; ``4062`` stays as it is); a decimal comma (``28,6``);
one percentage style, ``28,6%``. These are the only places where Dutch labels for the
English enum values of the data live; the templates reach them as Jinja2 filters.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import Enum
from typing import Any

from jinja2 import Environment

from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import GoalState

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

GOAL_STATE_LABELS: dict[str, str] = {
    GoalState.on_track.value: "op schema",
    GoalState.at_risk.value: "risico",
    GoalState.off_track.value: "achter op schema",
    GoalState.no_data.value: "geen gegevens",
}

# An indicator that judges nothing says why, instead of "geen gegevens" (IndicatorVerdict).
INDICATOR_VERDICT_LABELS: dict[str, str] = {
    "no_new_measurement": "geen nieuwe meting",
    "no_official_date": "geen oordeel (geen officiële streefdatum)",
    "no_value": "geen gegevens",
}

# Milestone statuses as ministries report them (submission_schema.MilestoneStatus).
MILESTONE_STATUS_LABELS: dict[str, str] = {
    "not_started": "niet gestart",
    "on_track": "op schema",
    "at_risk": "risico",
    "delayed": "vertraagd",
    "done": "gereed",
}
MILESTONE_NOT_REPORTED = "niet gemeld"

# Moties and toezeggingen as ministries report them (submission_schema.CommitmentStatus).
COMMITMENT_STATUS_LABELS: dict[str, str] = {
    "not_started": "nog niet gestart",
    "in_progress": "in uitvoering",
    "completed": "afgedaan",
    "not_executed": "wordt niet uitgevoerd",
}
COMMITMENT_NOT_REPORTED = "geen stand ontvangen"

MINISTRY_ROLE_LABELS: dict[str, str] = {"lead": "trekker", "contributor": "betrokken"}

SUBMISSION_CHANNEL_LABELS: dict[str, str] = {
    "file": "als bestand",
    "cli": "via de opdrachtregel",
    "form": "via het webformulier",
    "slack": "via Slack",
}

_SMALL_NUMBERS = (
    "nul",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    # Up to twenty in words in running text (Dutch style for Kamerbrieven).
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
    "twintig",
)


def format_date(day: dt.date) -> str:
    """``dt.date(2026, 11, 25)`` -> ``"25 november 2026"``; a datetime uses its own date."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _group_thousands(digits: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def format_number(x: float, decimals: int | None = None, *, group_always: bool = False) -> str:
    """Dutch notation: ``28721`` -> ``28.721``, ``4062`` -> ``4062``, ``28.6`` -> ``28,6``.

    ``decimals=None`` shows a whole number without decimals and anything else with one.
    Thousands get a point from five digits on; ``group_always`` also groups four digits
    (tables use points throughout).
    """
    if isinstance(x, bool):
        raise TypeError("a boolean is not a number for the letter")
    if not math.isfinite(x):
        # Validation refuses these; data stored before it did still gets a readable mark.
        return "onbekend" if math.isnan(x) else ("-∞" if x < 0 else "∞")
    value = Decimal(str(x))
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 1
    quantum = Decimal(1).scaleb(-decimals)
    # The default context holds 28 digits; a larger figure must not make quantize() fail.
    digits = max(value.adjusted() + 1, 1) + decimals + 2
    with localcontext() as context:
        context.prec = max(context.prec, digits)
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if group_always or len(whole) >= 5:
        whole = _group_thousands(whole)
    result = whole + ("," + fraction if fraction else "")
    return ("-" if negative and rounded != 0 else "") + result


def format_percent(x: float, decimals: int | None = None) -> str:
    """``28.6`` -> ``28,6%``: one style for the whole letter (no space before the sign)."""
    return f"{format_number(x, decimals)}%"


def format_points(x: float, decimals: int | None = None) -> str:
    """A difference between percentages: ``2.5`` -> ``2,5 procentpunt``."""
    return f"{format_number(x, decimals)} procentpunt"


def format_value(x: float, unit: str) -> str:
    """A value with its catalogue unit: ``62, "% van de gemeenten"`` -> ``62% van de gemeenten``."""
    unit = unit.strip()
    if unit.startswith("%"):
        rest = unit[1:].strip()
        return format_percent(x) + (f" {rest}" if rest else "")
    # Counts of homes or people read as whole numbers; a trajectory may give 14.773,3.
    number = format_number(x, 0 if abs(x) >= 1000 else None)
    return f"{number} {unit}" if unit else number


def format_period(period: str) -> str:
    """``2026Q3`` -> ``derde kwartaal 2026``."""
    return Quarter.parse(period).dutch_label


def number_words(n: int) -> str:
    """Small numbers in words (``negen``), larger ones in digits (``57``)."""
    if 0 <= n < len(_SMALL_NUMBERS):
        return _SMALL_NUMBERS[n]
    return format_number(n)


def status_label(state: GoalState | str) -> str:
    """Goal state in Dutch: ``on_track`` -> ``op schema``."""
    key = state.value if isinstance(state, GoalState) else str(state)
    try:
        return GOAL_STATE_LABELS[key]
    except KeyError:
        raise ValueError(f"unknown goal state {state!r}") from None


def indicator_state_label(state: GoalState | str, verdict: str | None = None) -> str:
    """An indicator's state in Dutch, its verdict first: ``no_new_measurement`` -> ``geen
    nieuwe meting``; a judged indicator reads as its goal state (``op schema``)."""
    key = str(verdict.value if isinstance(verdict, Enum) else verdict) if verdict else ""
    return INDICATOR_VERDICT_LABELS.get(key) or status_label(state)


def milestone_status_label(status: str | None) -> str:
    """Milestone status as reported in Dutch; ``None`` (nothing reported) -> ``niet gemeld``."""
    if status is None:
        return MILESTONE_NOT_REPORTED
    try:
        return MILESTONE_STATUS_LABELS[str(status)]
    except KeyError:
        raise ValueError(f"unknown milestone status {status!r}") from None


def commitment_status_label(status: str | None) -> str:
    """Stand van zaken of a motie or toezegging; ``None`` -> ``geen stand ontvangen``."""
    if status is None:
        return COMMITMENT_NOT_REPORTED
    try:
        return COMMITMENT_STATUS_LABELS[str(status)]
    except KeyError:
        raise ValueError(f"unknown commitment status {status!r}") from None


def change_state_label(value: str | None) -> str:
    """A before/after value of a change: a goal state or milestone status in Dutch, else as is."""
    if value is None:
        return "geen"
    if value in GOAL_STATE_LABELS:
        return GOAL_STATE_LABELS[value]
    if value in MILESTONE_STATUS_LABELS:
        return MILESTONE_STATUS_LABELS[value]
    try:
        return format_number(float(value))
    except ValueError:
        return value


def ministry_role(role: str) -> str:
    """``lead`` -> ``trekker``, ``contributor`` -> ``betrokken``."""
    try:
        return MINISTRY_ROLE_LABELS[role]
    except KeyError:
        raise ValueError(f"unknown ministry role {role!r}") from None


def channel_label(channel: str) -> str:
    return SUBMISSION_CHANNEL_LABELS.get(channel, f"via {channel}")


def lower_first(text: str) -> str:
    """``Ministerie van ...`` -> ``ministerie van ...`` for use inside a sentence."""
    return text[:1].lower() + text[1:]


def join_words(items: Iterable[str], last: str = "en") -> str:
    """``["a", "b", "c"]`` -> ``"a, b en c"``."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


FILTERS: dict[str, Callable[..., Any]] = {
    "datum": format_date,
    "getal": format_number,
    "procent": format_percent,
    "procentpunt": format_points,
    "waarde": format_value,
    "kwartaal": format_period,
    "in_woorden": number_words,
    "status": status_label,
    "mijlpaalstatus": milestone_status_label,
    "motiestatus": commitment_status_label,
    "wijziging": change_state_label,
    "rol": ministry_role,
    "kanaal": channel_label,
    "kleine_letter": lower_first,
}


def register_filters(env: Environment) -> Environment:
    """Make the Dutch formatters available to templates (``{{ d | datum }}``)."""
    env.filters.update(FILTERS)
    return env
