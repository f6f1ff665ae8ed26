"""Who was told what about a period's collection, and when: read back from the outbox.

The outbox keeps every announcement, reminder and escalation under its dedupe key
(``opened:<period>:<ministry>``, ``reminder:<period>:<ministry>:<day>``,
``escalation:<period>``; see slack_messages.py), so the history needs no table of its own.
People are named by their name in the catalogue, never by a Slack mention.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue

PROGRAMME_TIMEZONE = ZoneInfo("Europe/Amsterdam")
KIND_LABELS = {
    "period_opened": "aankondiging",
    "reminder": "herinnering",
    "escalation": "melding na de deadline",
}


class ReminderEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: dt.date  # the day it was planned for (Amsterdam)
    kind: str  # period_opened | reminder | escalation
    ministry: str | None  # None: to the coordinators
    recipients: list[str]  # names from the catalogue
    channel: str
    planned_at: dt.datetime  # when it was put in the outbox
    sent_at: dt.datetime | None  # None: still waiting in the outbox


def _day(key_parts: list[str], created_at: dt.datetime) -> dt.date:
    if len(key_parts) > 3:
        try:
            return dt.date.fromisoformat(key_parts[3])
        except ValueError:
            pass
    return created_at.astimezone(PROGRAMME_TIMEZONE).date()


def reminder_log(session: Session, catalogue: Catalogue, period: str) -> list[ReminderEntry]:
    """Every announcement, reminder and escalation of ``period``, oldest first."""
    officers = {m.code: [o.name for o in m.officers] for m in catalogue.ministries}
    coordinators = [c.name for c in catalogue.coordinators]
    rows = session.scalars(
        select(t.OutboxMessage)
        .where(t.OutboxMessage.kind.in_(tuple(KIND_LABELS)))
        .order_by(t.OutboxMessage.created_at, t.OutboxMessage.id)
    )
    entries = []
    for row in rows:
        parts = row.dedupe_key.split(":")
        if len(parts) < 2 or parts[1] != period:
            continue
        ministry = parts[2] if row.kind != "escalation" and len(parts) > 2 else None
        entries.append(
            ReminderEntry(
                day=_day(parts, row.created_at),
                kind=row.kind,
                ministry=ministry,
                recipients=officers.get(ministry, []) if ministry else coordinators,
                channel=row.channel,
                planned_at=row.created_at,
                sent_at=row.sent_at,
            )
        )
    return sorted(entries, key=lambda e: e.day)
