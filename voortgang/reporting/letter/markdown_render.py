"""The Markdown master text of the letter, rendered from the Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Sequence

from voortgang.reporting.charts import Chart
from voortgang.reporting.letter.chart_set import letter_charts
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.notes import NoteBook
from voortgang.reporting.letter.templating import markdown_environment
from voortgang.reporting.letter.view import LetterView

_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE_AT_BLOCK_END = re.compile(r"[ \t]+\n(?=\n)")


def render_markdown(ctx: LetterContext, charts: Sequence[Chart] | None = None) -> str:
    """The letter's body as Markdown, up to its notes; the annexes are a document of their
    own (``annexes.py``). Images refer to charts by file name (``<name>.png``); without
    ``charts`` they are drawn here, so the alt texts are always the real ones."""
    if charts is None:
        charts = letter_charts(ctx)
    view = LetterView(ctx, charts)
    template = markdown_environment().get_template("brief.md.j2")
    text = template.render(ctx=ctx, v=view, a=ctx.assessment, cat=ctx.catalogue, notes=NoteBook())
    return tidy(text)


def tidy(text: str) -> str:
    """No trailing spaces at the end of a block, no runs of blank lines, one final newline."""
    text = _TRAILING_SPACE_AT_BLOCK_END.sub("\n", text)
    text = _EXTRA_BLANK_LINES.sub("\n\n", text)
    return text.strip() + "\n"
