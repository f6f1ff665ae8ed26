"""The voortgang Slack app connected over Socket Mode to a FakeSlack, for a test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.support.fake_slack import TEAM_ID, FakeSlack
from voortgang.settings import get_settings, reset_settings

APP_TOKEN = "xapp-1-voortgang-test"


@contextlib.contextmanager
def slack_app_running(slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """The app running against ``slack`` (its Socket Mode connected) until the block ends."""
    from voortgang.slack_app.app import socket_mode_handler

    slack.app_token = APP_TOKEN
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    monkeypatch.setenv("VOORTGANG_SLACK_TEAM_ID", TEAM_ID)
    reset_settings()
    handler = socket_mode_handler(get_settings())
    handler.connect()
    try:
        slack.socket.wait_connected()
        yield slack
    finally:
        handler.close()
        reset_settings()
