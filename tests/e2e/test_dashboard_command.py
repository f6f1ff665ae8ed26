"""``voortgang dashboard`` and the served dashboards as a coordinator uses them, each command in
its own process: the command writes the page, CSV and XLSX and says where; a bad period or
file name exits 2 in one line; a decision on the command line rebuilds the page; and the
read-only server gives the dashboards and the letters, and nothing else of the home.
"""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.support.drafts import draft_period
from tests.support.prefect_server import run_voortgang
from tests.support.submissions import submit_examples
from voortgang.flows.dashboard_server import DashboardServer
from voortgang.reporting.dashboard_refresh import dashboard_path

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"


def voortgang(*args: object) -> subprocess.CompletedProcess[str]:
    return run_voortgang(*(str(a) for a in args), env=os.environ)


@pytest.fixture(autouse=True)
def no_prefect_server(monkeypatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def test_command_writes_page_csv_and_xlsx_and_says_where(db, tmp_path):
    submit_examples(PERIOD, ["VRO", "VWS"])
    out = tmp_path / "export" / "dashboard-2026Q4.html"

    result = voortgang("dashboard", "--period", "2026q4", "-o", out)

    assert result.returncode == 0, result.stderr
    for suffix in (".html", ".csv", ".xlsx"):
        written = out.with_suffix(suffix)
        assert written.stat().st_size > 0
        assert str(written) in result.stderr
    assert "2 van 6 ingediend" in out.read_text(encoding="utf-8")


def test_bad_period_or_file_name_exits_2_in_one_line(db, tmp_path):
    bad_period = voortgang("dashboard", "--period", "2026Q5", "-o", tmp_path / "d.html")
    assert bad_period.returncode == 2
    assert bad_period.stderr.strip().startswith("--period:")
    assert len(bad_period.stderr.strip().splitlines()) == 1

    not_html = voortgang("dashboard", "--period", PERIOD, "-o", tmp_path / "d.csv")
    assert not_html.returncode == 2 and "-o/--output" in not_html.stderr
    assert not (tmp_path / "d.csv").exists()


def test_help_has_an_example(db):
    result = voortgang("dashboard", "--help")
    assert result.returncode == 0
    assert "Example: voortgang dashboard --period 2026Q4" in result.stdout


def test_approval_on_the_command_line_rebuilds_the_dashboard(slack):
    submit_examples(PERIOD)
    draft_period(PERIOD)
    assert voortgang("dashboard", "--period", PERIOD).returncode == 0
    assert "wacht op een besluit" in dashboard_path(PERIOD).read_text(encoding="utf-8")

    result = voortgang("approve", "--period", PERIOD, "--by", COORDINATOR)

    assert result.returncode == 0, result.stderr
    page = dashboard_path(PERIOD).read_text(encoding="utf-8")
    assert "goedgekeurd</span> door coordinator@programma-etvi.example.nl" in page
    assert "wacht op een besluit" not in page


def _get(url: str, method: str = "GET") -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def test_server_gives_dashboards_and_letters_read_only_and_nothing_else(db, home):
    submit_examples(PERIOD)
    draft_period(PERIOD)
    assert voortgang("dashboard", "--period", PERIOD).returncode == 0
    server = DashboardServer(home, 0).start()
    try:
        status, body, kind = _get(f"{server.url}/")
        assert status == 200 and f"/dashboards/{PERIOD}/dashboard.html".encode() in body

        status, body, kind = _get(f"{server.url}/dashboards/{PERIOD}/dashboard.html")
        assert status == 200 and kind.startswith("text/html")
        assert "5 van 6 ingediend" in body.decode("utf-8")

        letter = f"/letters/{PERIOD}/voortgangsbrief-{PERIOD}-v1.docx"
        assert f"../../letters/{PERIOD}/voortgangsbrief-{PERIOD}-v1.docx" in body.decode()
        assert _get(f"{server.url}{letter}")[0] == 200
        assert _get(f"{server.url}/dashboards/{PERIOD}/dashboard.xlsx")[0] == 200

        for path in (
            "/voortgang.db",
            "/dashboards/../voortgang.db",
            "/dashboards/%2e%2e/voortgang.db",
            "/inbox/",
        ):
            assert _get(f"{server.url}{path}")[0] == 404, path
        assert _get(f"{server.url}/dashboards/{PERIOD}/dashboard.html", method="POST")[0] == 501
        assert _get(f"{server.url}/dashboards/{PERIOD}/dashboard.html", method="PUT")[0] == 501
    finally:
        server.stop()
