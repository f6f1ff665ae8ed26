"""The annexes (bijlagen) of the letter: one document beside it, in Markdown, HTML and DOCX.

Real voortgangsbrieven keep the running text in the letter and the tables, charts and method
in annexes. The annex document carries the milestone table, the municipal lists, the
indicators with their charts and the method, the reports the letter rests on and, when the
catalogue has them, the moties and toezeggingen; it has numbered notes of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from voortgang.reporting.charts import Chart
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.docx_render import docx_from_markdown
from voortgang.reporting.letter.html_render import html_from_markdown
from voortgang.reporting.letter.markdown_render import tidy
from voortgang.reporting.letter.notes import NoteBook
from voortgang.reporting.letter.sanitize import xml_safe
from voortgang.reporting.letter.templating import markdown_environment
from voortgang.reporting.letter.view import LetterView

ANNEX_SUFFIX = "-bijlagen"  # voortgangsbrief-2026Q4-v1-bijlagen.md beside the letter


class AnnexFiles(BaseModel):
    model_config = ConfigDict(frozen=True)

    markdown: str
    html: str
    docx: bytes


def render_annexes_markdown(ctx: LetterContext, charts: Sequence[Chart]) -> str:
    """The annex document as Markdown; images refer to the charts by file name."""
    view = LetterView(ctx, charts)
    template = markdown_environment().get_template("bijlagen.md.j2")
    text = template.render(ctx=ctx, v=view, a=ctx.assessment, cat=ctx.catalogue, notes=NoteBook())
    return xml_safe(tidy(text))


def build_annexes(ctx: LetterContext, charts: Sequence[Chart]) -> AnnexFiles:
    """Markdown, HTML and DOCX of the annexes, with the letter's charts."""
    markdown = render_annexes_markdown(ctx, charts)
    return AnnexFiles(
        markdown=markdown,
        html=html_from_markdown(ctx, markdown, charts),
        docx=docx_from_markdown(ctx, markdown, charts),
    )
