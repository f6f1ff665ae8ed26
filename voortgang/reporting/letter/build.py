"""One call that renders every edition of the letter and its content hash."""

from __future__ import annotations

import hashlib

from voortgang.reporting.charts import Chart
from voortgang.reporting.letter.chart_set import letter_charts
from voortgang.reporting.letter.context import LetterContext, LetterFiles
from voortgang.reporting.letter.docx_render import docx_from_markdown
from voortgang.reporting.letter.html_render import html_from_markdown
from voortgang.reporting.letter.markdown_render import render_markdown
from voortgang.reporting.letter.sanitize import xml_safe


def content_hash(markdown: str, charts: list[Chart]) -> str:
    """sha256 over the Markdown master text, then each chart's name and PNG bytes in order.

    The HTML and DOCX editions are derived from these, so equal hashes mean equal letters;
    the draft version number is not part of the content.
    """
    digest = hashlib.sha256(markdown.encode("utf-8"))
    for chart in charts:
        digest.update(b"\x00" + chart.filename.encode("utf-8") + b"\x00")
        digest.update(chart.png)
    return digest.hexdigest()


def build_letter(ctx: LetterContext) -> LetterFiles:
    """Markdown master, HTML and DOCX of the letter, drawn once from the same charts."""
    charts = letter_charts(ctx)
    markdown = xml_safe(render_markdown(ctx, charts))
    return LetterFiles(
        markdown=markdown,
        html=html_from_markdown(ctx, markdown, charts),
        docx=docx_from_markdown(ctx, markdown, charts),
        content_hash=content_hash(markdown, charts),
        charts=charts,
    )
