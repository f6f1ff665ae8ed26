"""The coordinators' dashboard of a period as one self-contained HTML page, with its exports.

Jinja2 with autoescaping renders it (submitted text is data), with inline CSS and SVG and
no script: the drill-down is ``<details>``, which works with the keyboard and without
JavaScript. Nothing is fetched from outside the file. ``write_dashboard`` writes the page
and the grid as CSV and XLSX beside each other, each file atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel
from sqlalchemy.orm import Session

from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.assessment_schema import GoalState
from voortgang.reporting.dashboard_chart import trend_geometry
from voortgang.reporting.dashboard_data import DashboardData, build_dashboard_data
from voortgang.reporting.dashboard_export import grid_csv, grid_xlsx
from voortgang.reporting.dutch import format_date, register_filters

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE = "dashboard.html"

# A word and an icon for every state: colour is never the only signal.
ICONS = {
    GoalState.on_track.value: "✓",
    GoalState.at_risk.value: "!",
    GoalState.off_track.value: "✕",
    GoalState.no_data.value: "?",
}


class DashboardFiles(BaseModel):
    html: Path
    csv: Path
    xlsx: Path


def _local(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    except ZoneInfoNotFoundError:  # no time zone data on this machine
        return moment.astimezone(dt.UTC)


def format_moment(moment: dt.datetime) -> str:
    """``25 november 2026, 14:05`` in Amsterdam time."""
    local = _local(moment)
    return f"{format_date(local.date())}, {local:%H:%M}"


def _date_text(text: object) -> str:
    """A date as the payload holds it (``2026-10-01``) in Dutch; anything else as it is."""
    try:
        return format_date(dt.date.fromisoformat(str(text)))
    except ValueError:
        return str(text)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    register_filters(env)
    env.filters["moment"] = format_moment
    env.filters["datum_tekst"] = _date_text
    env.filters["icon"] = lambda state: ICONS[str(getattr(state, "value", state))]
    env.globals["geometry"] = trend_geometry
    return env


def _relative(target: str, folder: Path) -> str:
    """A link from a page in ``folder`` to ``target`` that works from disk and when served."""
    return Path(os.path.relpath(target, folder)).as_posix()


def render_dashboard(data: DashboardData, *, folder: Path, stem: str = "dashboard") -> str:
    """The page as it will be written to ``folder/<stem>.html``."""
    letters = {
        f.format: _relative(f.path, folder) for f in (data.draft.files if data.draft else [])
    }
    return (
        _environment()
        .get_template(f"{PAGE}.j2")
        .render(
            d=data,
            letters=letters,
            notes=(
                _relative(data.draft.notes.path, folder)
                if data.draft and data.draft.notes and data.draft.notes.exists
                else None
            ),
            csv_name=f"{stem}.csv",
            xlsx_name=f"{stem}.xlsx",
            states=[s.value for s in GoalState],
        )
    )


def _write_atomically(path: Path, content: bytes) -> None:
    # A unique temporary name: two refreshes at once must not write into one file.
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dashboard_files(data: DashboardData, html_path: Path) -> DashboardFiles:
    """The page at ``html_path``, the grid beside it as ``.csv`` and ``.xlsx``."""
    folder = html_path.parent.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    files = DashboardFiles(
        html=folder / html_path.name,
        csv=folder / f"{html_path.stem}.csv",
        xlsx=folder / f"{html_path.stem}.xlsx",
    )
    # The exports first: the page links to them.
    _write_atomically(files.csv, grid_csv(data))
    _write_atomically(files.xlsx, grid_xlsx(data))
    page = render_dashboard(data, folder=folder, stem=html_path.stem)
    _write_atomically(files.html, page.encode("utf-8"))
    return files


def write_dashboard(
    session: Session,
    period: str,
    folder: Path,
    *,
    name: str = PAGE,
    today: dt.date | None = None,
) -> DashboardFiles:
    """Build the period's dashboard from the database and write it into ``folder``."""
    data = build_dashboard_data(session, load_catalogue(), period, today=today)
    return write_dashboard_files(data, folder / name)
