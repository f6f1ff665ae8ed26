"""`voortgang serve` on one machine: a private Prefect server and UI, the deployments of
prefect.yaml with their schedules, telemetry off, and one SIGINT stops all of it. Against an
existing server (PREFECT_API_URL), stopping it leaves that server's deployments and their
schedules running: it pauses nothing (issue 12, part 9).

Runs the real command as a subprocess with its own PREFECT_HOME and VOORTGANG_HOME, on a free
port (never 4200). Nothing here needs PostgreSQL (the local server keeps its own SQLite
database in PREFECT_HOME), so it runs once, in the first (SQLite) pass of scripts/test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.prefect_server import (
    PrefectServer,
    free_port,
    http_json,
    port_is_free,
    processes_using,
    run_once_reason,
    stop_group,
    wait_until,
)
from voortgang.flows.deployments import load_deployment_specs

pytestmark = pytest.mark.skipif(bool(run_once_reason()), reason=run_once_reason() or "")


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").partition("=")[::2] for item in raw if b"=" in item)


def test_serve_starts_a_private_server_serves_the_deployments_and_stops_on_one_sigint(tmp_path):
    port = free_port()
    prefect_home = tmp_path / "prefect-home"
    home = tmp_path / "voortgang-home"
    # A user's shell: no Prefect settings, and no telemetry switches: voortgang sets those.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "VOORTGANG_")) and k != "DO_NOT_TRACK"
    }
    env.update({"PREFECT_HOME": str(prefect_home), "VOORTGANG_HOME": str(home)})
    voortgang = Path(sys.executable).parent / "voortgang"
    argv = [str(voortgang)] if voortgang.exists() else [sys.executable, "-m", "voortgang.cli.app"]
    output = tmp_path / "serve.out"
    began = time.monotonic()
    with output.open("wb") as out:
        process = subprocess.Popen(
            [*argv, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # only our SIGINT reaches it, as from a terminal's Ctrl-C
        )
    api = f"http://127.0.0.1:{port}/api"
    expected = {s.name for s in load_deployment_specs()}
    try:

        def served() -> list[dict[str, Any]]:
            assert process.poll() is None, output.read_text()
            deployments = http_json(f"{api}/deployments/filter", {"limit": 50}, timeout=5)
            return deployments if {d["name"] for d in deployments} >= expected else []

        deployments = wait_until(served, timeout=180, interval=1, what="voortgang serve")
        ready_after = time.monotonic() - began

        # The schedules of prefect.yaml, in Amsterdam time, active while served.
        cycle = next(d for d in deployments if d["name"] == "quarterly-cycle")
        assert [s["schedule"]["timezone"] for s in cycle["schedules"]] == ["Europe/Amsterdam"]
        assert all(s["active"] for s in cycle["schedules"])
        form = next(d for d in deployments if d["name"] == "submit-update")
        assert "update" in form["parameter_openapi_schema"]["properties"]

        # The UI is told the API on this port, not Prefect's default 4200.
        ui = http_json(f"http://127.0.0.1:{port}/ui-settings")
        assert ui["api_url"] == api

        # The server runs in its own session with telemetry off.
        marker = f"{tmp_path}/"
        servers = [pid for pid, cmd in processes_using(marker) if "server start" in cmd]
        assert len(servers) == 1, processes_using(marker)
        server_env = _environ(servers[0])
        assert server_env.get("DO_NOT_TRACK") == "1"
        assert server_env.get("PREFECT_SERVER_ANALYTICS_ENABLED") == "false"
        assert server_env.get("PREFECT_UI_API_URL") == api
        assert os.getsid(servers[0]) != os.getsid(process.pid)

        # One Ctrl-C.
        stop_sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=90)
        stopped_after = time.monotonic() - stop_sent
        text = output.read_text()
        assert code == 0, text
        assert "Prefect server stopped." in text
        assert port_is_free(port)
        assert processes_using(marker) == []
        print(f"serve ready after {ready_after:.1f} s; stopped {stopped_after:.1f} s after SIGINT")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid, _cmd in processes_using(f"{tmp_path}/"):
            os.kill(pid, signal.SIGKILL)


def test_serve_against_an_existing_server_pauses_none_of_its_deployments_when_stopped(
    tmp_path: Path,
) -> None:
    voortgang = Path(sys.executable).parent / "voortgang"
    argv = [str(voortgang)] if voortgang.exists() else [sys.executable, "-m", "voortgang.cli.app"]
    expected = {s.name for s in load_deployment_specs()}
    server = PrefectServer(home=tmp_path / "prefect-home")
    process = None
    try:
        server.start()
        server.deploy_project()  # production's deployments, with their schedules
        before = {d["name"]: d for d in server.deployments()}
        assert set(before) >= expected
        assert not any(d["paused"] for d in before.values())

        output = tmp_path / "serve.out"
        with output.open("wb") as out:
            process = subprocess.Popen(
                [*argv, "serve"],
                env=server.client_env({"VOORTGANG_HOME": str(tmp_path / "voortgang-home")}),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

        def serving() -> bool:
            assert process is not None and process.poll() is None, output.read_text()
            polled = {d["name"] for d in server.deployments() if d["last_polled"]}
            return polled >= expected

        wait_until(serving, timeout=180, interval=1, what="voortgang serve against the server")

        process.send_signal(signal.SIGTERM)  # as systemd or a scheduler stops it
        code = process.wait(timeout=90)
        text = output.read_text()
        assert code == 0, text
        assert "keep their schedules (nothing paused)" in text

        after = {d["name"]: d for d in server.deployments()}
        for name in expected:
            assert after[name]["paused"] is False, (name, text)
            schedules = after[name]["schedules"]
            assert len(schedules) == len(before[name]["schedules"])
            assert all(s["active"] for s in schedules), (name, schedules)
        assert processes_using(str(tmp_path / "voortgang-home")) == []
    finally:
        if process is not None:
            stop_group(process, signal.SIGKILL, timeout=10)
        server.stop()
        for pid, _cmd in processes_using(f"{tmp_path}/"):
            os.kill(pid, signal.SIGKILL)
