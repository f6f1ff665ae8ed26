"""A small, real Slack Web API server for tests (standard library only).

``FakeSlack`` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` (a free port) in a background
thread and speaks enough of the Slack Web API for ``slack_sdk.WebClient`` to talk to it over
real HTTP::

    with FakeSlack(token="xoxb-test") as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C0000000001", text="hallo")
        assert slack.messages()[0]["text"] == "hallo"

Methods served under ``/api/``: ``auth.test``, ``chat.postMessage``, ``chat.postEphemeral``,
``conversations.list``, ``files.getUploadURLExternal``, ``files.completeUploadExternal``,
``views.open``, ``views.update``, ``views.push`` and ``apps.connections.open``. The upload URL handed out by
``files.getUploadURLExternal`` points at this same server (``/upload/<file_id>``); a POST of the
raw bytes there stores them, as Slack's file host does.

Request bodies may be form-encoded (what slack_sdk 3.x sends for most methods, including
``files.getUploadURLExternal`` and ``files.completeUploadExternal``), JSON (what it sends for
``chat.postMessage``) or multipart; query-string parameters are merged in. Form values that
Slack expects to be JSON-encoded (``blocks``, ``attachments``, ``files``, ``metadata``) are
decoded, so ``Call.params`` looks the same whichever encoding the client chose.

API methods check ``Authorization: Bearer <token>`` (or a ``token`` body field, which Slack
also accepts). A wrong or missing token answers HTTP 200 with ``invalid_auth``, as Slack does
for a wrong one. An unknown method answers HTTP 404 ``{"ok": false, "error": "unknown_method"}``.

Fault injection (settable at any time, from any thread):

* ``fail_next(n, mode)`` - the next ``n`` matching requests fail, then service resumes;
* ``fail_always(mode)`` - every matching request fails until ``recover()``.

Modes: ``"rate_limited"`` (HTTP 429, ``Retry-After`` header, body ``ratelimited``),
``"server_error"`` (HTTP 500, body ``internal_error``) and ``"drop"`` (the request is read and
the connection closed without any response, so the client sees a connection error).

Faults apply to the upload URL too by default (``faults_apply_to_uploads=True``). Note that
slack_sdk posts to the upload URL without its retry handlers, so a fault there makes
``files_upload_v2`` raise (``urllib.error.HTTPError`` or ``URLError``) instead of retrying.
Set ``faults_apply_to_uploads=False`` (constructor or attribute) to fault only ``/api/`` calls,
or give ``fail_next``/``fail_always`` a ``method`` to fault one method only (``"upload"`` is
the method name recorded for the upload URL).

Every request, failed ones included, is recorded as a ``Call``.

Socket Mode: ``apps.connections.open`` (authorised by the app-level token ``app_token``, not
the bot token) answers with the URL of ``FakeSlack.socket``, a ``FakeSocketMode`` WebSocket
server (tests/support/fake_socket_mode.py) that says ``hello``, takes envelopes from the test
and records the app's acknowledgements. ``views.*`` answer with the view and an id and hash,
as Slack does; ``views()`` lists the views opened, updated or pushed, oldest first.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import mimetypes
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final, Literal, Self, cast, get_args
from urllib.parse import parse_qsl, urlsplit

from tests.support.fake_socket_mode import FakeSocketMode

FaultMode = Literal["rate_limited", "server_error", "drop"]
FAULT_MODES: Final[tuple[str, ...]] = get_args(FaultMode)

#: The method name recorded for requests to the upload URL.
UPLOAD_METHOD: Final = "upload"

_API_PREFIX: Final = "/api/"
_UPLOAD_PREFIX: Final = "/upload/"
_JSON_FIELDS: Final = frozenset({"blocks", "attachments", "files", "metadata", "view"})
_APP_TOKEN_METHODS: Final = frozenset({"apps.connections.open"})

TEAM_ID: Final = "T0000000001"
BOT_USER_ID: Final = "U0000000001"
BOT_ID: Final = "B0000000001"


@dataclass(frozen=True)
class Call:
    """One request the server received, and how it answered."""

    method: str
    """Slack method (``chat.postMessage``), ``"upload"`` for the upload URL, else the path."""
    params: dict[str, Any]
    """Parsed parameters: query string merged with the form, JSON or multipart body."""
    headers: dict[str, str]
    """Request headers as received (original case)."""
    time: float
    """``time.time()`` when the request was received."""
    status: int | None
    """HTTP status answered; ``None`` when the connection was dropped."""
    fault: FaultMode | None = None
    """The injected fault that answered this request, if any."""
    error: str | None = None
    """The Slack ``error`` of the answer (``invalid_auth``, ``ratelimited`` ...), if any."""
    response: dict[str, Any] | None = None
    """The JSON body answered, if any."""
    body: bytes = b""
    """The raw request body."""
    http_method: str = "POST"
    path: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response and self.response.get("ok"))


@dataclass(frozen=True)
class Upload:
    """One file shared by ``files.completeUploadExternal``."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel: str | None
    """The first target channel, ``None`` for a private (unshared) upload."""
    channels: tuple[str, ...]
    initial_comment: str | None
    thread_ts: str | None
    params: dict[str, Any] = field(default_factory=dict)
    """The ``files.completeUploadExternal`` params."""


