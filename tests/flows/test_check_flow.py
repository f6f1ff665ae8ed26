"""The check flow: statuses land in our database and the Prefect UI shows them as artifacts."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from tests.support.submissions import submit_examples
from voortgang.flows.check import check_period
from voortgang.models import tables as t
from voortgang.models.db import session_scope


async def _artifacts_of(flow_run_id: Any) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key: a for a in artifacts}


def test_check_flow_stores_statuses_and_publishes_dashboard_naming_the_missing_ministry(db):
    submit_examples("2026Q3")
    submit_examples("2026Q4")  # SZW has no 2026Q4 file

    state = check_period(period="2026Q4", return_state=True)
    assessment = state.result()
    assert state.is_completed()
    assert assessment.missing_ministries == ["SZW"]

    with session_scope() as session:
        stored = session.scalars(
            select(t.Assessment).where(t.Assessment.period_id == "2026Q4")
        ).all()
        assert len(stored) == 1
        assert stored[0].flow_run_id == str(state.state_details.flow_run_id)
        rows = session.scalars(
            select(t.GoalStatus).where(
                t.GoalStatus.assessment_id == stored[0].id, t.GoalStatus.ministry_code.is_(None)
            )
        ).all()
    assert {r.goal_id: r.status for r in rows} == {g.id: g.status.value for g in assessment.goals}
    livelihood = next(r for r in rows if r.goal_id == "livelihood")
    assert any(
        "SZW" in reason and "vierde kwartaal 2026" in reason for reason in livelihood.reasons
    )

    artifacts = asyncio.run(_artifacts_of(state.state_details.flow_run_id))
    assert {"goal-status-2026q4", "submissions-2026q4"} <= set(artifacts)
    table = artifacts["goal-status-2026q4"].data
    goal_rows = [line for line in table.splitlines() if line.startswith("| ") and "**" in line]
    assert len(goal_rows) == len(assessment.goals)
    for goal in assessment.goals:
        assert any(goal.title.split()[0] in row for row in goal_rows), goal.title
    # Every reason of the goal is in the table (lines broken with <br>), not only two.
    livelihood_goal = next(g for g in assessment.goals if g.id == "livelihood")
    livelihood_row = " ".join(
        next(r for r in goal_rows if livelihood_goal.title.split()[0] in r).split("<br>")
    )
    for reason in livelihood_goal.reasons:
        assert reason.split()[-1] in livelihood_row
    summary = artifacts["submissions-2026q4"].data
    assert "5 van de 6 ministeries" in summary
    assert "**Ontbreekt:** SZW" in summary
    progress = [a for a in artifacts.values() if a.type == "progress"]
    assert len(progress) == 1
    assert round(float(progress[0].data), 1) == round(5 / 6 * 100, 1)
