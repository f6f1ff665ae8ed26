"""Errors of submitted input, in the one format users see: ``FILE: path.to.field: problem``.

Each error carries its English message (files, the command line, the programme team) and a
Dutch twin for officers (the Slack modal). The Dutch texts are tables beside the English
ones here; ``tests/models/test_validation_errors_dutch.py`` keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from voortgang.reporting.dutch import MILESTONE_STATUS_LABELS, format_date, format_number


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str
    message_nl: str = ""  # the Dutch twin for officers; "" where none was written

    @property
    def loc(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    @property
    def dutch(self) -> str:
        """The message as an officer reads it: the Dutch twin, else the English message."""
        return self.message_nl or self.message


class SubmissionRejected(Exception):
    """A submission with errors; nothing of it is stored."""

    def __init__(self, source: str, errors: list[FieldError]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(self.report())

    def lines(self) -> list[str]:
        return [f"{self.source}: {e.path}: {e.message}" for e in self.errors]

    def report(self) -> str:
        return "\n".join(self.lines())


_EXPECTED_BY_TYPE = {
    "missing": "expected a value",
    "extra_forbidden": "expected only the fields of the template",
    "date_from_datetime_parsing": "expected a date like 2027-06-30",
    "date_from_datetime_inexact": "expected a date like 2027-06-30",
    "date_parsing": "expected a date like 2027-06-30",
    "date_type": "expected a date like 2027-06-30",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a number",
    "bool_parsing": "expected ja/nee (true or false)",
    "bool_type": "expected ja/nee (true or false)",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "string_type": "expected text",
    "string_unicode": "expected text in UTF-8, without lone surrogates",
    "string_too_short": "expected non-empty text",
    "string_too_long": "expected shorter text",
}

_EXPECTED_BY_FIELD = {
    "progress": "expected a number from 0 to 100",
    "submitted_by": "expected the e-mail address of a registered officer",
    "municipality": "expected a CBS municipality code like GM0014",
    "status": "expected one of not_started, on_track, at_risk, delayed, done",
}

# --- the Dutch twins (officers read these in Slack) ---------------------------------------

_DATE_NL = "verwacht een datum zoals 2027-06-30, dat is 30 juni 2027"
_EXPECTED_BY_TYPE_NL = {
    "missing": "verwacht een waarde",
    "extra_forbidden": "verwacht alleen de velden van het sjabloon",
    "date_from_datetime_parsing": _DATE_NL,
    "date_from_datetime_inexact": _DATE_NL,
    "date_parsing": _DATE_NL,
    "date_type": _DATE_NL,
    "float_parsing": "verwacht een getal",
    "float_type": "verwacht een getal",
    "finite_number": "verwacht een getal",
    "bool_parsing": "verwacht ja of nee",
    "bool_type": "verwacht ja of nee",
    "list_type": "verwacht een lijst",
    "dict_type": "verwacht een verzameling velden",
    "model_type": "verwacht een verzameling velden",
    "string_type": "verwacht tekst",
    "string_unicode": "verwacht tekst in UTF-8, zonder losse surrogaten",
    "string_too_short": "verwacht tekst die niet leeg is",
    "string_too_long": "verwacht kortere tekst",
}

_EXPECTED_BY_FIELD_NL = {
    "progress": "verwacht een getal van 0 tot 100",
    "submitted_by": "verwacht het e-mailadres van een geregistreerde contactpersoon",
    "municipality": "verwacht een CBS-gemeentecode zoals GM0014",
    "status": "verwacht een van: "
    + ", ".join(f"{code} ({label})" for code, label in MILESTONE_STATUS_LABELS.items()),
}

# The fields as the modal (and the Dutch form) names them.
FIELD_LABELS_NL = {
    "ministry": "ministerie",
    "period": "kwartaal",
    "submitted_by": "ingediend door",
    "milestones": "mijlpalen",
    "indicators": "indicatoren",
    "municipalities": "gemeenten",
    "commitments": "moties en toezeggingen",
    "milestone": "mijlpaal",
    "indicator": "indicator",
    "municipality": "gemeente",
    "commitment": "motie of toezegging",
    "status": "status",
    "progress": "voortgang",
    "narrative": "toelichting",
    "expected_completion": "verwachte afronding",
    "status_reason": "reden",
    "measure": "maatregel",
    "value": "waarde",
    "as_of": "peildatum",
    "source": "bron",
    "explanation": "toelichting",
    "expected": "verwachte afronding",
    "ordinance": "verordening",
    "urgency_scheme": "urgentieregeling",
    "woonzorgvisie": "woonzorgvisie",
    "residents_involved": "bewoners betrokken",
    "channel": "kanaal",
}

# What pydantic found wrong, in Dutch; ``{...}`` are the error's context (bounds).
_PROBLEM_BY_TYPE_NL = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen veld van een inzending",
    "less_than_equal": "is groter dan {le}",
    "less_than": "is niet kleiner dan {lt}",
    "greater_than_equal": "is kleiner dan {ge}",
    "greater_than": "is niet groter dan {gt}",
    "float_parsing": "is geen getal",
    "float_type": "is geen getal",
    "finite_number": "is geen eindig getal",
    "date_from_datetime_parsing": "is geen datum",
    "date_from_datetime_inexact": "is een tijdstip, geen datum",
    "date_parsing": "is geen datum",
    "date_type": "is geen datum",
    "bool_parsing": "is geen ja of nee",
    "bool_type": "is geen ja of nee",
    "list_type": "is geen lijst",
    "dict_type": "is geen verzameling velden",
    "model_type": "is geen verzameling velden",
    "string_type": "is geen tekst",
    "string_unicode": "is geen geldige tekst",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "enum": "is geen van de mogelijke waarden",
    "string_too_short": "is leeg",
    "string_too_long": "is te lang",
}
_UNKNOWN_PROBLEM_NL = "is niet geldig"

_TEXT_PROBLEM_KINDS_NL = {
    "a control character": "een stuurteken",
    "a lone surrogate": "een los surrogaat",
    "a noncharacter": "een niet-teken",
    "a text-direction control": "een teken dat de schrijfrichting stuurt",
}


def _status_nl(match: re.Match[str]) -> str:
    return MILESTONE_STATUS_LABELS.get(match["status"], match["status"])


# The messages of the model's own validators (submission_schema.py, submitted_text.py,
# periods.py), matched on their English text, each with its Dutch twin. ``{label}`` is the
# Dutch name of the field.
_VALUE_ERRORS_NL: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]] = [
    (
        re.compile(r"^status_reason is required when the status is (?P<status>\w+)"),
        lambda m, label: (
            f"reden is verplicht bij de status {_status_nl(m)} (verwacht een korte uitleg)"
        ),
    ),
    (
        re.compile(r"^measure \(maatregel\) is required when the status is (?P<status>\w+)"),
        lambda m, label: (
            f"maatregel is verplicht bij de status {_status_nl(m)} "
            "(verwacht wat het ministerie eraan doet, voor de brief)"
        ),
    ),
    (
        re.compile(r"^explanation is required when the status is not_executed"),
        lambda m, label: (
            "toelichting is verplicht als de motie of toezegging niet wordt "
            "uitgevoerd (verwacht waarom niet, voor de Kamer)"
        ),
    ),
    (
        re.compile(r"^the submission has no milestones and no indicators"),
        lambda m, label: (
            "de inzending heeft geen mijlpalen en geen indicatoren (verwacht "
            "minstens één mijlpaal of indicator; een eerdere versie blijft zoals ze is)"
        ),
    ),
    (
        re.compile(r"^(?P<text>.*) is not a quarter \(expected"),
        lambda m, label: f"{m['text']} is geen kwartaal (verwacht bijvoorbeeld 2026Q4 of 2026-Q4)",
    ),
    (
        re.compile(r"^contains (?P<kind>a [a-z -]+?) \((?P<char>[^)]*)\) at position (?P<pos>\d+)"),
        lambda m, label: (
            f"{label} bevat "
            f"{_TEXT_PROBLEM_KINDS_NL.get(m['kind'], m['kind'])} ({m['char']}) op positie "
            f"{m['pos']} (verwacht gewone tekst: letters, cijfers, leestekens, regeleinden en tabs)"
        ),
    ),
    (
        re.compile(r"^has no visible text"),
        lambda m, label: (
            f"{label} bevat geen zichtbare tekst (verwacht woorden, niet alleen "
            "spaties of onzichtbare tekens)"
        ),
    ),
]


def value_error_nl(message: str, label: str) -> str | None:
    """The Dutch twin of one of the model's own messages, or None when it has none."""
    for pattern, dutch in _VALUE_ERRORS_NL:
        match = pattern.match(message)
        if match:
            return dutch(match, label)
    return None


