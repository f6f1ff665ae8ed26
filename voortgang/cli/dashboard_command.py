"""`voortgang dashboard`: the coordinators' page of a period, with the grid as CSV and XLSX."""

from __future__ import annotations

import atexit
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voortgang.cli.data_commands import _not_a_directory, _period
from voortgang.cli.output import InputError, err_console

if TYPE_CHECKING:
    from voortgang.flows.dashboard_server import DashboardServer


def dashboard(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="The HTML file to write (.html); the CSV and XLSX go beside it. "
            "Default: $VOORTGANG_HOME/dashboards/QUARTER/dashboard.html, which "
            "voortgang serve shows and every change rebuilds.",
        ),
    ] = None,
) -> None:
    """Write the dashboard of a period: a Dutch HTML page for the coordinators (who has
    submitted, the status of every goal per ministry, the trend, every submission version,
    the letter's state), with the goal grid as CSV and XLSX beside it.

    Example: voortgang dashboard --period 2026Q4 -o dashboard-2026Q4.html
    """
    from voortgang.models.db import session_scope
    from voortgang.reporting.dashboard_page import write_dashboard
    from voortgang.reporting.dashboard_refresh import dashboard_folder

    quarter = _period(period)
    if output is None:
        folder, name = dashboard_folder(quarter), "dashboard.html"
    else:
        _not_a_directory(output, "-o/--output")
        if output.suffix.lower() not in (".html", ".htm"):
            raise InputError(
                f"-o/--output: {str(output)!r} is not an HTML file name "
                "(expected a name ending in .html, e.g. dashboard-2026Q4.html)"
            )
        folder, name = output.parent, output.name
    with session_scope() as session:
        files = write_dashboard(session, quarter, folder, name=name)
    err_console.print(f"Dashboard {quarter} written:", markup=False, highlight=False)
    for label, path in (("HTML", files.html), ("CSV", files.csv), ("XLSX", files.xlsx)):
        err_console.print(f"  {label}: {path}", markup=False, highlight=False)


def start_dashboard_server(port: int) -> DashboardServer:
    """Serve the dashboards read-only next to the Prefect server (`voortgang serve`).

    Flows started from here link to the served pages (``VOORTGANG_DASHBOARD_URL``).
    """
    from voortgang.flows.dashboard_server import DashboardServer
    from voortgang.flows.local_server import free_port
    from voortgang.settings import get_settings, reset_settings

    server = DashboardServer(get_settings().resolved_home, free_port(port)).start()
    atexit.register(server.stop)
    os.environ["VOORTGANG_DASHBOARD_URL"] = server.url
    reset_settings()
    err_console.print(
        f"Dashboards (read-only): {server.url}/", markup=False, highlight=False, soft_wrap=True
    )
    return server


def register(app: typer.Typer) -> None:
    app.command()(dashboard)
