"""The dashboards, read-only over HTTP on 127.0.0.1, for `voortgang serve`.

Serves GET (and HEAD) of files under ``$VOORTGANG_HOME/dashboards`` and the letter files
they link to under ``$VOORTGANG_HOME/letters``, plus an index of the periods at ``/``.
Nothing else of the home (the database, the inbox) is reachable, and no method writes.
"""

from __future__ import annotations

import html
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SERVED_FOLDERS = ("dashboards", "letters")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The pages need nothing from outside themselves; the browser is told so.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def resolve_request(home: Path, url_path: str) -> Path | None:
    """The file a request path names, when it lies in a served folder; else None."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2 or parts[0] not in SERVED_FOLDERS or any(p in (".", "..") for p in parts):
        return None
    folder = (home / parts[0]).resolve()
    candidate = folder.joinpath(*parts[1:]).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    if candidate.name.startswith(".") or candidate.suffix not in CONTENT_TYPES:
        return None  # half-written temporary files and anything we did not write
    return candidate


def index_page(home: Path) -> str:
    folder = home / "dashboards"
    periods = sorted(
        (p.name for p in folder.glob("*") if (p / "dashboard.html").is_file()), reverse=True
    )
    items = "".join(
        f'<li><a href="/dashboards/{urllib.parse.quote(p)}/dashboard.html">{html.escape(p)}</a></li>'
        for p in periods
    )
    body = (
        f"<ul>{items}</ul>"
        if items
        else "<p>Nog geen dashboards. Ze verschijnen bij de eerste inzending of met "
        "<code>voortgang dashboard --period 2026Q4</code>.</p>"
    )
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        "<title>Dashboards voortgang</title></head><body><main>"
        f"<h1>Dashboards voortgang per kwartaal</h1>{body}</main></body></html>"
    )


def _handler(home: Path) -> type[BaseHTTPRequestHandler]:
    class DashboardHandler(BaseHTTPRequestHandler):
        server_version = "voortgang-dashboard"

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            if urllib.parse.urlsplit(self.path).path in ("", "/"):
                content, kind = index_page(home).encode("utf-8"), CONTENT_TYPES[".html"]
            else:
                found = resolve_request(home, self.path)
                if found is None:
                    self.send_error(HTTPStatus.NOT_FOUND, "Niet gevonden")
                    return
                content, kind = found.read_bytes(), CONTENT_TYPES[found.suffix]
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", PAGE_POLICY)
            self.end_headers()
            if body:
                self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a page view is not worth a line in the serve terminal

    return DashboardHandler


class DashboardServer:
    """A small threaded HTTP server in the background of the current process."""

    def __init__(self, home: Path, port: int) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(home.resolve()))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="dashboard-server", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> DashboardServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