_ITEM_OF_LIST = {
    "milestones": "milestone",
    "indicators": "indicator",
    "municipalities": "municipality",
    "commitments": "commitment",
}


def field_label_nl(path: str) -> str:
    """``milestones.0.status_reason`` -> ``reden``; an item itself (``milestones.0``) -> its kind."""
    parts = path.split(".")
    names = [p for p in parts if not p.isdigit() and p != "(top)"]
    if not names:
        return "inzending"
    last = names[-1]
    if parts[-1].isdigit():
        last = _ITEM_OF_LIST.get(last, last)
    return FIELD_LABELS_NL.get(last, last)


def dutch_date(day: dt.date) -> str:
    return format_date(day)


def dutch_number(x: float) -> str:
    """A figure in Dutch notation as an officer wrote it: 3.000.001, 12,5; huge ones short."""
    if abs(x) >= 1e15:
        return f"{x:g}".replace(".", ",")
    return format_number(x, None if x.is_integer() else _decimals(x))


def _decimals(x: float) -> int:
    text = repr(x)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 1


_LENGTH_TYPES = ("too_short", "string_too_short", "too_long", "string_too_long")


def _message(err: dict[str, object]) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if "(expected" in msg:
        return msg
    ctx = err.get("ctx")
    if isinstance(ctx, dict) and err["type"] in _LENGTH_TYPES:
        unit = "items" if ctx.get("field_type") == "List" else "characters"
        if "short" in str(err["type"]):
            return f"is too short (expected at least {ctx.get('min_length')} {unit})"
        return f"is too long (expected at most {ctx.get('max_length')} {unit})"
    loc = err["loc"]
    field = str(loc[-1]) if isinstance(loc, tuple) and loc else ""
    expected = _EXPECTED_BY_FIELD.get(field) or _EXPECTED_BY_TYPE.get(str(err["type"]), "")
    if err["type"] == "missing":
        msg = "is missing"
    elif err["type"] == "extra_forbidden":
        msg = "is not a field of a submission"
    return f"{msg} ({expected})" if expected else msg


