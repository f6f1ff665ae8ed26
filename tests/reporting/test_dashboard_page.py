"""The dashboard page and its exports as a coordinator gets them: Dutch content, submitted text
shown as text (never markup), nothing fetched from outside, the grid as CSV and XLSX with
the same statuses in words; and the page rebuilt by the change itself: one stored
submission, without any cycle, is on it.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl

from tests.support.submissions import TODAY, example, submit_examples, submit_raw
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_intake import take_in
from voortgang.reporting.dashboard_data import build_dashboard_data
from voortgang.reporting.dashboard_page import write_dashboard
from voortgang.reporting.dashboard_refresh import dashboard_path
from voortgang.reporting.dutch import status_label

PERIOD = "2026Q4"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & **vet**'


def write(home, period: str = PERIOD):
    with session_scope() as session:
        return write_dashboard(session, period, home / "out", today=TODAY)


def test_one_stored_submission_without_a_cycle_is_on_the_dashboard(db, home):
    assert not dashboard_path(PERIOD).exists()

    take_in(example(PERIOD, "BZK"), source="bzk.yaml", channel="file", today=TODAY)

    page = dashboard_path(PERIOD).read_text(encoding="utf-8")
    assert "1 van 6 ingediend" in page
    assert "m.visser@minbzk.example.nl" in page

    take_in(example(PERIOD, "VWS"), source="vws.yaml", channel="cli", today=TODAY)
    assert "2 van 6 ingediend" in dashboard_path(PERIOD).read_text(encoding="utf-8")


def test_page_is_dutch_and_names_who_is_missing_and_each_version(db, home):
    submit_examples(PERIOD, ["VRO", "BZK", "VWS", "JenV"])
    page = write(home).html.read_text(encoding="utf-8")

    assert '<html lang="nl">' in page
    assert "4 van 6 ingediend" in page
    assert "Ontbreekt nog: SZW, AenM." in page
    assert "Versie 1: a.dekker@minvro.example.nl" in page
    assert "Nog geen concept" in page
    # Colour is never the only signal: each status badge carries its word.
    for state in ("achter op schema", "op schema", "geen gegevens"):
        assert f"</span> {state}</span>" in page


def test_submitted_text_is_shown_as_text(db, home):
    raw = example(PERIOD, "VWS")
    submit_raw(raw)
    raw["milestones"][0]["narrative"] = HOSTILE
    raw["milestones"][0]["status_reason"] = HOSTILE
    submit_raw(raw)

    page = write(home).html.read_text(encoding="utf-8")

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


def test_page_fetches_nothing_from_outside(db, home):
    submit_examples(PERIOD)
    page = write(home).html.read_text(encoding="utf-8")

    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_grid_exports_carry_the_statuses_in_words(db, home):
    submit_examples(PERIOD)
    files = write(home)
    with session_scope() as session:
        data = build_dashboard_data(session, load_catalogue(), PERIOD, today=TODAY)

    rows = list(csv.reader(io.StringIO(files.csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Doel", "Status", *data.ministry_codes, "Toelichting"]
    assert [r[0] for r in rows[1:]] == [g.title for g in data.grid]
    first = data.grid[0]
    assert rows[1][1] == status_label(first.status)
    assert rows[1][2 + data.ministry_codes.index(first.lead)] == status_label(
        first.cells[first.lead].status
    )

    sheet = openpyxl.load_workbook(files.xlsx).active
    assert [[c.value or "" for c in row] for row in sheet.iter_rows()] == rows
    assert f'href="{files.csv.name}"' in files.html.read_text(encoding="utf-8")
