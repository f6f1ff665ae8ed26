"""The production path of README "Running it for real", end to end, on this machine.

A Prefect server whose database is a fresh PostgreSQL database; a process work pool; the
deployments of prefect.yaml applied with ``prefect deploy --all --no-prompt`` (no git step:
the pull step sets the working directory from VOORTGANG_PROJECT_DIR); a worker started from
the command line (its own session, so SIGTERM and SIGINT mean what they say); the
application database on PostgreSQL too, set up with ``voortgang init`` and filled with
``voortgang submit``. The quarterly cycle runs through the API, suspends for the
coordinator's decision (its process exits while it waits), is resumed through the API with
the decision, runs again from the top on the worker and completes: one letter version,
final, with the decision stored; its artifacts read back through the client. Then the
officers' form deployment, valid and refused. Last: worker and server stop, both databases
are dropped, and no process of the test is left.

Runs once per scripts/test (the SQLite pass; see ``run_once_reason``) and skips, saying
why, without PostgreSQL. Takes one to two minutes.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.prefect_server import (
    PgDatabase,
    PgDatabases,
    PrefectServer,
    PrefectWorker,
    artifacts_by_key,
    asyncpg_missing,
    port_is_free,
    postgres_unavailable,
    prefect_client_settings,
    processes_using,
    run_once_reason,
    run_states,
    run_voortgang,
    start_deployment_run,
    wait_for_run,
    wait_until,
)
from tests.support.submissions import CYCLE_DAY
from voortgang.reporting.dutch import status_label

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(bool(run_once_reason()), reason=run_once_reason() or ""),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "voortgang" / "data" / "examples"
PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"


@dataclass
class Stack:
    base: Path
    databases: PgDatabases
    prefect_db: PgDatabase
    app_db: PgDatabase
    server: PrefectServer
    worker: PrefectWorker | None
    app_env: dict[str, str]
    closed: bool = False

    def cli(self, *args: str) -> Any:
        return run_voortgang(*args, env=self.server.client_env(self.app_env))

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.app_db.dsn) as conn:
            return conn.execute(query, params).fetchall()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if self.worker is not None:
                self.worker.stop()
        finally:
            try:
                self.server.stop()
            finally:
                self.databases.drop_all()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    reason = postgres_unavailable() or asyncpg_missing()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("production")
    databases = PgDatabases(prefix=f"vt_e2e_{uuid.uuid4().hex[:6]}")
    prefect_db = databases.create("prefect")
    app_db = databases.create("app")
    server = PrefectServer(home=base / "prefect-home", database_url=prefect_db.url("asyncpg"))
    app_env = {
        "VOORTGANG_DATABASE_URL": app_db.url("psycopg"),
        "VOORTGANG_HOME": str(base / "voortgang-home"),
        "VOORTGANG_TODAY": CYCLE_DAY,  # the cycle's day after the 2026Q4 deadline
    }
    result = Stack(base, databases, prefect_db, app_db, server, None, app_env)
    try:
        server.start()
        server.deploy_project()
        init = result.cli("init")
        assert init.returncode == 0, init.stderr
        result.worker = PrefectWorker(server, app_env).start()
        yield result
    finally:
        result.close()


def test_deploy_applies_prefect_yaml_to_the_work_pool_without_a_git_step(stack: Stack) -> None:
    deployments = {d["name"]: d for d in stack.server.deployments()}
    from voortgang.flows.deployments import PROJECT_DIR, load_deployment_specs

    assert {s.name for s in load_deployment_specs()} <= set(deployments)
    for deployment in deployments.values():
        assert deployment["work_pool_name"] == "voortgang"
        steps = deployment["pull_steps"]
        assert steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT_DIR)}}
        ], steps
    cycle = deployments["quarterly-cycle"]
    assert [s["schedule"]["timezone"] for s in cycle["schedules"]] == ["Europe/Amsterdam"]


def test_quarterly_cycle_through_the_api_waits_for_approval_and_stores_one_final_letter(
    stack: Stack,
) -> None:
    from prefect.client.schemas.objects import StateType
    from prefect.flow_runs import resume_flow_run

    began = time.monotonic()
    for period, expected in (("2026Q3", 6), (PERIOD, 5)):
        files = sorted(str(p) for p in (EXAMPLES / period).glob("*.yaml"))
        assert len(files) == expected
        submitted = stack.cli("submit", *files)
        assert submitted.returncode == 0, submitted.stderr
    assert stack.sql(
        "SELECT period_id, count(*) FROM submissions WHERE channel = 'cli' GROUP BY period_id "
        "ORDER BY period_id"
    ) == [("2026Q3", 6), (PERIOD, 5)]

    worker = stack.worker
    assert worker is not None
    with prefect_client_settings(stack.server.api_url):
        run = start_deployment_run(
            "quarterly-cycle/quarterly-cycle", parameters={"period": PERIOD}, timeout=0
        )
        # The cycle drafts, then suspends for the coordinator: the run is paused and its
        # process has exited (the worker runs nothing while it waits).
        waiting = wait_for_run(run.id, lambda s: s.is_paused(), timeout=240, log=worker.log)
        assert waiting.state.name == "Suspended", waiting.state
        assert waiting.name == f"kwartaalcyclus-{PERIOD}"
        wait_until(
            lambda: not worker.flow_run_processes(),
            timeout=30,
            what="the suspended run's process to exit",
        )
        assert stack.sql(
            "SELECT version, state FROM letter_drafts WHERE period_id = %s", PERIOD
        ) == [(1, "draft")]
        assert stack.sql("SELECT count(*) FROM decisions") == [(0,)]

        resume_flow_run(run.id, run_input={"decision": "approve", "decided_by": COORDINATOR})
        # Resumed, the run is rescheduled; the worker runs it again from the top.
        finished = wait_for_run(run.id, lambda s: s.is_final(), timeout=240, log=worker.log)
        assert finished.state.type == StateType.COMPLETED, finished.state.message
        artifacts = artifacts_by_key(run.id)
        history = [state.type.value for state in run_states(run.id)]

    # It ran twice: up to the wait, and again from the top once the decision was in.
    assert history.count("RUNNING") == 2 and "PAUSED" in history, history
    # Exactly one letter version for the period, although the flow ran twice; it is final.
    assert stack.sql(
        "SELECT version, state, flow_run_id FROM letter_drafts WHERE period_id = %s", PERIOD
    ) == [(1, "final", str(run.id))]
    assert stack.sql(
        "SELECT d.decision, d.decided_by, d.channel FROM decisions d "
        "JOIN letter_drafts l ON l.id = d.draft_id WHERE l.period_id = %s",
        PERIOD,
    ) == [("approve", COORDINATOR, "form")]
    assert stack.sql("SELECT count(*) FROM submissions WHERE period_id = %s", PERIOD) == [(5,)]
    # The draft announced once and the decision once (no token: they wait in the outbox).
    for kind in ("draft", "decision"):
        announced = stack.sql(
            "SELECT count(*) FROM outbox WHERE dedupe_key LIKE %s", f"{kind}:{PERIOD}:%"
        )
        assert announced == [(1,)], (kind, stack.sql("SELECT dedupe_key FROM outbox"))

    # The dashboard and the draft as the coordinators see them in the UI.
    key = PERIOD.lower()
    assert {f"goal-status-{key}", f"submissions-{key}", f"letter-{key}"} <= set(artifacts)
    goal_table = artifacts[f"goal-status-{key}"][-1]
    assert goal_table.type == "markdown"  # a table artifact cannot wrap its text
    rows = []
    for line in goal_table.data.splitlines()[6:]:  # after the title, note and header rows
        cells = [c.strip() for c in line.strip("|").split("|")]
        title = cells[0].split("<br>*trekker:")[0].replace("<br>", " ")
        rows.append({"doel": title.replace("\\", ""), "status": cells[1].strip("*")})
    stored = stack.sql(
        "SELECT g.title, s.status FROM goal_statuses s JOIN goals g ON g.id = s.goal_id "
        "JOIN letter_drafts l ON l.assessment_id = s.assessment_id "
        "WHERE l.period_id = %s AND s.ministry_code IS NULL",
        PERIOD,
    )
    assert stored
    assert sorted((r["doel"], r["status"]) for r in rows) == sorted(
        (title, status_label(status)) for title, status in stored
    )
    summary = artifacts[f"submissions-{key}"][-1]
    assert summary.type == "markdown" and "SZW" in summary.data
    letter = artifacts[f"letter-{key}"][-1]
    assert letter.type == "markdown"
    # A short summary: which version, its state, and where its files are (files that exist).
    assert "Voortgangsbrief 2026Q4, versie 1" in letter.data
    paths = re.findall(r"`(/[^`]+\.(?:pdf|docx|html|md))`", letter.data)
    assert paths and all(Path(p).exists() for p in paths), letter.data
    print(f"cycle through the API with approval: {time.monotonic() - began:.1f} s")


def _form(period: str, ministry: str, **changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / "2026Q3" / f"{ministry}.yaml").read_text(encoding="utf-8")
    )
    raw["period"] = period
    raw.update(changes)
    return raw


def test_officers_form_deployment_stores_a_valid_update_and_refuses_another_ministrys_officer(
    stack: Stack,
) -> None:
    from prefect.client.schemas.objects import StateType

    before = stack.sql("SELECT count(*) FROM submissions")[0][0]
    with prefect_client_settings(stack.server.api_url):
        stored = start_deployment_run(
            "submit-update/submit-update",
            parameters={"update": _form(PERIOD, "SZW")},
            timeout=180,
        )
        refused = start_deployment_run(
            "submit-update/submit-update",
            parameters={"update": _form(PERIOD, "SZW", submitted_by="etvi@minbzk.example.nl")},
            timeout=180,
        )
    assert stored.state is not None and stored.state.type == StateType.COMPLETED
    assert stored.name == f"inzending-SZW-{PERIOD}"
    assert stack.sql(
        "SELECT ministry_code, period_id, version, channel FROM submissions "
        "WHERE ministry_code = 'SZW' AND period_id = %s",
        PERIOD,
    ) == [("SZW", PERIOD, 1, "form")]

    assert refused.state is not None and refused.state.type == StateType.FAILED
    message = refused.state.message or ""
    assert "submitted_by" in message and "officer of BZK, not of SZW" in message, message
    assert stack.sql("SELECT count(*) FROM submissions")[0][0] == before + 1


def test_stopping_leaves_no_process_and_no_database(stack: Stack) -> None:
    port = stack.server.port
    stack.close()
    assert port_is_free(port)
    assert processes_using(f"{stack.base}/") == []
    assert stack.databases.existing() == []
