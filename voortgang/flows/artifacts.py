"""Artifacts published once per flow run.

A suspended cycle that is resumed runs its flow function again from the top, on whichever
worker takes it. Each publish step therefore asks the API what this flow run already shows
under the key, and adds a version only when the content or description differs. The check is
against Prefect's own record, not a local result cache, so it holds across workers.
"""

from __future__ import annotations

from prefect import get_client
from prefect.artifacts import Artifact
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
)
from prefect.client.schemas.sorting import ArtifactSort
from prefect.runtime import flow_run


def artifact_key(kind: str, period: str) -> str:
    return f"{kind}-{period.lower()}"


def publish_once(artifact: Artifact) -> bool:
    """Create ``artifact`` unless this flow run's latest version under its key is the same.

    Returns True when a version was added. Outside a flow run (or without a key) it always
    creates, as Prefect would.
    """
    run_id = flow_run.get_id()
    if run_id and artifact.key:
        with get_client(sync_client=True) as client:
            latest = client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=[artifact.key]),
                    flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]),
                ),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
        if (
            latest
            and latest[0].data == artifact.format(_sync=True)  # type: ignore[call-arg]
            and latest[0].description == artifact.description
        ):
            return False
    artifact.create(_sync=True)  # type: ignore[call-arg]
    return True
