"""The Bolt app in Socket Mode: thin handlers around ``submissions.py`` and ``decisions.py``.

Every handler acknowledges first (Bolt runs it in a thread and answers Slack as soon as
``ack`` is called, ``process_before_response=False``), then works. A submitted modal is
checked before the acknowledgement, so that errors go back beside their fields; when the
check takes longer than ``ACK_BUDGET_SECONDS`` (a slow database), the modal is acknowledged
with "bezig" and the outcome follows with ``views.update``.

Interactions from another workspace than ``VOORTGANG_SLACK_TEAM_ID`` are acknowledged and
ignored. Tokens are never logged: they live in the clients only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from voortgang.models.catalogue import load_catalogue
from voortgang.models.slack_delivery import TIMEOUT_SECONDS, deliver_pending, retry_handlers
from voortgang.models.validation_errors import SubmissionRejected
from voortgang.reporting.decisions import Verdict
from voortgang.reporting.slack_messages import ACTION_APPROVE, ACTION_CHANGES, ACTION_SUBMIT
from voortgang.settings import Settings
from voortgang.slack_app.decisions import coordinator_for, decide
from voortgang.slack_app.modals import (
    CHANGES_BLOCK,
    CHANGES_CALLBACK,
    SUBMISSION_CALLBACK,
    ChangesForm,
    changes_modal,
    message_view,
    read_changes,
)
from voortgang.slack_app.people import SlackUser
from voortgang.slack_app.submissions import (
    Refused,
    SubmissionCheck,
    check_submission,
    period_from,
    receipt,
    rejection_lines,
    store,
    submission_view,
    today_for,
)
from voortgang.slack_app.texts import text

log = logging.getLogger(__name__)

ACK_BUDGET_SECONDS = 2.0  # Slack waits 3 s for the acknowledgement
MISSING_COMMENT = (
    "Schrijf wat er moet veranderen (een verzoek om wijzigingen heeft een toelichting nodig)."
)


class SlackAppNotConfigured(RuntimeError):
    """A token is missing; the message names the environment variables."""


# --- reading envelopes ----------------------------------------------------------------------


def team_of(body: dict[str, Any]) -> str | None:
    """The workspace an interaction came from (slash commands and interactive payloads)."""
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    if body.get("team_id"):
        return str(body["team_id"])
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return None


def user_of(body: dict[str, Any]) -> SlackUser:
    """The verified sender: Slack's user id and workspace of the interaction."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else body.get("user_id")
    return SlackUser(team_id=team_of(body) or "", user_id=str(user_id or ""))


