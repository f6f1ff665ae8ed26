"""The quarterly cycle end to end: drafts are versioned, re-runs add nothing, changes are named."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from tests.support.submissions import example, submit_examples, submit_raw
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope


def _draft_count(period: str) -> int:
    with session_scope() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(t.LetterDraft)
                .where(t.LetterDraft.period_id == period)
            )
            or 0
        )


async def _artifact_keys(flow_run_id) -> set[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key for a in artifacts if a.key}


# Internal process: the role labels of the ministries (trekker, "Betrokken:", "(betrokken)";
# "de betrokken provincies" is plain Dutch), the rule book, the English word, the code.
INTERNAL_WORDS = ("trekker", "betrokken:", "(betrokken)", "beoordelingsregels", "deadline")


def _reads_like_a_letter_a_minister_signs(letter: str) -> None:
    """The demo's Q4 letter (the example submissions): short, without internal process."""
    words = len(letter.split())  # the whole file: the annexes are a document of their own
    assert words <= 2500, f"the body has {words} words"
    lowered = letter.lower()
    for word in INTERNAL_WORDS:
        assert word not in lowered, word
    assert "AenM" not in letter
    catalogue = load_catalogue()
    for officer in [o for m in catalogue.ministries for o in m.officers]:
        assert officer.name not in letter and officer.email not in letter
    for blame in ("ontvingen wij geen", "niet ontvangen", "niet aangeleverd", "geen rapportage"):
        assert blame not in lowered
    assert (
        "<" not in letter and ">" not in letter and "&lt;" not in letter and "&amp;" not in letter
    )


def test_second_cycle_with_a_changed_submission_drafts_a_new_version_naming_the_change(db):
    submit_examples("2026Q3")
    quarterly_cycle(period="2026Q3", wait_for_approval=False)
    submit_examples("2026Q4")

    state = quarterly_cycle(period="2026Q4", wait_for_approval=False, return_state=True)
    first = state.result()
    assert first.draft.version == 1 and first.draft.created
    assert first.missing_ministries == ["SZW"]
    letter = Path(first.draft.files["md"]).read_text(encoding="utf-8")
    assert "# Wat is veranderd sinds de vorige brief" in letter
    assert "derde kwartaal 2026" in letter  # compared with the previous letter
    # The missing ministry is not blamed in the letter it co-signs; the notes say who and when.
    assert (
        "Sociale Zaken en Werkgelegenheid"
        not in letter.split("mede namens", 1)[1].split("over de voortgang", 1)[1]
    )
    assert "informeer ik u in de volgende brief" in letter
    _reads_like_a_letter_a_minister_signs(letter)
    notes = Path(first.draft.files["notities"]).read_text(encoding="utf-8")
    assert "**Ministerie van Sociale Zaken en Werkgelegenheid**: geen rapportage" in notes
    assert "r.smit@minszw.example.nl" in notes  # who to call
    assert (
        Path(first.draft.files["bijlagen-md"])
        .read_text(encoding="utf-8")
        .startswith("# Bijlagen bij de voortgangsbrief")
    )
    keys = asyncio.run(_artifact_keys(state.state_details.flow_run_id))
    assert {"goal-status-2026q4", "submissions-2026q4", "letter-2026q4"} <= keys

    # Nothing changed: running the cycle again (a retry, a resumed run) adds no version.
    again = quarterly_cycle(period="2026Q4", wait_for_approval=False)
    assert again.draft.version == 1 and not again.draft.created
    assert _draft_count("2026Q4") == 1

    changed = example("2026Q4", "VWS")
    for value in changed["indicators"]:
        if value["indicator"] == "homeless-people":
            value["value"] = 25100
    submit_raw(changed)
    second = quarterly_cycle(period="2026Q4", wait_for_approval=False)
    assert second.draft.version == 2 and second.draft.created
    assert _draft_count("2026Q4") == 2
    letter = Path(second.draft.files["md"]).read_text(encoding="utf-8")
    assert "Na concept versie 1 van deze brief kwamen nieuwe" in letter
    assert "stond ‘dakloze mensen’ op 25.100 personen" in letter and "27.600" not in letter
    notes = Path(second.draft.files["notities"]).read_text(encoding="utf-8")
    section = notes.split("## Gewijzigd sinds concept versie 1", 1)[1].split("\n## ", 1)[0]
    assert "Dakloze mensen" in section
    assert "27.600 → 25.100" in section
    assert Path(second.draft.files["docx"]).stat().st_size > 10_000
    # The first version is kept.
    assert Path(first.draft.files["html"]).exists()
