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

import os
import socket
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PRINCIPAL_MAX = 254


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


def cli_actor(claimed: str | None = None) -> Actor:
    """The command line: the operating system vouches for the account that ran it."""
    return Actor(
        channel=Channel.cli,
        claimed=claimed,
        principal=_fit(f"os:{_os_user()}@{socket.gethostname()}"),
        verified=True,
    )


def file_owner_actor(path: Path, claimed: str | None = None) -> Actor:
    """The inbox: the file's owner on disk, as the operating system records it."""
    uid = path.stat().st_uid
    try:
        import pwd

        owner = pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):  # no passwd entry for the uid: name it by number
        owner = f"uid{uid}"
    return Actor(
        channel=Channel.file, claimed=claimed, principal=_fit(f"file-owner:{owner}"), verified=True
    )


def form_actor(claimed: str | None = None) -> Actor:
    """The Prefect form: one shared login, nobody to vouch for the claim."""
    return Actor(channel=Channel.form, claimed=claimed)


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a uid without a passwd entry (containers)
        return f"uid{os.getuid()}"


def _fit(principal: str) -> str:
    return principal[:PRINCIPAL_MAX]


Act = Literal["submit", "decide"]
_ACT_WORDS = {"submit": "submissions", "decide": "decisions on a draft"}


def channel_refusal(channel: str, *, act: Act) -> str | None:
    """Why ``channel`` may not ``act`` under the settings; None when it may.

    The message names the setting, its value and the channel.
    """
    from voortgang.settings import get_settings

    settings = get_settings()
    allowed = settings.submit_channel_set if act == "submit" else settings.decide_channel_set
    if channel in allowed:
        return None
    setting = f"VOORTGANG_{act.upper()}_CHANNELS"
    value = ",".join(sorted(allowed))
    return (
        f"{_ACT_WORDS[act]} through the {channel!r} channel are not accepted here "
        f"({setting}={value}; expected one of those channels)"
    )


_ACT_WORDS_NL = {"submit": "Inzendingen", "decide": "Besluiten over een conceptbrief"}


def channel_refusal_nl(channel: str, *, act: Act) -> str | None:
    """``channel_refusal`` in Dutch, for officers and coordinators (Slack); None when it may."""
    if channel_refusal(channel, act=act) is None:
        return None
    from voortgang.settings import get_settings

    settings = get_settings()
    allowed = settings.submit_channel_set if act == "submit" else settings.decide_channel_set
    setting = f"VOORTGANG_{act.upper()}_CHANNELS"
    value = ",".join(sorted(allowed))
    return (
        f"{_ACT_WORDS_NL[act]} via het kanaal {channel!r} worden hier niet aangenomen "
        f"({setting}={value}; verwacht een van die kanalen)"
    )
