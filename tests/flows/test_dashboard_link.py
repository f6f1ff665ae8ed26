"""The check flow rebuilds the period's dashboard page and links to it from the Prefect UI
(artifact ``dashboard-<period>``): to the served address when `voortgang serve` set one,
else to the file."""

from __future__ import annotations

import asyncio

from tests.flows.test_check_flow import _artifacts_of
from tests.support.submissions import submit_examples
from voortgang.flows.check import check_period
from voortgang.reporting.dashboard_refresh import dashboard_path
from voortgang.settings import reset_settings


def test_check_flow_links_to_the_rebuilt_dashboard_file(db):
    submit_examples("2026Q4")
    dashboard_path("2026Q4").unlink()  # written at intake; the check must write it again

    state = check_period(period="2026Q4", return_state=True)

    assert state.is_completed()
    page = dashboard_path("2026Q4")
    assert "5 van 6 ingediend" in page.read_text(encoding="utf-8")
    artifacts = asyncio.run(_artifacts_of(state.state_details.flow_run_id))
    assert page.resolve().as_uri() in artifacts["dashboard-2026q4"].data


def test_link_points_at_the_served_address_when_serve_set_one(db, monkeypatch):
    submit_examples("2026Q4", ["VWS"])
    monkeypatch.setenv("VOORTGANG_DASHBOARD_URL", "http://127.0.0.1:4201")
    reset_settings()

    state = check_period(period="2026Q4", return_state=True)

    artifacts = asyncio.run(_artifacts_of(state.state_details.flow_run_id))
    assert (
        "http://127.0.0.1:4201/dashboards/2026Q4/dashboard.html"
        in artifacts["dashboard-2026q4"].data
    )
