"""Slack's Socket Mode, faked: a WebSocket server on 127.0.0.1 that the app connects to.

``FakeSlack`` answers ``apps.connections.open`` with this server's URL
(``ws://127.0.0.1:PORT/link/?ticket=...``). On connection it sends ``hello`` as Slack does;
a test then pushes envelopes in Slack's shapes (``interactive`` for block_actions and
view_submission, ``slash_commands``) and waits for the app's acknowledgement, which is
recorded with its payload (``response_action: errors`` etc.)::

    envelope = socket.push(interactive_envelope(payload))
    ack = socket.wait_for_ack(envelope["envelope_id"])
    assert ack.payload["response_action"] == "errors"

The WebSocket side is the ``websockets`` package (installed with Prefect), in its threaded
("sync") flavour.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Final, Self

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

APP_ID: Final = "A0000000001"


@dataclass(frozen=True)
class Ack:
    """One acknowledgement the app sent: the envelope it answers and its payload, if any."""

    envelope_id: str
    payload: dict[str, Any] | None
    time: float


def envelope(kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> dict[str, Any]:
    """A Socket Mode envelope as Slack sends it (``kind``: interactive, slash_commands ...)."""
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": kind,
        "accepts_response_payload": kind in ("interactive", "slash_commands"),
        "retry_attempt": retry_attempt,
        "retry_reason": "",
        "payload": payload,
    }


class FakeSocketMode:
    """The WebSocket end of Socket Mode; one or more app connections at a time."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._host = host
        self._lock = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: list[Ack] = []
        self._received: list[dict[str, Any]] = []
        self._tickets = itertools.count(1)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        if self._server is None:
            self._server = serve(self._serve, self._host, 0, compression=None)
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="FakeSocketMode", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()
        server.shutdown()
        if thread is not None:
            thread.join(timeout=10)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSocketMode is not running")
        return int(self._server.socket.getsockname()[1])

    def new_url(self) -> str:
        """A fresh URL for ``apps.connections.open`` (Slack hands out one per call)."""
        return f"ws://{self._host}:{self.port}/link/?ticket={next(self._tickets)}&app_id={APP_ID}"

    # ------------------------------------------------------------------ connections

    def _serve(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": APP_ID},
                }
            )
        )
        with self._lock:
            self._connections.append(connection)
            self._lock.notify_all()
        try:
            for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.remove(connection)
                self._lock.notify_all()

    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        with self._lock:
            self._received.append(message)
            if "envelope_id" in message:
                payload = message.get("payload")
                self._acks.append(
                    Ack(
                        envelope_id=str(message["envelope_id"]),
                        payload=payload if isinstance(payload, dict) else None,
                        time=time.time(),
                    )
                )
            self._lock.notify_all()

    def wait_connected(self, timeout: float = 10) -> None:
        """Until an app is connected (it got ``hello``)."""
        with self._lock:
            if not self._lock.wait_for(lambda: bool(self._connections), timeout):
                raise AssertionError(f"no Socket Mode connection within {timeout} s")

    @property
    def connected(self) -> int:
        with self._lock:
            return len(self._connections)

    # ------------------------------------------------------------------ envelopes

    def push(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope to the connected app (the newest connection); returns it."""
        self.wait_connected()
        with self._lock:
            connection = self._connections[-1]
        connection.send(json.dumps(message))
        return message

    def acks(self, envelope_id: str | None = None) -> list[Ack]:
        with self._lock:
            return [a for a in self._acks if envelope_id is None or a.envelope_id == envelope_id]

    def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> Ack:
        """The app's acknowledgement of the envelope (AssertionError after ``timeout``)."""
        with self._lock:
            if not self._lock.wait_for(lambda: bool(self.acks(envelope_id)), timeout):
                raise AssertionError(f"envelope {envelope_id} not acknowledged within {timeout} s")
            return self.acks(envelope_id)[0]

    def reset(self) -> None:
        with self._lock:
            self._acks.clear()
            self._received.clear()


__all__ = ["APP_ID", "Ack", "FakeSocketMode", "envelope"]
