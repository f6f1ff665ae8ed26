"""The quarterly cycle end to end: drafts are versioned, re-runs add nothing, changes are named."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from tests.support.submissions import example, submit_examples, submit_raw
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
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
    assert "ministerie van Sociale Zaken en Werkgelegenheid" in letter
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
    section = letter.split("## Gewijzigd sinds concept versie 1", 1)[1].split("\n# ", 1)[0]
    assert "Dakloze mensen" in section
    assert "25.100" in section and "27.600" in section
    assert Path(second.draft.files["docx"]).stat().st_size > 10_000
    # The first version is kept.
    assert Path(first.draft.files["html"]).exists()
