"""The Slack views of the app, built and read back as plain data (no Slack calls here).

The submission modal holds one ministry's milestones and indicators for one period, each
field an input block whose ``block_id`` names the item's place and field (``ms:0:status``,
``ind:1:as_of``). Reading the submitted view gives the submission dict every channel hands to
``take_in``; the validation's error paths (``milestones.0.status``) map back to those blocks,
so Slack shows each error beside its field.

Slack's limits, kept here: 100 blocks per view, 3000 characters of ``private_metadata``, of
a text input and of a section's text, 24 of a modal's title and buttons, 75 of an option.
A ministry whose update does not fit in one view is told to use the file path
(``ModalTooLarge``): splitting a submission over several views would store half an update
when an officer stops half way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from voortgang.models.catalogue import Indicator, Milestone, Ministry
from voortgang.models.submission_prefill import PreviousValues
from voortgang.models.validation_errors import FieldError
from voortgang.reporting.dutch import MILESTONE_STATUS_LABELS, format_date, format_period
from voortgang.reporting.slack_messages import escape_mrkdwn
from voortgang.slack_app.texts import text

MAX_BLOCKS: Final = 100
MAX_METADATA: Final = 3000
MAX_INPUT: Final = 3000
MAX_ERROR: Final = 500
SUBMISSION_CALLBACK: Final = "voortgang_submission"
CHANGES_CALLBACK: Final = "voortgang_changes"
CHANGES_BLOCK: Final = "comment"
VALUE: Final = "value"  # the action_id of every input element

_MILESTONE_FIELDS: Final = (
    "status",
    "progress",
    "narrative",
    "expected_completion",
    "status_reason",
    "measure",
)
_INDICATOR_FIELDS: Final = ("value", "as_of", "source", "measure")
_BLOCKS_PER_MILESTONE: Final = 1 + len(_MILESTONE_FIELDS)
_BLOCKS_PER_INDICATOR: Final = 1 + len(_INDICATOR_FIELDS)
_FIXED_BLOCKS: Final = 3  # intro, prefill note, a note on texts too long to prefill


class ModalTooLarge(ValueError):
    """The ministry's update does not fit in one Slack view; the message says what to do."""


class SubmissionForm(BaseModel):
    """What the modal is for, carried in its ``private_metadata``."""

    model_config = ConfigDict(frozen=True)

    period: str
    ministry: str
    milestones: list[str]
    indicators: list[str]


class ChangesForm(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    draft_id: int
    version: int
    channel: str | None = None  # where the button was clicked: the answer goes there


# --- Block Kit pieces ----------------------------------------------------------------------


def _plain(value: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": value[:limit], "emoji": True}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:3000]}]}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": VALUE},
        "optional": optional,
    }


