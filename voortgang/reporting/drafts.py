"""Letter drafts: versioned per period, kept in the database, written to the letters folder.

A draft is only added when what it says changed (the assessment and the changes it reports),
so a cycle that runs again for the same period (a resumed or retried run) adds no version.
An approved (final) draft ends drafting for its period until it is reopened
(``reporting/decisions.py``): the period's letter is then that draft, whatever comes in later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_store import (
    assessment_hash,
    latest_assessment_id,
    load_assessment,
)
from voortgang.reporting.changes import compare_assessments
from voortgang.reporting.commitments import commitments_annex, latest_commitment_reports
from voortgang.reporting.municipal_summary import all_shares

if TYPE_CHECKING:
    from voortgang.reporting.assessment_schema import PeriodAssessment
    from voortgang.reporting.coordinator_notes import SubmissionAudit
    from voortgang.reporting.letter.annexes import AnnexFiles
    from voortgang.reporting.letter.context import LetterFiles

FORMATS = ("md", "html", "docx")
# File name suffixes as letter/annexes.py and coordinator_notes.py write them; repeated here
# so that reading drafts needs neither matplotlib nor python-docx.
ANNEX_SUFFIX = "-bijlagen"
NOTES_SUFFIX = "-notities"


def submission_audit(session: Session, period: str) -> list[SubmissionAudit]:
    """Every stored report version of the period, for the coordinators' notes."""
    from voortgang.reporting.coordinator_notes import SubmissionAudit

    rows = session.scalars(
        select(t.Submission)
        .where(t.Submission.period_id == period)
        .order_by(t.Submission.ministry_code, t.Submission.version)
    ).all()
    return [
        SubmissionAudit(
            ministry=r.ministry_code,
            period=r.period_id,
            version=r.version,
            submitted_by=r.submitted_by,
            submitted_at=r.submitted_at,
            channel=r.channel,
            source_name=r.source_name,
            content_hash=r.content_hash,
        )
        for r in rows
    ]


class DraftResult(BaseModel):
    draft_id: int
    period: str
    version: int
    created: bool
    files: dict[str, str]  # format -> path
    final: bool = False  # the approved letter of the period: no new draft until reopened
    provisional: bool = False  # drafted before the deadline: "Voorlopig", never approved


def _substance(assessment_id: int, session: Session, changes_json: str) -> str:
    assessment = load_assessment(session, assessment_id)
    return hashlib.sha256((assessment_hash(assessment) + changes_json).encode()).hexdigest()


def latest_draft(session: Session, period: str) -> t.LetterDraft | None:
    return session.scalars(
        select(t.LetterDraft)
        .where(t.LetterDraft.period_id == period)
        .order_by(t.LetterDraft.version.desc())
        .limit(1)
    ).first()


def final_draft(session: Session, period: str) -> t.LetterDraft | None:
    """The approved draft of the period, if it has one (at most one stays final)."""
    return session.scalars(
        select(t.LetterDraft)
        .where(t.LetterDraft.period_id == period, t.LetterDraft.state == "final")
        .order_by(t.LetterDraft.version.desc())
        .limit(1)
    ).first()


def current_draft(session: Session, period: str) -> t.LetterDraft | None:
    """The period's letter as it stands: the approved draft, else the latest one."""
    return final_draft(session, period) or latest_draft(session, period)


def lock_period(session: Session, period: str) -> None:
    """Hold the period's row until the transaction ends, so that drafting and deciding on
    one period take turns on PostgreSQL. (SQLite: every writer holds the database lock
    from BEGIN IMMEDIATE already; ``FOR UPDATE`` renders nothing there.)"""
    session.execute(
        select(t.ReportingPeriod.id).where(t.ReportingPeriod.id == period).with_for_update()
    )


