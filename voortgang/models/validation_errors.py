"""Errors of submitted input, in the one format users see: ``FILE: path.to.field: problem``."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str


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


def from_validation_error(exc: ValidationError) -> list[FieldError]:
    errors = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "(top)"
        errors.append(FieldError(path, _message(dict(err))))
    return errors
