"""Setting up the database: migrate, load the catalogue, load the bundled CBS data."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from voortgang.models.catalogue import load_catalogue
from voortgang.models.catalogue_store import sync_catalogue
from voortgang.models.db import session_scope, upgrade_database
from voortgang.models.municipal_data import load_bundled_data


class InitReport(BaseModel):
    database: str
    catalogue_changes: int
    observations_added: int


def initialise(
    catalogue_path: Path | None = None, *, database_url: str | None = None
) -> InitReport:
    """Create or migrate the database and load what it needs. Safe to run again."""
    catalogue = load_catalogue(catalogue_path)  # a broken catalogue stops before any write
    upgrade_database(database_url)
    with session_scope(database_url) as session:
        changes = sync_catalogue(session, catalogue)
        added = load_bundled_data(session)
    from voortgang.settings import get_settings

    url = database_url or get_settings().sqlalchemy_url
    return InitReport(database=_redact(url), catalogue_changes=changes, observations_added=added)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
