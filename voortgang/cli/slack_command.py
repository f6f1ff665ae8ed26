"""`voortgang slack`: the Slack app in Socket Mode, as a long-lived process."""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING

import typer

from voortgang.cli.output import InputError, err_console

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def start_slack_app() -> SocketModeHandler:
    """Connect the Slack app in the background; returns the handler (``close()`` stops it).

    Raises ``SlackAppNotConfigured`` when a token is missing.
    """
    from voortgang.settings import get_settings
    from voortgang.slack_app.app import socket_mode_handler

    handler = socket_mode_handler(get_settings())
    handler.connect()  # type: ignore[no-untyped-call]
    return handler


def slack() -> None:
    """Run the Slack app (Socket Mode) until Ctrl-C or SIGTERM.

    Officers hand in their update with /voortgang or the button "Voortgang doorgeven";
    coordinators approve or ask for changes with the buttons under the draft. Needs
    SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-..., connections:write);
    VOORTGANG_SLACK_TEAM_ID limits it to one workspace. No inbound port: the app connects
    out to Slack. See the README, "Slack app (Socket Mode)".

    Example: voortgang slack  (with SLACK_BOT_TOKEN=xoxb-... and SLACK_APP_TOKEN=xapp-... set)
    """
    from voortgang.slack_app.app import SlackAppNotConfigured

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        handler = start_slack_app()
    except SlackAppNotConfigured as exc:
        raise InputError(str(exc)) from None
    err_console.print("Slack app connected (Socket Mode). Ctrl-C stops it.")
    stopped = threading.Event()
    try:
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        err_console.print("Slack app stopped.")


def register(app: typer.Typer) -> None:
    app.command()(slack)
