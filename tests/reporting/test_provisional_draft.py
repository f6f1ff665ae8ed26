"""Protects the provisional letter: 'Voorlopig' in the title of every format and on every
page (HTML banner and print header, DOCX section header, PDF from the HTML), stored with its
flag, never approvable, and the command line's refusal before the deadline (exit 2, one line
naming the deadline), with --voorlopig as the way out."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.support.drafts import draft_period
from tests.support.submissions import submit_examples
from voortgang.models.db import session_scope
from voortgang.reporting.decisions import DecisionError, Verdict, record_decision
from voortgang.reporting.drafts import DraftResult, current_draft

VOORTGANG = Path(sys.executable).with_name("voortgang")
PERIOD = "2026Q4"
EARLY = dt.date(2026, 11, 30)  # five weeks before the deadline of 5 January 2027
COORDINATOR = "coordinator@programma-etvi.example.nl"
REFUSAL = (
    "--period 2026Q4: the period ends on 31 December 2026 and its reports are due on "
    "5 January 2027; a final letter can be drafted from 6 January 2027 (or use --voorlopig "
    "for a provisional draft marked 'Voorlopig')"
)


def _provisional_draft() -> DraftResult:
    return draft_period(PERIOD, today=EARLY, provisional=True)


@pytest.fixture
def provisional(db: str) -> DraftResult:
    submit_examples(PERIOD, ["VRO", "VWS", "BZK"])
    return _provisional_draft()


def test_marked_voorlopig_in_every_format(provisional: DraftResult) -> None:
    with session_scope() as session:
        draft = current_draft(session, PERIOD)
        assert draft is not None and draft.provisional
        markdown, html, word = draft.markdown, draft.html, draft.docx
        annexes_html = draft.annexes_html
        notes = draft.notes_markdown
    # Markdown: the subject (Betreft) is the letter's title.
    assert "Voorlopig: Voortgangsbrief ‘Een thuis voor iedereen’ – vierde kwartaal 2026" in markdown
    assert "Deze brief beschrijft de stand op 30 november 2026." in markdown
    # HTML: title, banner naming the deadline, and the mark the print header repeats.
    assert "<title>Voorlopig: Voortgangsbrief" in html
    assert '<p class="voorlopig" role="note">' in html
    assert "uiterlijk 5 januari 2027 in te leveren" in html
    assert '<p class="concept">Voorlopig concept, versie 1</p>' in html
    assert "string-set: concept content(text)" in html and "@top-right" in html
    assert '<p class="voorlopig" role="note">' in (annexes_html or "")
    # DOCX: the section header (on every page) and the document title.
    document = docx.Document(io.BytesIO(word))
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    assert "Voorlopig concept, versie 1" in headers
    assert document.core_properties.title.startswith("Voorlopig: ")
    # The coordinators' notes: a report not in yet is not called missing before the deadline.
    assert notes is not None and "Voorlopig concept" in notes
    assert "op 30 november 2026 nog geen rapportage over het vierde kwartaal 2026" in notes
    assert "de uiterste datum is 5 januari 2027" in notes


def test_the_pdf_prints_voorlopig_on_every_page(provisional: DraftResult) -> None:
    pdf = Path(provisional.files.get("pdf", ""))
    if not pdf.is_file():
        pytest.skip("WeasyPrint could not print here (Pango missing)")
    pdftotext = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=False
    )
    if pdftotext.returncode != 0:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = [p for p in pdftotext.stdout.split("\f") if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert "VOORLOPIG CONCEPT" in page.upper(), f"page {number} lacks the mark"


def test_a_provisional_draft_cannot_be_approved(provisional: DraftResult) -> None:
    with session_scope() as session, pytest.raises(DecisionError) as refused:
        record_decision(
            session,
            period=PERIOD,
            decision=Verdict.approve,
            decided_by=COORDINATOR,
            comment=None,
            channel="cli",
        )
    assert "provisional draft" in str(refused.value) and "cannot be approved" in str(refused.value)
    with session_scope() as session:
        draft = current_draft(session, PERIOD)
        assert draft is not None and draft.state == "draft"


def _voortgang(*args: str, today: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VOORTGANG_TODAY": today}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [str(VOORTGANG), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_approve_on_the_command_line_exits_2(provisional: DraftResult) -> None:
    done = _voortgang("approve", "--period", PERIOD, "--by", COORDINATOR, today="2026-11-30")
    assert done.returncode == 2, done.stderr
    assert "provisional draft" in done.stderr


def test_cycle_and_letter_refuse_before_the_deadline(db: str, tmp_path: Path) -> None:
    for command in (
        ("cycle", "--period", PERIOD),
        ("letter", "--period", PERIOD, "--format", "md", "-o", str(tmp_path / "brief.md")),
    ):
        done = _voortgang(*command, today="2026-11-30")
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == REFUSAL
    assert not (tmp_path / "brief.md").exists()


def test_letter_writes_the_provisional_draft_with_voorlopig_only(
    provisional: DraftResult, tmp_path: Path
) -> None:
    out = tmp_path / "brief.md"
    done = _voortgang(
        "letter",
        "--period",
        PERIOD,
        "--format",
        "md",
        "-o",
        str(out),
        "--voorlopig",
        today="2026-11-30",
    )
    assert done.returncode == 0, done.stderr
    assert "Voorlopig: Voortgangsbrief" in out.read_text(encoding="utf-8")
    # After the deadline the stored provisional draft is not passed off as the letter.
    done = _voortgang(
        "letter", "--period", PERIOD, "--format", "md", "-o", str(out), today="2027-01-06"
    )
    assert done.returncode == 2
    assert "is provisional" in done.stderr and "voortgang cycle --period 2026Q4" in done.stderr
