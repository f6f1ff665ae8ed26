"""The cycle's ``letter-<period>`` artifact in the Prefect UI is a short summary: the letter's
version and state and where each of its files is, not the letter itself (whose chart links and
note markers the UI cannot show)."""

from __future__ import annotations

from pathlib import Path

from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle

PERIOD = "2026Q3"


def _letter_artifact(flow_run_id):
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
                key=ArtifactFilterKey(any_=[f"letter-{PERIOD.lower()}"]),
            )
        )
    assert len(found) == 1
    return found[0]


def test_letter_artifact_says_version_state_and_where_the_files_are(db):
    submit_examples(PERIOD)
    state = quarterly_cycle(period=PERIOD, wait_for_approval=False, return_state=True)
    draft = state.result().draft
    artifact = _letter_artifact(state.state_details.flow_run_id)
    text = artifact.data
    assert text.startswith(f"**Voortgangsbrief {PERIOD}, versie {draft.version}**: concept")
    assert artifact.description == (
        f"Voortgangsbrief {PERIOD}, versie {draft.version}: waar de bestanden staan"
    )
    assert set(draft.files) >= {"md", "html", "docx", "pdf"}
    for path in draft.files.values():
        assert f"`{path}`" in text and Path(path).is_file()
    assert "Brief (PDF, toegankelijk)" in text and "Brief (Word)" in text
    assert f"voortgang approve --period {PERIOD}" in text
    # not the letter: no note markers, no image links, no letter text
    assert "[^" not in text and "![" not in text
    assert "Hoogachtend" not in text
    assert len(text.splitlines()) < 25
