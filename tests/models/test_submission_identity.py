"""Who submitted: every stored version keeps the claim and what its channel verified.

Protects item 4 of issue 10 at the level every channel calls (``take_in``, ``take_in_file``):
the Slack principal is stored as given and verified; without an actor the claim
(``submitted_by``) is stored unverified; an inbox file is attributed to its owner on disk;
a channel that ``VOORTGANG_SUBMIT_CHANNELS`` leaves out is refused, naming the setting and
the channel, and stores nothing. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from tests.models.factories import stored, write_submission
from tests.support.submissions import TODAY, example
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.identity import Actor, Channel
from voortgang.models.submission_intake import take_in, take_in_file
from voortgang.models.validation_errors import SubmissionRejected
from voortgang.settings import Settings, reset_settings

PERIOD = "2026Q4"
SLACK_PRINCIPAL = "slack:T0ETVI/U0VWS01"


def identities() -> list[tuple[str, int, str, str | None, str | None, bool]]:
    with session_scope() as session:
        return [
            (s.ministry_code, s.version, s.channel, s.claimed_by, s.principal, s.principal_verified)
            for s in session.scalars(select(t.Submission).order_by(t.Submission.id))
        ]


@pytest.fixture
def only_slack_submits(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("VOORTGANG_SUBMIT_CHANNELS", "slack")
    reset_settings()
    yield
    reset_settings()


def test_slack_submission_stores_the_verified_slack_user(db: str) -> None:
    raw = example(PERIOD, "VWS")
    actor = Actor(
        channel=Channel.slack, claimed=raw["submitted_by"], principal=SLACK_PRINCIPAL, verified=True
    )

    take_in(raw, source="slack", channel="slack", today=TODAY, actor=actor)

    assert identities() == [("VWS", 1, "slack", raw["submitted_by"], SLACK_PRINCIPAL, True)]


def test_without_an_actor_the_claim_is_stored_unverified(db: str) -> None:
    raw = example(PERIOD, "BZK")

    take_in(raw, source="formulier", channel="form", today=TODAY)

    assert identities() == [("BZK", 1, "form", raw["submitted_by"], None, False)]


def test_inbox_file_is_attributed_to_its_owner_on_disk(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "vws.yaml", example(PERIOD, "VWS"))

    take_in_file(path, channel="file", today=TODAY)

    [(_, _, channel, claimed, principal, verified)] = identities()
    assert (channel, claimed) == ("file", example(PERIOD, "VWS")["submitted_by"])
    assert (principal, verified) == (f"file-owner:{getpass.getuser()}", True)


def test_actor_of_another_channel_is_a_programming_error_and_stores_nothing(db: str) -> None:
    with pytest.raises(ValueError, match="actor of channel 'slack' given for channel 'form'"):
        take_in(
            example(PERIOD, "VWS"),
            source="x",
            channel="form",
            today=TODAY,
            actor=Actor(channel=Channel.slack, principal=SLACK_PRINCIPAL, verified=True),
        )
    assert stored().submissions == 0


def test_channel_left_out_of_the_setting_is_refused_and_stores_nothing(
    only_slack_submits: None, tmp_path: Path
) -> None:
    path = write_submission(tmp_path / "vws.yaml", example(PERIOD, "VWS"))

    with pytest.raises(SubmissionRejected) as refused:
        take_in_file(path, channel="file", today=TODAY)

    [line] = refused.value.lines()
    assert line.startswith(f"{path}: channel: submissions through the 'file' channel")
    assert "VOORTGANG_SUBMIT_CHANNELS=slack" in line
    assert stored().submissions == 0


def test_setting_with_an_unknown_channel_is_refused_with_its_name() -> None:
    with pytest.raises(ValidationError, match="VOORTGANG_SUBMIT_CHANNELS: mail"):
        Settings(submit_channels="slack,mail")
    assert Settings(decide_channels=" Slack , cli ").decide_channel_set == {
        Channel.slack,
        Channel.cli,
    }
