"""How voortgang runs Prefect in its own processes: quiet, private, without idle waits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

PRIVATE_DEFAULTS = {
    # No call leaves the machine: Prefect's client and server telemetry off.
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # A cold ephemeral server took 12-17 s here; Prefect's default gives up at 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def prepare_environment(*, quiet: bool = True) -> None:
    """Set voortgang's Prefect defaults before Prefect is imported; explicit settings win.

    Prefect's home (its profiles, and the database of the server voortgang starts) is a
    folder of voortgang's home unless PREFECT_HOME is set, so two voortgang homes never mix
    their runs in the one ``~/.prefect`` of the user.
    """
    from voortgang.settings import get_settings

    for name, value in PRIVATE_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if "PREFECT_HOME" not in os.environ:
        home = get_settings().prefect_home
        # Prefect creates its home without parents; a fresh voortgang home has none yet.
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@contextmanager
def no_heartbeat() -> Iterator[None]:
    """Each sync flow run otherwise waits about a second for its heartbeat thread."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
