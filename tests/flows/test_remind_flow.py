"""Protects the remind flow and the failure hook as Prefect runs them, against FakeSlack.

Before the deadline the flow announces the period and reminds exactly the ministries that have
not submitted, once a working day (not on weekends or Dutch public holidays), and leaves an
artifact of who was reminded when; after it, the coordinators hear once who is missing. With Slack
down or without a token the run still completes and the outbox keeps every message. A failed
flow run alerts the coordinators through the ``on_failure`` hook, which never raises.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from prefect import flow

from tests.support.fake_slack import FakeSlack
from tests.support.slack_channels import TOKEN
from tests.support.submissions import submit_examples
from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.remind import remind_ministries
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import dispose_engines, session_scope
from voortgang.models.outbox import recent
from voortgang.models.slack_delivery import SECRET_BLOCK_NAME, deliver_pending, slack_client
from voortgang.models.tables import OutboxMessage
from voortgang.reporting.dutch import format_date
from voortgang.settings import get_settings, reset_settings

PERIOD = "2026Q4"
DEADLINE = dt.date(2027, 1, 5)
SUBMITTED = ["VRO", "BZK", "VWS", "JenV"]


def _keys(slack: FakeSlack) -> Counter[str]:
    return Counter(m["metadata"]["event_payload"]["dedupe_key"] for m in slack.messages())


def _outbox() -> list[OutboxMessage]:
    with session_scope() as session:
        return recent(session)


def test_before_the_deadline_the_flow_reminds_exactly_the_missing_ministries_once_a_day(slack):
    submit_examples(PERIOD, SUBMITTED)

    state = remind_ministries(period=PERIOD, today=dt.date(2026, 12, 30), return_state=True)
    result = state.result()

    assert state.is_completed()
    assert result.deadline == DEADLINE
    assert result.missing == ["SZW", "AenM"]
    reminders = [
        m for m in slack.messages() if m["metadata"]["event_payload"]["kind"] == "reminder"
    ]
    assert sorted(m["channel"] for m in reminders) == ["#etvi-aenm", "#etvi-szw"]
    # The announcement went to every ministry once; reminders only to the two missing.
    assert _keys(slack) == Counter(
        {f"opened:2026Q4:{code}": 1 for code in ["VRO", "BZK", "VWS", "SZW", "JenV", "AenM"]}
        | {"reminder:2026Q4:SZW:2026-12-30": 1, "reminder:2026Q4:AenM:2026-12-30": 1}
    )
    assert result.delivery.waiting == 0 and len(result.delivery.sent) == 8

    again = remind_ministries(period=PERIOD, today=dt.date(2026, 12, 30))
    assert again.enqueued == 0 and again.delivery.sent == []

    next_day = remind_ministries(period=PERIOD, today=dt.date(2026, 12, 31))
    assert sorted(next_day.delivery.sent) == [
        "reminder:2026Q4:AenM:2026-12-31",
        "reminder:2026Q4:SZW:2026-12-31",
    ]
    assert sum(_keys(slack).values()) == 10


def test_after_the_deadline_the_flow_tells_the_coordinators_once_who_is_missing(slack):
    submit_examples(PERIOD, SUBMITTED)

    first = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 6))
    second = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 7))

    assert first.delivery.sent == ["escalation:2026Q4"]
    assert second.planned == ["escalation:2026Q4"] and second.delivery.sent == []
    [message] = slack.messages()
    assert message["channel"] == "#etvi-coordinatie"
    assert "SZW en AenM" in message["text"]


def test_without_a_period_the_flow_takes_the_one_being_collected(slack):
    december = remind_ministries(today=dt.date(2026, 12, 30))
    january = remind_ministries(today=dt.date(2027, 1, 3))
    assert december.period == january.period == "2026Q4"


def test_with_slack_down_the_flow_completes_and_the_next_run_sends_the_message_once(slack):
    # One message (the escalation) keeps this quick: with Slack down each message costs the
    # client's retries with backoff. tests/models/test_slack_delivery.py covers many.
    submit_examples(PERIOD, SUBMITTED)
    slack.fail_always("server_error")

    state = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 6), return_state=True)

    assert state.is_completed()
    result = state.result()
    assert result.delivery.sent == [] and result.delivery.waiting == 1
    [kept] = _outbox()
    assert (kept.dedupe_key, kept.sent_at, kept.attempts) == ("escalation:2026Q4", None, 1)
    assert kept.last_error == "Slack answered HTTP 500: internal_error"

    slack.recover()
    later = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 7))
    assert later.enqueued == 0 and later.delivery.sent == ["escalation:2026Q4"]
    assert _keys(slack) == Counter({"escalation:2026Q4": 1})


def test_without_a_token_the_flow_completes_and_keeps_the_messages(slack, monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    reset_settings()
    submit_examples(PERIOD, SUBMITTED)

    state = remind_ministries(period=PERIOD, today=dt.date(2026, 12, 30), return_state=True)

    assert state.is_completed()
    assert state.result().delivery.no_client
    assert slack.calls() == []
    assert len(_outbox()) == 8


def test_a_prefect_secret_block_provides_the_token_when_the_environment_has_none(
    slack, monkeypatch
):
    from prefect.blocks.system import Secret

    monkeypatch.delenv("SLACK_BOT_TOKEN")
    reset_settings()
    Secret(value=TOKEN).save(SECRET_BLOCK_NAME, overwrite=True)
    try:
        client = slack_client(get_settings())
        assert client is not None and client.token == TOKEN
        assert client.base_url == slack.base_url
        result = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 6))
        assert result.delivery.sent == ["escalation:2026Q4"]
    finally:
        Secret.delete(SECRET_BLOCK_NAME)
    assert slack_client(get_settings()) is None


@flow(name="kapotte-flow", on_failure=[alert_on_failure])
def broken_flow() -> None:
    raise ValueError("rekenfout in <!channel> & co")


def test_a_failed_flow_run_alerts_the_coordinators_with_flow_run_and_error(slack):
    state = broken_flow(return_state=True)

    assert state.is_failed()
    [alert] = slack.messages()
    assert alert["channel"] == "#etvi-coordinatie"
    assert alert["metadata"]["event_payload"]["dedupe_key"] == (
        f"failure:{state.state_details.flow_run_id}"
    )
    body = str(alert["blocks"])
    assert "kapotte-flow" in body
    assert "rekenfout in &lt;!channel&gt; &amp; co" in body
    assert "<!channel>" not in body


def test_the_failure_hook_keeps_the_alert_when_slack_is_down_and_never_raises(slack):
    slack.fail_always("drop")

    state = broken_flow(return_state=True)

    assert state.is_failed()
    with pytest.raises(ValueError, match="rekenfout"):
        state.result()  # the run's own error, not one from the hook
    [kept] = _outbox()
    assert kept.kind == "failure_alert" and kept.sent_at is None and kept.last_error
    slack.recover()
    assert deliver_pending().sent == [kept.dedupe_key]


def test_the_failure_hook_survives_an_unreachable_database(slack, monkeypatch):
    monkeypatch.setenv("VOORTGANG_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    reset_settings()
    dispose_engines()

    state = broken_flow(return_state=True)

    assert state.is_failed()
    with pytest.raises(ValueError, match="rekenfout"):
        state.result()
    assert slack.messages() == []


def _reminder_table(flow_run_id: Any) -> list[dict[str, str]] | None:
    """The rows of the remind flow's artifact in one flow run, or None when it left none."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[f"herinneringen-{PERIOD.lower()}"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
            )
        )
    assert len(artifacts) <= 1, "one version per flow run"
    return json.loads(artifacts[0].data) if artifacts else None


