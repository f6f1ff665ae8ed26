"""Who acted, as each channel can prove it: the claimed identity beside the verified principal.

Every submission version and every decision is stored with an ``Actor``. The *claim* is what
the input says (a file's ``submitted_by``, ``approve --by``, the form's ``decided_by``); the
*principal* is what the channel itself vouches for:

- ``slack``: the Slack user id Slack sent with the interaction (``slack:T…/U…``), verified;
- ``cli``: the operating-system user and host that ran the command (``os:user@host``);
- ``file`` (the inbox): the owner of the file on disk (``file-owner:name``);
- ``form`` (the Prefect UI): nothing; the open-source server has one shared login.

A principal that a channel cannot vouch for is ``None`` and ``verified`` is false.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Channel(StrEnum):
    """The ways in; the value is what the ``channel`` columns store."""

    cli = "cli"
    file = "file"
    form = "form"
    slack = "slack"


class Actor(BaseModel):
    """The claimed and the verified identity of one act (a submission or a decision)."""

    model_config = ConfigDict(frozen=True)

    channel: Channel
    claimed: str | None = Field(default=None, max_length=254)
    principal: str | None = Field(default=None, max_length=254)
    verified: bool = False


def resolve_actor(actor: Actor | None, *, channel: str, claimed: str | None) -> Actor:
    """The actor of an act through ``channel``: the one given, or the bare claim unverified."""
    if actor is None:
        return Actor(channel=Channel(channel), claimed=claimed)
    if actor.channel.value != channel:
        raise ValueError(f"actor of channel {actor.channel.value!r} given for channel {channel!r}")
    if actor.claimed is None:
        return actor.model_copy(update={"claimed": claimed})
    return actor