def _text_element(
    value: str | None, *, multiline: bool, too_long: list[str], name: str
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": MAX_INPUT,
    }
    if value:
        if len(value) <= MAX_INPUT:
            element["initial_value"] = value
        else:
            too_long.append(name)
    return element


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _number_element(value: float | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": True}
    initial = _number(value)
    if initial is not None:
        element["initial_value"] = initial
    return element


def _date_element(value: dt.date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if value is not None:
        element["initial_date"] = value.isoformat()
    return element


def _option(status: str) -> dict[str, Any]:
    return {"text": _plain(MILESTONE_STATUS_LABELS[status], 75), "value": status}


def _status_element(value: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": _plain(text("field.status.placeholder")),
        "options": [_option(s) for s in MILESTONE_STATUS_LABELS],
    }
    if value in MILESTONE_STATUS_LABELS:
        element["initial_option"] = _option(value)
    return element


# --- the submission modal -------------------------------------------------------------------


def _milestone_blocks(
    i: int, milestone: Milestone, previous: PreviousValues | None, too_long: list[str]
) -> list[dict[str, Any]]:
    before = previous.milestones.get(milestone.id) if previous else None
    label = f"{milestone.title[:60]}: "

    def texts(field: str, value: str | None, multiline: bool = True) -> dict[str, Any]:
        return _text_element(value, multiline=multiline, too_long=too_long, name=label + field)

    return [
        _section(
            text(
                "milestone.header",
                title=escape_mrkdwn(milestone.title),
                due=format_date(milestone.due),
            )
        ),
        _input(
            f"ms:{i}:status",
            text("field.status"),
            _status_element(before.status if before else None),
        ),
        _input(
            f"ms:{i}:progress",
            text("field.progress"),
            _number_element(before.progress if before else None),
        ),
        _input(
            f"ms:{i}:narrative",
            text("field.narrative"),
            texts(text("field.narrative"), before.narrative if before else None),
        ),
        _input(
            f"ms:{i}:expected_completion",
            text("field.expected_completion"),
            _date_element(before.expected_completion if before else None),
            optional=True,
        ),
        _input(
            f"ms:{i}:status_reason",
            text("field.status_reason"),
            texts(text("field.status_reason"), before.status_reason if before else None),
            optional=True,
        ),
        _input(
            f"ms:{i}:measure",
            text("field.measure"),
            texts(text("field.measure"), before.measure if before else None),
            optional=True,
        ),
    ]


def _indicator_blocks(
    i: int, indicator: Indicator, previous: PreviousValues | None, too_long: list[str]
) -> list[dict[str, Any]]:
    before = previous.indicators.get(indicator.id) if previous else None
    label = f"{indicator.title[:60]}: "
    return [
        _section(
            text(
                "indicator.header",
                title=escape_mrkdwn(indicator.title),
                unit=escape_mrkdwn(indicator.unit),
            )
        ),
        _input(
            f"ind:{i}:value",
            text("field.value"),
            _number_element(before.value if before else None),
        ),
        _input(
            f"ind:{i}:as_of",
            text("field.as_of"),
            _date_element(before.as_of if before else None),
        ),
        _input(
            f"ind:{i}:source",
            text("field.source"),
            _text_element(
                before.source if before else None,
                multiline=False,
                too_long=too_long,
                name=label + text("field.source"),
            ),
        ),
        _input(
            f"ind:{i}:measure",
            text("field.indicator_measure"),
            _text_element(
                before.measure if before else None,
                multiline=True,
                too_long=too_long,
                name=label + text("field.measure"),
            ),
            optional=True,
        ),
    ]


def blocks_needed(milestones: int, indicators: int) -> int:
    return _FIXED_BLOCKS + milestones * _BLOCKS_PER_MILESTONE + indicators * _BLOCKS_PER_INDICATOR


def submission_modal(
    ministry: Ministry,
    period: str,
    milestones: Sequence[Milestone],
    indicators: Sequence[Indicator],
    previous: PreviousValues | None,
) -> dict[str, Any]:
    """The modal for one ministry's update, pre-filled with ``previous`` where given.

    Raises ``ModalTooLarge`` (with the Dutch message to show) when it does not fit.
    """
    form = SubmissionForm(
        period=period,
        ministry=ministry.code,
        milestones=[m.id for m in milestones],
        indicators=[i.id for i in indicators],
    )
    metadata = form.model_dump_json()
    count = len(milestones) + len(indicators)
    if blocks_needed(len(milestones), len(indicators)) > MAX_BLOCKS or len(metadata) > MAX_METADATA:
        raise ModalTooLarge(
            text(
                "who.too_many",
                ministry=ministry.short_name,
                count=count,
                code=ministry.code,
                period=period,
            )
        )
    too_long: list[str] = []
    items: list[dict[str, Any]] = []
    for i, milestone in enumerate(milestones):
        items += _milestone_blocks(i, milestone, previous, too_long)
    for i, indicator in enumerate(indicators):
        items += _indicator_blocks(i, indicator, previous, too_long)
    head = [
        _section(
            text(
                "modal.intro",
                ministry=escape_mrkdwn(ministry.name),
                period_label=format_period(period),
            )
        ),
        _context(
            text(
                "modal.prefilled",
                label=f"het {format_period(previous.period)} (versie {previous.version})",
            )
            if previous
            else text("modal.not_prefilled")
        ),
    ]
    if too_long:
        head.append(_context(text("modal.too_long", fields=escape_mrkdwn(", ".join(too_long)))))
    return {
        "type": "modal",
        "callback_id": SUBMISSION_CALLBACK,
        "title": _plain(text("modal.title"), 24),
        "submit": _plain(text("modal.submit"), 24),
        "close": _plain(text("modal.close"), 24),
        "private_metadata": metadata,
        "blocks": head + items,
    }


# --- reading it back ------------------------------------------------------------------------


def _element(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    found = (values.get(block_id) or {}).get(VALUE)
    return found if isinstance(found, dict) else {}


def _read_text(values: dict[str, Any], block_id: str) -> str | None:
    value = _element(values, block_id).get("value")
    return value if isinstance(value, str) and value.strip() else None


def _read_number(values: dict[str, Any], block_id: str) -> float | str | None:
    """A figure as a float; text that is not one goes on as it is, for validation to name."""
    raw = _read_text(values, block_id)
    if raw is None:
        return None
    try:
        return float(raw.strip().replace(",", "."))
    except ValueError:
        return raw


def _read_date(values: dict[str, Any], block_id: str) -> str | None:
    value = _element(values, block_id).get("selected_date")
    return value if isinstance(value, str) and value else None


def _read_option(values: dict[str, Any], block_id: str) -> str | None:
    option = _element(values, block_id).get("selected_option")
    if isinstance(option, dict) and isinstance(option.get("value"), str):
        return str(option["value"])
    return None


def read_form(view: dict[str, Any]) -> SubmissionForm:
    return SubmissionForm.model_validate_json(str(view.get("private_metadata") or ""))


def read_submission(view: dict[str, Any], *, submitted_by: str) -> dict[str, Any]:
    """The submission dict of a submitted modal, as every channel hands it to ``take_in``."""
    form = read_form(view)
    values = (view.get("state") or {}).get("values") or {}
    milestones = [
        {
            "milestone": ident,
            "status": _read_option(values, f"ms:{i}:status"),
            "progress": _read_number(values, f"ms:{i}:progress"),
            "narrative": _read_text(values, f"ms:{i}:narrative") or "",
            "expected_completion": _read_date(values, f"ms:{i}:expected_completion"),
            "status_reason": _read_text(values, f"ms:{i}:status_reason"),
            "measure": _read_text(values, f"ms:{i}:measure"),
        }
        for i, ident in enumerate(form.milestones)
    ]
    indicators = [
        {
            "indicator": ident,
            "value": _read_number(values, f"ind:{i}:value"),
            "as_of": _read_date(values, f"ind:{i}:as_of"),
            "source": _read_text(values, f"ind:{i}:source") or "",
            "measure": _read_text(values, f"ind:{i}:measure"),
        }
        for i, ident in enumerate(form.indicators)
    ]
    return {
        "ministry": form.ministry,
        "period": form.period,
        "submitted_by": submitted_by,
        "milestones": milestones,
        "indicators": indicators,
    }


def _block_of(path: str, form: SubmissionForm) -> str | None:
    """``milestones.0.status`` -> ``ms:0:status``; an item's own error -> its first field."""
    parts = path.split(".")
    sections = {
        "milestones": ("ms", form.milestones, _MILESTONE_FIELDS),
        "indicators": ("ind", form.indicators, _INDICATOR_FIELDS),
    }
    if len(parts) < 2 or parts[0] not in sections or not parts[1].isdigit():
        return None
    prefix, idents, fields = sections[parts[0]]
    index = int(parts[1])
    if index >= len(idents):
        return None
    field = parts[2] if len(parts) > 2 and parts[2] in fields else fields[0]
    return f"{prefix}:{index}:{field}"


def first_input(form: SubmissionForm) -> str:
    return "ms:0:status" if form.milestones else "ind:0:value"


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def errors_by_block(errors: Sequence[FieldError], form: SubmissionForm) -> dict[str, str]:
    """Every error beside its field, in Dutch; what belongs to no field goes on the first input."""
    found: dict[str, list[str]] = {}
    for error in errors:
        block = _block_of(error.path, form)
        message = _sentence(error.dutch)
        if block is None:
            block = first_input(form)
            general = error.message_nl or f"{error.path}: {error.message}"
            message = text("field.general", message=general)
        found.setdefault(block, []).append(message)
    return {block: " ".join(messages)[:MAX_ERROR] for block, messages in found.items()}


# --- small views ----------------------------------------------------------------------------


def message_view(title: str, mrkdwn: str) -> dict[str, Any]:
    """A modal that only says something (a refusal, a receipt, "busy")."""
    return {
        "type": "modal",
        "title": _plain(title, 24),
        "close": _plain("Sluiten", 24),
        "blocks": [_section(mrkdwn)],
    }


def changes_modal(form: ChangesForm) -> dict[str, Any]:
    """The coordinator's comment for a request for changes."""
    return {
        "type": "modal",
        "callback_id": CHANGES_CALLBACK,
        "title": _plain(text("changes.title"), 24),
        "submit": _plain(text("changes.submit"), 24),
        "close": _plain(text("modal.close"), 24),
        "private_metadata": form.model_dump_json(),
        "blocks": [
            _section(
                text("changes.intro", period_label=format_period(form.period), version=form.version)
            ),
            _input(
                CHANGES_BLOCK,
                text("changes.comment"),
                {"type": "plain_text_input", "multiline": True, "max_length": MAX_INPUT},
            ),
        ],
    }


def read_changes(view: dict[str, Any]) -> tuple[ChangesForm, str | None]:
    form = ChangesForm.model_validate_json(str(view.get("private_metadata") or ""))
    values = (view.get("state") or {}).get("values") or {}
    return form, _read_text(values, CHANGES_BLOCK)


def button_value(**values: object) -> str:
    """A button's ``value`` (at most 2000 characters): compact JSON."""
    return json.dumps(values, separators=(",", ":"))
