"""`voortgang audit`: who submitted and who decided in a period, claimed and verified."""

from __future__ import annotations

from typing import Annotated

import typer

from voortgang.cli.data_commands import _period
from voortgang.cli.output import err_console, print_json, print_table


def audit(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """List every submission version and every decision of a period, oldest first, with
    the identity it claimed and the principal its channel verified.

    Verified principals: slack:TEAM/USER (Slack), os:USER@HOST (command line),
    file-owner:NAME (inbox); the Prefect form verifies nobody.

    Example: voortgang audit --period 2026Q4 --json
    """
    from voortgang.models.db import session_scope
    from voortgang.reporting.audit import audit_period

    quarter = _period(period)
    with session_scope() as session:
        report = audit_period(session, period=quarter)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    print_table(
        f"Audit {quarter}",
        ("when", "what", "channel", "claimed", "principal", "verified"),
        [
            (
                act.at.isoformat(timespec="seconds"),
                act.what,
                act.channel,
                act.claimed or "-",
                act.principal or "-",
                "yes" if act.verified and act.principal else "no",
            )
            for act in report.acts
        ],
    )
    if not report.acts:
        err_console.print(f"No submissions or decisions stored for {quarter}.")


def register(app: typer.Typer) -> None:
    app.command()(audit)
