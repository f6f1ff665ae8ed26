"""The YAML form of a submission, pre-filled for one ministry and period.

With ``previous`` (the ministry's last version of an earlier quarter) each milestone and
indicator carries that version's values, so the officer changes only what changed; the
form is then valid as it stands once ``submitted_by`` is filled in.
"""

from __future__ import annotations

import datetime as dt
import json

from voortgang.models.catalogue import Catalogue, Indicator, Milestone, Motion
from voortgang.models.submission_prefill import (
    CommitmentValues,
    IndicatorValues,
    MilestoneValues,
    PreviousValues,
)

COMMITMENT_STATUSES = "not_started | in_progress | completed | not_executed"


def _q(text: str) -> str:
    # JSON strings are valid YAML scalars and escape whatever the title holds.
    return json.dumps(text, ensure_ascii=False)


def _single_line(text: str) -> str:
    """Catalogue text for a YAML comment: one line, whatever it holds."""
    return " ".join(text.split())


def _value(value: object, comment: str) -> str:
    """A scalar after its key, and the field's comment; a blank where nothing is known."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = _q(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return f"{text:<18}# {comment}" if comment else text


def _milestone_lines(ms: Milestone, last: MilestoneValues | None) -> list[str]:
    if last is None:
        return [
            "    status:               # not_started | on_track | at_risk | delayed | done",
            "    progress:             # 0..100",
            "    narrative: >-",
            "      Toelichting voor de brief.",
            f"    expected_completion: {ms.due.isoformat()}",
            "    status_reason:        # verplicht bij at_risk of delayed",
            "    measure:              # maatregel: verplicht bij at_risk of delayed",
        ]
    return [
        # The status is one word of a fixed list: unquoted, as an officer would write it.
        f"    status: {last.status or '':<16}# not_started | on_track | at_risk | delayed | done",
        f"    progress: {_value(last.progress, '0..100')}",
        f"    narrative: {_value(last.narrative, '')}",
        "    expected_completion: "
        + _value(last.expected_completion or ms.due, "verwachte afronding"),
        f"    status_reason: {_value(last.status_reason, 'verplicht bij at_risk of delayed')}",
        f"    measure: {_value(last.measure, 'maatregel: verplicht bij at_risk of delayed')}",
    ]


def _indicator_lines(ind: Indicator, last: IndicatorValues | None) -> list[str]:
    if last is None:
        return [
            "    value:",
            "    as_of:                # peildatum, bijvoorbeeld 2026-12-31",
            f"    source: {_q('bron van het cijfer')}",
            "    measure:              # maatregel als het cijfer achterblijft (mag leeg)",
        ]
    return [
        f"    value: {_value(last.value, ind.unit)}",
        f"    as_of: {_value(last.as_of, 'peildatum')}",
        f"    source: {_value(last.source or 'bron van het cijfer', '')}",
        f"    measure: {_value(last.measure, 'maatregel als het cijfer achterblijft (mag leeg)')}",
    ]


def motion_label(motion: Motion) -> str:
    """Where a motie or toezegging was made: ``Kamerstuk 29 325, nr. 145`` or the debate."""
    where = f"Kamerstuk {motion.kamerstuk}" if motion.kamerstuk else str(motion.debate)
    return f"{motion.kind.value} {where}, {motion.date.isoformat()}"


def _commitment_lines(motion: Motion, last: CommitmentValues | None) -> list[str]:
    """One motie or toezegging; without an earlier report its lines are commented out, so
    the form stays valid as it stands and the officer removes the '#' to report it."""
    values = last or CommitmentValues(commitment=motion.id)
    lines = [
        f"- commitment: {motion.id}",
        f"  status: {values.status or '':<16}# {COMMITMENT_STATUSES}",
        f"  explanation: {_value(values.explanation, 'toelichting; verplicht bij not_executed')}",
        f"  expected: {_value(values.expected, 'wanneer afgedaan, bijvoorbeeld 2027-06-30')}",
    ]
    return [("  " if last else "  # ") + line for line in lines]


def yaml_template(
    catalogue: Catalogue, ministry: str, period: str, previous: PreviousValues | None = None
) -> str:
    m = catalogue.ministry(ministry)
    officers = ", ".join(o.email for o in m.officers)
    lines = [
        f"# Voortgangsrapportage Een thuis voor iedereen: {m.name}, {period}",
        "# Vul per mijlpaal status, voortgang en toelichting in en lever het bestand in met",
        "#   voortgang submit BESTAND   (of zet het in de inbox-map).",
        "# status: not_started | on_track | at_risk | delayed | done",
        "# status_reason en measure (de maatregel) zijn verplicht bij at_risk en delayed.",
        "# Datums als 2027-06-30.",
        "# De toelichting (narrative) komt in de Kamerbrief: Markdown mag, HTML niet.",
    ]
    if previous is not None:
        lines += [
            f"# Vooringevuld met uw laatste inzending ({previous.label}):",
            "# wijzig alleen wat veranderd is, ook de peildatum van elk cijfer dat u bijwerkt.",
        ]
    lines += [
        f"ministry: {m.code}",
        f"period: {period}",
        f"submitted_by:   # uw e-mailadres; geregistreerd voor {m.code}: {officers}",
        "milestones:",
    ]
    for ms in catalogue.milestones_of(m.code):
        lines += [
            f"  # {ms.title} (deadline {ms.due.isoformat()})",
            f"  - milestone: {ms.id}",
            *_milestone_lines(ms, previous.milestones.get(ms.id) if previous else None),
        ]
    indicators = catalogue.indicators_of(m.code)
    lines.append("indicators:" if indicators else "indicators: []")
    for ind in indicators:
        lines += [
            f"  # {ind.title} ({ind.unit})",
            f"  - indicator: {ind.id}",
            *_indicator_lines(ind, previous.indicators.get(ind.id) if previous else None),
        ]
    motions = catalogue.motions_of(m.code)
    reported = previous.commitments if previous else {}
    if motions:
        lines += [
            "# Moties en toezeggingen: de stand van zaken, voor de bijlage van de brief.",
            f"# status: {COMMITMENT_STATUSES}. Zonder melding toont de bijlage",
            "# 'geen stand ontvangen'. Melden: haal '# ' weg voor de regels van het item en",
            "# maak van 'commitments: []' 'commitments:'.",
            "commitments:" if any(mo.id in reported for mo in motions) else "commitments: []",
        ]
    for motion in motions:
        lines += [
            f"  # {motion_label(motion)}: {_single_line(motion.text)}",
            *_commitment_lines(motion, reported.get(motion.id)),
        ]
    if m.code == "VRO":
        lines += [
            "# Per gemeente: welke instrumenten zijn er (ja: true, nee: false)?",
            "municipalities: []",
            "#  - {municipality: GM0014, ordinance: true, urgency_scheme: true, woonzorgvisie: true,",
            "#     residents_involved: true, as_of: 2026-12-31}",
        ]
    return "\n".join(lines) + "\n"
