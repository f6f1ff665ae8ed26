"""Commands of the cycle: check, cycle, letter, demo, approve, notify, serve."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Registered as the cycle issue lands."""
