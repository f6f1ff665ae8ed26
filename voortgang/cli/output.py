"""Shared output helpers: messages to stderr, data on stdout, JSON alone on stdout.

On a terminal tables are drawn by rich and fold long cells instead of cutting them; piped or
redirected, a table is plain tab-separated text, every cell whole, for ``grep``, ``cut`` or a
spreadsheet. rich is imported on first use only: ``voortgang --help`` must not pay for it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class InputError(Exception):
    """Wrong arguments or input: exit status 2, nothing stored."""


class _LazyConsole:
    """rich's stderr Console, created at the first message (importing rich costs ~25 ms)."""

    def __init__(self) -> None:
        self._console: Console | None = None

    def _get(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # soft_wrap: a message is one logical line that the terminal wraps, never cut.
            self._console = Console(stderr=True, soft_wrap=True)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


err_console: Any = _LazyConsole()


def print_json(document: Any) -> None:
    # Plain print keeps stdout one JSON document, without rich's wrapping or colour.
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))  # noqa: T201


def _plain_cell(text: str) -> str:
    # One record per line, one field per tab: a line break inside a cell becomes "; ".
    return "; ".join(part for part in text.replace("\t", " ").splitlines() if part.strip())


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A titled table on stdout: rich on a terminal, tab-separated text when piped.

    Piped, the title goes to stderr so that stdout holds the header line and the rows only.
    """
    if not sys.stdout.isatty():
        err_console.print(title, markup=False, highlight=False)
        lines = ["\t".join(columns)]
        lines += ["\t".join(_plain_cell(cell) for cell in row) for row in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), show_lines=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not str: submitted text is data, never rich markup.
        table.add_row(*(Text(cell) for cell in row))
    Console().print(table)