def draft_contents(draft: t.LetterDraft) -> dict[str, tuple[str, bytes]]:
    """Key -> (file name suffix, bytes): the letter in each format, then (when stored) its
    annexes in each format and the coordinators' notes. Keys: ``md``, ``html``, ``docx``,
    ``bijlagen-md``, ``bijlagen-html``, ``bijlagen-docx``, ``notities``."""
    contents: dict[str, tuple[str, bytes]] = {
        "md": (".md", draft.markdown.encode("utf-8")),
        "html": (".html", draft.html.encode("utf-8")),
        "docx": (".docx", draft.docx),
    }
    if draft.annexes_markdown is not None:
        contents["bijlagen-md"] = (f"{ANNEX_SUFFIX}.md", draft.annexes_markdown.encode("utf-8"))
    if draft.annexes_html is not None:
        contents["bijlagen-html"] = (f"{ANNEX_SUFFIX}.html", draft.annexes_html.encode("utf-8"))
    if draft.annexes_docx is not None:
        contents["bijlagen-docx"] = (f"{ANNEX_SUFFIX}.docx", draft.annexes_docx)
    if draft.notes_markdown is not None:
        contents["notities"] = (f"{NOTES_SUFFIX}.md", draft.notes_markdown.encode("utf-8"))
    return contents


def write_draft_files(draft: t.LetterDraft, letters_dir: Path) -> dict[str, str]:
    """The letter, its annexes and the coordinators' notes in the period's letters folder."""
    folder = letters_dir / draft.period_id
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"voortgangsbrief-{draft.period_id}-v{draft.version}"
    paths = {}
    for fmt, (suffix, data) in draft_contents(draft).items():
        path = folder / f"{stem}{suffix}"
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written letter on disk
        paths[fmt] = str(path)
    paths.update(write_print_and_charts(draft, folder / f"{stem}.pdf", paths))
    return paths


def write_print_and_charts(
    draft: t.LetterDraft, pdf_path: Path, written: dict[str, str]
) -> dict[str, str]:
    """Beside each written Markdown file its charts, so its image links resolve (from the
    HTML file of the same name); then the letter as a tagged PDF (``{"pdf": path}``)."""
    from voortgang.reporting.letter.chart_files import write_markdown_with_charts
    from voortgang.reporting.letter.pdf_render import write_pdf

    for name in written.values():
        markdown_path, html_path = Path(name), Path(name).with_suffix(".html")
        if markdown_path.suffix == ".md" and html_path.is_file():
            write_markdown_with_charts(
                markdown_path,
                markdown_path.read_text(encoding="utf-8"),
                html_path.read_text(encoding="utf-8"),
            )
    pdf = write_pdf(pdf_path, draft.html)
    return {} if pdf is None else {"pdf": str(pdf)}


@dataclass(frozen=True)
class DraftDocuments:
    """Everything one draft consists of, rendered and not yet stored."""

    letter: LetterFiles
    annexes: AnnexFiles
    notes: str  # the coordinators' notes (Markdown)


def render_draft(
    session: Session,
    catalogue: Catalogue,
    assessment: PeriodAssessment,
    *,
    version: int,
    letter_date: dt.date,
    previous_draft: t.LetterDraft | None = None,
    provisional: bool = False,
) -> DraftDocuments:
    """The letter, its annexes and the coordinators' notes for ``assessment``, in memory.

    ``make_draft`` stores them; the cycle's isolation (reporting/isolation.py) renders them to
    find whose data cannot be drafted, so both go through exactly the same rendering."""
    # The letter pulls in matplotlib and python-docx; only drafting needs them.
    from voortgang.reporting.audit import unverified_acts
    from voortgang.reporting.coordinator_notes import NotesInput, render_notes
    from voortgang.reporting.letter import LetterContext, build_letter
    from voortgang.reporting.letter.annexes import build_annexes

    quarter = Quarter.parse(assessment.period)
    previous_id = latest_assessment_id(session, str(quarter.previous()))
    before = load_assessment(session, previous_id) if previous_id else None
    changes = compare_assessments(before, assessment)
    draft_changes = (
        compare_assessments(load_assessment(session, previous_draft.assessment_id), assessment)
        if previous_draft is not None
        else []
    )
    context = LetterContext(
        assessment=assessment,
        catalogue=catalogue,
        changes=changes,
        changes_since_draft=draft_changes,
        previous_draft_version=previous_draft.version if previous_draft else None,
        previous_period=before.period if before else None,
        letter_date=letter_date,
        version=version,
        kenmerk=f"ETVI-{quarter}-{version:02d}",
        municipality_shares=all_shares(session),
        commitments=commitments_annex(
            catalogue, latest_commitment_reports(session, str(quarter)), str(quarter)
        ),
        next_letter_date=quarter.next().next().start + dt.timedelta(days=20),
        provisional=provisional,
    )
    files = build_letter(context)
    annexes = build_annexes(context, files.charts)
    notes = render_notes(
        NotesInput(
            assessment=assessment,
            catalogue=catalogue,
            changes=changes,
            previous_period=before.period if before else None,
            changes_since_draft=draft_changes,
            previous_draft_version=previous_draft.version if previous_draft else None,
            draft_version=version,
            letter_date=letter_date,
            audit=submission_audit(session, str(quarter)),
            provisional=provisional,
            unverified=unverified_acts(session, period=str(quarter)),
        )
    )
    return DraftDocuments(letter=files, annexes=annexes, notes=notes)


