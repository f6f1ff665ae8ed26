"""`voortgang slack` (issue 10, part 1): the Slack app as a long-lived process.

Protects: without a token it exits 2 with one line naming the missing variables; --help has
an example; with the tokens it connects to Slack's Socket Mode (here the fake Slack), answers
an interaction, and one SIGTERM stops it with exit 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.fake_slack import FakeSlack
from tests.support.prefect_server import run_voortgang
from tests.support.slack_app_runner import APP_TOKEN
from tests.support.slack_payloads import slash_command

VOORTGANG = Path(sys.executable).with_name("voortgang")


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "VOORTGANG_SLACK_TEAM_ID")
    }
    return {**env, **extra}


def test_without_tokens_it_exits_2_naming_them(tmp_path):
    done = run_voortgang("slack", env=_env(VOORTGANG_HOME=str(tmp_path)), timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN not set" in lines[0]

    only_bot = run_voortgang(
        "slack", env=_env(VOORTGANG_HOME=str(tmp_path), SLACK_BOT_TOKEN="xoxb-x"), timeout=60
    )
    assert only_bot.returncode == 2
    assert "SLACK_APP_TOKEN not set" in only_bot.stderr and "SLACK_BOT_TOKEN" not in only_bot.stderr


def test_help_has_an_example(tmp_path):
    done = run_voortgang("slack", "--help", env=_env(VOORTGANG_HOME=str(tmp_path)), timeout=60)
    assert done.returncode == 0
    assert "Example: voortgang slack" in done.stdout
    assert "SLACK_BOT_TOKEN=xoxb-... and SLACK_APP_TOKEN=xapp-..." in done.stdout


def test_it_connects_answers_and_stops_on_sigterm(slack: FakeSlack):
    slack.app_token = APP_TOKEN
    argv = [str(VOORTGANG)] if VOORTGANG.exists() else [sys.executable, "-m", "voortgang.cli.app"]
    env = {**os.environ, "SLACK_APP_TOKEN": APP_TOKEN}
    process = subprocess.Popen(
        [*argv, "slack"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        slack.socket.wait_connected(timeout=30)
        sent = slack.socket.push(slash_command("U0STRANGE1"))
        slack.socket.wait_for_ack(sent["envelope_id"])
        deadline = time.monotonic() + 10
        while not slack.views() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "niet als contactpersoon" in str(slack.views()[0][1]["blocks"])
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Slack app connected" in err and "Slack app stopped." in err
    assert APP_TOKEN not in err and "xoxb" not in err  # no token in what it prints


def test_serve_starts_the_slack_app_only_when_both_tokens_are_set(slack: FakeSlack, monkeypatch):
    from voortgang.cli.serve_command import _start_slack_app
    from voortgang.settings import reset_settings

    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    reset_settings()
    assert _start_slack_app() is None  # the bot token alone: no app, serve goes on without
    assert slack.calls("apps.connections.open") == []

    slack.app_token = APP_TOKEN
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    reset_settings()
    handler = _start_slack_app()
    try:
        assert handler is not None
        slack.socket.wait_connected()
    finally:
        if handler is not None:
            handler.close()
        reset_settings()
