"""The ``voortgang`` console script: ``voortgang --help`` from a cache, the rest through Typer.

Importing Typer alone takes about as long as starting Python twice, so ``voortgang --help``
(and ``-h``) cannot stay within 3x ``python -c pass`` while it imports Typer. The main help
is therefore rendered by Typer once and kept, like a ``.pyc``, in ``voortgang/cli/__pycache__``,
under a key made of the size and modification time of every module of ``voortgang.cli`` and
of Typer, and the help width. Any change to a command, its docstring or Typer renders it
anew; a cache that cannot be written is simply not used. Every other invocation, including
each command's own ``--help``, goes through Typer as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_DIR = Path(__file__).resolve().parent / "__pycache__"
MAIN_HELP_ARGS = (["--help"], ["-h"])


def help_width() -> int:
    """The width Click formats help to: the terminal's columns, at most 80, less 2, at least 50."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def cache_key(width: int) -> str:
    """What the main help depends on: the CLI's modules, Typer, Python and the width."""
    from importlib.util import find_spec

    sources = sorted(Path(__file__).resolve().parent.glob("*.py"))
    spec = find_spec("typer")
    if spec is not None and spec.origin:
        sources.append(Path(spec.origin))
    stamps = []
    for source in sources:
        stat = source.stat()
        stamps.append(f"{source.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return f"{sys.version_info[:2]} width={width} " + " ".join(stamps)


def cache_file(width: int) -> Path:
    return CACHE_DIR / f"voortgang-main-help-{width}.txt"


def cached_main_help(width: int) -> str | None:
    try:
        key, _, text = cache_file(width).read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if key == cache_key(width) else None


def render_main_help() -> str:
    """The main help exactly as Typer prints it for ``voortgang --help``."""
    import typer.main

    from voortgang.cli.app import app

    command = typer.main.get_command(app)
    # resilient_parsing: no arguments here must not count as "no arguments given".
    context = command.make_context("voortgang", [], resilient_parsing=True)
    return context.get_help() + "\n"


def store_main_help(width: int, text: str) -> None:
    target = cache_file(width)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        partial.write_text(f"{cache_key(width)}\n{text}", encoding="utf-8")
        partial.replace(target)  # whole or not at all, also with two at once
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only install: no cache, just slower help


def main() -> None:
    if sys.argv[1:] in MAIN_HELP_ARGS:
        width = help_width()
        text = cached_main_help(width)
        if text is None:
            text = render_main_help()
            store_main_help(width, text)
        sys.stdout.write(text)
        sys.exit(0)
    from voortgang.cli.app import main as run

    run()
