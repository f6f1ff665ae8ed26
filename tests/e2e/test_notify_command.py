"""``voortgang notify [--retry] [--json]`` as a user runs it, each call in its own process.

Protects the command-line side of the outbox: the table shows what waits and why; ``--retry``
sends each unsent message once and says how many were sent and how many still wait (exit 0
also when Slack is down or no token is set, with the reason); ``--json`` is one document on
standard output; ``--help`` shows an example.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.reporting.slack_messages import plan_reminders

# The command as `voortgang` runs it, registered here until app.py registers it itself.
PROGRAM = """
from voortgang.cli import notify_command
from voortgang.cli.app import app, main
if not any((c.name or c.callback.__name__) == "notify" for c in app.registered_commands):
    notify_command.register(app)
main()
"""


def voortgang(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )


@pytest.fixture(autouse=True)
def no_prefect_server(monkeypatch) -> None:
    # The commands run without a Prefect server: decisions are recorded, no run is resumed.
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


@pytest.fixture
def two_reminders(db) -> list[str]:
    planned = plan_reminders(
        load_catalogue(), ["SZW", "AenM"], "2026Q4", dt.date(2027, 1, 5), dt.date(2026, 12, 30)
    )
    with session_scope() as session:
        enqueue_all(session, planned)
    return [p.dedupe_key for p in planned]


def test_help_shows_an_example():
    result = voortgang("notify", "--help")
    assert result.returncode == 0
    assert "Example: voortgang notify --retry" in result.stdout


def test_retry_with_slack_down_exits_0_and_says_how_many_wait_and_why(slack, two_reminders):
    slack.fail_always("server_error")
    result = voortgang("notify", "--retry")
    assert result.returncode == 0, result.stderr
    assert "Sent 0; 2 still waiting. Last error: Slack answered HTTP 500: internal_error" in (
        result.stderr
    )
    listing = voortgang("notify")
    assert listing.returncode == 0
    assert listing.stdout.count("not sent") == 2
    assert "#etvi-szw" in listing.stdout and "reminder" in listing.stdout
    assert "2 message(s) not sent yet." in listing.stderr
    assert "voortgang notify --retry" in listing.stderr

    slack.recover()
    result = voortgang("notify", "--retry")
    assert "Sent 2; 0 still waiting." in result.stderr
    again = voortgang("notify", "--retry", "--json")
    assert again.returncode == 0
    document = json.loads(again.stdout)
    assert document["retry"]["sent"] == [] and document["waiting"] == 0
    assert [m["dedupe_key"] for m in document["outbox"]] == two_reminders
    assert all(m["sent_at"] and m["attempts"] == 2 for m in document["outbox"])
    assert len(slack.messages()) == 2  # each once


def test_retry_without_a_token_sends_nothing_and_says_how_to_send(
    slack, two_reminders, monkeypatch
):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    result = voortgang("notify", "--retry")
    assert result.returncode == 0
    assert "No Slack token: nothing sent; 2 message(s) wait in the outbox." in result.stderr
    assert "SLACK_BOT_TOKEN" in result.stderr and "voortgang notify --retry" in result.stderr
    assert slack.calls() == []


def test_json_is_one_document_on_stdout(slack, two_reminders):
    result = voortgang("notify", "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["waiting"] == 2 and document["retry"] is None
    first = document["outbox"][0]
    assert set(first) == {
        "id",
        "kind",
        "channel",
        "dedupe_key",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    }
