"""`voortgang serve`: the deployments of prefect.yaml with their schedules, on one machine."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from voortgang.cli.output import err_console

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop everything, even when started with `&` from a script
    (which leaves SIGINT ignored). Prefect's runner takes SIGTERM over once it serves."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _port(text: str | int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise typer.BadParameter(
            f"{str(text)!r} is not a port (expected a whole number from 1 to 65535, e.g. 4200)"
        )
    return value


def serve(
    port: Annotated[
        int,
        typer.Option(
            "--port", parser=_port, help="Port of the local Prefect server and UI (127.0.0.1)."
        ),
    ] = 4200,
) -> None:
    """Serve the deployments of prefect.yaml with their schedules until Ctrl-C.

    Without PREFECT_API_URL it first starts a local Prefect server with its UI on
    127.0.0.1 (telemetry off, log in $VOORTGANG_HOME/prefect-server.log); with it, it
    serves against that server and leaves its deployments unpaused when it stops. One
    Ctrl-C stops the deployments and the server. With SLACK_BOT_TOKEN and SLACK_APP_TOKEN
    set it runs the Slack app (voortgang slack) too.

    Example: voortgang serve --port 4200
    """
    from voortgang.flows.local_server import LocalPrefectServer, free_port
    from voortgang.flows.runtime import prepare_environment
    from voortgang.settings import get_settings

    prepare_environment(quiet=False)
    _stop_on_signals()
    from voortgang.cli.dashboard_command import start_dashboard_server

    start_dashboard_server(port + 1)  # read-only, beside the UI; flows link to it
    slack_app = _start_slack_app()
    if slack_app is not None:
        atexit.register(slack_app.close)
    if os.environ.get("PREFECT_API_URL"):
        api_url = os.environ["PREFECT_API_URL"]
        # Someone else's server: its deployments stay as they are when we stop.
        with contextlib.suppress(KeyboardInterrupt):
            _serve(api_url, pause_on_shutdown=False)
        err_console.print(
            f"Stopped. The deployments on {api_url} keep their schedules (nothing paused)."
        )
        return

    chosen = free_port(port)
    if chosen != port:
        err_console.print(f"Port {port} is in use on 127.0.0.1; using {chosen}.")
    home = get_settings().resolved_home
    log = home / "prefect-server.log"
    server = LocalPrefectServer(chosen, log=log)
    try:
        err_console.print(f"Starting the Prefect server on 127.0.0.1:{chosen} (log: {log})...")
        server.start()
        # Set before Prefect is first imported (in _serve): its settings read it then.
        os.environ["PREFECT_API_URL"] = server.api_url
        server.watch(lambda _code: os.kill(os.getpid(), signal.SIGTERM))
        _serve(server.api_url, pause_on_shutdown=True)
    except KeyboardInterrupt:
        pass
    finally:
        # One Ctrl-C is enough: a second one must not leave the server half-stopped.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        err_console.print("Stopping the Prefect server...")
        server.stop()
        err_console.print("Prefect server stopped.")
    if server.exit_code is not None:
        raise RuntimeError(
            f"the Prefect server stopped unexpectedly (exit {server.exit_code}); see {log}"
        )


def _start_slack_app() -> SocketModeHandler | None:
    """The Slack app (Socket Mode) beside the deployments, when both of its tokens are set."""
    from voortgang.settings import get_settings

    settings = get_settings()
    if settings.slack_bot_token is None or settings.slack_app_token is None:
        return None
    from voortgang.cli.slack_command import start_slack_app

    handler = start_slack_app()
    err_console.print("Slack app connected (Socket Mode).")
    return handler


def _serve(api_url: str, *, pause_on_shutdown: bool) -> None:
    from prefect import serve as prefect_serve

    from voortgang.flows.deployments import load_deployment_specs, runner_deployments

    specs = load_deployment_specs()
    err_console.print(f"Prefect UI: {api_url.removesuffix('/api')}   (Ctrl-C stops everything)")
    for spec in specs:
        when = "; ".join(f"{s.cron} ({s.timezone})" for s in spec.schedules) or "on demand"
        err_console.print(f"  {spec.name}: {when}")
    # prefect.serve returns on Ctrl-C or SIGTERM; with pause_on_shutdown it first pauses the
    # schedules it served, which on a shared server would stop production's schedules too.
    prefect_serve(*runner_deployments(specs), pause_on_shutdown=pause_on_shutdown)


def register(app: typer.Typer) -> None:
    app.command()(serve)
