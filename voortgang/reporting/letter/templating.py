"""The Jinja2 environment for the Markdown master text.

Autoescaping is on, with a Markdown-aware ``finalize``: every value printed with ``{{ }}`` that
is not already ``Markup`` (a note reference, a formatted block) goes through ``md_inline``,
so submitted text can never add HTML or Markdown structure. ``finalize`` also refuses what
must never reach the letter: ``None``, booleans, enum values (English status words), raw
floats and dates (they must pass a Dutch filter first). Undefined names raise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from voortgang.models.periods import Quarter
from voortgang.reporting.dutch import format_number, join_words, register_filters
from voortgang.reporting.letter.sanitize import md_inline

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class LetterTemplateError(TypeError):
    """A template tried to print something that has no place in the letter as it is."""


def _escaped(text: str) -> Markup:
    """Mark text as safe Markdown. Only for text that ``md_inline`` produced or that is built
    from such pieces and our own punctuation."""
    return Markup(text)  # noqa: S704 - the argument is escaped for Markdown by the caller


def finalize_markdown(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise LetterTemplateError("the template printed None; guard the value or leave it out")
    if isinstance(value, bool | Enum):
        raise LetterTemplateError(f"{value!r} must pass a Dutch label filter before printing")
    if isinstance(value, int):
        return _escaped(format_number(value))
    if isinstance(value, float | Decimal | dt.date):
        raise LetterTemplateError(f"{value!r} must pass a Dutch format filter before printing")
    if isinstance(value, str):
        return _escaped(md_inline(value))
    raise LetterTemplateError(f"cannot print a {type(value).__name__} in the letter")


def md_list(items: Iterable[object], last: str = "en") -> Markup:
    """``["a", "b", "c"]`` -> ``a, b en c`` with every item escaped for Markdown."""
    return _escaped(join_words([finalize_markdown(i) for i in items], last))


def md_alt(text: str) -> Markup:
    """Text for the ``[...]`` of a Markdown image: escaped, and no bracket can end it early."""
    return _escaped(md_inline(text).replace("[", "\\[").replace("]", "\\]"))


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        finalize=finalize_markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    register_filters(env)
    env.filters["opsomming"] = md_list
    env.filters["alt"] = md_alt
    env.filters["reeks"] = md_join
    env.filters["zin"] = md_sentence
    env.filters["redenen"] = md_reasons
    env.filters["cursief"] = md_italic
    env.filters["alinea"] = md_paragraph
    return env


def md_join(items: Iterable[object], separator: str = "; ") -> Markup:
    """Items escaped for Markdown and joined with ``separator``."""
    return _escaped(separator.join(finalize_markdown(i) for i in items))


def md_sentence(text: object) -> Markup:
    """Escaped text that ends like a sentence (adds a full stop when it has none)."""
    escaped = finalize_markdown(text).rstrip()
    return _escaped(escaped if escaped.endswith((".", "!", "?", ".*", ".)")) else escaped + ".")


_PERIOD_CODE = re.compile(r"\b(20\d\d)-?Q([1-4])\b")


def dutch_periods(text: str) -> str:
    """``uit 2026Q2`` -> ``uit het tweede kwartaal 2026`` (reasons carry period codes)."""
    return _PERIOD_CODE.sub(lambda m: "het " + Quarter(int(m[1]), int(m[2])).dutch_label, text)


def md_reasons(reasons: Iterable[str]) -> Markup:
    """Status reasons as running text: each one a sentence, period codes in Dutch."""
    return _escaped(" ".join(md_sentence(dutch_periods(str(r))) for r in reasons if str(r).strip()))


def md_italic(text: str) -> Markup:
    """Escaped text in italics (titles of goals and milestones inside a sentence)."""
    return _escaped(f"*{md_inline(text)}*")


_SPACES = re.compile(r"[ \t]*\n[ \t]*|[ \t]{2,}")


def md_paragraph(text: str) -> Markup:
    """Sentences assembled from optional parts as one paragraph: one space between them,
    no line breaks (a ``{% filter alinea %}`` block; its parts are escaped already)."""
    return _escaped(_SPACES.sub(" ", str(text)).strip())
