"""`voortgang serve`: the deployments of prefect.yaml with their schedules, on one machine."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from voortgang.cli.output import err_console


def serve(
    port: Annotated[
        int, typer.Option("--port", help="Port of the local Prefect server and UI.")
    ] = 4200,
) -> None:
    """Serve the deployments of prefect.yaml with their schedules until Ctrl-C.

    Without PREFECT_API_URL it first starts a local Prefect server with its UI on
    127.0.0.1 (telemetry off); with it, it serves against that server.

    Example: voortgang serve --port 4200
    """
    from voortgang.flows.local_server import free_port, local_prefect_server
    from voortgang.flows.runtime import prepare_environment
    from voortgang.settings import get_settings

    prepare_environment(quiet=False)
    if os.environ.get("PREFECT_API_URL"):
        _serve(os.environ["PREFECT_API_URL"])
        return
    chosen = free_port(port)
    home = get_settings().resolved_home
    home.mkdir(parents=True, exist_ok=True)
    log = home / "prefect-server.log"
    with err_console.status(f"Starting the Prefect server on 127.0.0.1:{chosen} (log: {log})..."):
        server = local_prefect_server(chosen, log=log)
        api_url = server.__enter__()
    try:
        os.environ["PREFECT_API_URL"] = api_url
        _serve(api_url)
    finally:
        server.__exit__(None, None, None)
        err_console.print("Prefect server stopped.")


def _serve(api_url: str) -> None:
    from prefect import serve as prefect_serve

    from voortgang.flows.deployments import load_deployment_specs, runner_deployments

    specs = load_deployment_specs()
    err_console.print(f"Prefect UI: {api_url.removesuffix('/api')}   (Ctrl-C stops everything)")
    for spec in specs:
        when = "; ".join(f"{s.cron} ({s.timezone})" for s in spec.schedules) or "on demand"
        err_console.print(f"  {spec.name}: {when}")
    try:
        prefect_serve(*runner_deployments(specs))
    except KeyboardInterrupt:
        err_console.print("Stopping...")


def register(app: typer.Typer) -> None:
    app.command()(serve)
