"""`voortgang approve`: the coordinator's decision on the latest draft, from the command line.

A decision is final: a second one on the same draft is refused (exit 2) with the earlier
decision, who and when; `voortgang reopen` undoes a decision, on the record.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from voortgang.cli.data_commands import _period
from voortgang.cli.output import InputError, err_console


def approve(
    period: Annotated[str, typer.Option("--period", help="Quarter, e.g. 2026Q4.")],
    by: Annotated[str, typer.Option("--by", help="E-mail address of the coordinator.")],
    changes: Annotated[
        str | None,
        typer.Option("--changes", help="Ask for changes instead, saying what to change."),
    ] = None,
) -> None:
    """Approve the latest draft of a period's letter, or ask for changes.

    Records the same decision as the approval form in the Prefect UI; a cycle run that
    waits for it on the Prefect server (PREFECT_API_URL) is resumed with it. The decision
    is posted once to the coordinators' Slack channel. A decision is final: a second one
    on the same draft is refused (exit 2); undo one with voortgang reopen.

    Example: voortgang approve --period 2026Q4 --by coordinator@programma-etvi.example.nl
    """
    from voortgang.models.db import session_scope
    from voortgang.models.identity import cli_actor
    from voortgang.reporting.decisions import DecisionError, Verdict, record_decision

    quarter = _period(period)
    verdict = Verdict.changes if changes is not None else Verdict.approve
    try:
        with session_scope() as session:
            record = record_decision(
                session,
                period=quarter,
                decision=verdict,
                decided_by=by,
                comment=changes,
                channel="cli",
                actor=cli_actor(),
            )
    except DecisionError as exc:
        raise InputError(_as_option(str(exc))) from exc
    what = "approved: the draft is final" if verdict is Verdict.approve else "changes requested"
    again = "" if record.created else " (already recorded)"
    err_console.print(f"{quarter} version {record.version} {what}{again}.")
    post_decisions()
    if os.environ.get("PREFECT_API_URL"):
        from voortgang.flows.resume import resume_waiting_cycles

        resumed = resume_waiting_cycles(quarter, verdict.value, record.decided_by or by, changes)
        if resumed:
            err_console.print(f"Resumed {resumed} waiting cycle run(s).")


def _as_option(message: str) -> str:
    """The option as the user typed it: the form's field names are the command's options."""
    for field, option in (("decided_by:", "--by:"), ("comment:", "--changes:")):
        if message.startswith(field):
            return option + message[len(field) :]
    return message


def post_decisions() -> None:
    """Send the outbox now, so the decision reaches the coordinators' channel with the
    command; without a token or with Slack away it waits there, and the command says so."""
    from voortgang.models.slack_delivery import RETRY_HINT, deliver_pending

    report = deliver_pending()
    if report.no_client:
        if report.waiting:
            err_console.print(
                f"No Slack token: the notice waits in the outbox; to send it, {RETRY_HINT}.",
                markup=False,
            )
    elif report.failed:
        err_console.print(
            f"Slack did not accept the notice ({report.failed[0].error}); it waits in the "
            "outbox for `voortgang notify --retry`.",
            markup=False,
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.command()(approve)
