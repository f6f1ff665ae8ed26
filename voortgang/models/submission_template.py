"""The YAML form of a submission, pre-filled for one ministry and period."""

from __future__ import annotations

import json

from voortgang.models.catalogue import Catalogue


def _q(text: str) -> str:
    # JSON strings are valid YAML scalars and escape whatever the title holds.
    return json.dumps(text, ensure_ascii=False)


def yaml_template(catalogue: Catalogue, ministry: str, period: str) -> str:
    m = catalogue.ministry(ministry)
    officers = ", ".join(o.email for o in m.officers)
    lines = [
        f"# Voortgangsrapportage Een thuis voor iedereen: {m.name}, {period}",
        "# Vul per mijlpaal status, voortgang en toelichting in en lever het bestand in met",
        "#   voortgang submit BESTAND   (of zet het in de inbox-map).",
        "# status: not_started | on_track | at_risk | delayed | done",
        "# status_reason is verplicht bij at_risk en delayed. Datums als 2027-06-30.",
        "# De toelichting (narrative) komt in de Kamerbrief: Markdown mag, HTML niet.",
        f"ministry: {m.code}",
        f"period: {period}",
        f"submitted_by:   # uw e-mailadres; geregistreerd voor {m.code}: {officers}",
        "milestones:",
    ]
    for ms in catalogue.milestones_of(m.code):
        lines += [
            f"  # {ms.title} (deadline {ms.due.isoformat()})",
            f"  - milestone: {ms.id}",
            "    status:               # not_started | on_track | at_risk | delayed | done",
            "    progress:             # 0..100",
            "    narrative: >-",
            "      Toelichting voor de brief.",
            f"    expected_completion: {ms.due.isoformat()}",
            "    status_reason:        # verplicht bij at_risk of delayed",
        ]
    indicators = catalogue.indicators_of(m.code)
    lines.append("indicators:" if indicators else "indicators: []")
    for ind in indicators:
        lines += [
            f"  # {ind.title} ({ind.unit})",
            f"  - indicator: {ind.id}",
            "    value:",
            "    as_of:                # peildatum, bijvoorbeeld 2026-12-31",
            f"    source: {_q('bron van het cijfer')}",
        ]
    if m.code == "VRO":
        lines += [
            "# Per gemeente: welke instrumenten zijn er (ja: true, nee: false)?",
            "municipalities: []",
            "#  - {municipality: GM0014, ordinance: true, urgency_scheme: true, woonzorgvisie: true,",
            "#     residents_involved: true, as_of: 2026-12-31}",
        ]
    return "\n".join(lines) + "\n"
