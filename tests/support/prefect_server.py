"""Start and stop a real Prefect server, workers and PostgreSQL databases for end-to-end tests.

Everything here runs as its own process in its own session (``start_new_session=True``), so
SIGINT and SIGTERM have their default meaning in it (a process started with ``&`` from a
script ignores SIGINT) and one ``killpg`` stops it with everything it started. Every process
gets a private ``PREFECT_HOME``; :func:`processes_using` finds any process still carrying that
path in its environment or command line (``/proc``, no psutil), which is how the tests check
that nothing is left running.

Telemetry is off in everything started here (``DO_NOT_TRACK=1``,
``PREFECT_SERVER_ANALYTICS_ENABLED=false``): no call leaves the machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from voortgang.flows.runtime import prepare_environment

# This test process talks to the servers too: telemetry off in it, before Prefect loads.
prepare_environment()

PROJECT_DIR = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get(
    "VOORTGANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
POOL = "voortgang"  # the work pool prefect.yaml names; each test server is private

T = TypeVar("T")


# ---------------------------------------------------------------------------- small helpers


def run_once_reason() -> str | None:
    """Why a test that starts Prefect servers skips in this pass, or None when it runs.

    scripts/test runs the suite twice, on SQLite and then with VOORTGANG_TEST_DATABASE=
    postgresql. These tests make their own PostgreSQL databases (and servers) whichever the
    pass, so they run once: in the first pass, the one a plain ``pytest`` runs.
    """
    backend = os.environ.get("VOORTGANG_TEST_DATABASE", "sqlite")
    if backend != "sqlite":
        return (
            "starts its own Prefect server (and PostgreSQL databases): runs once, in the "
            "SQLite pass of scripts/test"
        )
    return None


def free_port() -> int:
    """A port nobody listens on right now (never Prefect's default 4200)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port != 4200:
            return port


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_until(
    probe: Callable[[], T], *, timeout: float, interval: float = 0.5, what: str = "condition"
) -> T:
    """Call ``probe`` until it returns something truthy; its last exception names the failure.

    An AssertionError from the probe ends the wait at once (something went wrong for good).
    """
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except AssertionError:
            raise
        except Exception as exc:  # the probe may fail until the thing is up
            last = exc
        time.sleep(interval)
    raise TimeoutError(
        f"{what}: not within {timeout:.0f} s" + (f" (last error: {last!r})" if last else "")
    )


def private_env(prefect_home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment minus any Prefect API, with a private home, telemetry off."""
    # Nothing of this process's Prefect, voortgang or Slack settings leaks in: the caller says.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "VOORTGANG_", "SLACK_"))
    }
    env.update(
        {
            "PREFECT_HOME": str(prefect_home),
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "INFO",
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
            "PREFECT_CLI_WRAP_LINES": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def processes_using(marker: str) -> list[tuple[int, str]]:
    """Processes whose command line or environment contains ``marker``: (pid, command line)."""
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (entry / "environ").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if state == "Z":  # a zombie runs nothing; its parent reaps it
            continue
        if marker in cmdline or marker in environ:
            found.append((int(entry.name), cmdline.strip()))
    return found


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_group(
    process: subprocess.Popen[Any], sig: int = signal.SIGTERM, timeout: float = 30
) -> None:
    """Signal a process's whole group (it leads its own session), then SIGKILL what lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    # Children may outlive their leader: the group id stays theirs until they are gone.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def http_json(url: str, body: Any | None = None, timeout: float = 10) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if data else "GET",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


# -------------------------------------------------------------------------------- PostgreSQL


def _admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def postgres_unavailable() -> str | None:
    """None when PostgreSQL answers, else why not (the reason a test skips with)."""
    try:
        import psycopg

        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}"


def asyncpg_missing() -> str | None:
    try:
        import asyncpg  # type: ignore[import-untyped]  # noqa: F401 (the server's driver)
    except ImportError:
        return "asyncpg is not installed (Prefect's server needs it for PostgreSQL)"
    return None


@dataclass
class PgDatabase:
    name: str
    host_url: str  # postgresql://user@host:port (no database)

    def url(self, driver: str = "psycopg") -> str:
        """SQLAlchemy URL with a driver: psycopg (the application) or asyncpg (Prefect)."""
        _scheme, rest = self.host_url.split("://", 1)
        return f"postgresql+{driver}://{rest}/{self.name}"

    @property
    def dsn(self) -> str:
        return f"{self.host_url}/{self.name}"


class PgDatabases:
    """Creates uniquely named databases and drops every one of them again (``FORCE``)."""

    def __init__(self, prefix: str = "vt_e2e") -> None:
        self.prefix = prefix
        self.created: list[PgDatabase] = []
        self.host_url = _admin_dsn().rsplit("/", 1)[0]

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(sql.encode())

    def create(self, role: str) -> PgDatabase:
        db = PgDatabase(f"{self.prefix}_{role}_{uuid.uuid4().hex[:8]}", self.host_url)
        self._execute(f"CREATE DATABASE {db.name}")
        self.created.append(db)
        return db

    def drop_all(self) -> None:
        while self.created:
            db = self.created.pop()
            self._execute(f"DROP DATABASE IF EXISTS {db.name} WITH (FORCE)")

    def existing(self) -> list[str]:
        import psycopg

        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (self.prefix + "%",)
            ).fetchall()
        return [r[0] for r in rows]


