#!/usr/bin/env python
"""Load check: a burst of submissions through the command line and the officers' form at once,
against a Prefect server on PostgreSQL and the application database on PostgreSQL.

    python bench/load_check.py [--submissions 300] [--forms deployment|direct]
                               [--files-per-call 10] [--cli-parallel 4] [--worker-limit 8]

It starts what it needs and stops it again: two fresh PostgreSQL databases on the server of
VOORTGANG_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432), ``prefect server start`` on a
free port on the first, the work pool and ``prefect deploy --all``, ``voortgang init`` on
the second, and (for ``--forms deployment``) one process worker. Then, at the same moment:

- half of the submissions as generated YAML files through ``voortgang submit``, several
  files per call, a few calls at a time;
- the other half through the form: a run of the ``submit-update`` deployment for each,
  all created at once through the API (what ``run_deployment`` does), run by the worker (``--forms deployment``, the production
  path: a flow-run process per form), or ``submit_update`` flow runs against the server
  from six client processes (``--forms direct``, which loads the server, not the worker).

It prints the throughput per channel, the start delay of the form runs (expected start
against the first Running state in the run's state history: slowest, median, 95th
percentile) and whether anything was lost: files sent against rows stored, runs created
against runs completed and rows stored with channel "form", every submission's marker
exactly once. Submissions spread over 6 ministries and 8 quarters, each with its own
content, so each is a new version. Not a test: it asserts nothing but exits 1 when
something was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/load_check.py` from a checkout
    sys.path.insert(0, str(ROOT))

from tests.support.prefect_server import (  # noqa: E402 - after the path is set
    PgDatabases,
    PrefectServer,
    PrefectWorker,
    postgres_unavailable,
    processes_using,
    run_voortgang,
)

EXAMPLES = ROOT / "voortgang" / "data" / "examples" / "2026Q3"
MINISTRIES = ("VRO", "BZK", "VWS", "SZW", "JenV", "AenM")
PERIODS = tuple(f"{year}Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4))
MARKER = "[lastproef {channel} {n}]"


def submission(channel: str, n: int) -> dict[str, Any]:
    """A valid submission of its own: ministry and period in turn, a marker in a narrative."""
    ministry = MINISTRIES[n % len(MINISTRIES)]
    raw: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / f"{ministry}.yaml").read_text(encoding="utf-8")
    )
    raw["period"] = PERIODS[(n // len(MINISTRIES)) % len(PERIODS)]
    first = raw["milestones"][0]
    first["narrative"] = MARKER.format(channel=channel, n=n) + " " + first["narrative"]
    return raw


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --------------------------------------------------------------------------- the two channels


def send_cli(
    files: list[Path], env: dict[str, str], per_call: int, parallel: int
) -> dict[str, Any]:
    calls = [files[i : i + per_call] for i in range(0, len(files), per_call)]
    began = time.monotonic()
    failures: list[str] = []

    def call(batch: list[Path]) -> None:
        done = run_voortgang("submit", *map(str, batch), env=env, timeout=600)
        if done.returncode != 0:
            failures.append(done.stderr.strip().splitlines()[-1] if done.stderr else "?")

    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(call, calls))
    return {"seconds": time.monotonic() - began, "calls": len(calls), "failures": failures}


async def _create_form_runs(updates: list[dict[str, Any]], parallel: int = 16) -> list[Any]:
    """All form runs at once: one POST per run, up to ``parallel`` in flight."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        deployment = await client.read_deployment_by_name("submit-update/submit-update")
        gate = asyncio.Semaphore(parallel)

        async def create(update: dict[str, Any]) -> Any:
            async with gate:
                run = await client.create_flow_run_from_deployment(
                    deployment.id, parameters={"update": update}
                )
                return run.id

        return list(await asyncio.gather(*(create(u) for u in updates)))


def send_forms_deployment(updates: list[dict[str, Any]], api_url: str) -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    from tests.support.prefect_server import prefect_client_settings

    as_json = json.loads(json.dumps(updates, default=str))  # dates as the form sends them
    began = time.monotonic()
    with prefect_client_settings(api_url):
        ids = asyncio.run(_create_form_runs(as_json))
        created = time.monotonic() - began
        pending = set(ids)
        with get_client(sync_client=True) as client:
            while pending:
                time.sleep(2)
                for run_id in list(pending):
                    state = client.read_flow_run(run_id).state
                    if state is not None and state.is_final():
                        pending.discard(run_id)
    return {"seconds": time.monotonic() - began, "created_in": created, "ids": ids}


