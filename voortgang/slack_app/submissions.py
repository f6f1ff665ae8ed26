"""An officer's update through Slack: which modal to show, checking it, storing it, the receipt.

Plain functions; ``app.py`` calls them from the Bolt handlers. The officer is who Slack says
clicked (``SlackUser``), looked up in the catalogue by Slack user id; an unregistered user and
an officer of another ministry are refused with a Dutch message. The update passes the same
``take_in`` as every other channel, with the Slack principal as the verified actor.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.identity import channel_refusal_nl
from voortgang.models.period_store import collecting_period
from voortgang.models.periods import Quarter
from voortgang.models.submission_intake import take_in
from voortgang.models.submission_prefill import previous_values
from voortgang.models.submission_store import StoreResult
from voortgang.models.submission_validation import load_registry, validate_submission
from voortgang.models.validation_errors import FIELD_LABELS_NL, SubmissionRejected
from voortgang.reporting.dutch import (
    MILESTONE_STATUS_LABELS,
    format_date,
    format_number,
    format_period,
)
from voortgang.reporting.slack_messages import escape_mrkdwn
from voortgang.reporting.submission_diff import FieldChange, diff_payloads
from voortgang.slack_app.modals import (
    ModalTooLarge,
    errors_by_block,
    message_view,
    read_form,
    read_submission,
    submission_modal,
)
from voortgang.slack_app.people import Officer, SlackUser, officer_of, slack_actor
from voortgang.slack_app.texts import KIND_LABELS, text

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

SOURCE = "Slack"
MAX_CHANGES_SHOWN = 15


class Refused(Exception):
    """The user may not do this; the message (Dutch mrkdwn) says why."""


def today_for(settings_today: dt.date | None) -> dt.date:
    return settings_today or dt.date.today()


def period_from(command_text: str | None, today: dt.date) -> str:
    """``/voortgang 2026Q4`` -> 2026Q4; no text: the period being collected today."""
    wanted = (command_text or "").strip()
    if not wanted:
        return str(collecting_period(today))
    try:
        return str(Quarter.parse(wanted))
    except (ValueError, TypeError):
        raise Refused(text("who.bad_period", text=escape_mrkdwn(wanted[:40]))) from None


def officer_for(catalogue: Catalogue, user: SlackUser, ministry: str | None) -> Officer:
    """The registered officer behind ``user``, for ``ministry`` (their own) when one is asked."""
    officer = officer_of(catalogue, user.user_id)
    if officer is None:
        raise Refused(text("who.unregistered", user=user.user_id))
    if ministry is not None and ministry.lower() != officer.ministry.lower():
        raise Refused(text("who.other_ministry", own=officer.ministry, other=ministry))
    return officer


def submission_view(
    catalogue: Catalogue, user: SlackUser, *, period: str, ministry: str | None
) -> dict[str, Any]:
    """The modal to open for ``user``: their ministry's update, or a refusal to read."""
    refusal = channel_refusal_nl("slack", act="submit")
    if refusal is not None:
        return message_view(
            text("refused.title"), text("who.channel_off", reason=escape_mrkdwn(refusal))
        )
    try:
        officer = officer_for(catalogue, user, ministry)
        code = officer.ministry
        with session_scope() as session:
            previous = previous_values(session, ministry=code, period=period)
        return submission_modal(
            catalogue.ministry(code),
            period,
            catalogue.milestones_of(code),
            catalogue.indicators_of(code),
            previous,
        )
    except (Refused, ModalTooLarge) as exc:
        return message_view(text("refused.title"), str(exc))


class SubmissionCheck(BaseModel):
    """The answer to a submitted modal, before anything is stored."""

    raw: dict[str, Any] | None = None  # valid: store this
    errors: dict[str, str] = {}  # block_id -> message, for ``response_action: errors``
    refusal: str | None = None  # the user may not submit this at all
    officer: Officer | None = None


