"""Protects delivery to Slack: every outbox message reaches Slack exactly once, nothing is lost.

Runs the real slack_sdk WebClient against FakeSlack (a Slack Web API server on 127.0.0.1):
reminders reach exactly the ministries that have not submitted; the escalation names them;
the draft letter arrives as a file with its bytes; with Slack failing every call delivery
completes and the outbox keeps every message with its error; after recovery one run sends
each message once and a second run sends nothing; 429 is retried after Retry-After; without
a token nothing is sent; two deliverers at once still send each message once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator

from tests.support.fake_slack import FakeSlack
from tests.support.slack_channels import TOKEN, catalogue_channels, channel_id
from tests.support.submissions import TODAY, submit_examples
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all, recent
from voortgang.models.period_store import missing_ministries
from voortgang.models.slack_delivery import DeliveryReport, deliver_pending, slack_client
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import GoalState, PeriodAssessment
from voortgang.reporting.assessment_store import store_assessment
from voortgang.reporting.slack_messages import (
    PlannedMessage,
    plan_decision,
    plan_draft_posted,
    plan_escalation,
    plan_reminders,
)
from voortgang.settings import get_settings, reset_settings

PERIOD = "2026Q4"
DEADLINE = dt.date(2027, 1, 5)
BEFORE = dt.date(2026, 12, 30)
AFTER = dt.date(2027, 1, 6)
SUBMITTED = ["VRO", "BZK", "VWS", "JenV"]  # four of six; SZW and AenM are missing
DOCX = b"PK\x03\x04 docx bytes \x00\xff\xfe not text"
QUICK = FixedValueRetryIntervalCalculator(0.01)


@pytest.fixture
def slack(db, monkeypatch) -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, channels=catalogue_channels(), retry_after=1) as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("VOORTGANG_SLACK_API_URL", fake.base_url)
        reset_settings()
        yield fake
    reset_settings()


def _client() -> WebClient:
    client = slack_client(get_settings(), interval_calculator=QUICK)
    assert client is not None
    return client


def _deliver() -> DeliveryReport:
    return deliver_pending(client=_client())


def _enqueue(planned: list[PlannedMessage]) -> int:
    with session_scope() as session:
        return enqueue_all(session, planned)


def _four_of_six_submitted() -> list[str]:
    submit_examples(PERIOD, SUBMITTED)
    with session_scope() as session:
        missing = missing_ministries(session, load_catalogue(), PERIOD)
        # The cheap read agrees with the assessment the letter uses.
        assessment = assess_period(session, load_catalogue(), PERIOD, today=TODAY)
    assert missing == assessment.missing_ministries == ["SZW", "AenM"]
    return missing


def _store_draft(version: int = 1) -> tuple[int, t.LetterDraft]:
    with session_scope() as session:
        assessment = assess_period(session, load_catalogue(), PERIOD, today=AFTER)
        assessment_id = store_assessment(session, assessment)
        draft = t.LetterDraft(
            period_id=PERIOD,
            version=version,
            assessment_id=assessment_id,
            content_hash=f"hash-{version}",
            markdown="# Voortgangsbrief\n",
            html="<h1>Voortgangsbrief</h1>\n",
            docx=DOCX,
        )
        session.add(draft)
        session.flush()
        return draft.id, draft


def _assessment() -> PeriodAssessment:
    with session_scope() as session:
        return assess_period(session, load_catalogue(), PERIOD, today=AFTER)


def _sent_keys(slack: FakeSlack) -> Counter[str]:
    """Accepted chat.postMessage calls per dedupe key, plus accepted uploads per filename."""
    keys = Counter(m["metadata"]["event_payload"]["dedupe_key"] for m in slack.messages())
    keys.update(f"file:{u.filename}" for u in slack.uploads())
    return keys


def _outbox() -> dict[str, t.OutboxMessage]:
    with session_scope() as session:
        return {m.dedupe_key: m for m in recent(session)}


def test_reminders_reach_exactly_the_missing_ministries_and_never_those_that_submitted(slack):
    missing = _four_of_six_submitted()
    catalogue = load_catalogue()
    _enqueue(plan_reminders(catalogue, missing, PERIOD, DEADLINE, BEFORE))

    report = _deliver()

    assert report.sent == ["reminder:2026Q4:SZW:2026-12-30", "reminder:2026Q4:AenM:2026-12-30"]
    assert report.failed == [] and report.waiting == 0
    messages = slack.messages()
    assert sorted(m["channel"] for m in messages) == ["#etvi-aenm", "#etvi-szw"]
    for code in SUBMITTED:
        assert catalogue.ministry(code).slack_channel not in {m["channel"] for m in messages}
    szw = next(m for m in messages if m["channel"] == "#etvi-szw")
    assert "<@U0SZW0001>" in szw["text"] and "5 januari 2027" in szw["text"]
    assert szw["blocks"][0]["type"] == "header"
    assert all(m.sent_at is not None and m.attempts == 1 for m in _outbox().values())


def test_escalation_after_the_deadline_names_the_missing_ministries_in_the_coordinators_channel(
    slack,
):
    missing = _four_of_six_submitted()
    catalogue = load_catalogue()
    _enqueue(plan_escalation(catalogue, missing, PERIOD, DEADLINE, AFTER))
    _enqueue(plan_escalation(catalogue, missing, PERIOD, DEADLINE, AFTER + dt.timedelta(days=1)))

    report = _deliver()

    assert report.sent == ["escalation:2026Q4"]
    [message] = slack.messages()
    assert message["channel"] == "#etvi-coordinatie"
    assert "SZW en AenM" in message["text"]
    body = " ".join(b["text"]["text"] for b in message["blocks"] if "text" in b)
    assert "*SZW*" in body and "*AenM*" in body and "*VWS*" not in body


def test_draft_letter_is_uploaded_to_the_coordinators_channel_with_its_bytes_and_summary(slack):
    submit_examples(PERIOD, SUBMITTED)
    draft_id, _ = _store_draft()
    catalogue = load_catalogue()
    assessment = _assessment()
    _enqueue(plan_draft_posted(catalogue, draft_id, 1, PERIOD, assessment))
    _enqueue(
        [
            p.model_copy(update={"dedupe_key": "draft:2026Q4:v1:html"})
            for p in plan_draft_posted(catalogue, draft_id, 1, PERIOD, assessment, fmt="html")
        ]
    )

    report = _deliver()

    assert report.failed == [] and len(report.sent) == 2
    docx, html = slack.uploads()
    assert docx.content == DOCX
    assert docx.filename == "voortgangsbrief-2026Q4-v1.docx"
    assert docx.title == "Concept voortgangsbrief vierde kwartaal 2026, versie 1"
    assert docx.channel == channel_id("#etvi-coordinatie")
    assert docx.initial_comment is not None
    counts = Counter(g.status for g in assessment.goals)
    expected = ", ".join(
        f"{counts[state]} {label}"
        for state, label in [
            (GoalState.on_track, "op schema"),
            (GoalState.at_risk, "risico"),
            (GoalState.off_track, "achter op schema"),
            (GoalState.no_data, "geen gegevens"),
        ]
    )
    assert f"Status van de {len(assessment.goals)} doelen: {expected}." in docx.initial_comment
    assert "Ontbrekende updates: SZW, AenM" in docx.initial_comment
    assert html.content == b"<h1>Voortgangsbrief</h1>\n"
    # The channel id was looked up once for the run, not once per file.
    assert len(slack.calls("conversations.list")) == 1


def _plan_everything() -> list[PlannedMessage]:
    missing = _four_of_six_submitted()
    draft_id, _ = _store_draft()
    catalogue = load_catalogue()
    planned = (
        plan_reminders(catalogue, missing, PERIOD, DEADLINE, BEFORE)
        + plan_escalation(catalogue, missing, PERIOD, DEADLINE, AFTER)
        + plan_draft_posted(catalogue, draft_id, 1, PERIOD, _assessment())
    )
    _enqueue(planned)
    return planned


@pytest.mark.parametrize("mode", ["server_error", "drop"])
def test_with_slack_failing_every_call_delivery_completes_and_the_outbox_keeps_every_message(
    slack, mode
):
    planned = _plan_everything()
    slack.fail_always(mode)

    report = _deliver()  # does not raise

    assert report.sent == []
    assert {f.dedupe_key for f in report.failed} == {p.dedupe_key for p in planned}
    assert report.waiting == len(planned) == 4
    outbox = _outbox()
    for message in outbox.values():
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error
    expected = "HTTP 500: internal_error" if mode == "server_error" else "RemoteDisconnected"
    assert all(expected in (m.last_error or "") for m in outbox.values())
    assert slack.messages() == [] and slack.uploads() == []

    slack.recover()
    report = _deliver()

    assert sorted(report.sent) == sorted(p.dedupe_key for p in planned)
    assert report.waiting == 0
    assert _sent_keys(slack) == Counter(
        {
            "reminder:2026Q4:SZW:2026-12-30": 1,
            "reminder:2026Q4:AenM:2026-12-30": 1,
            "escalation:2026Q4": 1,
            "file:voortgangsbrief-2026Q4-v1.docx": 1,
        }
    )
    assert all(m.sent_at is not None and m.attempts == 2 for m in _outbox().values())

    calls_before = len(slack.calls())
    again = _deliver()
    assert again.sent == [] and again.failed == []
    assert len(slack.calls()) == calls_before  # nothing left to send: Slack is not even asked


def test_a_failure_in_the_middle_does_not_stop_the_others_or_resend_them(slack):
    catalogue = load_catalogue()
    planned = plan_reminders(catalogue, ["VRO", "BZK", "VWS"], PERIOD, DEADLINE, BEFORE)
    _enqueue(planned)
    bzk_id = channel_id("#etvi-bzk")
    slack.strict_channels = True
    del slack.channels[bzk_id]  # Slack answers channel_not_found for BZK only

    report = _deliver()

    assert report.sent == ["reminder:2026Q4:VRO:2026-12-30", "reminder:2026Q4:VWS:2026-12-30"]
    assert [(f.dedupe_key, f.error) for f in report.failed] == [
        ("reminder:2026Q4:BZK:2026-12-30", "Slack answered HTTP 200: channel_not_found")
    ]
    assert report.waiting == 1

    slack.channels[bzk_id] = "etvi-bzk"
    report = _deliver()
    assert report.sent == ["reminder:2026Q4:BZK:2026-12-30"]
    assert _sent_keys(slack) == Counter({p.dedupe_key: 1 for p in planned})


def test_a_rate_limited_call_is_retried_after_retry_after_and_delivered_once(slack):
    _enqueue(plan_reminders(load_catalogue(), ["SZW"], PERIOD, DEADLINE, BEFORE))
    slack.fail_next(1, "rate_limited", retry_after=1)

    report = _deliver()

    assert report.sent == ["reminder:2026Q4:SZW:2026-12-30"]
    first, second = slack.calls("chat.postMessage")
    assert (first.status, first.error) == (429, "ratelimited")
    assert second.ok
    assert second.time - first.time >= 1.0  # Retry-After was honoured
    assert len(slack.messages()) == 1


def test_without_a_token_nothing_is_sent_the_messages_wait_and_the_log_says_how_to_send(
    slack, monkeypatch, caplog
):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    reset_settings()
    assert slack_client(get_settings()) is None
    _enqueue(plan_reminders(load_catalogue(), ["SZW", "AenM"], PERIOD, DEADLINE, BEFORE))

    with caplog.at_level(logging.WARNING, logger="voortgang.models.slack_delivery"):
        report = deliver_pending()

    assert report.no_client and report.sent == [] and report.waiting == 2
    assert slack.calls() == []
    assert all(m.sent_at is None and m.attempts == 0 for m in _outbox().values())
    assert "2 notification(s) wait in the outbox" in caplog.text
    assert "voortgang notify --retry" in caplog.text


def test_a_wrong_token_is_recorded_as_the_reason_and_the_message_kept(slack, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
    reset_settings()
    _enqueue(plan_reminders(load_catalogue(), ["SZW"], PERIOD, DEADLINE, BEFORE))
    report = _deliver()
    assert report.sent == [] and report.waiting == 1
    [message] = _outbox().values()
    assert message.last_error == "Slack answered HTTP 200: invalid_auth"


def test_an_upload_to_a_channel_the_bot_cannot_see_fails_with_a_clear_reason(slack):
    submit_examples(PERIOD, SUBMITTED)
    draft_id, _ = _store_draft()
    catalogue = load_catalogue().model_copy(update={"coordinators_channel": "#bestaat-niet"})
    _enqueue(plan_draft_posted(catalogue, draft_id, 1, PERIOD, _assessment()))
    report = _deliver()
    assert report.sent == []
    assert "channel #bestaat-niet not found" in report.failed[0].error
    assert "channels:read" in report.failed[0].error


@pytest.mark.parametrize("deliverers", [2, 3])
def test_deliverers_running_at_once_send_each_message_once(slack, deliverers):
    catalogue = load_catalogue()
    # Six working days up to the deadline of 5 January 2027 (1 January, the weekend and
    # Christmas are not): six reminders to each of the six ministries.
    days = [dt.date(2027, 1, 5), dt.date(2027, 1, 4)] + [
        dt.date(2026, 12, d) for d in (28, 29, 30, 31)
    ]
    codes = [m.code for m in catalogue.ministries]
    planned = [
        p
        for day in days
        for p in plan_reminders(catalogue, codes, PERIOD, DEADLINE, day, window_working_days=None)
    ]
    assert len(planned) == 36
    _enqueue(planned)
    start = threading.Barrier(deliverers)
    reports = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            client = _client()
            start.wait(10)
            reports.append(deliver_pending(client=client))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(deliverers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    sent = [key for report in reports for key in report.sent]
    assert sorted(sent) == sorted(p.dedupe_key for p in planned)  # each once, by exactly one
    assert _sent_keys(slack) == Counter({p.dedupe_key: 1 for p in planned})
    assert all(m.attempts == 1 for m in _outbox().values())


def test_user_text_arrives_escaped_in_slack(slack):
    hostile = "<!channel> <script>alert(1)</script> & co"
    _enqueue(
        plan_decision(
            load_catalogue(),
            decision_id=1,
            decision="changes",
            period=PERIOD,
            version=1,
            decided_by=hostile,
            comment=hostile,
        )
    )
    _deliver()
    [message] = slack.messages()
    everything = str(message["text"]) + str(message["blocks"])
    assert "<!channel>" not in everything and "<script>" not in everything
    assert "&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in message["text"]
