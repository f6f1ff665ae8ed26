"""The dashboard's data, read from a real database: who submitted and who was reminded, a live
assessment in the collection window until a check stores a newer one, every version with
its diff, goals by severity with the deciding reasons first, the trend over quarters, and
the letter's state from waiting to approved.
"""

from __future__ import annotations

import datetime as dt

from tests.support.drafts import draft_period
from tests.support.submissions import TODAY, example, submit_examples, submit_raw
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.models.submission_intake import take_in
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import SEVERITY
from voortgang.reporting.assessment_store import store_assessment
from voortgang.reporting.dashboard_data import DashboardData, build_dashboard_data
from voortgang.reporting.decisions import Verdict, record_decision
from voortgang.reporting.slack_messages import plan_reminders

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"


def data(today: dt.date = TODAY, period: str = PERIOD) -> DashboardData:
    with session_scope() as session:
        return build_dashboard_data(session, load_catalogue(), period, today=today)


def test_collection_window_shows_count_deadline_missing_and_reminders(db):
    submit_examples(PERIOD, ["VRO", "BZK", "VWS", "JenV"])
    deadline = dt.date(2027, 1, 5)
    reminder_day = dt.date(2026, 12, 31)
    with session_scope() as session:
        enqueue_all(
            session,
            plan_reminders(load_catalogue(), ["SZW", "AenM"], PERIOD, deadline, reminder_day),
        )

    seen = data(today=reminder_day)

    assert (seen.received, seen.total) == (4, 6)
    assert seen.missing == ["SZW", "AenM"]
    assert seen.deadline == deadline and seen.days_to_deadline == 5
    reminded = {m.code: m.reminders for m in seen.ministries}
    assert [r.kind for r in reminded["SZW"]] == ["reminder"]
    assert reminded["VRO"] == []


def test_assessment_is_live_until_a_check_stores_a_newer_one(db):
    submit_examples(PERIOD, ["VWS"])
    assert data().live and data().assessment_id is None

    with session_scope() as session:
        stored_id = store_assessment(
            session, assess_period(session, load_catalogue(), PERIOD, today=TODAY)
        )
    assert not data().live and data().assessment_id == stored_id

    submit_examples(PERIOD, ["BZK"])
    after = data()
    assert after.live and after.received == 2


def test_stored_assessment_counts_by_versions_not_by_the_clock(db):
    """The demo stores a past quarter's reports as handed in on their own days, which may lie
    after the moment the assessment row is written: the stored assessment still covers them,
    and the page counts the days from the cycle's day, not from the machine's date."""
    handed_in = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)  # later than any row written here
    take_in(
        example(PERIOD, "VWS"),
        source="vws.yaml",
        channel="file",
        today=TODAY,
        submitted_at=handed_in,
    )
    with session_scope() as session:
        stored_id = store_assessment(
            session, assess_period(session, load_catalogue(), PERIOD, today=TODAY)
        )

    seen = data(today=TODAY)
    assert not seen.live and seen.assessment_id == stored_id
    assert seen.days_to_deadline == (dt.date(2027, 1, 5) - TODAY).days

    take_in(
        example(PERIOD, "BZK"),
        source="bzk.yaml",
        channel="file",
        today=TODAY,
        submitted_at=dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC),
    )
    assert data(today=TODAY).live  # a version the stored assessment has not seen


def test_every_version_is_listed_with_what_changed_since_the_previous(db):
    first = example(PERIOD, "VWS")
    submit_raw(first)
    second = example(PERIOD, "VWS")
    second["milestones"][1]["progress"] = 65
    second["indicators"][0]["value"] = 27000
    submit_raw(second, channel="cli")

    versions = [v for v in data().submissions if v.ministry == "VWS"]

    assert [(v.version, v.channel) for v in versions] == [(2, "cli"), (1, "file")]
    assert versions[1].changes == []
    changed = {(c.item, c.field, c.before, c.after) for c in versions[0].changes}
    assert changed == {
        ("vws-lived-experience", "progress", 60, 65),
        ("homeless-people", "value", 27600, 27000),
    }


def test_goals_are_ordered_worst_first_with_the_deciding_reasons_first(db):
    submit_examples(PERIOD)
    grid = data().grid

    severities = [SEVERITY[row.status] for row in grid]
    assert severities == sorted(severities, reverse=True)
    for row in grid:
        assert row.deciding, row.goal_id
        for code, cell in row.cells.items():
            # The deciding reasons give the cell its status; every other reason follows.
            if cell.submitted and cell.deciding:
                states = {m.reason: m.state for m in cell.milestones} | {
                    i.reason: i.status for i in cell.indicators
                }
                assert {states[r] for r in cell.deciding if r in states} <= {cell.status}, code
            assert not set(cell.deciding) & set(cell.other)


def test_trend_holds_each_stored_quarter_and_the_indicators_path(db):
    submit_examples("2026Q3")
    with session_scope() as session:
        store_assessment(
            session,
            assess_period(session, load_catalogue(), "2026Q3", today=dt.date(2026, 10, 20)),
        )
    submit_examples(PERIOD)

    seen = data()

    assert seen.trend_periods == ["2026Q3", PERIOD]
    assert all(set(g.statuses) == {"2026Q3", PERIOD} for g in seen.goal_trends)
    homeless = next(i for i in seen.indicator_trends if i.indicator_id == "homeless-people")
    assert [p.period for p in homeless.points] == ["2026Q3", PERIOD]
    assert homeless.target_date > homeless.baseline_date


def test_draft_state_waits_then_shows_who_approved_and_when(db):
    submit_examples(PERIOD)
    draft_period(PERIOD)

    waiting = data().draft
    assert waiting is not None and waiting.state == "draft" and waiting.decision is None
    assert waiting.waiting_since == waiting.created_at
    assert all(f.exists for f in waiting.files)

    with session_scope() as session:
        record_decision(
            session,
            period=PERIOD,
            decision=Verdict.approve,
            decided_by=COORDINATOR,
            comment=None,
            channel="cli",
        )
    approved = data().draft
    assert approved is not None and approved.state == "final"
    assert approved.waiting_since is None
    assert approved.decision is not None and approved.decision.decided_by == COORDINATOR
