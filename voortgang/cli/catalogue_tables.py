"""``voortgang catalogue`` as tables: ministries, goals, indicators, milestones."""

from __future__ import annotations

from voortgang.cli.output import print_table
from voortgang.models.catalogue import Catalogue, Sourced


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _sourced(figure: Sourced) -> str:
    return f"{_number(figure.value)} ({figure.date.isoformat()})"


def print_catalogue(c: Catalogue) -> None:
    print_table(
        f"{c.programme.title}: ministries",
        ("ministry", "name", "officers", "slack channel"),
        [
            (
                m.code,
                m.name,
                "\n".join(f"{o.name} <{o.email}>" for o in m.officers),
                m.slack_channel,
            )
            for m in c.ministries
        ],
    )
    print_table(
        "Goals",
        ("goal", "title", "lead", "contributors", "indicators"),
        [
            (g.id, g.title, g.lead, ", ".join(g.contributors), ", ".join(g.indicators))
            for g in c.goals
        ],
    )
    print_table(
        "Indicators",
        (
            "indicator",
            "title",
            "unit",
            "reported by",
            "baseline",
            "baseline source",
            "target",
            "target source",
        ),
        [
            (
                i.id,
                i.title,
                i.unit,
                i.reported_by,
                _sourced(i.baseline),
                i.baseline.source,
                _sourced(i.target),
                i.target.source,
            )
            for i in c.indicators
        ],
    )
    print_table(
        "Milestones",
        ("milestone", "ministry", "goal", "due", "title", "source"),
        [(m.id, m.ministry, m.goal, m.due.isoformat(), m.title, m.source) for m in c.milestones],
    )
