"""The letter as a tagged PDF (PDF/UA-1), printed from the HTML edition with WeasyPrint.

The HTML carries what PDF/UA asks of the document: ``<html lang="nl">`` (document language),
``<title>`` (shown as the window title), headings, table header cells and alt text, which
WeasyPrint turns into the structure tree. Page size, margins and "Pagina X van N" come from
the ``@page`` rules in ``brief.css``. Only ``data:`` URIs are fetched (the charts), nothing
from disk or the network.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``); without it
``pdf_from_html`` raises ``PdfUnavailableError`` saying so.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

PDF_VARIANT = "pdf/ua-1"

log = logging.getLogger(__name__)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the system libraries it needs are not installed."""


def _weasyprint() -> Any:
    # Imported here: WeasyPrint loads Pango on import, which only the PDF needs.
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            "the PDF needs WeasyPrint and Pango ("
            f"{exc}); install them: pip install weasyprint, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc
    return weasyprint


def fingerprint(html: str) -> bytes:
    """The PDF's identifier (trailer ``/ID``): derived from the HTML it was printed from."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def pdf_from_html(html: str) -> bytes:
    """The HTML edition of the letter as PDF/UA-1 bytes (tagged, language and title set).

    The same HTML gives the same bytes: the creation date is the letter's own
    (``dcterms.created``) and the identifier is ``fingerprint(html)``.
    """
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf: bytes = document.write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True, pdf_identifier=fingerprint(html)
    )
    return pdf


def printed_from(pdf: bytes, html: str) -> bool:
    """Whether these PDF bytes were printed from this HTML (their ``/ID`` says so)."""
    return b"/ID [(" + fingerprint(html) + b")" in pdf


def write_pdf(path: Path, html: str) -> Path | None:
    """Print the HTML to ``path`` unless the PDF there was printed from it already (a stored
    draft does not change, and printing takes seconds). Without WeasyPrint or Pango the PDF
    is left out, with a warning: the other editions of the letter do not depend on it."""
    if path.is_file() and printed_from(path.read_bytes(), html):
        return path
    try:
        data = pdf_from_html(html)
    except PdfUnavailableError as exc:
        log.warning("No PDF written to %s: %s", path, exc)
        return None
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written letter on disk
    return path