def form_client(argv: list[str]) -> None:
    """A client process of ``--forms direct``: runs submit_update flows against the server."""
    from voortgang.flows.runtime import no_heartbeat, prepare_environment

    prepare_environment()
    from voortgang.flows.submit_form import submit_update
    from voortgang.models.submission_schema import SubmissionIn

    updates = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    with no_heartbeat():
        for raw in updates:
            state = submit_update(update=SubmissionIn.model_validate(raw), return_state=True)
            print(state.state_details.flow_run_id, flush=True)


def send_forms_direct(
    updates: list[dict[str, Any]], env: dict[str, str], clients: int, workdir: Path
) -> dict[str, Any]:
    shares = [updates[i::clients] for i in range(clients)]
    began = time.monotonic()
    processes = []
    for i, share in enumerate(shares):
        path = workdir / f"forms-{i}.json"
        path.write_text(json.dumps(share, default=str), encoding="utf-8")
        processes.append(
            subprocess.Popen(
                [sys.executable, __file__, "--form-client", str(path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
        )
    ids = []
    for process in processes:
        out, _ = process.communicate(timeout=1800)
        ids += [line.strip() for line in out.splitlines() if line.strip()]
    return {"seconds": time.monotonic() - began, "created_in": None, "ids": ids}


# ------------------------------------------------------------------------------ the figures


def run_figures(api_url: str, ids: list[Any]) -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    from tests.support.prefect_server import prefect_client_settings

    delays: list[float] = []
    process_starts: list[float] = []  # Pending (a worker took it) -> Running (the flow began)
    states: dict[str, str] = {}
    with prefect_client_settings(api_url), get_client(sync_client=True) as client:
        for run_id in ids:
            run = client.read_flow_run(run_id)
            states[str(run_id)] = run.state.type.value if run.state else "?"
            history = sorted(client.read_flow_run_states(run_id), key=lambda s: s.timestamp)
            running = next((s.timestamp for s in history if s.type.value == "RUNNING"), None)
            pending = next((s.timestamp for s in history if s.type.value == "PENDING"), None)
            if running is not None and run.expected_start_time is not None:
                delays.append((running - run.expected_start_time).total_seconds())
            if running is not None and pending is not None:
                process_starts.append((running - pending).total_seconds())
    return {"delays": delays, "process_starts": process_starts, "states": states}


def stored(app_dsn: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(app_dsn) as conn:
        rows = conn.execute(
            "SELECT channel, count(*), "
            "count(DISTINCT substring(payload->'milestones'->0->>'narrative' "
            "  from '^\\[lastproef [a-z]+ [0-9]+\\]')), "
            "min(submitted_at), max(submitted_at) FROM submissions GROUP BY channel"
        ).fetchall()
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT ministry_code, period_id, version FROM submissions "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1) AS d"
        ).fetchone()
    return {
        "by_channel": {
            r[0]: {"rows": r[1], "markers": r[2], "first": r[3], "last": r[4]} for r in rows
        },
        "doubled_versions": doubled[0] if doubled else 0,
    }


# ---------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--forms", choices=("deployment", "direct"), default="deployment")
    parser.add_argument("--files-per-call", type=int, default=10)
    parser.add_argument("--cli-parallel", type=int, default=4)
    parser.add_argument("--worker-limit", type=int, default=8)
    parser.add_argument("--direct-clients", type=int, default=6)
    args = parser.parse_args()

    reason = postgres_unavailable()
    if reason:
        print(reason)
        return 1
    n_cli = args.submissions // 2
    n_form = args.submissions - n_cli
    base = Path(tempfile.mkdtemp(prefix="voortgang-load-"))
    databases = PgDatabases(prefix=f"vt_load_{uuid.uuid4().hex[:6]}")
    server = PrefectServer(home=base / "prefect-home")
    worker: PrefectWorker | None = None
    lost = False
    try:
        prefect_db = databases.create("prefect")
        app_db = databases.create("app")
        server.database_url = prefect_db.url("asyncpg")
        app_env = {"VOORTGANG_DATABASE_URL": app_db.url(), "VOORTGANG_HOME": str(base / "home")}
        t = time.monotonic()
        server.start()
        print(
            f"Prefect {_prefect_version()} server on PostgreSQL: healthy in {server.started_in:.1f} s"
        )
        t = time.monotonic()
        server.deploy_project()
        print(f"work pool + prefect deploy --all: {time.monotonic() - t:.1f} s")
        init = run_voortgang("init", env=server.client_env(app_env))
        if init.returncode != 0:
            print(init.stderr)
            return 1
        if args.forms == "deployment":
            worker = PrefectWorker(server, app_env, limit=args.worker_limit).start()
            time.sleep(5)  # let it register before the burst

        files_dir = base / "files"
        files_dir.mkdir()
        files = []
        for n in range(n_cli):
            path = files_dir / f"sub-{n:04d}.yaml"
            path.write_text(
                yaml.safe_dump(submission("cli", n), allow_unicode=True), encoding="utf-8"
            )
            files.append(path)
        updates = [submission("form", n) for n in range(n_form)]

        print(
            f"Burst: {n_cli} files through `voortgang submit` ({args.files_per_call} per call, "
            f"{args.cli_parallel} calls at a time) and {n_form} forms "
            + (
                f"through the submit-update deployment (one worker, limit {args.worker_limit})"
                if args.forms == "deployment"
                else f"as submit_update flow runs from {args.direct_clients} client processes"
            )
        )
        results: dict[str, Any] = {}

        def cli_channel() -> None:
            results["cli"] = send_cli(
                files, server.client_env(app_env), args.files_per_call, args.cli_parallel
            )

        cli_thread = threading.Thread(target=cli_channel)
        cli_thread.start()
        try:
            if args.forms == "deployment":
                results["form"] = send_forms_deployment(updates, server.api_url)
            else:
                results["form"] = send_forms_direct(
                    updates, server.client_env(app_env), args.direct_clients, base
                )
        finally:
            cli_thread.join()  # never stop the databases under running `voortgang submit` calls

        figures = run_figures(server.api_url, results["form"]["ids"])
        store = stored(app_db.dsn)
        cli_rows = store["by_channel"].get("cli", {"rows": 0, "markers": 0})
        form_rows = store["by_channel"].get("form", {"rows": 0, "markers": 0})
        completed = sum(1 for s in figures["states"].values() if s == "COMPLETED")
        delays = figures["delays"]

        print()
        print(f"{'channel':8} {'sent':>5} {'stored':>7} {'wall s':>7} {'per s':>6}  store window")
        for name, sent, rows, res in (
            ("cli", n_cli, cli_rows, results["cli"]),
            ("form", n_form, form_rows, results["form"]),
        ):
            window = (rows["last"] - rows["first"]).total_seconds() if rows.get("first") else 0.0
            print(
                f"{name:8} {sent:5d} {rows['rows']:7d} {res['seconds']:7.1f} "
                f"{rows['rows'] / res['seconds']:6.2f}  {window:.1f} s from first to last row"
            )
        print(f"cli: {results['cli']['calls']} calls, {len(results['cli']['failures'])} failed")
        if results["form"]["created_in"] is not None:
            print(
                f"form: {n_form} runs created through the API in {results['form']['created_in']:.1f} s"
            )
        if delays:
            print(
                f"form run start (expected start -> Running): slowest {max(delays):.1f} s, "
                f"median {statistics.median(delays):.1f} s, p95 {_quantile(delays, 0.95):.1f} s"
            )
        if figures["process_starts"]:
            starts = figures["process_starts"]
            print(
                "  of which from Pending to Running"
                + (" (the worker starting the run's process)" if args.forms == "deployment" else "")
                + ": slowest "
                f"{max(starts):.1f} s, median {statistics.median(starts):.1f} s"
            )
        print(
            f"runs: {len(results['form']['ids'])} created, {completed} completed; "
            f"versions stored twice: {store['doubled_versions']}"
        )
        lost = (
            cli_rows["rows"] != n_cli
            or cli_rows["markers"] != n_cli
            or form_rows["rows"] != n_form
            or form_rows["markers"] != n_form
            or completed != n_form
            or store["doubled_versions"] != 0
            or bool(results["cli"]["failures"])
        )
        print("Nothing lost." if not lost else "LOST OR DOUBLED: see the counts above.")
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        databases.drop_all()
        left = processes_using(str(base))
        print(f"Stopped; databases dropped; processes left: {len(left)}")
    return 1 if lost else 0


def _prefect_version() -> str:
    import prefect

    return prefect.__version__


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--form-client":
        form_client(sys.argv[2:])
    else:
        sys.exit(main())
