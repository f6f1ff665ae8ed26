"""`voortgang reopen`: undo the decision on a period's letter, on the record."""

from __future__ import annotations

from typing import Annotated

import typer

from voortgang.cli.approve_command import post_decisions
from voortgang.cli.data_commands import _period
from voortgang.cli.output import InputError, err_console


def reopen(
    period: Annotated[str, typer.Option("--period", help="Quarter, e.g. 2026Q4.")],
    by: Annotated[str, typer.Option("--by", help="E-mail address of the coordinator.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the decision is undone.")],
) -> None:
    """Reopen a period's letter: undo the decision on its draft (approved or sent back).

    Decisions are final; reopening is the one way back, and it is recorded (who, when, why)
    and posted to the coordinators' channel like a decision. Afterwards the draft takes a
    new decision (voortgang approve), and the next cycle drafts a new version when
    submissions changed what the letter says.

    Example: voortgang reopen --period 2026Q4 --by coordinator@programma-etvi.example.nl --reason "VWS leverde na goedkeuring nieuwe cijfers"
    """
    from voortgang.models.db import session_scope
    from voortgang.models.identity import cli_actor
    from voortgang.reporting.decisions import DecisionError, reopen_decision

    quarter = _period(period)
    try:
        with session_scope() as session:
            record = reopen_decision(
                session,
                period=quarter,
                decided_by=by,
                reason=reason,
                channel="cli",
                actor=cli_actor(),
            )
    except DecisionError as exc:
        message = str(exc)
        if message.startswith("decided_by:"):
            message = "--by:" + message.removeprefix("decided_by:")
        raise InputError(message) from exc
    again = "" if record.created else " (already recorded)"
    err_console.print(
        f"{quarter} version {record.version} reopened{again}: it takes a new decision "
        f"(voortgang approve --period {quarter} --by EMAIL)."
    )
    post_decisions()


def register(app: typer.Typer) -> None:
    app.command()(reopen)