@dataclass
class _PendingFile:
    file_id: str
    filename: str
    length: int | None
    alt_txt: str | None
    snippet_type: str | None
    content: bytes | None = None


@dataclass(frozen=True)
class _Fault:
    mode: FaultMode
    method: str | None
    retry_after: int | None


@dataclass(frozen=True)
class _Reply:
    status: int | None  # None: drop the connection
    payload: dict[str, Any] | None = None
    text: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fault: FaultMode | None = None


def _check_mode(mode: str) -> FaultMode:
    if mode not in FAULT_MODES:
        raise ValueError(f"unknown fault mode {mode!r}; expected one of {FAULT_MODES}")
    return cast(FaultMode, mode)


class FakeSlack:
    """A Slack Web API server on 127.0.0.1 for tests. See the module docstring."""

    def __init__(
        self,
        token: str = "xoxb-test",
        *,
        channels: Mapping[str, str] | None = None,
        retry_after: int = 1,
        faults_apply_to_uploads: bool = True,
        strict_channels: bool = False,
        host: str = "127.0.0.1",
        app_token: str = "xapp-test",
    ) -> None:
        """
        Args:
            token: the only token accepted on API methods.
            channels: channel id -> name, served by ``conversations.list`` and used to
                resolve ``#name`` in ``chat.postMessage``; default ``{"C0000000001": "general"}``.
            retry_after: seconds sent in ``Retry-After`` for ``"rate_limited"`` faults.
            faults_apply_to_uploads: whether injected faults also hit the upload URL.
            strict_channels: answer ``channel_not_found`` for channels not in ``channels``
                (default: any channel is accepted and echoed back).
            host: address to bind (port is always chosen free).
            app_token: the only token accepted on ``apps.connections.open``.
        """
        self.token = token
        self.app_token = app_token
        self.socket = FakeSocketMode(host)
        self._view_counter = itertools.count(1)
        self.channels: dict[str, str] = (
            dict(channels) if channels is not None else {"C0000000001": "general"}
        )
        self.retry_after = retry_after
        self.faults_apply_to_uploads = faults_apply_to_uploads
        self.strict_channels = strict_channels
        self._host = host
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        self._uploads: list[Upload] = []
        self._files: dict[str, _PendingFile] = {}
        self._next_faults: list[_Fault] = []
        self._always_fault: _Fault | None = None
        self._file_counter = itertools.count(1)
        self._last_ts_us = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind a free port and serve in a background thread. Idempotent."""
        if self._server is not None:
            return self
        server = _Server((self._host, 0), _Handler, self)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeSlack:{server.server_address[1]}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        self.socket.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the listening socket, wait for handler threads. Idempotent."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        self.socket.stop()
        server.shutdown()
        server.server_close()  # closes the socket and joins in-flight handler threads
        if thread is not None:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What ``WebClient(base_url=...)`` takes: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.root_url}{_API_PREFIX}"

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        n: int,
        mode: FaultMode | str,
        *,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Fail the next ``n`` requests (of ``method`` only, if given) with ``mode``.

        Queued faults are used before a ``fail_always`` fault.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        fault = _Fault(_check_mode(mode), method, retry_after)
        with self._lock:
            self._next_faults.extend([fault] * n)

    def fail_always(
        self,
        mode: FaultMode | str,
        *,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Fail every request (of ``method`` only, if given) with ``mode`` until ``recover()``."""
        fault = _Fault(_check_mode(mode), method, retry_after)
        with self._lock:
            self._always_fault = fault

    def recover(self) -> None:
        """Drop all queued and permanent faults."""
        with self._lock:
            self._next_faults.clear()
            self._always_fault = None

    def _take_fault(self, method: str) -> _Fault | None:
        if method == UPLOAD_METHOD and not self.faults_apply_to_uploads:
            return None
        with self._lock:
            for i, fault in enumerate(self._next_faults):
                if fault.method is None or fault.method == method:
                    return self._next_faults.pop(i)
            always = self._always_fault
            if always is not None and always.method in (None, method):
                return always
        return None

    # ------------------------------------------------------------------ records

    def calls(self, method: str | None = None) -> list[Call]:
        """All recorded requests (a copy), optionally only those for ``method``."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(self) -> list[dict[str, Any]]:
        """Params of the successful ``chat.postMessage`` calls, oldest first."""
        return [dict(c.params) for c in self.calls("chat.postMessage") if c.ok]

    def ephemerals(self) -> list[dict[str, Any]]:
        """Params of the successful ``chat.postEphemeral`` calls, oldest first."""
        return [dict(c.params) for c in self.calls("chat.postEphemeral") if c.ok]

    def views(self) -> list[tuple[str, dict[str, Any]]]:
        """(method, view) of the successful ``views.open/update/push`` calls, oldest first."""
        return [
            (c.method, dict(c.params.get("view") or {}))
            for c in self.calls()
            if c.method.startswith("views.") and c.ok
        ]

    def uploads(self) -> list[Upload]:
        """Files shared by successful ``files.completeUploadExternal`` calls."""
        with self._lock:
            return list(self._uploads)

    def uploaded_bytes(self, file_id: str) -> bytes | None:
        """Bytes received on the upload URL for ``file_id`` (completed or not)."""
        with self._lock:
            pending = self._files.get(file_id)
            return None if pending is None else pending.content

    def reset(self) -> None:
        """Forget calls, files, uploads and faults (``ts`` values keep increasing)."""
        with self._lock:
            self._calls.clear()
            self._uploads.clear()
            self._files.clear()
            self._next_faults.clear()
            self._always_fault = None

    # ------------------------------------------------------------------ dispatch

    def _handle(
        self,
        http_method: str,
        raw_path: str,
        headers: dict[str, str],
        body: bytes,
    ) -> _Reply:
        """Answer one request and record it (before the answer is written)."""
        received = time.time()
        split = urlsplit(raw_path)
        path = split.path
        if path.startswith(_API_PREFIX):
            method = path[len(_API_PREFIX) :]
        elif path.startswith(_UPLOAD_PREFIX):
            method = UPLOAD_METHOD
        else:
            method = path
        params: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        if method != UPLOAD_METHOD:
            params.update(_parse_body(headers, body))

        fault = self._take_fault(method)
        if fault is not None:
            reply = self._fault_reply(fault)
        elif method == UPLOAD_METHOD:
            reply = self._upload(path[len(_UPLOAD_PREFIX) :], body)
        elif not path.startswith(_API_PREFIX):
            reply = _Reply(404, text="not found")
        else:
            reply = self._api(method, params, headers)

        payload = reply.payload
        error = payload.get("error") if payload is not None else None
        call = Call(
            method=method,
            params=params,
            headers=headers,
            time=received,
            status=reply.status,
            fault=reply.fault,
            error=error if isinstance(error, str) else None,
            response=payload,
            body=body,
            http_method=http_method,
            path=path,
        )
        with self._lock:
            self._calls.append(call)
        return reply

    def _fault_reply(self, fault: _Fault) -> _Reply:
        if fault.mode == "rate_limited":
            seconds = self.retry_after if fault.retry_after is None else fault.retry_after
            return _Reply(
                429,
                {"ok": False, "error": "ratelimited"},
                headers=(("Retry-After", str(seconds)),),
                fault=fault.mode,
            )
        if fault.mode == "server_error":
            return _Reply(500, {"ok": False, "error": "internal_error"}, fault=fault.mode)
        return _Reply(None, fault=fault.mode)

    def _authorized(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> bool:
        token = self.app_token if method in _APP_TOKEN_METHODS else self.token
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if auth is not None:
            scheme, _, value = auth.partition(" ")
            return scheme.lower() == "bearer" and value.strip() == token
        return params.get("token") == token

    def _api(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> _Reply:
        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "conversations.list": self._conversations_list,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.push": self._views_open,
            "apps.connections.open": self._apps_connections_open,
        }.get(method)
        if handler is None:
            return _Reply(404, {"ok": False, "error": "unknown_method", "req_method": method})
        if not self._authorized(method, params, headers):
            return _Reply(200, {"ok": False, "error": "invalid_auth"})
        return _Reply(200, handler(params))

    # ------------------------------------------------------------------ methods

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake-slack.example/",
            "team": "Fake Slack",
            "user": "fakebot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _resolve_channel(self, channel: str) -> str | None:
        if channel in self.channels:
            return channel
        name = channel.removeprefix("#")
        for cid, cname in self.channels.items():
            if cname == name:
                return cid
        return None if self.strict_channels else channel

    def _next_ts(self) -> str:
        with self._lock:
            us = max(self._last_ts_us + 1, time.time_ns() // 1000)
            self._last_ts_us = us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        channel_id = self._resolve_channel(str(channel))
        if channel_id is None:
            return {"ok": False, "error": "channel_not_found"}
        if not any(params.get(k) for k in ("text", "blocks", "attachments", "markdown_text")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "text": params.get("text", ""),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key):
                message[key] = params[key]
        return {"ok": True, "channel": channel_id, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not params.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _view_answer(self, view: Any, view_id: str) -> dict[str, Any]:
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            return {"ok": False, "error": "invalid_arguments"}
        blocks = view.get("blocks") or []
        if len(blocks) > 100:
            return {"ok": False, "error": "invalid_arguments", "detail": "too many blocks"}
        if len(str(view.get("private_metadata") or "")) > 3000:
            return {"ok": False, "error": "invalid_arguments", "detail": "private_metadata"}
        answered = {**view, "id": view_id, "hash": f"{time.time_ns()}.hash", "state": {}}
        return {"ok": True, "view": answered}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view_answer(params.get("view"), f"V{next(self._view_counter):010d}")

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and not params.get("external_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view_answer(params.get("view"), str(view_id or "V-external"))

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.socket.new_url()}

    def _conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        channels = [
            {
                "id": cid,
                "name": name,
                "is_channel": True,
                "is_private": False,
                "is_archived": False,
                "is_member": True,
            }
            for cid, name in self.channels.items()
        ]
        return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}

    def _files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        length = params.get("length")
        if not filename or length in (None, ""):
            return {"ok": False, "error": "invalid_arguments"}
        try:
            size = int(length)
        except (TypeError, ValueError):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._file_counter):010d}"
        with self._lock:
            self._files[file_id] = _PendingFile(
                file_id=file_id,
                filename=str(filename),
                length=size,
                alt_txt=params.get("alt_txt"),
                snippet_type=params.get("snippet_type"),
            )
        return {
            "ok": True,
            "upload_url": f"{self.root_url}{_UPLOAD_PREFIX}{file_id}",
            "file_id": file_id,
        }

    def _upload(self, file_id: str, body: bytes) -> _Reply:
        with self._lock:
            pending = self._files.get(file_id)
            if pending is None:
                return _Reply(404, text="unknown upload")
            pending.content = body
        return _Reply(200, text=f"OK - {len(body)}")

    def _files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        channels: list[str] = []
        if params.get("channel_id"):
            channels.append(str(params["channel_id"]))
        if params.get("channels"):
            channels.extend(c for c in str(params["channels"]).split(",") if c)
        initial_comment = params.get("initial_comment")
        thread_ts = params.get("thread_ts")
        with self._lock:
            pendings: list[tuple[_PendingFile, str]] = []
            for item in files:
                if not isinstance(item, dict) or "id" not in item:
                    return {"ok": False, "error": "invalid_arguments"}
                pending = self._files.get(str(item["id"]))
                if pending is None or pending.content is None:
                    return {"ok": False, "error": "file_not_found"}
                pendings.append((pending, str(item.get("title") or pending.filename)))
            created = int(time.time())
            answered: list[dict[str, Any]] = []
            for pending, title in pendings:
                content = pending.content or b""
                self._uploads.append(
                    Upload(
                        file_id=pending.file_id,
                        filename=pending.filename,
                        title=title,
                        content=content,
                        channel=channels[0] if channels else None,
                        channels=tuple(channels),
                        initial_comment=initial_comment,
                        thread_ts=thread_ts,
                        params=dict(params),
                    )
                )
                answered.append(
                    {
                        "id": pending.file_id,
                        "created": created,
                        "name": pending.filename,
                        "title": title,
                        "mimetype": mimetypes.guess_type(pending.filename)[0]
                        or "application/octet-stream",
                        "size": len(content),
                        "user": BOT_USER_ID,
                        "channels": list(channels),
                    }
                )
        return {"ok": True, "files": answered}


# ---------------------------------------------------------------------- parsing


def _decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def _parse_body(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return {}
        return dict(data) if isinstance(data, dict) else {}
    if media_type == "multipart/form-data":
        return _decode_json_fields(_parse_multipart(content_type, body))
    # application/x-www-form-urlencoded, and Slack's default for anything else
    text = body.decode("utf-8", errors="replace")
    return _decode_json_fields(dict(parse_qsl(text, keep_blank_values=True)))


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            params[name] = data
        else:
            params[name] = data.decode(part.get_content_charset() or "utf-8", errors="replace")
    return params


# ---------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins in-flight handler threads
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        fake: FakeSlack,
    ) -> None:
        self.fake = fake
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSlack/1.0"
    timeout = 10  # a silent client cannot hold stop() for longer than this

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        fake = cast(_Server, self.server).fake
        reply = fake._handle(self.command, self.path, dict(self.headers.items()), body)
        self.close_connection = True
        if reply.status is None:  # "drop": no status line, just close
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.payload is not None:
            data = json.dumps(reply.payload).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        else:
            data = (reply.text or "").encode("utf-8")
            content_type = "text/plain; charset=utf-8"
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


__all__ = ["FAULT_MODES", "UPLOAD_METHOD", "Call", "FakeSlack", "FaultMode", "Upload"]
