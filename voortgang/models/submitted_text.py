"""What submitted text may contain, so that every text validation accepts can be shown anywhere.

The letter goes out as Markdown, HTML, Word (XML) and PDF. XML 1.0 has no place for C0 and C1
control characters, lone surrogates or the noncharacters U+FFFE/U+FFFF; bidirectional
overrides can make a sentence read differently from how it is stored (the "Trojan Source"
trick); and text made only of zero-width characters looks empty in the letter while passing
a plain "not empty" check.
"""

from __future__ import annotations

import unicodedata

# Embedding, override and isolate controls, and the implicit direction marks.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters that take no room: a text of only these (and spaces) says nothing.
INVISIBLE = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
ALLOWED_CONTROLS = frozenset("\n\t")


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be shown in the letter, or None when it can."""
    for position, ch in enumerate(text, start=1):
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in ALLOWED_CONTROLS:
            kind = "a control character"
        elif category == "Cs":
            kind = "a lone surrogate"
        elif _is_noncharacter(ch):
            kind = "a noncharacter"
        elif ch in BIDI_CONTROLS:
            kind = "a text-direction control"
        else:
            continue
        return (
            f"contains {kind} ({_describe(ch)}) at position {position} "
            "(expected plain text: letters, digits, punctuation, newlines and tabs)"
        )
    return None


def is_blank(text: str) -> bool:
    """True when nothing of ``text`` would be visible: only spaces and zero-width characters."""
    return all(ch.isspace() or ch in INVISIBLE for ch in text)


def normalise_newlines(value: object) -> object:
    # Excel and Windows editors write CRLF; the letter only knows "\n".
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def refuse_unprintable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def require_visible(value: str) -> str:
    if is_blank(value):
        raise ValueError(
            "has no visible text (expected words, not only spaces or invisible characters)"
        )
    return value