def action_value(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    try:
        value = json.loads(str(actions[0].get("value") or "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    if isinstance(channel, dict) and channel.get("id"):
        return str(channel["id"])
    return str(body["channel_id"]) if body.get("channel_id") else None


def is_our_workspace(body: dict[str, Any], team_id: str | None) -> bool:
    """True when no workspace is set, or the interaction comes from the one that is."""
    return team_id is None or team_of(body) == team_id


# --- the app --------------------------------------------------------------------------------


def _web_client(token: str, settings: Settings) -> WebClient:
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )


def _tokens(settings: Settings) -> tuple[str, str]:
    bot = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    app = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    missing = [
        name for name, value in (("SLACK_BOT_TOKEN", bot), ("SLACK_APP_TOKEN", app)) if not value
    ]
    if missing:
        raise SlackAppNotConfigured(
            f"{' and '.join(missing)} not set (expected the bot token xoxb-... and the "
            "app-level token xapp-... with connections:write; see README, 'Slack app')"
        )
    return bot, app


def build_app(settings: Settings) -> App:
    """The Bolt app with every handler registered (no connection yet)."""
    bot_token, _ = _tokens(settings)
    app = App(
        client=_web_client(bot_token, settings),
        process_before_response=False,
        request_verification_enabled=False,  # Socket Mode: no signed HTTP requests
    )
    handlers = _Handlers(settings)
    app.middleware(handlers.only_our_workspace)
    app.command("/voortgang")(handlers.on_command)
    app.action(ACTION_SUBMIT)(handlers.on_submit_button)
    app.action(ACTION_APPROVE)(handlers.on_approve)
    app.action(ACTION_CHANGES)(handlers.on_changes_button)
    app.view(SUBMISSION_CALLBACK)(handlers.on_submission)
    app.view(CHANGES_CALLBACK)(handlers.on_changes)
    return app


class _Handlers:
    """The Bolt listeners; each a few lines around a plain function."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="voortgang-slack")

    def only_our_workspace(
        self, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if is_our_workspace(body, self.settings.slack_team_id):
            return next()
        log.warning("Refused an interaction from workspace %r (not ours)", team_of(body))
        return BoltResponse(status=200, body="")  # acknowledged, nothing done

    # officers -----------------------------------------------------------------------------

    def on_command(self, ack: Callable[..., None], body: dict[str, Any], client: WebClient) -> None:
        ack()
        today = today_for(self.settings.today)
        try:
            period = period_from(body.get("text"), today)
        except Refused as exc:
            view = message_view(text("refused.title"), str(exc))
        else:
            view = submission_view(load_catalogue(), user_of(body), period=period, ministry=None)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_submit_button(
        self, ack: Callable[..., None], body: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        value = action_value(body)
        period = str(value.get("period") or "")
        try:
            period = period_from(period, today_for(self.settings.today))
        except Refused as exc:
            view = message_view(text("refused.title"), str(exc))
        else:
            ministry = str(value["ministry"]) if value.get("ministry") else None
            view = submission_view(
                load_catalogue(), user_of(body), period=period, ministry=ministry
            )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_submission(
        self, ack: Callable[..., None], body: dict[str, Any], client: WebClient
    ) -> None:
        user, view = user_of(body), body["view"]
        today = today_for(self.settings.today)
        future = self.pool.submit(check_submission, load_catalogue(), user, view, today=today)
        acknowledged = False
        try:
            check = future.result(timeout=ACK_BUDGET_SECONDS)
        except FutureTimeout:
            ack(response_action="update", view=message_view(text("busy.title"), text("busy.text")))
            acknowledged = True
            check = future.result()
        if check.raw is None or check.officer is None:
            self._not_valid(ack, client, view, check, acknowledged=acknowledged)
            return
        if not acknowledged:
            ack(response_action="update", view=message_view(text("busy.title"), text("busy.text")))
        try:
            stored = store(check.raw, user, check.officer, today=today)
        except SubmissionRejected as exc:  # refused by the channel rules, or changed meanwhile
            reason = rejection_lines(exc)
            client.views_update(
                view_id=view["id"],
                view=message_view(
                    text("refused.title"), text("refused.stored_failed", reason=reason)
                ),
            )
            return
        except Exception:  # the database away, a bug: all or nothing, so nothing is stored
            log.exception("A submission through Slack of %s was not stored", check.raw["ministry"])
            client.views_update(
                view_id=view["id"], view=message_view(text("refused.title"), text("failed.text"))
            )
            raise
        message = receipt(stored)
        client.views_update(view_id=view["id"], view=message_view(text("modal.title"), message))
        client.chat_postMessage(channel=user.user_id, text=message)  # the receipt to keep

    def _not_valid(
        self,
        ack: Callable[..., None],
        client: WebClient,
        view: dict[str, Any],
        check: SubmissionCheck,
        *,
        acknowledged: bool,
    ) -> None:
        if not acknowledged:
            if check.refusal is not None:
                refused = message_view(text("refused.title"), check.refusal)
                ack(response_action="update", view=refused)
            else:
                ack(response_action="errors", errors=check.errors)
            return
        # Too late for errors beside the fields: say them in the modal instead.
        lines = check.refusal or "\n".join(f"• {m}" for m in check.errors.values())
        client.views_update(view_id=view["id"], view=message_view(text("refused.title"), lines))

    # coordinators -------------------------------------------------------------------------

    def _tell(self, client: WebClient, body: dict[str, Any], channel: str | None, msg: str) -> None:
        user = user_of(body)
        if channel:
            client.chat_postEphemeral(channel=channel, user=user.user_id, text=msg)
        else:
            client.chat_postMessage(channel=user.user_id, text=msg)

    def _decide(
        self,
        client: WebClient,
        body: dict[str, Any],
        value: dict[str, Any],
        verdict: Verdict,
        comment: str | None,
        channel: str | None,
    ) -> None:
        outcome = decide(
            load_catalogue(),
            user_of(body),
            period=str(value.get("period") or ""),
            draft_id=int(value.get("draft_id") or 0),
            verdict=verdict,
            comment=comment,
        )
        self._tell(client, body, channel, outcome.message)
        if outcome.record is not None and outcome.record.created:
            deliver_pending(settings=self.settings)  # the decision, posted once (outbox)

    def on_approve(self, ack: Callable[..., None], body: dict[str, Any], client: WebClient) -> None:
        ack()
        self._decide(client, body, action_value(body), Verdict.approve, None, channel_of(body))

    def on_changes_button(
        self, ack: Callable[..., None], body: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        value = action_value(body)
        try:
            coordinator_for(load_catalogue(), user_of(body))
            form = ChangesForm(
                period=str(value.get("period") or ""),
                draft_id=int(value.get("draft_id") or 0),
                version=int(value.get("version") or 0),
                channel=channel_of(body),
            )
        except Refused as exc:
            self._tell(client, body, channel_of(body), str(exc))
            return
        client.views_open(trigger_id=body["trigger_id"], view=changes_modal(form))

    def on_changes(self, ack: Callable[..., None], body: dict[str, Any], client: WebClient) -> None:
        form, comment = read_changes(body["view"])
        if comment is None:
            ack(response_action="errors", errors={CHANGES_BLOCK: MISSING_COMMENT})
            return
        ack()
        value = {"period": form.period, "draft_id": form.draft_id}
        self._decide(client, body, value, Verdict.changes, comment, form.channel)


# --- running it -----------------------------------------------------------------------------


def socket_mode_handler(settings: Settings) -> SocketModeHandler:
    """The app on a Socket Mode connection (``connect()`` starts it, ``close()`` stops it)."""
    _, app_token = _tokens(settings)
    return SocketModeHandler(
        build_app(settings), app_token, web_client=_web_client(app_token, settings)
    )
