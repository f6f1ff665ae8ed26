"""``voortgang submit``, ``approve`` and ``audit`` as a user runs them: who acted, recorded.

Protects item 4 of issue 10 on the command line: ``voortgang submit`` stores the operating
system's account (``os:user@host``, verified); ``voortgang audit --json`` lists a command
line, an inbox-file and a Prefect-form submission and a decision, oldest first, each with
the claimed and the verified identity; piped, the table is tab-separated; a channel that
``VOORTGANG_SUBMIT_CHANNELS`` leaves out exits 2, names the setting and the channel, and
stores nothing, and ``voortgang approve`` through a channel left out of
``VOORTGANG_DECIDE_CHANNELS`` exits 2 and decides nothing; a bad period exits 2 with one line;
the help shows an example.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.models.factories import stored, write_submission
from tests.support.drafts import draft_period
from tests.support.fake_slack import FakeSlack
from tests.support.prefect_server import run_voortgang
from tests.support.submissions import TODAY, example
from voortgang.models.identity import form_actor
from voortgang.models.submission_intake import take_in, take_in_file

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"
OS_PRINCIPAL = f"os:{getpass.getuser()}@{socket.gethostname()}"


def voortgang(*args: object, **env: str) -> subprocess.CompletedProcess[str]:
    return run_voortgang(*(str(a) for a in args), env={**os.environ, **env})


@pytest.fixture(autouse=True)
def no_prefect_server(monkeypatch: pytest.MonkeyPatch) -> None:
    # `approve` records the decision; no waiting run to resume.
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def audit_json() -> dict[str, Any]:
    done = voortgang("audit", "--period", PERIOD, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # fails if anything else is on stdout
    assert isinstance(document, dict)
    return document


def identity(act: dict[str, Any]) -> tuple[Any, ...]:
    return (act["channel"], act["claimed"], act["principal"], act["verified"])


def test_submit_stores_the_operating_system_account(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "vws.yaml", example(PERIOD, "VWS"))

    done = voortgang("submit", path)

    assert done.returncode == 0, done.stderr
    [act] = audit_json()["submissions"]
    assert (act["ministry"], act["version"]) == ("VWS", 1)
    assert identity(act) == ("cli", example(PERIOD, "VWS")["submitted_by"], OS_PRINCIPAL, True)


def test_audit_lists_every_channel_with_claimed_and_verified_identity(
    slack: FakeSlack, tmp_path: Path
) -> None:
    # The inbox (file), the command line (cli) and the Prefect form, in that order.
    take_in_file(
        write_submission(tmp_path / "in" / "aenm.yaml", example(PERIOD, "AenM")), today=TODAY
    )
    submitted = voortgang("submit", write_submission(tmp_path / "bzk.yaml", example(PERIOD, "BZK")))
    assert submitted.returncode == 0, submitted.stderr
    take_in(
        example(PERIOD, "VWS"), source="formulier", channel="form", today=TODAY, actor=form_actor()
    )
    draft_period(PERIOD, today=TODAY)
    approved = voortgang("approve", "--period", PERIOD, "--by", COORDINATOR)
    assert approved.returncode == 0, approved.stderr

    document = audit_json()

    assert document["period"] == PERIOD
    assert [(a["ministry"], identity(a)) for a in document["submissions"]] == [
        (
            "AenM",
            (
                "file",
                example(PERIOD, "AenM")["submitted_by"],
                f"file-owner:{getpass.getuser()}",
                True,
            ),
        ),
        ("BZK", ("cli", example(PERIOD, "BZK")["submitted_by"], OS_PRINCIPAL, True)),
        ("VWS", ("form", example(PERIOD, "VWS")["submitted_by"], None, False)),
    ]
    [decision] = document["decisions"]
    assert (decision["decision"], decision["version"]) == ("approve", 1)
    assert identity(decision) == ("cli", COORDINATOR, OS_PRINCIPAL, True)
    moments = [a["at"] for a in document["submissions"]]
    assert moments == sorted(moments) and moments[-1] <= decision["at"]

    piped = voortgang("audit", "--period", PERIOD)
    assert piped.returncode == 0, piped.stderr
    header, *rows = piped.stdout.splitlines()
    assert header.split("\t") == ["when", "what", "channel", "claimed", "principal", "verified"]
    assert [r.split("\t")[1:] for r in rows][2:] == [
        ["VWS version 1", "form", example(PERIOD, "VWS")["submitted_by"], "-", "no"],
        ["letter version 1: approve", "cli", COORDINATOR, OS_PRINCIPAL, "yes"],
    ]


def test_channel_left_out_of_the_setting_exits_2_and_stores_nothing(
    db: str, tmp_path: Path
) -> None:
    path = write_submission(tmp_path / "vws.yaml", example(PERIOD, "VWS"))

    done = voortgang("submit", path, VOORTGANG_SUBMIT_CHANNELS="slack,file")

    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{path}: channel: submissions through the 'cli' channel" in done.stderr
    assert "VOORTGANG_SUBMIT_CHANNELS=file,slack" in done.stderr
    assert stored().submissions == 0


def test_bad_period_exits_2_with_one_line_and_help_shows_an_example(db: str) -> None:
    done = voortgang("audit", "--period", "2026Q5")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("--period: '2026Q5'")
    assert len(done.stderr.strip().splitlines()) == 1

    helped = voortgang("audit", "--help")
    assert helped.returncode == 0
    assert "Example: voortgang audit --period 2026Q4 --json" in helped.stdout


def test_approve_through_a_channel_left_out_exits_2_and_decides_nothing(slack: FakeSlack) -> None:
    take_in(example(PERIOD, "VWS"), source="vws", channel="file", today=TODAY)
    draft_period(PERIOD, today=TODAY)

    done = voortgang(
        "approve", "--period", PERIOD, "--by", COORDINATOR, VOORTGANG_DECIDE_CHANNELS="slack"
    )

    assert done.returncode == 2
    assert "decisions on a draft through the 'cli' channel" in done.stderr
    assert "VOORTGANG_DECIDE_CHANNELS=slack" in done.stderr
    assert "Traceback" not in done.stderr
    assert audit_json()["decisions"] == []
