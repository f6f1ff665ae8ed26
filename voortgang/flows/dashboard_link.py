"""The dashboard page in the Prefect UI: rebuilt by the cycle and the check, and a link to it.

The link artifact ``dashboard-<period>`` points at the page as `voortgang serve` serves it
(``VOORTGANG_DASHBOARD_URL``), else at the file in ``$VOORTGANG_HOME/dashboards``.
"""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger
from prefect.artifacts import LinkArtifact

from voortgang.flows.artifacts import artifact_key, publish_once
from voortgang.reporting.dashboard_refresh import dashboard_url, refresh_dashboard


def publish_dashboard_page(period: str, today: dt.date | None = None) -> None:
    """Rebuild the period's dashboard (as on ``today``) and link to it (once per flow run)."""
    page = refresh_dashboard(period, today)
    if page is None:
        get_run_logger().warning("The dashboard of %s was not rebuilt; see the log", period)
        return
    url = dashboard_url(period)
    publish_once(
        LinkArtifact(
            key=artifact_key("dashboard", period),
            link=url,
            link_text=f"Dashboard {period}",
            description=f"Het dashboard van {period}: inzendingen, stand per doel, verloop, brief",
        )
    )
    get_run_logger().info("Dashboard of %s: %s", period, url)