def make_draft(
    session: Session,
    catalogue: Catalogue,
    period: str,
    assessment_id: int,
    *,
    letters_dir: Path,
    letter_date: dt.date | None = None,
    flow_run_id: str | None = None,
    provisional: bool = False,
) -> DraftResult:
    """Draft the letter for the period from the given assessment, unless nothing changed
    or the period's letter is approved (then that draft is returned, ``final=True``).

    A ``provisional`` draft (before the deadline, ``reporting/letter_dates.py``) is marked
    "Voorlopig" and describes the assessment's day; a final draft always follows one."""
    quarter = Quarter.parse(period)
    lock_period(session, str(quarter))
    approved = final_draft(session, str(quarter))
    if approved is not None:
        return DraftResult(
            draft_id=approved.id,
            period=str(quarter),
            version=approved.version,
            created=False,
            files=write_draft_files(approved, letters_dir),
            final=True,
        )
    assessment = load_assessment(session, assessment_id)
    previous_id = latest_assessment_id(session, str(quarter.previous()))
    before = load_assessment(session, previous_id) if previous_id else None
    changes = compare_assessments(before, assessment)
    previous_draft = latest_draft(session, str(quarter))
    changes_json = json.dumps([c.model_dump(mode="json") for c in changes], sort_keys=True)
    substance = _substance(assessment_id, session, changes_json)
    if provisional:  # it names the day it describes, which moves
        substance = hashlib.sha256(
            f"{substance}|voorlopig|{assessment.assessed_on.isoformat()}".encode()
        ).hexdigest()
    if previous_draft is not None and previous_draft.content_hash == substance:
        return DraftResult(
            draft_id=previous_draft.id,
            period=str(quarter),
            version=previous_draft.version,
            created=False,
            files=write_draft_files(previous_draft, letters_dir),
            provisional=previous_draft.provisional,
        )
    version = (
        session.scalar(
            select(func.max(t.LetterDraft.version)).where(t.LetterDraft.period_id == str(quarter))
        )
        or 0
    ) + 1
    day = letter_date or dt.date.today()
    documents = render_draft(
        session,
        catalogue,
        assessment,
        version=version,
        letter_date=day,
        previous_draft=previous_draft,
        provisional=provisional,
    )
    files, annexes, notes = documents.letter, documents.annexes, documents.notes
    draft = t.LetterDraft(
        period_id=str(quarter),
        version=version,
        flow_run_id=flow_run_id,
        assessment_id=assessment_id,
        content_hash=substance,
        markdown=files.markdown,
        html=files.html,
        docx=files.docx,
        annexes_markdown=annexes.markdown,
        annexes_html=annexes.html,
        annexes_docx=annexes.docx,
        notes_markdown=notes,
        provisional=provisional,
    )
    session.add(draft)
    session.flush()
    return DraftResult(
        draft_id=draft.id,
        period=str(quarter),
        version=version,
        created=True,
        files=write_draft_files(draft, letters_dir),
        provisional=provisional,
    )
