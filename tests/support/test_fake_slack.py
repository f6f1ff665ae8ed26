"""Protects FakeSlack: the real slack_sdk WebClient must work against it, faults included.

Every test here drives the fake with ``slack_sdk.WebClient`` over real HTTP, so a change in
how slack_sdk encodes requests or handles retries shows up here first, not in the tests that
rely on the fake.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    FixedValueRetryIntervalCalculator,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.support.fake_slack import UPLOAD_METHOD, FakeSlack

TOKEN = "xoxb-test"
QUICK = FixedValueRetryIntervalCalculator(0.01)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def client_for(slack: FakeSlack, token: str = TOKEN, **kwargs: Any) -> WebClient:
    return WebClient(token=token, base_url=slack.base_url, timeout=5, **kwargs)


BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Q3* ingediend"}}]


def test_base_url_and_lifecycle() -> None:
    fake = FakeSlack(token=TOKEN)
    fake.start()
    port = fake.port
    assert fake.base_url == f"http://127.0.0.1:{port}/api/"
    thread = fake._thread
    assert thread is not None and thread.is_alive()
    fake.stop()
    assert not thread.is_alive()
    assert not fake.running
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    fake.stop()  # idempotent


def test_auth_test_and_conversations_list(slack: FakeSlack) -> None:
    client = client_for(slack)
    assert client.auth_test()["user_id"].startswith("U")
    channels = client.conversations_list()["channels"]
    assert [c["name"] for c in channels] == ["general"]
    assert [c.method for c in slack.calls()] == ["auth.test", "conversations.list"]
    assert slack.calls()[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_post_message_is_recorded_with_channel_text_and_blocks(slack: FakeSlack) -> None:
    client = client_for(slack)
    first = client.chat_postMessage(channel="C0000000001", text="Q3 ingediend", blocks=BLOCKS)
    second = client.chat_postMessage(channel="#general", text="nog een")

    assert first["ok"] and first["channel"] == "C0000000001"
    assert first["message"]["text"] == "Q3 ingediend"
    assert first["message"]["blocks"] == BLOCKS
    assert second["channel"] == "C0000000001"  # "#general" resolved to its id
    assert float(second["ts"]) > float(first["ts"])

    messages = slack.messages()
    assert len(messages) == 2
    assert messages[0]["channel"] == "C0000000001"
    assert messages[0]["text"] == "Q3 ingediend"
    assert messages[0]["blocks"] == BLOCKS
    call = slack.calls("chat.postMessage")[0]
    assert call.status == 200 and call.fault is None
    assert call.headers["Content-Type"].startswith("application/json")  # slack_sdk sends JSON


def test_form_encoded_blocks_are_decoded(slack: FakeSlack) -> None:
    client = client_for(slack)
    client.api_call(
        "chat.postMessage",
        params={"channel": "C1", "text": "x", "blocks": json.dumps(BLOCKS)},
    )
    call = slack.calls("chat.postMessage")[0]
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert call.params["blocks"] == BLOCKS
    assert slack.messages()[0]["channel"] == "C1"


def test_wrong_token_is_invalid_auth(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as caught:
        client_for(slack, token="xoxb-wrong").chat_postMessage(channel="C1", text="x")
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=slack.base_url).auth_test()
    assert missing.value.response["error"] == "invalid_auth"
    assert slack.messages() == []
    assert [c.error for c in slack.calls()] == ["invalid_auth", "invalid_auth"]


def test_unknown_method(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as caught:
        client_for(slack).api_call("chat.doesNotExist")
    assert caught.value.response["error"] == "unknown_method"


def test_files_upload_v2_stores_bytes_and_records_upload(slack: FakeSlack) -> None:
    content = b"%PDF-1.7 voortgangsbrief"
    response = client_for(slack).files_upload_v2(
        content=content,
        filename="brief.pdf",
        title="Voortgangsbrief Q3",
        channel="C0000000001",
        initial_comment="De brief staat klaar",
    )
    assert response["ok"]
    file_id = response["file"]["id"]
    assert response["file"]["title"] == "Voortgangsbrief Q3"

    assert slack.uploaded_bytes(file_id) == content
    [upload] = slack.uploads()
    assert upload.file_id == file_id
    assert upload.content == content
    assert upload.filename == "brief.pdf"
    assert upload.title == "Voortgangsbrief Q3"
    assert upload.channel == "C0000000001"
    assert upload.initial_comment == "De brief staat klaar"
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        UPLOAD_METHOD,
        "files.completeUploadExternal",
    ]
    get_url = slack.calls("files.getUploadURLExternal")[0]
    assert get_url.params["length"] == str(len(content))
    assert "Authorization" not in slack.calls(UPLOAD_METHOD)[0].headers


def test_rate_limited_is_retried_after_retry_after(slack: FakeSlack) -> None:
    client = client_for(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    slack.fail_next(1, "rate_limited")
    started = time.monotonic()
    response = client.chat_postMessage(channel="C1", text="na de rate limit")
    assert response["ok"]
    assert time.monotonic() - started >= 1.0  # slack_sdk honoured Retry-After: 1

    first, second = slack.calls("chat.postMessage")
    assert first.status == 429 and first.fault == "rate_limited"
    assert first.error == "ratelimited"
    assert second.status == 200 and second.fault is None
    assert len(slack.messages()) == 1


def test_rate_limited_without_retry_handler_raises(slack: FakeSlack) -> None:
    slack.fail_next(1, "rate_limited", retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client_for(slack).chat_postMessage(channel="C1", text="x")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "7"
    assert caught.value.response["error"] == "ratelimited"


def test_server_error_is_retried(slack: FakeSlack) -> None:
    handler = ServerErrorRetryHandler(max_retry_count=1, interval_calculator=QUICK)
    slack.fail_next(1, "server_error")
    response = client_for(slack, retry_handlers=[handler]).chat_postMessage(channel="C1", text="x")
    assert response["ok"]
    assert [c.status for c in slack.calls()] == [500, 200]


def test_dropped_connection_is_retried(slack: FakeSlack) -> None:
    handler = ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=QUICK)
    slack.fail_next(1, "drop")
    response = client_for(slack, retry_handlers=[handler]).chat_postMessage(channel="C1", text="x")
    assert response["ok"]
    first, second = slack.calls()
    assert first.status is None and first.fault == "drop"
    assert second.status == 200


def test_fail_always_fails_after_the_retries(slack: FakeSlack) -> None:
    handler = ServerErrorRetryHandler(max_retry_count=2, interval_calculator=QUICK)
    client = client_for(slack, retry_handlers=[handler])
    slack.fail_always("server_error")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    assert caught.value.response.status_code == 500
    assert caught.value.response["error"] == "internal_error"
    assert [c.status for c in slack.calls()] == [500, 500, 500]
    assert slack.messages() == []

    slack.recover()
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_fault_limited_to_one_method(slack: FakeSlack) -> None:
    client = client_for(slack)
    slack.fail_next(1, "server_error", method="chat.postMessage")
    assert client.auth_test()["ok"]
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x")
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_upload_url_faults_are_not_retried_by_slack_sdk(slack: FakeSlack) -> None:
    # The default: faults apply to the upload URL too. slack_sdk posts there without its
    # retry handlers, so files_upload_v2 fails outright.
    slack.fail_next(1, "server_error", method=UPLOAD_METHOD)
    with pytest.raises(HTTPError):
        client_for(slack).files_upload_v2(content=b"x", filename="a.txt", channel="C1")
    assert slack.uploads() == []
    assert slack.calls(UPLOAD_METHOD)[0].fault == "server_error"


def test_faults_can_spare_the_upload_url(slack: FakeSlack) -> None:
    got = client_for(slack).files_getUploadURLExternal(filename="a.txt", length=3)
    slack.faults_apply_to_uploads = False
    slack.fail_always("drop")
    with urllib.request.urlopen(
        urllib.request.Request(got["upload_url"], data=b"abc", method="POST"), timeout=5
    ) as resp:
        assert resp.status == 200
    assert slack.uploaded_bytes(got["file_id"]) == b"abc"
    with pytest.raises(ConnectionError):  # http.client.RemoteDisconnected
        client_for(slack, retry_handlers=[]).auth_test()


def test_reset_forgets_calls_and_faults(slack: FakeSlack) -> None:
    client = client_for(slack)
    client.chat_postMessage(channel="C1", text="x")
    slack.fail_always("server_error")
    slack.reset()
    assert slack.calls() == [] and slack.messages() == []
    assert client.chat_postMessage(channel="C1", text="y")["ok"]


def test_unknown_fault_mode_is_rejected(slack: FakeSlack) -> None:
    with pytest.raises(ValueError, match="unknown fault mode"):
        slack.fail_next(1, "explode")
