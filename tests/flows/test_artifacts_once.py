"""Artifacts are published once per flow run: a suspended cycle that resumes adds no version.

Protects part 2 of issue 11 ("each resume republishes every artifact, six versions per key").
The cycle runs from a deployment, as a worker runs it: it suspends for the coordinator's
decision, is resumed through the API with the decision, and runs its flow function again from
the top in the same flow run. Afterwards each artifact key has one version in that run.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any
from uuid import UUID

from sqlalchemy import select

from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.db import session_scope

COORDINATOR = "coordinator@programma-etvi.example.nl"
# Its own period: the approval tests look for waiting runs named kwartaalcyclus-2026Q4.
PERIOD = "2026Q3"
KEYS = {"goal-status-2026q3", "submissions-2026q3", "submissions-received-2026q3", "letter-2026q3"}


def _artifacts_of(flow_run_id: UUID) -> list[Any]:
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def _run_as_a_worker_does(flow_run_id: UUID) -> Any:
    """Execute the flow run in this process, as a worker's flow-run process would."""
    from prefect import get_client
    from prefect.exceptions import Pause
    from prefect.flow_engine import run_flow

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
    # Suspended: the process ends here, as a worker's would.
    with contextlib.suppress(Pause):
        run_flow(quarterly_cycle, flow_run=flow_run, return_type="state")
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def _cancel_if_waiting(flow_run_id: UUID) -> None:
    from prefect import get_client
    from prefect.states import Cancelled

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        if run.state is not None and not run.state.is_final():
            client.set_flow_run_state(flow_run_id, Cancelled(), force=True)


def test_a_resumed_cycle_publishes_each_artifact_once_in_its_run(db):
    from prefect import get_client
    from prefect.flow_runs import resume_flow_run

    submit_examples(PERIOD)
    deployment_id = quarterly_cycle.to_deployment(name="artefacten-eenmaal").apply()
    with get_client(sync_client=True) as client:
        created = client.create_flow_run_from_deployment(
            deployment_id, parameters={"period": PERIOD, "approval_timeout_days": 1}
        )
    try:
        suspended = _run_as_a_worker_does(created.id)
        assert suspended.state is not None and suspended.state.name == "Suspended"
        assert suspended.name == f"kwartaalcyclus-{PERIOD}"
        before = Counter(a.key for a in _artifacts_of(created.id))
        assert set(before) >= KEYS and set(before.values()) == {1}, before

        resume_flow_run(created.id, run_input={"decision": "approve", "decided_by": COORDINATOR})
        finished = _run_as_a_worker_does(created.id)
        assert finished.state is not None and finished.state.is_completed(), finished.state
    finally:
        _cancel_if_waiting(created.id)  # never leave a waiting run for other tests to find

    with session_scope() as session:
        assert session.scalars(select(t.LetterDraft.state)).all() == ["final"]
    after = Counter(a.key for a in _artifacts_of(created.id))
    assert after == before, f"a resumed run published again: {after}"


def test_changed_content_in_the_same_run_is_published_as_a_new_version(db):
    """Once per run means once per content: what changed within the run is shown."""
    from prefect import flow
    from prefect.artifacts import MarkdownArtifact
    from prefect.runtime import flow_run

    from voortgang.flows.artifacts import publish_once

    @flow(name="artefact-versies")
    def publish_three_times() -> tuple[list[bool], str]:
        made = [
            publish_once(MarkdownArtifact(key="proef-2026q4", markdown=text, description="proef"))
            for text in ("eerste", "eerste", "tweede")
        ]
        return made, str(flow_run.get_id())

    made, run_id = publish_three_times()
    assert made == [True, False, True]
    texts = sorted(a.data for a in _artifacts_of(UUID(run_id)) if a.key == "proef-2026q4")
    assert texts == ["eerste", "tweede"]
