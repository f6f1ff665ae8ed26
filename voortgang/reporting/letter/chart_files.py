"""A Markdown file of the letter with its charts beside it, so its image links resolve.

The Markdown master links each chart by file name (``![alt](lijn-naar-doel-1.png)``); the
stored letter keeps the pictures inside its HTML edition, as ``data:`` URIs in the same order.
Written to disk, the charts go to a folder named after the Markdown file
(``voortgangsbrief-2026Q4-v2-figuren/``) and the links point there: two versions of a letter
in one folder each keep their own charts.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from pathlib import Path

FOLDER_SUFFIX = "-figuren"

# An image link to a chart file: the names letter_charts() gives, never a path or an URL.
_MD_IMAGE = re.compile(r"(!\[(?:\\.|[^\]\\\n])*\]\()([A-Za-z0-9][A-Za-z0-9._-]*\.png)(\))")
_HTML_IMAGE = re.compile(r'<img\b[^>]*?\bsrc="data:image/png;base64,([A-Za-z0-9+/=]+)"')


class ChartMismatchError(ValueError):
    """The Markdown links another number of charts than its HTML edition holds."""


def chart_images(markdown: str, html: str) -> dict[str, bytes]:
    """Chart file name -> PNG bytes: the Markdown's image links paired, in order, with the
    pictures of the HTML edition rendered from it."""
    names = [m.group(2) for m in _MD_IMAGE.finditer(markdown)]
    pictures = [base64.b64decode(m.group(1)) for m in _HTML_IMAGE.finditer(html)]
    if len(names) != len(pictures):
        raise ChartMismatchError(
            f"the Markdown links {len(names)} charts, its HTML holds {len(pictures)}"
        )
    return dict(zip(names, pictures, strict=True))


def chart_folder(markdown_path: Path) -> Path:
    return markdown_path.with_name(markdown_path.stem + FOLDER_SUFFIX)


def link_into(markdown: str, folder_name: str) -> str:
    """The Markdown with every chart link pointing into ``folder_name``."""
    prefix = urllib.parse.quote(folder_name) + "/"
    return _MD_IMAGE.sub(lambda m: m.group(1) + prefix + m.group(2) + m.group(3), markdown)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written file on disk


def write_markdown_with_charts(path: Path, markdown: str, html: str) -> list[Path]:
    """Write the Markdown to ``path`` and its charts to ``<stem>-figuren/`` beside it; the
    links point at them. Returns the chart files written (none for a letter without charts).
    """
    images = chart_images(markdown, html)
    written: list[Path] = []
    if images:
        folder = chart_folder(path)
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in images.items():
            _write_atomically(folder / name, png)
            written.append(folder / name)
        markdown = link_into(markdown, folder.name)
    _write_atomically(path, markdown.encode("utf-8"))
    return written
