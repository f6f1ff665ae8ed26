"""Shared output helpers: messages to stderr, JSON alone on stdout."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

err_console = Console(stderr=True, soft_wrap=True)


class InputError(Exception):
    """Wrong arguments or input: exit status 2, nothing stored."""


def print_json(document: Any) -> None:
    # Plain print keeps stdout one JSON document, without rich's wrapping or colour.
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))  # noqa: T201
