"""The cycle with Slack in the loop: who is reminded, who is named, the draft uploaded, nothing lost.

Four of six ministries submit for 2026Q3 (JenV and SZW do not). Reminders before the deadline
reach exactly the two missing ministries; the cycle after the deadline names them to the
coordinators and uploads the draft. With Slack failing every call the cycle still completes
and the outbox holds every message; after recovery one retry delivers each exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tests.support.fake_slack import FakeSlack
from tests.support.slack_channels import catalogue_channels
from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle
from voortgang.flows.remind import remind_ministries
from voortgang.models.db import session_scope
from voortgang.models.outbox import recent
from voortgang.models.slack_delivery import deliver_pending

PERIOD = "2026Q3"
SUBMITTED = ["VRO", "BZK", "VWS", "AenM"]
MISSING = {"JenV", "SZW"}


def _channel(value: str) -> str:
    """A channel as its name, whether Slack was given the name or the id."""
    name = catalogue_channels().get(value, value)
    return name if name.startswith("#") else f"#{name}"


def _dedupe_keys(slack: FakeSlack) -> Counter[str]:
    keys: Counter[str] = Counter()
    for m in slack.messages():
        keys[m["metadata"]["event_payload"]["dedupe_key"]] += 1
    for upload in slack.uploads():
        keys[f"upload:{upload.title}"] += 1
    return keys


def test_reminders_escalation_and_draft_reach_exactly_who_they_should(slack):
    submit_examples(PERIOD, SUBMITTED)
    remind_ministries(period=PERIOD, today=dt.date(2026, 10, 2))
    reminders = [
        m for m in slack.messages() if "reminder:" in m["metadata"]["event_payload"]["dedupe_key"]
    ]
    assert {_channel(m["channel"]) for m in reminders} == {"#etvi-jenv", "#etvi-szw"}

    result = quarterly_cycle(period=PERIOD, wait_for_approval=False)
    assert set(result.missing_ministries) == MISSING
    escalations = [
        m
        for m in slack.messages()
        if m["metadata"]["event_payload"]["dedupe_key"] == f"escalation:{PERIOD}"
    ]
    assert len(escalations) == 1
    assert _channel(escalations[0]["channel"]) == "#etvi-coordinatie"
    assert "JenV" in escalations[0]["text"] and "SZW" in escalations[0]["text"]
    uploads = slack.uploads()
    assert len(uploads) == 1
    assert uploads[0].content.startswith(b"PK")  # the DOCX of the draft
    assert _channel(uploads[0].channel) == "#etvi-coordinatie"


def test_with_slack_failing_every_call_the_cycle_completes_and_one_retry_delivers_each_once(slack):
    submit_examples(PERIOD, SUBMITTED)
    slack.fail_always("server_error")
    state = quarterly_cycle(period=PERIOD, wait_for_approval=False, return_state=True)
    assert state.is_completed()
    with session_scope() as session:
        outbox = recent(session)
        assert outbox, "the cycle wrote its notifications to the outbox"
        assert all(m.sent_at is None and m.attempts >= 1 and m.last_error for m in outbox)
        kinds = {m.kind for m in outbox}
        keys = [m.dedupe_key for m in outbox]
    assert {"draft_posted", "escalation"} <= kinds
    assert slack.messages() == [] and slack.uploads() == []

    slack.recover()
    report = deliver_pending()
    assert sorted(report.sent) == sorted(keys)
    assert deliver_pending().sent == []
    delivered = _dedupe_keys(slack)
    assert all(count == 1 for count in delivered.values()), delivered
    with session_scope() as session:
        assert all(m.sent_at is not None for m in recent(session))

    # Running the cycle again sends nothing twice: the same draft, the same messages.
    again = quarterly_cycle(period=PERIOD, wait_for_approval=False)
    assert not again.draft.created
    assert _dedupe_keys(slack) == delivered