def check_submission(
    catalogue: Catalogue, user: SlackUser, view: dict[str, Any], *, today: dt.date
) -> SubmissionCheck:
    """Who submits, and the same validation as every channel; every error at once."""
    form = read_form(view)
    try:
        officer = officer_for(catalogue, user, form.ministry)
    except Refused as exc:
        return SubmissionCheck(refusal=str(exc))
    raw = read_submission(view, submitted_by=officer.email)
    try:
        with session_scope() as session:
            validate_submission(raw, load_registry(session), source=SOURCE, today=today)
    except SubmissionRejected as exc:
        return SubmissionCheck(errors=errors_by_block(exc.errors, form), officer=officer)
    return SubmissionCheck(raw=raw, officer=officer)


def rejection_lines(exc: SubmissionRejected) -> str:
    """Why a checked update was still not stored, in Dutch: one bullet per error."""
    lines = []
    for error in exc.errors:
        refusal = channel_refusal_nl("slack", act="submit") if error.path == "channel" else None
        lines.append(f"• {escape_mrkdwn(refusal or error.dutch)}")
    return "\n".join(lines)


def store(raw: dict[str, Any], user: SlackUser, officer: Officer, *, today: dt.date) -> StoreResult:
    """Validate again and store, with the Slack user as the verified actor."""
    return take_in(
        raw,
        source=SOURCE,
        channel="slack",
        source_name=None,
        today=today,
        actor=slack_actor(user, officer.email),
    )


def _changes_since(stored: StoreResult) -> tuple[int | None, list[FieldChange]]:
    with session_scope() as session:
        rows = session.scalars(
            select(t.Submission)
            .where(
                t.Submission.ministry_code == stored.ministry,
                t.Submission.period_id == stored.period,
                t.Submission.version <= stored.version,
            )
            .order_by(t.Submission.version.desc())
            .limit(2)
        ).all()
    if len(rows) < 2:
        return None, []
    return rows[1].version, diff_payloads(rows[1].payload, rows[0].payload)


def _shown(field: str, value: object) -> str:
    """A value as the officer wrote it, the Dutch way: a status by its label, 70 not 70.0, a
    date as "31 maart 2027"."""
    if value is None:
        return "–"
    if field == "status" and isinstance(value, str):
        shown = MILESTONE_STATUS_LABELS.get(value, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        shown = format_number(float(value))
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        shown = format_date(dt.date.fromisoformat(value))
    else:
        shown = str(value).replace("\n", " ")
    return escape_mrkdwn(shown if len(shown) <= 80 else shown[:79] + "…")


def _item_title(kind: str, item: str) -> str:
    """The milestone's or indicator's title where the catalogue knows it, else its id."""
    catalogue = load_catalogue()
    titles = {m.id: m.title for m in catalogue.milestones} | {
        i.id: i.title for i in catalogue.indicators
    }
    return titles.get(item, item) if kind in ("milestone", "indicator") else item


def _change_line(change: FieldChange) -> str:
    kind = KIND_LABELS.get(change.kind, change.kind)
    item = escape_mrkdwn(_item_title(change.kind, change.item))
    if change.added:
        return text("change.added", kind=kind, item=item)
    if change.removed:
        return text("change.removed", kind=kind, item=item)
    return text(
        "change.field",
        kind=kind,
        item=item,
        field=escape_mrkdwn(FIELD_LABELS_NL.get(change.field, change.field)),
        before=_shown(change.field, change.before),
        after=_shown(change.field, change.after),
    )


def receipt(stored: StoreResult) -> str:
    """The officer's receipt: the version stored and what changed since the one before."""
    values = {
        "ministry": stored.ministry,
        "period_label": format_period(stored.period),
        "version": stored.version,
    }
    if not stored.created:
        return text("stored.same", **values)
    lines = [text("stored.text", **values)]
    previous, changes = _changes_since(stored)
    if previous is None:
        lines.append(text("stored.first"))
    elif not changes:
        lines.append(text("stored.no_changes", previous=previous))
    else:
        lines.append(text("stored.changes", previous=previous))
        lines += [_change_line(c) for c in changes[:MAX_CHANGES_SHOWN]]
        if len(changes) > MAX_CHANGES_SHOWN:
            lines.append(text("stored.more", count=len(changes) - MAX_CHANGES_SHOWN))
    return "\n".join(lines)[:3000]
