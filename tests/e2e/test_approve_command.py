"""``voortgang approve`` and ``voortgang reopen`` as a coordinator runs them, each in its own process.

Protects part 6 of issue 12 on the command line: a decision is final, so a second one on
the same draft exits 2 with one line naming the earlier decision, who and when, and how to
reopen; ``voortgang reopen`` is recorded and allows a new decision; every decision reaches
the coordinators' Slack channel exactly once (counted in a fake Slack server); a submission
after the approval is stored and flagged to the coordinators, and ``voortgang letter`` keeps
serving the approved version.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml
from sqlalchemy import select

from tests.support.drafts import draft_period
from tests.support.fake_slack import FakeSlack
from tests.support.prefect_server import run_voortgang
from tests.support.submissions import example, submit_examples
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.dutch import format_period

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"
DEPUTY = "plv.coordinator@programma-etvi.example.nl"


def voortgang(*args: object) -> subprocess.CompletedProcess[str]:
    return run_voortgang(*(str(a) for a in args), env=os.environ)


@pytest.fixture(autouse=True)
def no_prefect_server(monkeypatch) -> None:
    # The commands run without a Prefect server: decisions are recorded, no run is resumed.
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


@pytest.fixture
def drafted(slack: FakeSlack) -> FakeSlack:
    submit_examples(PERIOD)
    draft_period(PERIOD)
    return slack


def decision_posts(slack: FakeSlack) -> list[str]:
    """What the coordinators' channel shows for decisions: notices, and the final letter."""
    texts = [
        m["text"]
        for m in slack.messages()
        if m["metadata"]["event_payload"]["dedupe_key"].startswith("decision:")
    ]
    return texts + [f"file: {u.title}" for u in slack.uploads() if "definitief" in u.title]


def stored_state() -> tuple[list[tuple[int, str]], list[tuple[str, str | None, str]]]:
    with session_scope() as session:
        drafts = [
            (d.version, d.state)
            for d in session.scalars(select(t.LetterDraft).order_by(t.LetterDraft.version))
        ]
        decisions = [
            (d.decision, d.decided_by, d.channel)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]
    return drafts, decisions


def test_approve_then_changes_exits_2_naming_the_approval_who_and_when(drafted):
    approved = voortgang("approve", "--period", PERIOD, "--by", COORDINATOR)
    assert approved.returncode == 0, approved.stderr
    assert "2026Q4 version 1 approved: the draft is final." in approved.stderr

    refused = voortgang(
        "approve", "--period", PERIOD, "--by", DEPUTY, "--changes", "Graag tabel 2 inkorten."
    )
    assert refused.returncode == 2, refused.stderr
    assert refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert re.fullmatch(
        rf"--period 2026Q4: version 1 of the letter was approved by {re.escape(COORDINATOR)} "
        r"on \d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T \(cli\); a decision is final\. To decide "
        r"again, first run: voortgang reopen --period 2026Q4 --by EMAIL --reason TEXT",
        lines[0],
    ), lines[0]

    assert stored_state() == ([(1, "final")], [("approve", COORDINATOR, "cli")])
    # The approval reached the channel once (with the final letter); the refusal did not.
    posts = decision_posts(drafted)
    assert posts == [f"file: Voortgangsbrief {format_period(PERIOD)}, definitief (versie 1)"], posts

    # The same approval again is no second decision and no second post.
    again = voortgang("approve", "--period", PERIOD, "--by", COORDINATOR)
    assert again.returncode == 0 and "(already recorded)" in again.stderr
    assert len(decision_posts(drafted)) == 1


def test_reopen_then_a_new_decision(drafted):
    nothing_yet = voortgang("reopen", "--period", PERIOD, "--by", COORDINATOR, "--reason", "x")
    assert nothing_yet.returncode == 2
    assert "version 1 of the letter has no decision to reopen" in nothing_yet.stderr

    assert voortgang("approve", "--period", PERIOD, "--by", COORDINATOR).returncode == 0
    stranger = voortgang(
        "reopen", "--period", PERIOD, "--by", "iemand@example.org", "--reason", "x"
    )
    assert stranger.returncode == 2
    assert stranger.stderr.startswith("--by: 'iemand@example.org' is not a registered coordinator")
    no_reason = voortgang("reopen", "--period", PERIOD, "--by", COORDINATOR)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr

    reopened = voortgang(
        "reopen", "--period", PERIOD, "--by", DEPUTY, "--reason", "VWS leverde nieuwe cijfers"
    )
    assert reopened.returncode == 0, reopened.stderr
    assert "2026Q4 version 1 reopened: it takes a new decision" in reopened.stderr
    changes = voortgang(
        "approve", "--period", PERIOD, "--by", COORDINATOR, "--changes", "Neem de cijfers op."
    )
    assert changes.returncode == 0, changes.stderr
    assert "2026Q4 version 1 changes requested." in changes.stderr

    assert stored_state() == (
        [(1, "changes_requested")],
        [
            ("approve", COORDINATOR, "cli"),
            ("reopen", DEPUTY, "cli"),
            ("changes", COORDINATOR, "cli"),
        ],
    )
    posts = decision_posts(drafted)
    assert len(posts) == 3, posts
    assert any("*heropend*" in p and "VWS leverde nieuwe cijfers" in p for p in posts), posts
    assert any("*wijzigingen*" in p and "Neem de cijfers op." in p for p in posts), posts


def test_a_submission_after_approval_is_stored_flagged_and_the_letter_stays_approved(
    drafted, tmp_path
):
    with session_scope() as session:
        approved_markdown = session.scalars(select(t.LetterDraft.markdown)).one()
    assert voortgang("approve", "--period", PERIOD, "--by", COORDINATOR).returncode == 0

    later = example(PERIOD, "VWS")
    later["milestones"][1]["progress"] = 70
    update = tmp_path / "vws-2026Q4.yaml"
    update.write_text(yaml.safe_dump(later, allow_unicode=True), encoding="utf-8")
    submitted = voortgang("submit", update)
    assert submitted.returncode == 0, submitted.stderr
    with session_scope() as session:
        versions = session.scalars(
            select(t.Submission.version).where(t.Submission.ministry_code == "VWS")
        ).all()
    assert sorted(versions) == [1, 2]

    # Flagged to the coordinators, once, when the outbox is sent.
    assert voortgang("notify", "--retry").returncode == 0
    assert voortgang("notify", "--retry").returncode == 0
    held = [
        m
        for m in drafted.messages()
        if m["metadata"]["event_payload"]["dedupe_key"].startswith("held:")
    ]
    assert len(held) == 1, held
    assert f"*VWS* heeft een nieuwe update over het {format_period(PERIOD)}" in held[0]["text"]
    assert "(versie 2, door l.bakker@minvws.example.nl)" in held[0]["text"]

    # What the cycle's draft step does: no new draft for an approved period.
    assert draft_period(PERIOD).version == 1
    out = tmp_path / "brief.md"
    letter = voortgang("letter", "--period", PERIOD, "--format", "md", "-o", out)
    assert letter.returncode == 0, letter.stderr
    assert "Letter 2026Q4 version 1 (final)" in letter.stderr
    assert out.read_text(encoding="utf-8") == approved_markdown
    assert stored_state()[0] == [(1, "final")]


def test_reopen_help_shows_an_example():
    result = voortgang("reopen", "--help")
    assert result.returncode == 0
    assert "Example: voortgang reopen --period 2026Q4 --by" in result.stdout
