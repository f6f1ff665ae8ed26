"""The letter as one self-contained HTML file: inline CSS, charts as data URIs, nothing fetched.

The Markdown master is converted with Python-Markdown (tables, footnotes, definition list for
the reference block, heading ids), then sanitised with nh3 (``sanitize.clean_html``). Only
after sanitising do the chart file names become ``data:`` URIs, so no other image can pass.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from functools import lru_cache

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from voortgang.reporting.charts import Chart
from voortgang.reporting.letter.chart_set import letter_charts
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.markdown_render import render_markdown
from voortgang.reporting.letter.sanitize import clean_html
from voortgang.reporting.letter.templating import TEMPLATES
from voortgang.reporting.letter.view import LetterView
from voortgang.reporting.letter_dates import provisional_notice

MARKDOWN_EXTENSIONS = ["tables", "footnotes", "def_list", "toc"]
MARKDOWN_CONFIG = {
    "footnotes": {
        "BACKLINK_TITLE": "Terug naar noot {} in de tekst",
        "BACKLINK_TEXT": "↩",
        "USE_DEFINITION_ORDER": True,  # definitions are written in order of first mention
    },
    "toc": {"marker": ""},  # ids on headings, but no "[TOC]" that submitted text could trigger
}

_TH = re.compile(r"<th(?=[\s>])")
# A citation of note N (not its definition "[^N]:", not an escaped "\[^N]" from submitted text).
_NOTE_REF = re.compile(r"(?<!\\)\[\^(\d+)\](?!:)")
# A note cited twenty times would get twenty back-arrows; keep the one to its first mention.
_EXTRA_BACKREFS = re.compile(r'<a [^>]*href="#fnref\d+:\d+"[^>]*>.*?</a>', re.DOTALL)
_FIGURE = re.compile(r"<p>(<img [^>]*>)<br>\s*(.*?)</p>", re.DOTALL)
_SIGNATURES = re.compile(r"(<p>Hoogachtend,</p>)(.*?)(?=<h1)", re.DOTALL)
_LETTERHEAD = re.compile(r"\A(.*?</dl>)", re.DOTALL)
_DATE = re.compile(
    r"\b(\d{1,2}) (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
    r"|november|december) (\d{4})\b"
)


def cite_repeats_plainly(text: str) -> str:
    """Leave the first citation of each note to the footnotes extension, link the rest directly.

    The extension gives every repeated citation a unique id by scanning all earlier ones, which
    costs the square of the citations: a large letter cites one source thousands of times.
    """
    seen: set[str] = set()

    def cite(match: re.Match[str]) -> str:
        label = match.group(1)
        if label in seen:
            return f'<sup><a class="footnote-ref" href="#fn:{label}">{label}</a></sup>'
        seen.add(label)
        return match.group(0)

    return _NOTE_REF.sub(cite, text)


def markdown_to_html(text: str, image_names: Sequence[str] = ()) -> str:
    """Markdown -> sanitised HTML fragment, with ``scope="col"`` on every header cell."""
    converter = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG, output_format="html"
    )
    fragment = clean_html(converter.convert(cite_repeats_plainly(text)), image_names)
    fragment = _EXTRA_BACKREFS.sub("", fragment)
    return _TH.sub('<th scope="col"', fragment)


def _embed_charts(fragment: str, charts: Sequence[Chart]) -> str:
    for chart in charts:
        uri = "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
        fragment = fragment.replace(f'src="{chart.filename}"', f'src="{uri}"')
    return fragment


def keep_dates_together(fragment: str) -> str:
    """``25 november 2026`` never breaks across lines (non-breaking spaces)."""
    return _DATE.sub("\\1&nbsp;\\2&nbsp;\\3", fragment)


def _layout(fragment: str) -> str:
    """Group what the print layout needs: letterhead block, figures, signature blocks."""
    fragment = keep_dates_together(fragment)
    fragment = _LETTERHEAD.sub(r'<div class="briefkop">\1</div>', fragment, count=1)
    fragment = _FIGURE.sub(r"<figure>\1<figcaption>\2</figcaption></figure>", fragment)
    return _SIGNATURES.sub(r'<div class="ondertekening">\1\2</div>', fragment, count=1)


@lru_cache(maxsize=1)
def _page_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html_from_markdown(ctx: LetterContext, text: str, charts: Sequence[Chart]) -> str:
    """The HTML page for an already rendered Markdown master text."""
    fragment = markdown_to_html(text, [c.filename for c in charts])
    body = _layout(_embed_charts(fragment, charts))
    view = LetterView(ctx, charts)
    return (
        _page_environment()
        .get_template("brief.html.j2")
        .render(
            title=view.subject,
            sender=view.lead.name,
            concept=f"{'Voorlopig concept' if ctx.provisional else 'Concept'}, versie {ctx.version}",
            voorlopig=(
                provisional_notice(view.quarter, ctx.peildatum, ctx.assessment.deadline)
                if ctx.provisional
                else None
            ),
            # the PDF's creation date: the letter's, so the same letter prints the same bytes
            created=ctx.letter_date.isoformat(),
            body=Markup(body),  # noqa: S704 - sanitised by nh3 above; charts are our own PNGs
        )
    )


def render_html(ctx: LetterContext, charts: Sequence[Chart] | None = None) -> str:
    """The letter as one self-contained, printable HTML document."""
    if charts is None:
        charts = letter_charts(ctx)
    return html_from_markdown(ctx, render_markdown(ctx, charts), charts)
