"""The coordinators' notes flag every act of the period whose claim no channel verified.

Protects the "Niet geverifieerd" section of notities.md.j2 (issue 10, item 4): a report
through the Prefect form (one shared login) is listed with its ministry, version, channel
and the claimed address; a report whose channel vouched for the account (the command line,
the inbox file's owner) is not; with nothing unverified the section is absent.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.models.factories import write_submission
from tests.support.drafts import draft_period
from tests.support.submissions import TODAY, example
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.identity import cli_actor
from voortgang.models.submission_intake import take_in, take_in_file

PERIOD = "2026Q4"


def notes_of(draft_id: int) -> str:
    with session_scope() as session:
        notes = session.scalar(
            select(t.LetterDraft.notes_markdown).where(t.LetterDraft.id == draft_id)
        )
    assert notes is not None
    return notes


def section(notes: str) -> list[str]:
    _, found, rest = notes.partition("## Niet geverifieerd")
    assert found, "no section 'Niet geverifieerd' in the notes"
    return [line for line in rest.split("\n## ")[0].splitlines() if line.startswith("- ")]


def test_form_report_is_flagged_with_its_claim(db: str, tmp_path: Path) -> None:
    vws = example(PERIOD, "VWS")
    take_in(vws, source="formulier", channel="form", today=TODAY)
    take_in(example(PERIOD, "BZK"), source="b", channel="cli", today=TODAY, actor=cli_actor())
    take_in_file(write_submission(tmp_path / "aenm.yaml", example(PERIOD, "AenM")), today=TODAY)

    notes = notes_of(draft_period(PERIOD).draft_id)

    [line] = section(notes)
    assert line.startswith("- VWS versie 1 via het webformulier op ")
    assert line.endswith(f"opgegeven als {vws['submitted_by']}.")


def test_no_section_when_every_channel_verified(db: str) -> None:
    for code in ("VWS", "BZK"):
        take_in(example(PERIOD, code), source=code, channel="cli", today=TODAY, actor=cli_actor())

    notes = notes_of(draft_period(PERIOD).draft_id)

    assert "## Niet geverifieerd" not in notes
    assert "## Verantwoording van de bronnen" in notes
