"""In a real (headless) Chromium the HTML letter actually shows its summary table and charts,
loads nothing from outside the file, and prints to A4 pages.

Needs /usr/bin/chromium and Playwright; skipped with the reason when either is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reporting.letter_factory import built_letter

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    html_file = tmp_path_factory.mktemp("brief") / "brief.html"
    html_file.write_text(built_letter().html, encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 1600})
            requests: list[str] = []
            context.on("request", lambda request: requests.append(request.url))
            page = context.new_page()
            page.goto(html_file.as_uri(), wait_until="load")
            page.requests = requests
            yield page
        finally:
            browser.close()


def test_summary_table_is_visible(page):
    table = page.locator("table").first
    assert table.is_visible()
    box = table.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 200
    header = page.locator("table").first.locator("th").all_inner_texts()
    assert [h.strip().rstrip("0123456789") for h in header] == [
        "Doel",
        "Trekker",
        "Status",
        "Toelichting",
    ]
    assert page.locator("table").first.locator("tbody tr").count() == 10


def test_every_chart_is_decoded_and_shown(page):
    count = page.locator("img").count()
    assert count == len(built_letter().charts)
    loaded = page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt.length])"
    )
    assert all(complete and width > 0 and alt > 40 for complete, width, alt in loaded), loaded
    first = page.locator("img").first
    first.scroll_into_view_if_needed()
    assert first.is_visible()


def test_nothing_but_the_file_itself_is_requested(page):
    outside = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert not outside


def test_letter_prints_to_a4_pages(page):
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 5
