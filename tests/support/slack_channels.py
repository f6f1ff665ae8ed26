"""The catalogue's Slack channels with ids, as a workspace would list them (for FakeSlack)."""

from __future__ import annotations

from voortgang.models.catalogue import load_catalogue

TOKEN = "xoxb-voortgang-test"


def catalogue_channels() -> dict[str, str]:
    """Channel id -> name for every ministry channel and the coordinators' channel."""
    catalogue = load_catalogue()
    names = [m.slack_channel for m in catalogue.ministries] + [catalogue.coordinators_channel]
    return {f"C{i:010d}": name.removeprefix("#") for i, name in enumerate(names, start=1)}


def channel_id(name: str) -> str:
    return next(
        cid for cid, cname in catalogue_channels().items() if cname == name.removeprefix("#")
    )
