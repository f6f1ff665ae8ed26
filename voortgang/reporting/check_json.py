"""The document ``voortgang check --json`` prints (keys fixed by DESIGN.md)."""

from __future__ import annotations

from typing import Any

from voortgang.reporting.assessment_schema import PeriodAssessment


def check_document(a: PeriodAssessment) -> dict[str, Any]:
    m = a.municipalities
    return {
        "period": a.period,
        "assessed_on": a.assessed_on.isoformat(),
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "lead": g.lead,
                "status": g.status.value,
                "reasons": g.reasons,
                "by_ministry": [v.model_dump(mode="json") for v in g.by_ministry],
                "figures": [f.model_dump(mode="json") for f in g.figures],
                "milestones": [
                    {
                        "id": ms.milestone_id,
                        "ministry": ms.ministry,
                        "due": ms.due.isoformat(),
                        "status": ms.status,
                        "state": ms.state.value,
                        "overdue": ms.overdue,
                        "from_earlier_period": ms.from_earlier_period,
                    }
                    for ms in g.milestones
                ],
            }
            for g in a.goals
        ],
        "missing_ministries": a.missing_ministries,
        "not_processed": a.not_processed,
        "municipalities": None
        if m is None
        else {
            "source": m.source,
            "boundary_year": m.boundary_year,
            "reference_date": m.dataset.reference_date.isoformat(),
            "measure": "share of dwellings owned by a housing corporation (proxy for social rent)",
            "count": m.count,
            "at_least_30": m.at_least_30,
            "below_25": m.below_25,
            "below_20": m.below_20,
            "flagged": m.flagged,
        },
        "instruments": None
        if a.instruments is None
        else {
            "reported_by": a.instruments.submission.ministry,
            "period": a.instruments.submission.period,
            "as_of": a.instruments.as_of.isoformat(),
            "reported": a.instruments.reported,
            "with_ordinance_and_urgency": [
                r.code for r in a.instruments.with_ordinance_and_urgency
            ],
            "without_ordinance_or_urgency": [
                r.code for r in a.instruments.without_ordinance_or_urgency
            ],
            "with_woonzorgvisie": [r.code for r in a.instruments.with_woonzorgvisie],
            "without_woonzorgvisie": [r.code for r in a.instruments.without_woonzorgvisie],
        },
    }
