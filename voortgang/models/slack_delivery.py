"""Sending the outbox to Slack: each message once, and nothing lost when Slack is down.

``deliver_pending`` takes the unsent messages one at a time. Each message is claimed, sent
and marked in its own short transaction, committed right after Slack accepted it: a crash
between two messages never sends the first one again. A message Slack refuses, or that
cannot reach Slack, keeps ``sent_at`` empty, gets ``attempts + 1`` and ``last_error``, and
the next message is tried; the next run (or ``voortgang notify --retry``) tries it again.

slack_sdk's own retry handlers deal with 429 (honouring ``Retry-After``), 5xx and dropped
connections within one send. Exactly once has one limit no client can close: when Slack
accepted a message but the answer was lost, Slack has no idempotency key to tell us, and
the message goes out again on the next attempt.
"""

from __future__ import annotations

import http.client
import logging
from typing import Any
from urllib.error import HTTPError, URLError

from pydantic import BaseModel, ValidationError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryIntervalCalculator,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.outbox import (
    DraftFile,
    SlackPayload,
    claim_next,
    count_pending,
    mark_failed,
    mark_sent,
)
from voortgang.settings import Settings, get_settings

log = logging.getLogger(__name__)

SECRET_BLOCK_NAME = "slack-bot-token"  # noqa: S105 (the name of a Prefect block, not a secret)
# One send holds its outbox row locked (on SQLite: the database's write lock), so a send
# must stay short: a few quick retries, and a timeout well under SQLite's busy timeout.
MAX_RETRY_COUNT = 2
TIMEOUT_SECONDS = 10
METADATA_EVENT = "voortgang_notification"
RETRY_HINT = "set SLACK_BOT_TOKEN and run `voortgang notify --retry`"


class DeliveryFailure(BaseModel):
    dedupe_key: str
    channel: str
    error: str


class DeliveryReport(BaseModel):
    """What one delivery run did."""

    sent: list[str] = []  # dedupe keys Slack accepted in this run
    failed: list[DeliveryFailure] = []
    waiting: int = 0  # unsent messages left in the outbox after this run
    no_client: bool = False  # no token: nothing was tried

    @property
    def sent_count(self) -> int:
        return len(self.sent)


class DeliveryError(Exception):
    """A message cannot be sent as it stands (unknown channel, missing letter draft)."""


# --- the client ----------------------------------------------------------------------------


def retry_handlers(
    *,
    max_retry_count: int = MAX_RETRY_COUNT,
    interval_calculator: RetryIntervalCalculator | None = None,
) -> list[RetryHandler]:
    """slack_sdk's handlers: 429 after ``Retry-After``, 5xx and lost connections with backoff."""
    interval = interval_calculator or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        RateLimitErrorRetryHandler(max_retry_count=max_retry_count),
        ServerErrorRetryHandler(max_retry_count=max_retry_count, interval_calculator=interval),
        ConnectionErrorRetryHandler(max_retry_count=max_retry_count, interval_calculator=interval),
    ]


def _token_from_prefect() -> str | None:
    """The ``slack-bot-token`` Secret block, when Prefect's API is there to ask.

    Only asked inside a flow or task run, or when ``PREFECT_API_URL`` is set: otherwise
    Prefect would start a temporary server just to find out there is no block.
    """
    try:
        from prefect.context import FlowRunContext, TaskRunContext
        from prefect.settings import PREFECT_API_URL
    except ImportError:
        return None
    if not (PREFECT_API_URL.value() or FlowRunContext.get() or TaskRunContext.get()):
        return None
    try:
        from prefect.blocks.system import Secret

        load: Any = Secret.load  # async_dispatch: _sync=True asks for the blocking variant
        value = load(SECRET_BLOCK_NAME, _sync=True).get()
    except Exception as exc:  # no block, no API, wrong type: all mean "no token from Prefect"
        log.debug("No Prefect Secret block %r: %s", SECRET_BLOCK_NAME, exc)
        return None
    return str(value) if value else None


def slack_token(settings: Settings | None = None) -> str | None:
    """SLACK_BOT_TOKEN, else the Prefect Secret block ``slack-bot-token``, else None."""
    settings = settings or get_settings()
    if settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value():
        return settings.slack_bot_token.get_secret_value()
    return _token_from_prefect()


def slack_client(
    settings: Settings | None = None,
    *,
    interval_calculator: RetryIntervalCalculator | None = None,
) -> WebClient | None:
    """A WebClient for VOORTGANG_SLACK_API_URL with retry handlers, or None without a token."""
    settings = settings or get_settings()
    token = slack_token(settings)
    if token is None:
        return None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(interval_calculator=interval_calculator),
    )