# ---------------------------------------------------------------------- server, CLI, workers


@dataclass
class PrefectServer:
    """``prefect server start`` on 127.0.0.1:port, optionally on a PostgreSQL database."""

    home: Path  # private PREFECT_HOME; also the marker for leftover processes
    port: int = field(default_factory=free_port)
    database_url: str | None = None  # postgresql+asyncpg://...; None: SQLite in home
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def client_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """Environment for anything that talks to this server (CLI, workers)."""
        return private_env(self.home, {"PREFECT_API_URL": self.api_url, **(extra or {})})

    def start(self, timeout: float = 120) -> PrefectServer:
        self.home.mkdir(parents=True, exist_ok=True)
        extra = {
            "PREFECT_SERVER_API_HOST": "127.0.0.1",
            "PREFECT_SERVER_API_PORT": str(self.port),
            "PREFECT_UI_API_URL": self.api_url,
        }
        if self.database_url:
            extra["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = self.database_url
        began = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--analytics-off",
                ],
                env=private_env(self.home, extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

        def healthy() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited {self.process.returncode}:\n{tail(self.log)}")
            return http_json(f"{self.api_url}/health", timeout=3) is True

        try:
            wait_until(healthy, timeout=timeout, what=f"Prefect server on port {self.port}")
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)

    def prefect(
        self,
        *args: str,
        cwd: Path = PROJECT_DIR,
        timeout: float = 180,
        extra_env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run the ``prefect`` command against this server; raise with its output on failure."""
        done = subprocess.run(
            [sys.executable, "-m", "prefect", *args],
            env=self.client_env(extra_env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"prefect {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        return done

    def deploy_project(self, pool: str = POOL) -> subprocess.CompletedProcess[str]:
        """The production commands: a process work pool, then ``prefect deploy --all``."""
        self.prefect("work-pool", "create", pool, "--type", "process", "--overwrite")
        return self.prefect(
            "deploy",
            "--all",
            "--no-prompt",
            extra_env={"VOORTGANG_PROJECT_DIR": str(PROJECT_DIR)},
        )

    def deployments(self) -> list[dict[str, Any]]:
        return list(http_json(f"{self.api_url}/deployments/filter", {"limit": 200}))

    def __enter__(self) -> PrefectServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class PrefectWorker:
    """``prefect worker start --pool voortgang``, in its own session, with the app's settings."""

    server: PrefectServer
    env: Mapping[str, str]  # VOORTGANG_DATABASE_URL, VOORTGANG_HOME, ...
    pool: str = POOL
    name: str = field(default_factory=lambda: f"worker-{uuid.uuid4().hex[:6]}")
    limit: int | None = None  # most flow runs at once (`--limit`); None: no limit
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.server.home / f"{self.name}.log"

    @property
    def marker(self) -> str:
        """In the environment of the worker and of every flow run it starts."""
        return f"VOORTGANG_E2E_WORKER={self.name}"

    def start(self) -> PrefectWorker:
        env = self.server.client_env(
            {
                "VOORTGANG_PROJECT_DIR": str(PROJECT_DIR),
                "VOORTGANG_E2E_WORKER": self.name,
                "PREFECT_WORKER_QUERY_SECONDS": "2",  # picks a run up within ~2 s, not ~10
                **self.env,
            }
        )
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "worker",
                    "start",
                    "--pool",
                    self.pool,
                    "--name",
                    self.name,
                    "--type",
                    "process",
                    *(["--limit", str(self.limit)] if self.limit else []),
                ],
                env=env,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def flow_run_processes(self) -> list[int]:
        """The flow runs this worker started: Prefect puts each in a session of its own."""
        return [
            pid
            for pid, _cmd in processes_using(self.marker)
            if self.process is None or pid != self.process.pid
        ]

    def kill(self) -> None:
        """The worker's machine dies: SIGKILL to the worker and every flow run it started."""
        runs = self.flow_run_processes()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for pid in runs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM as systemd sends it; then nothing of this worker may be left."""
        if self.process is not None:
            stop_group(self.process)
        leftovers = self.flow_run_processes()
        if leftovers:
            self.kill()

    def __enter__(self) -> PrefectWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_voortgang(
    *args: str, env: Mapping[str, str], timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``voortgang`` command as a user runs it (exit status and output kept)."""
    command = Path(sys.executable).parent / "voortgang"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "voortgang.cli.app"]
    return subprocess.run(
        [*argv, *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def prefect_client_settings(api_url: str) -> Iterator[None]:
    """Point this test process's Prefect client at a server (over any harness in effect)."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    with temporary_settings({PREFECT_API_URL: api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def wait_for_run(
    flow_run_id: Any, until: Callable[[Any], bool], *, timeout: float, log: Path | None = None
) -> Any:
    """Poll the API (as configured now) until the run's state satisfies ``until`` or is final.

    Returns the flow run; the caller asserts on its state. A timeout names the last state
    and shows the end of ``log`` (the worker's).
    """
    from prefect.client.orchestration import get_client

    seen: list[Any] = []
    with get_client(sync_client=True) as client:

        def reached() -> Any:
            run = client.read_flow_run(flow_run_id)
            seen[:] = [run.state]
            state = run.state
            return run if state is not None and (until(state) or state.is_final()) else None

        try:
            return wait_until(
                reached, timeout=timeout, interval=0.5, what=f"flow run {flow_run_id}"
            )
        except TimeoutError as exc:
            raise AssertionError(
                f"{exc}; last state {seen}\n" + (f"log:\n{tail(log, 60)}" if log else "")
            ) from None


def run_states(flow_run_id: Any) -> list[Any]:
    """The run's state history, oldest first."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        states = client.read_flow_run_states(flow_run_id)
    return sorted(states, key=lambda s: s.timestamp)


def task_runs(flow_run_id: Any) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        return list(
            client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
        )


def artifacts_by_key(flow_run_id: Any) -> dict[str, list[Any]]:
    """The run's artifacts through the client, per key, oldest first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    by_key: dict[str, list[Any]] = {}
    for artifact in sorted(artifacts, key=lambda a: a.created or 0):
        by_key.setdefault(artifact.key or "", []).append(artifact)
    return by_key


def start_deployment_run(name: str, parameters: dict[str, Any], *, timeout: float = 0) -> Any:
    """``run_deployment`` from sync code: returns the FlowRun (at once with ``timeout=0``)."""
    from prefect.deployments import run_deployment

    return run_deployment(name=name, parameters=parameters, timeout=timeout)
