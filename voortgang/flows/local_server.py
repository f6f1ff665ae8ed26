"""A Prefect server with its UI on 127.0.0.1, started and stopped by voortgang itself.

The server runs in its own session (process group): a Ctrl-C in the terminal reaches
voortgang only, which then stops the deployments it serves first and the server last, and
one ``killpg`` ends the server with anything it started. Telemetry is off in it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int = 4200) -> int:
    """``preferred`` when nothing listens there, else any free port on 127.0.0.1."""
    for candidate in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port on 127.0.0.1")


def wait_healthy(
    api_url: str, *, timeout: float = 120.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait until ``GET {api_url}/health`` answers 200; fail early when the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"the Prefect server stopped during start-up (exit {process.returncode})"
            )
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server at {api_url} was not healthy after {timeout:.0f} s")


def server_environment(port: int, home: Path | None = None) -> dict[str, str]:
    """The server's environment: API and UI on 127.0.0.1:port, telemetry off."""
    api_url = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ)
    env.update(
        {
            "PREFECT_SERVER_API_HOST": "127.0.0.1",
            "PREFECT_SERVER_API_PORT": str(port),
            "PREFECT_UI_API_URL": api_url,  # else the UI calls port 4200
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    env.pop("PREFECT_API_URL", None)  # the server is the API; it must not look for another
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    return env


class LocalPrefectServer:
    """``prefect server start`` on 127.0.0.1:port until :meth:`stop`; its output goes to ``log``."""

    def __init__(
        self,
        port: int,
        *,
        log: Path | None = None,
        home: Path | None = None,
        startup_timeout: float = 120.0,
    ) -> None:
        self.port = port
        self.log = log
        self.home = home
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.exit_code: int | None = None  # set when the server stopped on its own
        self._stopping = threading.Event()
        self._log_file: IO[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the server and wait until it is healthy; returns the API URL."""
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = self.log.open("ab")
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
            env=server_environment(self.port, self.home),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop it, last
        )
        try:
            wait_healthy(self.api_url, timeout=self.startup_timeout, process=self.process)
        except BaseException:
            self.stop()
            raise
        return self.api_url

    def watch(self, on_unexpected_exit: Callable[[int], None]) -> None:
        """Call ``on_unexpected_exit(code)`` from a thread if the server stops by itself."""
        process = self.process
        if process is None:
            return

        def _wait() -> None:
            code = process.wait()
            if not self._stopping.is_set():
                self.exit_code = code
                on_unexpected_exit(code)

        threading.Thread(target=_wait, name="prefect-server-watch", daemon=True).start()

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM to the server's process group, SIGKILL after ``timeout``; idempotent."""
        self._stopping.set()
        process = self.process
        if process is not None:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=timeout)
            # Whatever the server started and left behind shares its group id.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> LocalPrefectServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
