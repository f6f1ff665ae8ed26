"""In a real (headless) Chromium the HTML letter and its annex document show what they hold:
the letter its sections, the annexes their tables and every chart; neither loads anything
from outside the file, and the letter prints to A4 pages.

Needs /usr/bin/chromium and Playwright; skipped with the reason when either is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reporting.letter_factory import built_annexes, built_letter

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
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, folder: Path, html: str):
    html_file = folder / "document.html"
    html_file.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 1600})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(html_file.as_uri(), wait_until="load")
    page.requests = requests
    return page


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    return _open(browser, tmp_path_factory.mktemp("brief"), built_letter().html)


@pytest.fixture(scope="module")
def annex_page(browser, tmp_path_factory):
    return _open(browser, tmp_path_factory.mktemp("bijlagen"), built_annexes().html)


def test_the_letter_shows_its_sections_and_no_tables(page):
    for heading in ("Kern van deze brief", "Voortgang per doel", "Tot slot"):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.locator("table").count() == 0


def test_the_milestone_table_of_the_annexes_is_visible(annex_page):
    table = annex_page.locator("table").first
    assert table.is_visible()
    box = table.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 200
    header = table.locator("th").all_inner_texts()
    assert [h.strip().rstrip("0123456789") for h in header][:4] == [
        "Mijlpaal",
        "Ministerie",
        "Uiterste datum",
        "Status",
    ]
    assert table.locator("tbody tr").count() > 5


def test_every_chart_is_decoded_and_shown(annex_page):
    count = annex_page.locator("img").count()
    assert count == len(built_letter().charts)
    loaded = annex_page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt.length])"
    )
    assert all(complete and width > 0 and alt > 40 for complete, width, alt in loaded), loaded
    first = annex_page.locator("img").first
    first.scroll_into_view_if_needed()
    assert first.is_visible()


def test_nothing_but_the_file_itself_is_requested(page, annex_page):
    for requests in (page.requests, annex_page.requests):
        outside = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert not outside


def test_letter_prints_to_a4_pages(page):
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3