def _context_nl(ctx: object) -> dict[str, str]:
    if not isinstance(ctx, dict):
        return {}
    return {
        key: dutch_number(float(value))
        if isinstance(value, int | float) and not isinstance(value, bool)
        else str(value)
        for key, value in ctx.items()
    }


def _message_nl(err: dict[str, object], path: str) -> str:
    """The Dutch twin of ``_message``: the field's label, what is wrong, what is expected."""
    label = field_label_nl(path)
    kind = str(err["type"])
    if kind in ("value_error", "assertion_error"):
        english = str(err["msg"]).removeprefix("Value error, ")
        return value_error_nl(english, label) or f"{label} {_UNKNOWN_PROBLEM_NL} ({english})"
    ctx = err.get("ctx")
    if isinstance(ctx, dict) and kind in _LENGTH_TYPES:
        items = ctx.get("field_type") == "List"
        if "short" in kind:
            least = ctx.get("min_length")
            if items:
                return f"{label} heeft te weinig onderdelen (verwacht minstens {least})"
            if least == 1:
                return f"{label} is leeg (verwacht tekst)"
            return f"{label} is te kort (verwacht minstens {least} tekens)"
        most = dutch_number(float(str(ctx.get("max_length"))))
        if items:
            return f"{label} heeft te veel onderdelen (verwacht hoogstens {most})"
        return f"{label} is te lang (verwacht hoogstens {most} tekens)"
    field = path.split(".")[-1]
    expected = _EXPECTED_BY_FIELD_NL.get(field) or _EXPECTED_BY_TYPE_NL.get(kind, "")
    try:
        problem = _PROBLEM_BY_TYPE_NL.get(kind, _UNKNOWN_PROBLEM_NL).format(**_context_nl(ctx))
    except (KeyError, IndexError):
        problem = _UNKNOWN_PROBLEM_NL
    if err.get("input") is None or err.get("input") == "":
        problem = _PROBLEM_BY_TYPE_NL["missing"]  # an empty field of a form: nothing given
    message = f"{label} {problem}"
    return f"{message} ({expected})" if expected else message


def from_validation_error(exc: ValidationError) -> list[FieldError]:
    errors = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "(top)"
        errors.append(FieldError(path, _message(dict(err)), _message_nl(dict(err), path)))
    return errors
