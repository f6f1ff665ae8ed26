"""What changed between two stored versions of a submission, field by field.

Computed from the stored payloads (the validated submission as JSON), so every channel
(file, command line, form) is compared the same way. Items are matched on their id
(milestone, indicator, municipality); an item only in one version is added or removed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

JsonValue = str | int | float | bool | None

# Section of the payload, the key that identifies an item in it, and its kind.
SECTIONS = (
    ("milestones", "milestone", "milestone"),
    ("indicators", "indicator", "indicator"),
    ("municipalities", "municipality", "municipality"),
)


class FieldChange(BaseModel):
    """One field of one item that differs from the previous version."""

    model_config = ConfigDict(frozen=True)

    kind: str  # milestone | indicator | municipality | submission
    item: str  # the item's id ("" for the submission itself)
    field: str  # the payload's field name; "" when the whole item was added or removed
    before: JsonValue = None
    after: JsonValue = None
    added: bool = False
    removed: bool = False


def _items(payload: dict[str, Any], section: str, key: str) -> dict[str, dict[str, Any]]:
    return {str(item[key]): item for item in payload.get(section) or [] if key in item}


def diff_payloads(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldChange]:
    """The changes from ``before`` to ``after``; empty for a first version (``before`` None)."""
    if before is None:
        return []
    changes: list[FieldChange] = []
    if before.get("submitted_by") != after.get("submitted_by"):
        changes.append(
            FieldChange(
                kind="submission",
                item="",
                field="submitted_by",
                before=before.get("submitted_by"),
                after=after.get("submitted_by"),
            )
        )
    for section, key, kind in SECTIONS:
        old = _items(before, section, key)
        new = _items(after, section, key)
        for ident, item in new.items():
            if ident not in old:
                changes.append(FieldChange(kind=kind, item=ident, field="", added=True))
                continue
            previous = old[ident]
            for name in [*item, *(n for n in previous if n not in item)]:
                if name == key or previous.get(name) == item.get(name):
                    continue
                changes.append(
                    FieldChange(
                        kind=kind,
                        item=ident,
                        field=name,
                        before=previous.get(name),
                        after=item.get(name),
                    )
                )
        changes += [
            FieldChange(kind=kind, item=ident, field="", removed=True)
            for ident in old
            if ident not in new
        ]
    return changes
