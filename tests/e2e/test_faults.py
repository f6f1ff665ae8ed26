"""Faults survived, on the production setup (Prefect server and application on PostgreSQL).

(a) A worker machine dies (SIGKILL to the worker and to the flow run it was running) while
    the quarterly cycle is drafting the letter; the cycle then runs again as a new run of
    the deployment on another worker, waits for the decision, loses its worker while it is
    suspended, is resumed through the API and finishes on a third worker. Afterwards every
    submission, letter version and outbox message exists once.
(b) The application database unreachable for a moment, through a TCP proxy that is switched
    off and on: a submission cut off in the middle of its transaction is retried whole and
    stored once when the database returns within the retry window; when it stays away,
    ``DatabaseUnavailableError`` says so and nothing at all is stored; ``voortgang submit``
    then exits 1 with a one-line error.
(c) Six form runs created at the same moment (six ``run_deployment`` calls without waiting,
    six flow-run processes on one worker) for the same ministry and period: six versions,
    1 to 6, none lost, none doubled.

(a) and (c) share one Prefect server (started for this module); every test has its own
application database. Runs once per scripts/test (the SQLite pass), skips without PostgreSQL.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import event

from tests.support.prefect_server import (
    PgDatabase,
    PgDatabases,
    PrefectServer,
    PrefectWorker,
    asyncpg_missing,
    port_is_free,
    postgres_unavailable,
    prefect_client_settings,
    processes_using,
    run_once_reason,
    run_states,
    run_voortgang,
    start_deployment_run,
    task_runs,
    wait_for_run,
    wait_until,
)
from tests.support.submissions import CYCLE_DAY, TODAY
from tests.support.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(bool(run_once_reason()), reason=run_once_reason() or ""),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "voortgang" / "data" / "examples"
PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"
TABLES = ("submissions", "milestone_updates", "indicator_observations", "municipal_instruments")


def _skip_without_postgres() -> None:
    reason = postgres_unavailable() or asyncpg_missing()
    if reason:
        pytest.skip(reason)


def _sql(db: PgDatabase, query: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(db.dsn) as conn:
        return conn.execute(query, params).fetchall()


def _counts(db: PgDatabase) -> dict[str, int]:
    return {table: _sql(db, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}


def _example(period: str, ministry: str) -> dict[str, Any]:
    path = EXAMPLES / period / f"{ministry}.yaml"
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return raw


@dataclass
class App:
    """One application database, set up as `voortgang init` does, and its settings."""

    db: PgDatabase
    home: Path

    def env(self, url: str | None = None) -> dict[str, str]:
        return {
            "VOORTGANG_DATABASE_URL": url or self.db.url(),
            "VOORTGANG_HOME": str(self.home),
            "VOORTGANG_TODAY": CYCLE_DAY,  # the cycle's day after the 2026Q4 deadline
        }


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    _skip_without_postgres()
    from voortgang.models.db import dispose_engines
    from voortgang.models.setup import initialise

    databases = PgDatabases(prefix=f"vt_e2e_{uuid.uuid4().hex[:6]}")
    db = databases.create("app")
    try:
        initialise(database_url=db.url())
        dispose_engines()
        yield App(db, tmp_path / "voortgang-home")
    finally:
        dispose_engines()
        databases.drop_all()
        assert databases.existing() == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    _skip_without_postgres()
    base = tmp_path_factory.mktemp("faults")
    databases = PgDatabases(prefix=f"vt_e2e_{uuid.uuid4().hex[:6]}")
    prefect_db = databases.create("prefect")
    result = PrefectServer(home=base / "prefect-home", database_url=prefect_db.url("asyncpg"))
    try:
        result.start()
        result.deploy_project()
        yield result
    finally:
        result.stop()
        databases.drop_all()
        assert port_is_free(result.port)
        assert processes_using(f"{base}/") == []
        assert databases.existing() == []


# ------------------------------------------------------------------------ (a) a worker dies


def test_worker_killed_mid_cycle_then_the_cycle_runs_again_and_nothing_is_doubled(
    server: PrefectServer, app: App
) -> None:
    from prefect.client.schemas.objects import StateType
    from prefect.flow_runs import resume_flow_run

    # The previous quarter through the command line, this quarter through the inbox, so
    # the killed run has taken in files that the next run must not take in again.
    files = sorted(str(p) for p in (EXAMPLES / "2026Q3").glob("*.yaml"))
    done = run_voortgang("submit", *files, env=server.client_env(app.env()))
    assert done.returncode == 0, done.stderr
    inbox = app.home / "inbox"
    inbox.mkdir(parents=True)
    for path in sorted((EXAMPLES / PERIOD).glob("*.yaml")):
        (inbox / path.name).write_bytes(path.read_bytes())

    workers: list[PrefectWorker] = []
    try:
        with prefect_client_settings(server.api_url):
            first = PrefectWorker(server, app.env()).start()
            workers.append(first)
            killed = start_deployment_run(
                "quarterly-cycle/quarterly-cycle", parameters={"period": PERIOD}, timeout=0
            )

            def drafting() -> bool:
                return any(
                    t.name.startswith("brief opstellen")
                    and t.state is not None
                    and t.state.type in (StateType.RUNNING, StateType.COMPLETED)
                    for t in task_runs(killed.id)
                )

            wait_until(drafting, timeout=180, interval=0.2, what="the cycle to start drafting")
            assert first.flow_run_processes(), "the cycle's process should be running"
            first.kill()
            assert first.flow_run_processes() == []
            at_kill = {t.name.rsplit("-", 1)[0]: t.state_type.value for t in task_runs(killed.id)}
            with_killed = _sql(
                app.db, "SELECT count(*) FROM submissions WHERE period_id = %s", PERIOD
            )
            # Nobody is left to report on the killed run: for the server it is still running.
            assert run_states(killed.id)[-1].type == StateType.RUNNING

            # The cycle again: a new run of the deployment, on a new worker.
            second = PrefectWorker(server, app.env()).start()
            workers.append(second)
            again = start_deployment_run(
                "quarterly-cycle/quarterly-cycle", parameters={"period": PERIOD}, timeout=0
            )
            waiting = wait_for_run(again.id, lambda s: s.is_paused(), timeout=240, log=second.log)
            assert waiting.state.name == "Suspended", waiting.state
            assert _sql(
                app.db, "SELECT version FROM letter_drafts WHERE period_id = %s", PERIOD
            ) == [(1,)]

            # That worker dies too, while the run waits; the decision comes in meanwhile.
            second.kill()
            resume_flow_run(again.id, run_input={"decision": "approve", "decided_by": COORDINATOR})
            third = PrefectWorker(server, app.env()).start()
            workers.append(third)
            finished = wait_for_run(again.id, lambda s: s.is_final(), timeout=240, log=third.log)
            assert finished.state.type == StateType.COMPLETED, finished.state.message
    finally:
        for worker in workers:
            worker.stop()

    print(f"killed during: {at_kill}; {with_killed[0][0]} submissions for {PERIOD} by then")
    # Each inbox file stored once (version 1), moved out of the inbox once.
    assert _sql(
        app.db,
        "SELECT ministry_code, version, channel FROM submissions WHERE period_id = %s "
        "ORDER BY ministry_code",
        PERIOD,
    ) == [(m, 1, "file") for m in ("AenM", "BZK", "JenV", "VRO", "VWS")]
    assert sorted(p.name for p in inbox.glob("*.yaml")) == []
    # One letter version, final, one decision.
    assert _sql(
        app.db, "SELECT version, state FROM letter_drafts WHERE period_id = %s", PERIOD
    ) == [(1, "final")]
    assert _sql(app.db, "SELECT decision, decided_by FROM decisions") == [("approve", COORDINATOR)]
    # No message twice: not under one key (the table refuses that), nor under two keys.
    assert (
        _sql(
            app.db,
            "SELECT kind, channel, payload::text, count(*) FROM outbox "
            "GROUP BY kind, channel, payload::text HAVING count(*) > 1",
        )
        == []
    )
    # The draft was announced once and the decision once, though three runs went by.
    for kind in ("draft", "decision"):
        announced = _sql(
            app.db, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE %s", f"{kind}:{PERIOD}:%"
        )
        assert announced == [(1,)], (kind, _sql(app.db, "SELECT dedupe_key FROM outbox"))


# --------------------------------------------------------------- (b) the database goes away


@pytest.fixture
def proxied(app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[App, TcpProxy, str]]:
    """The application reaches its database only through a proxy the test switches."""
    from voortgang.models.db import dispose_engines
    from voortgang.settings import reset_settings

    host, _, port = app.db.host_url.rsplit("@", 1)[-1].partition(":")
    with TcpProxy((host, int(port or 5432))) as proxy:
        url = app.db.url().replace(f"@{host}:{port or 5432}/", f"@127.0.0.1:{proxy.port}/")
        assert str(proxy.port) in url
        monkeypatch.setenv("VOORTGANG_DATABASE_URL", url)
        monkeypatch.setenv("VOORTGANG_HOME", str(app.home))
        reset_settings()
        dispose_engines()
        try:
            yield app, proxy, url
        finally:
            dispose_engines()
            reset_settings()


def _cut_when(proxy: TcpProxy, table: str, back_after: float | None) -> dict[str, int]:
    """Take the database away just as the store starts writing ``table``; maybe bring it back."""
    from voortgang.models.db import get_engine

    fired = {"times": 0}

    @event.listens_for(get_engine(), "before_cursor_execute")
    def _cut(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if fired["times"] == 0 and statement.lstrip().upper().startswith(
            f"INSERT INTO {table.upper()}"
        ):
            fired["times"] += 1
            proxy.down()  # the submission row and its milestones are written, not committed
            if back_after is not None:
                threading.Timer(back_after, proxy.up).start()

    return fired


@pytest.mark.parametrize("cut", ["before the submission", "in the middle of its transaction"])
def test_database_away_for_a_moment_the_submission_is_retried_whole_and_stored_once(
    proxied: tuple[App, TcpProxy, str], cut: str
) -> None:
    from voortgang.models.submission_intake import take_in

    app, proxy, _url = proxied
    raw = _example(PERIOD, "VWS")
    if cut == "before the submission":
        proxy.down()
        threading.Timer(1.0, proxy.up).start()
        fired = {"times": 1}
    else:
        fired = _cut_when(proxy, "indicator_observations", back_after=1.0)
    began = time.monotonic()
    result = take_in(copy.deepcopy(raw), source="test", channel="form", today=TODAY)
    took = time.monotonic() - began

    assert fired["times"] == 1 and proxy.is_up
    # It waited for the database: a first connection only after the proxy came back, or a
    # second one after the cut.
    assert proxy.connections == (1 if cut == "before the submission" else 2)
    assert took >= 1.0, took
    assert (result.ministry, result.period, result.version, result.created) == (
        "VWS",
        PERIOD,
        1,
        True,
    )
    assert _counts(app.db) == {
        "submissions": 1,
        "milestone_updates": len(raw["milestones"]),
        "indicator_observations": len(raw["indicators"]),
        "municipal_instruments": len(raw.get("municipalities") or []),
    }
    assert took < 10, took


def test_database_away_for_longer_raises_a_clear_error_and_nothing_is_half_written(
    proxied: tuple[App, TcpProxy, str],
) -> None:
    from voortgang.models.db import DatabaseUnavailableError
    from voortgang.models.submission_intake import take_in

    app, proxy, _url = proxied
    before = _counts(app.db)
    raw = _example(PERIOD, "VRO")  # the largest: submission, milestones, indicators, municipalities
    fired = _cut_when(proxy, "indicator_observations", back_after=None)
    began = time.monotonic()
    with pytest.raises(DatabaseUnavailableError) as error:
        take_in(copy.deepcopy(raw), source="test", channel="form", today=TODAY)
    took = time.monotonic() - began

    assert fired["times"] == 1
    message = str(error.value)
    assert message.startswith("the database did not answer after 4 attempts"), message
    assert "\n" not in message
    assert 3 <= took < 30, took  # it did wait and retry, and then gave up
    proxy.up()
    assert _counts(app.db) == before  # the submission and its milestones were rolled back
    # The same submission afterwards: stored whole, as version 1 (no number was used up).
    again = take_in(copy.deepcopy(raw), source="test", channel="form", today=TODAY)
    assert (again.version, again.created) == (1, True)


def test_voortgang_submit_exits_1_with_one_line_when_the_database_is_away(
    proxied: tuple[App, TcpProxy, str], tmp_path: Path
) -> None:
    app, proxy, url = proxied
    before = _counts(app.db)
    path = tmp_path / "VWS.yaml"
    path.write_bytes((EXAMPLES / "2026Q3" / "VWS.yaml").read_bytes())
    proxy.down()
    done = run_voortgang(
        "submit",
        str(path),
        env={
            **_plain_env(),
            "VOORTGANG_DATABASE_URL": url,
            "VOORTGANG_HOME": str(app.home),
            "VOORTGANG_TODAY": CYCLE_DAY,
        },
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: the database did not answer after 4 attempts"), lines
    assert "Traceback" not in done.stderr and done.stdout == ""
    proxy.up()
    assert _counts(app.db) == before


def _plain_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "VOORTGANG_"))}


# ---------------------------------------------------------- (c) six forms at the same moment


def test_six_form_runs_at_the_same_moment_are_six_versions(server: PrefectServer, app: App) -> None:
    from prefect.client.schemas.objects import StateType

    updates = []
    for n in range(6):
        raw = _example(PERIOD, "VWS")
        raw["milestones"][0]["narrative"] = (
            f"Formulier {n + 1} van 6. " + raw["milestones"][0]["narrative"]
        )
        updates.append(raw)

    worker = PrefectWorker(server, app.env()).start()
    try:
        with prefect_client_settings(server.api_url):
            runs = [
                start_deployment_run(
                    "submit-update/submit-update", parameters={"update": u}, timeout=0
                )
                for u in updates
            ]
            finished = [
                wait_for_run(r.id, lambda s: s.is_final(), timeout=240, log=worker.log)
                for r in runs
            ]
            stores = [
                t for r in runs for t in task_runs(r.id) if t.name.startswith("inzending opslaan")
            ]
    finally:
        worker.stop()

    assert [r.state.type for r in finished] == [StateType.COMPLETED] * 6, [
        r.state.message for r in finished
    ]
    rows = _sql(
        app.db,
        "SELECT version, channel, payload FROM submissions "
        "WHERE ministry_code = 'VWS' AND period_id = %s ORDER BY version",
        PERIOD,
    )
    assert [(v, c) for v, c, _p in rows] == [(n, "form") for n in range(1, 7)]
    narratives = sorted(p["milestones"][0]["narrative"].split(".")[0] for _v, _c, p in rows)
    assert narratives == [f"Formulier {n} van 6" for n in range(1, 7)]
    starts = sorted(t.start_time for t in stores if t.start_time)
    assert len(starts) == 6
    print(f"six stores began within {(starts[-1] - starts[0]).total_seconds():.2f} s")
