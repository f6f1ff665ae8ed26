"""The catalogue as ``voortgang catalogue --json`` shows it (keys fixed by DESIGN.md)."""

from __future__ import annotations

from typing import Any

from voortgang.models.catalogue import Catalogue


def catalogue_document(c: Catalogue) -> dict[str, Any]:
    goal_of = {i: g.id for g in c.goals for i in g.indicators}
    return {
        "programme": {"id": c.programme.id, "title": c.programme.title},
        "ministries": [
            {
                "code": m.code,
                "name": m.name,
                "officers": [o.email for o in m.officers],
                "slack_channel": m.slack_channel,
                "valid_from": m.valid_from.isoformat(),
                "valid_to": m.valid_to.isoformat() if m.valid_to else None,
            }
            for m in c.ministries
        ],
        "coordinators": [o.email for o in c.coordinators],
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "lead": g.lead,
                "contributors": g.contributors,
                "indicators": g.indicators,
            }
            for g in c.goals
        ],
        "indicators": [
            {
                "id": i.id,
                "title": i.title,
                "unit": i.unit,
                "goal": goal_of.get(i.id),
                "direction": i.direction.value,
                "reported_by": i.reported_by,
                "baseline": i.baseline.value,
                "baseline_date": i.baseline.date.isoformat(),
                "baseline_source": i.baseline.source,
                "target": i.target.value,
                "target_date": i.target.date.isoformat(),
                "target_source": i.target.source,
            }
            for i in c.indicators
        ],
        "milestones": [
            {
                "id": m.id,
                "ministry": m.ministry,
                "goal": m.goal,
                "title": m.title,
                "due": m.due.isoformat(),
                "source": m.source,
            }
            for m in c.milestones
        ],
    }
