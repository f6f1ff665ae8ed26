"""Resuming a cycle run that waits for the coordinators' decision, from any channel that
decided (the command line, Slack)."""

from __future__ import annotations


def resume_waiting_cycles(period: str, decision: str, by: str, comment: str | None) -> int:
    """Resume every cycle run of ``period`` that waits (paused) for the coordinators' decision,
    with that decision as its input; how many were resumed. Needs the Prefect API."""
    import asyncio

    from voortgang.flows.runtime import prepare_environment

    prepare_environment()
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterName,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import FlowRun, StateType
    from prefect.flow_runs import resume_flow_run

    async def waiting() -> list[FlowRun]:
        async with get_client() as client:
            return list(
                await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(
                        name=FlowRunFilterName(any_=[f"kwartaalcyclus-{period}"]),
                        state=FlowRunFilterState(
                            type=FlowRunFilterStateType(any_=[StateType.PAUSED])
                        ),
                    )
                )
            )

    count = 0
    for run in asyncio.run(waiting()):
        resume_flow_run(
            run.id, run_input={"decision": decision, "decided_by": by, "comment": comment}
        )
        count += 1
    return count
