"""Plain ``--help`` text: Click's layout without Typer's type labels or brace notation.

Typer 0.29 labels every value with its Python type (``--period <str>``, ``<list[Path]>``) and
writes a required argument as ``{files}``. Here an option shows a metavar (its own, or its
name in capitals: ``--period PERIOD``), an argument shows ``FILE...``, and the command list
shows each command's first paragraph whole instead of cutting it at 45 characters.
"""

from __future__ import annotations

import inspect
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def _argument_name(param: TyperArgument) -> str:
    name = param.metavar or (param.name or "argument").upper()
    return f"{name}..." if param.nargs != 1 else name


class PlainHelpCommand(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
                param.metavar = (param.name or "value").upper()

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return inspect.cleandoc(self.short_help)
        # The first paragraph, whole: the formatter wraps it, nothing is cut off.
        return _first_paragraph(self.help)

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = inspect.cleandoc(self.help or "").partition("\f")[0]
        if not text:
            return
        # "\b" keeps a paragraph's lines as written: an example is never broken mid-word.
        paragraphs = [f"\b\n{p}" if p.startswith("Example") else p for p in text.split("\n\n")]
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text("\n\n".join(paragraphs))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                if not param.hidden:
                    text = param.help or ""
                    if param.required:
                        text = f"{text}  [required]".strip()
                    arguments.append((_argument_name(param), text))
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


def _first_paragraph(help_text: str | None) -> str:
    first = inspect.cleandoc(help_text or "").split("\n\n", 1)[0]
    return " ".join(first.split())


class PlainHelpGroup(TyperGroup):
    """A command group (``voortgang cbs``) listed with its first paragraph whole, too."""

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return inspect.cleandoc(self.short_help)
        return _first_paragraph(self.help)


def use_plain_help(app: Any) -> None:
    """Give every registered command and group without a class of its own the plain help."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = PlainHelpCommand
    for group in app.registered_groups:
        use_plain_help(group.typer_instance)
        # Typer keeps unset options as DefaultPlaceholder objects, not None.
        if not isinstance(group.cls, type) or group.cls is TyperGroup:
            group.cls = PlainHelpGroup
