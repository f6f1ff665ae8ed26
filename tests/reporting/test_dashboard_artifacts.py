"""Protects what the Prefect UI shows coordinators (reporting/dashboard.py, issue 11 part 2).

The goal table carries every reason of a goal, the one that decides its status first (it once
kept two and so showed "risico" with a toelichting ending "Op schema."); its cells are broken
into short lines, because the UI does not wrap a table cell; submitted text stays escaped. The
remind flow's table names people by name, never by a Slack mention.
"""

from __future__ import annotations

import datetime as dt
import re

from tests.reporting.letter_factory import make_assessment
from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.assessment_schema import GoalState, MinistryView
from voortgang.reporting.dashboard import (
    REASON_LINE_CHARS,
    goal_status_markdown,
    reasons_deciding_first,
    reminder_rows,
)
from voortgang.reporting.dutch import status_label
from voortgang.reporting.reminder_log import ReminderEntry

ON_SCHEDULE = (
    "Dakloze mensen: 25.100 op 1 oktober 2026; volgens de lijn was 25.300 verwacht. Op schema."
)
AT_RISK = "Woonzorgvisies: risico volgens BZK."


def _rows(markdown: str) -> list[list[str]]:
    """The goal rows of the table, as cells (split on unescaped pipes)."""
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "**" in line]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def _plain(cell: str) -> str:
    """A cell as the UI shows it: line breaks joined, escapes removed."""
    return re.sub(r"\\(.)", r"\1", cell.replace("<br>", " "))


def _risky_goal():
    goal = make_assessment().goals[0]
    return goal.model_copy(
        update={
            "status": GoalState.at_risk,
            # As the assessment orders them: data first, the deciding ministry after.
            "reasons": [ON_SCHEDULE, "Nog iets zonder bron.", AT_RISK],
            "by_ministry": [
                MinistryView(
                    ministry="VWS",
                    role="lead",
                    status=GoalState.on_track,
                    reasons=[ON_SCHEDULE],
                    submitted=True,
                ),
                MinistryView(
                    ministry="BZK",
                    role="contributor",
                    status=GoalState.at_risk,
                    reasons=[AT_RISK],
                    submitted=True,
                ),
            ],
            "indicators": [],
            "milestones": [],
        }
    )


def test_the_deciding_reason_comes_first_then_unknown_origin_then_the_better_ones():
    assert reasons_deciding_first(_risky_goal()) == [
        AT_RISK,
        "Nog iets zonder bron.",
        ON_SCHEDULE,
    ]


def test_a_risky_goal_no_longer_reads_op_schema_at_the_end_of_only_two_reasons():
    assessment = make_assessment()
    assessment = assessment.model_copy(update={"goals": [_risky_goal()]})
    [row] = _rows(goal_status_markdown(assessment))
    status, toelichting = row[1], _plain(row[3])
    assert status == "**risico**"
    assert toelichting.startswith("1. " + AT_RISK)
    assert "3. " + ON_SCHEDULE in " ".join(toelichting.split())


def test_every_goal_shows_every_reason_in_lines_short_enough_to_read():
    assessment = make_assessment()
    markdown = goal_status_markdown(assessment)
    rows = _rows(markdown)
    assert len(rows) == len(assessment.goals)
    for goal, row in zip(assessment.goals, rows, strict=True):
        assert len(row) == 4, row
        assert row[0].endswith(f"<br>*trekker: {goal.lead}*")
        shown = " ".join(_plain(row[3]).split())
        for reason in goal.reasons:
            assert " ".join(reason.split()) in shown, (goal.id, reason)
        for line in row[3].split("<br>"):
            assert len(re.sub(r"\\(.)", r"\1", line)) <= REASON_LINE_CHARS, line
        assert [_plain(p) for p in row[2].split("<br>")] == [
            f"{v.ministry}: {status_label(v.status)}" for v in goal.by_ministry
        ]


def test_submitted_text_in_the_goal_table_is_escaped_and_cannot_break_the_table():
    hostile = "Sloop | <script>alert(1)</script> *vet* [link](http://x.example) # kop"
    goal = _risky_goal().model_copy(update={"title": hostile, "reasons": [hostile]})
    assessment = make_assessment().model_copy(update={"goals": [goal]})
    markdown = goal_status_markdown(assessment)
    assert "<script>" not in markdown
    [row] = _rows(markdown)
    assert len(row) == 4
    title = row[0].rsplit("<br>*trekker", 1)[0]
    assert " ".join(_plain(title).split()) == hostile
    assert " ".join(_plain(row[3]).split()) == hostile


def test_reminder_rows_name_people_and_say_what_still_waits():
    catalogue = load_catalogue()
    szw = next(m for m in catalogue.ministries if m.code == "SZW")
    sent = dt.datetime(2026, 12, 30, 8, 0, tzinfo=dt.UTC)
    rows = reminder_rows(
        [
            ReminderEntry(
                day=dt.date(2026, 12, 30),
                kind="reminder",
                ministry="SZW",
                recipients=[o.name for o in szw.officers],
                channel=szw.slack_channel,
                planned_at=dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC),
                sent_at=sent,
            ),
            ReminderEntry(
                day=dt.date(2027, 1, 6),
                kind="escalation",
                ministry=None,
                recipients=[c.name for c in catalogue.coordinators],
                channel=catalogue.coordinators_channel,
                planned_at=dt.datetime(2027, 1, 6, 9, tzinfo=dt.UTC),
                sent_at=None,
            ),
        ]
    )
    assert rows[0] == {
        "datum": "30 december 2026",
        "soort": "herinnering",
        "ministerie": "SZW",
        "aan": ", ".join(o.name for o in szw.officers),
        "verstuurd": "30 december 2026",
    }
    assert rows[1]["soort"] == "melding na de deadline"
    assert rows[1]["ministerie"] == "coördinatoren"
    assert rows[1]["verstuurd"] == "nog niet"
