"""Rebuilding a period's dashboard after every change to what it shows.

Called after each write: a stored submission (any channel), a check or cycle, a reminder, a
decision. A dashboard that cannot be rebuilt never fails the change that triggered it: the
reason is logged and the next change rebuilds it. Cheap to import: the renderer (Jinja2,
openpyxl, the assessment) is loaded only when a dashboard is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from voortgang.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

PAGE_NAME = "dashboard.html"


def dashboard_folder(period: str) -> Path:
    return get_settings().dashboards_dir / period


def dashboard_path(period: str) -> Path:
    return dashboard_folder(period) / PAGE_NAME


def dashboard_url(period: str) -> str:
    """Where a coordinator opens it: the served address when one is set, else the file."""
    base = get_settings().dashboard_url
    if base:
        return f"{base.rstrip('/')}/dashboards/{period}/{PAGE_NAME}"
    return dashboard_path(period).resolve().as_uri()


def refresh_dashboard(period: str, today: dt.date | None = None) -> Path | None:
    """Write the period's dashboard anew, as on ``today`` (default: the drafting day, see
    ``letter_dates.drafting_day``); the page's path, or None when that failed."""
    try:
        from voortgang.models.db import session_scope
        from voortgang.models.periods import Quarter
        from voortgang.reporting.dashboard_page import write_dashboard

        quarter = str(Quarter.parse(period))
        with session_scope() as session:
            files = write_dashboard(session, quarter, dashboard_folder(quarter), today=today)
        return files.html
    except Exception:
        logger.warning(
            "The dashboard of %s could not be rebuilt (the next change tries again)",
            period,
            exc_info=True,
        )
        return None


def refresh_after_commit(session: Session, period: str) -> None:
    """Rebuild the dashboard once ``session`` has committed: it must show the change."""
    from sqlalchemy import event

    def _after_commit(_session: Session) -> None:
        refresh_dashboard(period)

    event.listen(session, "after_commit", _after_commit, once=True)