# --- sending -------------------------------------------------------------------------------


class _Sender:
    """Sends one outbox message; remembers channel ids for the length of one run."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._channel_ids: dict[str, str] | None = None

    def channel_id(self, channel: str) -> str:
        """``#etvi-coordinatie`` -> ``C...`` (files.completeUploadExternal wants an id)."""
        if not channel.startswith("#"):
            return channel
        if self._channel_ids is None:
            self._channel_ids = self._list_channels()
        name = channel.removeprefix("#")
        try:
            return self._channel_ids[name]
        except KeyError:
            raise DeliveryError(
                f"channel {channel} not found by conversations.list "
                "(does it exist, and may the bot see it: channels:read, groups:read?)"
            ) from None

    def _list_channels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        cursor: str | None = None
        while True:
            page = self.client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for item in page.get("channels") or []:
                found[str(item["name"])] = str(item["id"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return found

    def send(self, session: Session, message: t.OutboxMessage) -> None:
        payload = SlackPayload.model_validate(message.payload)
        if payload.file is not None:
            self._upload(session, message.channel, payload.file)
        else:
            self.client.chat_postMessage(
                channel=message.channel,
                text=payload.text,
                blocks=payload.blocks or None,
                unfurl_links=False,
                unfurl_media=False,
                # The key travels with the message, so a duplicate can be found in Slack too.
                metadata={
                    "event_type": METADATA_EVENT,
                    "event_payload": {"dedupe_key": message.dedupe_key, "kind": message.kind},
                },
            )

    def _upload(self, session: Session, channel: str, ref: DraftFile) -> None:
        draft = session.get(t.LetterDraft, ref.draft_id)
        if draft is None:
            raise DeliveryError(f"letter draft {ref.draft_id} does not exist")
        if ref.format == "docx":
            content = draft.docx
        else:
            content = (draft.html if ref.format == "html" else draft.markdown).encode("utf-8")
        self.client.files_upload_v2(
            channel=self.channel_id(channel),
            content=content,
            filename=ref.filename,
            title=ref.title,
            initial_comment=ref.initial_comment or None,
        )


def describe_error(exc: BaseException) -> str:
    """One line for ``last_error``: what Slack said, or what went wrong on the way."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", None)
        error = exc.response.get("error") if exc.response is not None else None
        return f"Slack answered HTTP {status}: {error or 'error'}"
    if isinstance(exc, URLError) and not isinstance(exc, HTTPError):
        return f"URLError: {exc.reason}"  # e.g. "[Errno 111] Connection refused"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'no details'}"


# Everything that means "this message did not get through"; anything else is a bug or the
# database, and is raised.
_SEND_ERRORS: tuple[type[BaseException], ...] = (
    SlackClientError,  # SlackApiError (Slack said no) and SlackRequestError
    OSError,  # dropped connections, timeouts, URLError/HTTPError from the upload URL
    http.client.HTTPException,
    DeliveryError,
    ValidationError,  # a stored payload that no longer reads
)


def _no_client_report() -> DeliveryReport:
    with session_scope() as session:
        waiting = count_pending(session)
    if waiting:
        log.warning(
            "No Slack token: %d notification(s) wait in the outbox; to send them, %s.",
            waiting,
            RETRY_HINT,
        )
    return DeliveryReport(waiting=waiting, no_client=True)


def deliver_pending(
    *,
    client: WebClient | None = None,
    limit: int | None = None,
    settings: Settings | None = None,
) -> DeliveryReport:
    """Send every unsent outbox message once; never raises because Slack failed.

    ``client``: default ``slack_client(settings)``; without a token nothing is sent and the
    log says how many messages wait. ``limit``: at most this many messages are tried.
    """
    client = client or slack_client(settings)
    if client is None:
        return _no_client_report()
    sender = _Sender(client)
    report = DeliveryReport()
    last_id = 0
    tried = 0
    while limit is None or tried < limit:
        # One transaction per message: claim (lock), send, mark, commit.
        with session_scope() as session:
            message = claim_next(session, after_id=last_id)
            if message is None:
                break
            last_id, tried = message.id, tried + 1
            key, channel = message.dedupe_key, message.channel
            try:
                sender.send(session, message)
            except _SEND_ERRORS as exc:
                error = describe_error(exc)
                mark_failed(message, error)
                report.failed.append(DeliveryFailure(dedupe_key=key, channel=channel, error=error))
                log.warning("Slack message %s to %s not sent: %s", key, channel, error)
                continue
            mark_sent(message)
        report.sent.append(key)
    with session_scope() as session:
        report.waiting = count_pending(session)
    return report
