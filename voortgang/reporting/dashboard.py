"""What the Prefect UI shows coordinators: tables and summaries built from an assessment."""

from __future__ import annotations

import textwrap

from pydantic import BaseModel

from voortgang.reporting.assessment_schema import Change, GoalAssessment, PeriodAssessment
from voortgang.reporting.dutch import (
    SUBMISSION_CHANNEL_LABELS,
    format_date,
    milestone_status_label,
    status_label,
)
from voortgang.reporting.reminder_log import KIND_LABELS, PROGRAMME_TIMEZONE, ReminderEntry

# Prefect's UI does not wrap text in a table cell: long text makes the table as wide as the
# text (3,400 px for a goal's reasons). Cells are broken into lines of about this many
# characters with <br>, which the UI's Markdown renders; so the table fits the UI's artifact
# pane (about 800 px beside the menu and the details on a 1440 px wide screen).
REASON_LINE_CHARS = 44
TITLE_LINE_CHARS = 26


def _md(text: str) -> str:
    """Escape submitted text for a Markdown table cell or line."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def reasons_deciding_first(goal: GoalAssessment) -> list[str]:
    """Every reason of the goal, those that carry its status first.

    A reason decides when the milestone, indicator or ministry it comes from has the goal's
    status; reasons of unknown origin (the municipal figures) come next; reasons of a better
    or no status last. The order within each group is the assessment's.
    """
    states: dict[str, set[str]] = {}
    for view in goal.by_ministry:
        for text in view.reasons:
            states.setdefault(text, set()).add(view.status.value)
    for indicator in goal.indicators:
        states.setdefault(indicator.reason, set()).add(indicator.status.value)
    for milestone in goal.milestones:
        states.setdefault(milestone.reason, set()).add(milestone.state.value)

    def rank(text: str) -> int:
        known = states.get(text)
        if known is None:
            return 1
        return 0 if goal.status.value in known else 2

    return sorted(dict.fromkeys(goal.reasons), key=rank)


class GoalRow(BaseModel):
    """One goal as the coordinators' table shows it (plain text, not escaped)."""

    title: str
    lead: str
    status: str
    by_ministry: list[str]
    reasons: list[str]  # every one, the deciding one first


def goal_status_rows(assessment: PeriodAssessment) -> list[GoalRow]:
    return [
        GoalRow(
            title=goal.title,
            lead=goal.lead,
            status=status_label(goal.status),
            by_ministry=[f"{v.ministry}: {status_label(v.status)}" for v in goal.by_ministry],
            reasons=reasons_deciding_first(goal),
        )
        for goal in assessment.goals
    ]


def _cell(text: str, width: int) -> str:
    """Submitted text as a Markdown table cell, escaped, broken into short lines."""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    return "<br>".join(_md(line) for line in lines)


def goal_status_markdown(assessment: PeriodAssessment) -> str:
    """The goal table of the Prefect UI: status, each ministry's part and every reason."""
    lines = [
        f"# Status per doel, {assessment.period}",
        "",
        "De eerste reden bij een doel is de reden die de status bepaalt.",
        "",
        "| Doel | Status | Per ministerie | Toelichting |",
        "|---|---|---|---|",
    ]
    for row in goal_status_rows(assessment):
        numbered = len(row.reasons) > 1
        reasons = [
            _cell(f"{n}. {text}" if numbered else text, REASON_LINE_CHARS)
            for n, text in enumerate(row.reasons, start=1)
        ]
        cells = [
            _cell(row.title, TITLE_LINE_CHARS) + f"<br>*trekker: {_md(row.lead)}*",
            f"**{row.status}**",
            "<br>".join(_md(part) for part in row.by_ministry),
            "<br>".join(reasons),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


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
            f"{SUBMISSION_CHANNEL_LABELS.get(sub.latest.channel, sub.latest.channel)}: "
            f"{sub.milestones} mijlpalen, {sub.indicators} indicatoren.",
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


def reminder_rows(entries: list[ReminderEntry]) -> list[dict[str, str]]:
    """The remind flow's table: who was told what, when, and whether it went out."""
    return [
        {
            "datum": format_date(entry.day),
            "soort": KIND_LABELS.get(entry.kind, entry.kind),
            "ministerie": entry.ministry or "coördinatoren",
            "aan": ", ".join(entry.recipients),
            # Not yet: Slack was down or no token is set; the outbox keeps it.
            "verstuurd": (
                format_date(entry.sent_at.astimezone(PROGRAMME_TIMEZONE).date())
                if entry.sent_at
                else "nog niet"
            ),
        }
        for entry in entries
    ]
