"""`voortgang notify`: the notification outbox, and sending what Slack has not accepted yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from voortgang.cli.output import err_console, print_json, print_table

if TYPE_CHECKING:
    from voortgang.models.slack_delivery import DeliveryReport
    from voortgang.models.tables import OutboxMessage

SHOWN = 100  # the newest messages shown; every unsent one is counted in the summary


def _row(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "channel": m.channel,
        "dedupe_key": m.dedupe_key,
        "created_at": m.created_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "attempts": m.attempts,
        "last_error": m.last_error,
    }


def _retry_summary(report: DeliveryReport) -> str:
    from voortgang.models.slack_delivery import RETRY_HINT

    if report.no_client:
        return (
            f"No Slack token: nothing sent; {report.waiting} message(s) wait in the outbox. "
            f"To send them, {RETRY_HINT} (or store the token in a Prefect Secret block "
            "named slack-bot-token)."
        )
    text = f"Sent {report.sent_count}; {report.waiting} still waiting."
    if report.failed:
        text += f" Last error: {report.failed[-1].error}"
    return text


def notify(
    retry: Annotated[
        bool, typer.Option("--retry", help="Send the unsent messages now, each once.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """Show the notification outbox: kind, channel, when, sent or not, attempts, last error.

    Every Slack message is written to the outbox first. What Slack did not accept (Slack
    down, no SLACK_BOT_TOKEN) waits there; --retry sends it, each message once.

    Example: voortgang notify --retry
    """
    from voortgang.models.db import session_scope
    from voortgang.models.outbox import count_pending, recent

    report = None
    if retry:
        import logging

        from voortgang.models.slack_delivery import deliver_pending

        # The summary below says what the delivery log would; keep stderr to one account.
        logging.getLogger("voortgang.models.slack_delivery").addHandler(logging.NullHandler())
        report = deliver_pending()
    with session_scope() as session:
        rows = [_row(m) for m in recent(session, limit=SHOWN)]
        waiting = count_pending(session)
    if as_json:
        print_json(
            {
                "outbox": rows,
                "waiting": waiting,
                "retry": None
                if report is None
                else {
                    "sent": report.sent,
                    "failed": [f.model_dump() for f in report.failed],
                    "waiting": report.waiting,
                    "no_token": report.no_client,
                },
            }
        )
    else:
        _print_table(rows)
        if report is None:
            unsent_errors = [r["last_error"] for r in rows if not r["sent_at"] and r["last_error"]]
            hint = f" Last error: {unsent_errors[-1]}" if unsent_errors else ""
            err_console.print(
                f"{waiting} message(s) not sent yet.{hint}"
                + (" Send them with: voortgang notify --retry" if waiting else ""),
                markup=False,
                highlight=False,
            )
    if report is not None:
        err_console.print(_retry_summary(report), markup=False, highlight=False)


def _print_table(rows: list[dict[str, Any]]) -> None:
    print_table(
        "Notification outbox",
        ("kind", "channel", "created", "sent", "attempts", "last error"),
        [
            (
                r["kind"],
                r["channel"],
                r["created_at"][:19].replace("T", " "),
                r["sent_at"][:19].replace("T", " ") if r["sent_at"] else "not sent",
                str(r["attempts"]),
                r["last_error"] or "",
            )
            for r in rows
        ],
    )


def register(app: typer.Typer) -> None:
    app.command()(notify)
