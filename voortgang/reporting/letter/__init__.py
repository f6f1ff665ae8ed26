"""The joint quarterly progress letter (Kamerbrief) to the Tweede Kamer.

``render_markdown`` gives the master text; ``render_html`` and ``render_docx`` derive the web
and Word editions from it; ``build_letter`` renders all three with a content hash.
"""

from voortgang.reporting.letter.build import build_letter, content_hash
from voortgang.reporting.letter.chart_set import letter_charts
from voortgang.reporting.letter.context import LetterContext, LetterFiles
from voortgang.reporting.letter.docx_render import render_docx
from voortgang.reporting.letter.html_render import render_html
from voortgang.reporting.letter.markdown_render import render_markdown

__all__ = [
    "LetterContext",
    "LetterFiles",
    "build_letter",
    "content_hash",
    "letter_charts",
    "render_docx",
    "render_html",
    "render_markdown",
]
