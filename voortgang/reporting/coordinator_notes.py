"""The coordinators' notes (notities van de coördinatoren): the internal document beside each
draft letter.

The letter a minister signs names no civil servant and no internal process, and blames no
co-signing ministry. Everything the coordinators need to check before they approve it goes
here instead, in Dutch: missing or late reports with who and when, figures carried over from
an earlier quarter, claims that contradict the data, statuses that need a second look, the
full list of changes, and the audit of every report the draft rests on (submitter, version,
content hash). Plain data in (``NotesInput``), Markdown out; no database access here.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from voortgang.models.catalogue import Catalogue
from voortgang.reporting.assessment_schema import Change, PeriodAssessment
from voortgang.reporting.audit import AuditAct
from voortgang.reporting.letter.markdown_render import tidy
from voortgang.reporting.letter.templating import markdown_environment
from voortgang.reporting.letter.view import local_date

NOTES_SUFFIX = "-notities"  # voortgangsbrief-2026Q4-v1-notities.md beside the letter


class SubmissionAudit(BaseModel):
    """One stored report version, as the audit lists it."""

    model_config = ConfigDict(frozen=True)

    ministry: str
    period: str
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    channel: str
    source_name: str | None
    content_hash: str


class NotesInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    assessment: PeriodAssessment
    catalogue: Catalogue
    changes: list[Change] = []
    previous_period: str | None = None
    # What moved since the earlier draft of the same period (a later report came in).
    changes_since_draft: list[Change] = []
    previous_draft_version: int | None = None
    draft_version: int
    letter_date: dt.date
    audit: list[SubmissionAudit] = []
    provisional: bool = False  # before the deadline: a report not in yet is not missing
    # Submissions and decisions of the period whose claim no channel verified (reporting/audit.py).
    unverified: list[AuditAct] = []


class NotesView:
    """Groups what the notes template reads; the Dutch sentences are in notities.md.j2."""

    def __init__(self, data: NotesInput) -> None:
        self.data = data
        self.a = data.assessment
        self.cat = data.catalogue

    def ministry_name(self, code: str) -> str:
        try:
            return self.cat.ministry(code).name
        except KeyError:
            return code

    def officers(self, code: str) -> str:
        try:
            ministry = self.cat.ministry(code)
        except KeyError:
            return code
        return "; ".join(f"{o.name} ({o.email})" for o in ministry.officers)

    def person(self, email: str) -> str:
        """The name registered for an e-mail address, with the address."""
        known = [o for m in self.cat.ministries for o in m.officers] + list(self.cat.coordinators)
        for officer in known:
            if officer.email.lower() == email.lower():
                return f"{officer.name} ({officer.email})"
        return email

    @staticmethod
    def day(moment: dt.datetime) -> dt.date:
        return local_date(moment)

    @property
    def late(self) -> list[SubmissionAudit]:
        """Latest versions that came in after the delivery date."""
        latest: dict[str, SubmissionAudit] = {}
        for row in self.data.audit:
            if row.period == self.a.period and (
                row.ministry not in latest or row.version > latest[row.ministry].version
            ):
                latest[row.ministry] = row
        return [r for r in latest.values() if local_date(r.submitted_at) > self.a.deadline]

    @property
    def carried_over(self) -> list[tuple[str, str, str]]:
        """(ministry, what, period) for every milestone or figure taken from an earlier quarter."""
        rows: list[tuple[str, str, str]] = []
        for g in self.a.goals:
            for m in g.milestones:
                if m.from_earlier_period:
                    rows.append((m.ministry, f"mijlpaal ‘{m.title}’", m.from_earlier_period))
            for i in g.indicators:
                if i.from_earlier_period:
                    rows.append((i.reported_by, f"indicator ‘{i.title}’", i.from_earlier_period))
        return sorted(set(rows))

    @property
    def contradictions(self) -> list[str]:
        """Claims the data contradicts, and checks the assessment asks for."""
        found: list[str] = []
        if self.a.instruments is not None:
            found += list(self.a.instruments.needs_attention)
        for g in self.a.goals:
            for i in g.indicators:
                found += [n for n in getattr(i, "notes", []) if n not in found]
        return found

    @property
    def second_look(self) -> list[str]:
        """Statuses a coordinator should check before the letter goes (Dutch, short)."""
        rows: list[str] = []
        for g in self.a.goals:
            views = {v.status for v in g.by_ministry if v.submitted}
            if len(views) > 1:
                parts = ", ".join(
                    f"{v.ministry}: {v.status.value}" for v in g.by_ministry if v.submitted
                )
                rows.append(f"Doel ‘{g.title}’: de ministeries oordelen verschillend ({parts}).")
            for m in g.milestones:
                if m.status == "done" and m.progress is not None and m.progress < 100:
                    rows.append(
                        f"Mijlpaal ‘{m.title}’ ({m.ministry}) heet gereed maar staat op "
                        f"{m.progress:g}% voortgang."
                    )
                if (
                    m.status == "on_track"
                    and m.expected_completion
                    and m.expected_completion > m.due
                ):
                    rows.append(
                        f"Mijlpaal ‘{m.title}’ ({m.ministry}) heet op schema, maar de verwachte "
                        "afronding ligt na de uiterste datum."
                    )
                if m.status in ("at_risk", "delayed") and not m.measure:
                    rows.append(
                        f"Mijlpaal ‘{m.title}’ ({m.ministry}): geen maatregel gemeld; de brief "
                        "zegt daarom niet wat het kabinet eraan doet."
                    )
                if m.status in ("at_risk", "delayed") and not m.status_reason:
                    rows.append(f"Mijlpaal ‘{m.title}’ ({m.ministry}): geen reden gemeld.")
            behind = [i for i in g.indicators if i.status.value in ("at_risk", "off_track")]
            if (
                behind
                and not any(i.measure for i in behind)
                and not any(m.measure for m in g.milestones)
            ):
                rows.append(
                    f"Doel ‘{g.title}’ ligt niet op schema zonder gemelde maatregel bij de "
                    "indicator of een mijlpaal: vraag de ministeries wat het kabinet doet."
                )
        return rows


def render_notes(data: NotesInput) -> str:
    """The coordinators' notes as Markdown (escaped like the letter: submitted text is data)."""
    view = NotesView(data)
    template = markdown_environment().get_template("notities.md.j2")
    return tidy(template.render(d=data, n=view, a=data.assessment, cat=data.catalogue))