def test_on_holidays_and_weekends_no_reminder_and_the_artifact_says_who_was_reminded(slack):
    submit_examples(PERIOD, SUBMITTED)
    # New Year's Day (a Friday), then the weekend: nothing, not even the announcement.
    for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)):
        quiet = remind_ministries(period=PERIOD, today=day, return_state=True)
        assert quiet.result().planned == [] and quiet.result().enqueued == 0, day
        assert _reminder_table(quiet.state_details.flow_run_id) is None  # nobody told yet
    assert slack.messages() == []

    monday = remind_ministries(period=PERIOD, today=dt.date(2027, 1, 4), return_state=True)
    assert sorted(k for k in monday.result().planned if k.startswith("reminder:")) == [
        "reminder:2026Q4:AenM:2027-01-04",
        "reminder:2026Q4:SZW:2027-01-04",
    ]

    table = _reminder_table(monday.state_details.flow_run_id)
    assert table is not None
    reminded = [row for row in table if row["soort"] == "herinnering"]
    assert [(r["datum"], r["ministerie"]) for r in reminded] == [
        ("4 januari 2027", "SZW"),
        ("4 januari 2027", "AenM"),
    ]
    officers = {m.code: m.officers for m in load_catalogue().ministries}
    szw = next(r for r in reminded if r["ministerie"] == "SZW")
    assert szw["aan"] == ", ".join(o.name for o in officers["SZW"])
    assert "<@" not in szw["aan"]  # names, not Slack mentions
    sent_on = dt.datetime.now(tz=ZoneInfo("Europe/Amsterdam")).date()
    assert szw["verstuurd"] == format_date(sent_on)  # delivered by the fake Slack just now
    announced = {r["ministerie"] for r in table if r["soort"] == "aankondiging"}
    assert announced == {"VRO", "BZK", "VWS", "SZW", "JenV", "AenM"}
