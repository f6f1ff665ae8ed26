"""In a real (headless) Chromium the dashboard of a period in its collection window shows the
count and the grid, opens a cell's milestones and reasons with the keyboard alone (Tab to
it, Enter), asks for nothing outside the file, and axe-core finds no serious or critical
accessibility violation.

Needs /usr/bin/chromium, Playwright and axe-playwright-python (which ships axe.min.js);
skipped with the reason when one is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.submissions import TODAY, submit_examples
from voortgang.models.db import session_scope
from voortgang.reporting.dashboard_page import write_dashboard

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PERIOD = "2026Q4"

pytestmark = pytest.mark.browser


def _axe_source() -> str:
    package = pytest.importorskip(
        "axe_playwright_python", reason="axe-playwright-python is not installed"
    )
    return (Path(package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def page(db, home):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    submit_examples(PERIOD, ["VRO", "BZK", "VWS", "JenV"])
    with session_scope() as session:
        files = write_dashboard(session, PERIOD, home / "dashboards" / PERIOD, today=TODAY)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            context.on("request", lambda request: requests.append(request.url))
            opened = context.new_page()
            opened.goto(files.html.as_uri(), wait_until="load")
            opened.requests = requests
            yield opened
        finally:
            browser.close()


def test_count_and_grid_are_visible_in_a_screenshot(page, tmp_path):
    assert page.get_by_text("4 van 6 ingediend").is_visible()
    grid = page.locator("table.grid")
    box = grid.bounding_box()
    assert box is not None and box["width"] > 900 and box["height"] > 400
    assert grid.locator("tbody tr").count() == 10
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_keyboard_opens_a_cell_with_tab_and_enter(page):
    cell = page.locator("table.grid tbody tr").first.locator("td details").nth(1)
    target = cell.locator("summary")
    assert not cell.evaluate("d => d.open")
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first ministry cell of the grid")

    page.keyboard.press("Enter")

    assert cell.evaluate("d => d.open")
    drill = cell.locator(".drill")
    assert drill.is_visible()
    assert drill.get_by_text("Doorslaggevend").is_visible()
    page.keyboard.press("Enter")
    assert not cell.evaluate("d => d.open")


def test_nothing_but_the_file_itself_is_requested(page):
    outside = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert not outside


def test_axe_finds_no_serious_or_critical_violation(page):
    # Every drill-down open, so that what it shows is checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.add_script_tag(content=_axe_source())
    results = page.evaluate("async () => await axe.run(document)")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad
    assert results["passes"], "axe ran no checks"
