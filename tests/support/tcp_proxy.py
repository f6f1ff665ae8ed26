"""A TCP proxy on 127.0.0.1 that can take a database away and bring it back (standard library).

    with TcpProxy(("127.0.0.1", 5432)) as proxy:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/mydb"
        proxy.down()   # connections in use are cut, new ones are refused
        proxy.up()     # the same port accepts and forwards again

While down nothing listens on the port (a client sees "connection refused", as for a stopped
server) and every forwarded connection is closed at once (a client in the middle of a
transaction sees "server closed the connection unexpectedly").
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from types import TracebackType


class TcpProxy:
    def __init__(self, target: tuple[str, int], port: int = 0) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self.port = port
        self.connections = 0  # accepted while up, for the record

    # ------------------------------------------------------------------ up and down

    def up(self) -> None:
        """Listen (again, on the same port) and forward every connection to the target."""
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self._listener = listener
            self._accepting = threading.Thread(
                target=self._accept, args=(listener,), name=f"proxy-{self.port}", daemon=True
            )
            self._accepting.start()

    def down(self) -> None:
        """Stop listening and cut every forwarded connection."""
        with self._lock:
            listener, self._listener = self._listener, None
            pairs, self._pairs = self._pairs, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for pair in pairs:
            for sock in pair:
                _close(sock)
        if self._accepting is not None:
            self._accepting.join(timeout=5)
            self._accepting = None

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    # ------------------------------------------------------------------ forwarding

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._listener is not listener:  # went down meanwhile
                    _close(client)
                    _close(server)
                    return
                self._pairs.add((client, server))
                self.connections += 1
            threading.Thread(
                target=self._pump, args=(client, server), name="proxy-pump", daemon=True
            ).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 1.0)
                if client.fileno() < 0 or server.fileno() < 0:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._pairs.discard((client, server))
            _close(client)
            _close(server)

    # ------------------------------------------------------------------ context

    def __enter__(self) -> TcpProxy:
        self.up()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.down()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
