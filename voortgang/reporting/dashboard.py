"""What the Prefect UI shows coordinators: tables and summaries built from an assessment."""

from __future__ import annotations

from voortgang.reporting.assessment_schema import Change, PeriodAssessment
from voortgang.reporting.dutch import format_date, milestone_status_label, status_label


def _md(text: str) -> str:
    """Escape submitted text for a Markdown table cell or line."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def goal_status_rows(assessment: PeriodAssessment) -> list[dict[str, str]]:
    return [
        {
            "doel": goal.title,
            "trekker": goal.lead,
            "status": status_label(goal.status),
            "per ministerie": "; ".join(
                f"{v.ministry}: {status_label(v.status)}" for v in goal.by_ministry
            ),
            "toelichting": " ".join(goal.reasons[:2]),
        }
        for goal in assessment.goals
    ]


def submissions_received(assessment: PeriodAssessment) -> tuple[int, int]:
    return sum(s.submitted for s in assessment.submissions), len(assessment.submissions)


def ministry_summary_markdown(assessment: PeriodAssessment, changes: list[Change]) -> str:
    received, total = submissions_received(assessment)
    lines = [
        f"# Inzendingen {assessment.period}",
        "",
        f"{received} van de {total} ministeries hebben ingezonden; deadline "
        f"{format_date(assessment.deadline)}.",
        "",
    ]
    if assessment.missing_ministries:
        lines += [f"**Ontbreekt:** {', '.join(assessment.missing_ministries)}", ""]
    milestone_owner = {m.milestone_id: m.ministry for g in assessment.goals for m in g.milestones}
    for sub in assessment.submissions:
        lines.append(f"## {sub.code}: {_md(sub.name)}")
        if sub.latest is None:
            lines += ["", f"Geen inzending voor {assessment.period}.", ""]
            continue
        lines += [
            "",
            f"Versie {sub.latest.version} ({sub.versions} in totaal), ingezonden door "
            f"{_md(sub.latest.submitted_by)} op {format_date(sub.latest.submitted_at.date())} "
            f"via {sub.latest.channel}: {sub.milestones} mijlpalen, {sub.indicators} indicatoren.",
            "",
        ]
        own = [c for c in changes if milestone_owner.get(c.subject_id) == sub.code]
        if own:
            lines.append("Gewijzigd sinds de vorige periode:")
            lines += [
                f"- {_md(c.subject)}: {milestone_status_label(c.before)} → "
                f"{milestone_status_label(c.after)}"
                for c in own
            ]
            lines.append("")
    return "\n".join(lines)
