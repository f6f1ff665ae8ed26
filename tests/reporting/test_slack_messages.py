"""Protects who gets which Slack message and what it says: the plans are plain functions.

Reminders go only to ministries that have not submitted, only before the deadline and only on
working days (the last five up to it; no weekend, no Dutch public holiday); the
escalation only after it and once per period; every message has the dedupe key that makes it
go out once; Dutch text comes from the catalogue of messages; whatever people typed is
escaped for Slack, so ``<!channel>`` in a name or comment never pings a channel.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.assessment_schema import GoalAssessment, GoalState, PeriodAssessment
from voortgang.reporting.slack_messages import (
    MESSAGES,
    escape_mrkdwn,
    goal_summary,
    plan_decision,
    plan_draft_posted,
    plan_escalation,
    plan_failure_alert,
    plan_period_opened,
    plan_reminders,
)

DEADLINE = dt.date(2027, 1, 5)
MISSING = ["SZW", "AenM"]
HOSTILE = "<!channel> & <script>alert(1)</script>"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _assessment(statuses: list[GoalState], missing: list[str]) -> PeriodAssessment:
    goals = [
        GoalAssessment(
            id=f"goal-{i}",
            title=f"Doel {i}",
            lead="VRO",
            contributors=[],
            status=status,
            reasons=[],
            by_ministry=[],
            indicators=[],
            milestones=[],
            figures=[],
        )
        for i, status in enumerate(statuses)
    ]
    return PeriodAssessment(
        period="2026Q4",
        assessed_on=dt.date(2027, 1, 6),
        deadline=DEADLINE,
        goals=goals,
        missing_ministries=missing,
        submissions=[],
        municipalities=None,
        instruments=None,
    )


def _all_text(planned) -> str:
    return json.dumps([p.payload.model_dump(mode="json") for p in planned], ensure_ascii=False)


def test_period_opening_goes_to_every_ministry_channel_with_dutch_deadline_and_how_to_submit(
    catalogue,
):
    planned = plan_period_opened(catalogue, "2026Q4", DEADLINE, inbox="/srv/voortgang/inbox")
    assert [p.channel for p in planned] == [m.slack_channel for m in catalogue.ministries]
    assert {p.dedupe_key for p in planned} == {
        f"opened:2026Q4:{m.code}" for m in catalogue.ministries
    }
    vws = next(p for p in planned if p.channel == "#etvi-vws")
    text = _all_text([vws])
    assert "5 januari 2027" in text
    assert "vierde kwartaal 2026" in text
    assert "voortgang template --ministry VWS --period 2026Q4" in text
    assert "voortgang submit" in text
    assert "/srv/voortgang/inbox" in text
    assert "submit update" in text
    assert "<@U0VWS0001>" in text and "<@U0VWS0002>" in text
    assert vws.payload.blocks[0]["type"] == "header"


def test_reminders_go_only_to_missing_ministries_with_their_officers_mentioned(catalogue):
    today = dt.date(2026, 12, 30)
    planned = plan_reminders(catalogue, MISSING, "2026Q4", DEADLINE, today)
    # Catalogue order, one per missing ministry, none for the four that submitted.
    assert [p.channel for p in planned] == ["#etvi-szw", "#etvi-aenm"]
    assert [p.dedupe_key for p in planned] == [
        "reminder:2026Q4:SZW:2026-12-30",
        "reminder:2026Q4:AenM:2026-12-30",
    ]
    szw = planned[0]
    assert szw.kind == "reminder"
    assert szw.payload.text.startswith("<@U0SZW0001> <@U0SZW0002> ")
    assert "het *ministerie van Sociale Zaken en Werkgelegenheid*" in _all_text([szw])
    assert "5 januari 2027" in szw.payload.text and "over 6 dagen" in szw.payload.text
    assert "U0AENM001" not in _all_text([szw])


def test_reminders_accept_an_assessment_and_use_its_missing_ministries(catalogue):
    assessment = _assessment([GoalState.on_track], ["JenV"])
    planned = plan_reminders(catalogue, assessment, "2026Q4", DEADLINE, dt.date(2027, 1, 4))
    assert [p.channel for p in planned] == ["#etvi-jenv"]
    assert "morgen" in planned[0].payload.text


def test_reminders_stop_after_the_deadline_and_wait_for_the_last_week(catalogue):
    def plan(day: dt.date):
        return plan_reminders(catalogue, MISSING, "2026Q4", DEADLINE, day)

    assert plan(dt.date(2027, 1, 6)) == []  # after the deadline: the escalation's turn
    assert plan(dt.date(2026, 12, 1)) == []  # a month ahead: the announcement is enough
    on_the_day = plan(DEADLINE)
    assert len(on_the_day) == 2 and "vandaag" in on_the_day[0].payload.text
    assert len(plan(DEADLINE - dt.timedelta(days=7))) == 2
    every_day = plan_reminders(
        catalogue, MISSING, "2026Q4", DEADLINE, dt.date(2026, 12, 1), window_working_days=None
    )
    assert len(every_day) == 2


def test_reminders_go_out_on_the_last_five_working_days_around_christmas_and_new_year(catalogue):
    days = [DEADLINE - dt.timedelta(days=n) for n in range(14, -1, -1)]
    reminded = [d for d in days if plan_reminders(catalogue, MISSING, "2026Q4", DEADLINE, d)]
    # Not on Christmas (Fri 25 Dec), the weekends or New Year's Day (Fri 1 Jan); the five
    # working days up to the deadline on Tuesday 5 January.
    assert reminded == [
        dt.date(2026, 12, 29),
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 5),
    ]


def test_easter_monday_gets_no_reminder_and_the_window_reaches_back_past_it(catalogue):
    deadline = dt.date(2027, 4, 5)  # the deadline of 2027Q1, a Monday, a week after Easter

    def plan(day: dt.date):
        return plan_reminders(catalogue, MISSING, "2027Q1", deadline, day)

    assert plan(dt.date(2027, 3, 29)) == []  # Easter Monday
    assert plan(dt.date(2027, 3, 26)) == []  # Good Friday
    assert plan(dt.date(2027, 4, 3)) == []  # Saturday
    assert [d.day for d in (dt.date(2027, 3, 30), dt.date(2027, 4, 2)) if plan(d)] == [30, 2]
    assert plan(dt.date(2027, 3, 25)) == []  # six working days ahead: outside the window


def test_no_reminder_on_kings_day_even_on_the_deadline_window_every_day(catalogue):
    deadline = dt.date(2026, 4, 30)  # an assumed deadline, to put King's Day in the window

    def plan(day: dt.date):
        return plan_reminders(catalogue, MISSING, "2026Q1", deadline, day, window_working_days=None)

    assert plan(dt.date(2026, 4, 27)) == []  # King's Day, a Monday
    assert plan(dt.date(2026, 4, 26)) == []  # Sunday
    assert len(plan(dt.date(2026, 4, 28))) == 2


def test_no_reminders_when_everyone_submitted(catalogue):
    assert plan_reminders(catalogue, [], "2026Q4", DEADLINE, dt.date(2026, 12, 30)) == []


def test_unknown_ministry_code_is_refused_rather_than_silently_skipped(catalogue):
    with pytest.raises(ValueError, match="XYZ"):
        plan_reminders(catalogue, ["XYZ"], "2026Q4", DEADLINE, dt.date(2026, 12, 30))


def test_escalation_only_after_the_deadline_once_per_period_naming_the_missing(catalogue):
    assert plan_escalation(catalogue, MISSING, "2026Q4", DEADLINE, DEADLINE) == []
    assert plan_escalation(catalogue, [], "2026Q4", DEADLINE, dt.date(2027, 1, 6)) == []
    first = plan_escalation(catalogue, MISSING, "2026Q4", DEADLINE, dt.date(2027, 1, 6))
    later = plan_escalation(catalogue, MISSING, "2026Q4", DEADLINE, dt.date(2027, 1, 9))
    assert len(first) == 1
    assert first[0].dedupe_key == later[0].dedupe_key == "escalation:2026Q4"
    message = first[0]
    assert message.channel == catalogue.coordinators_channel == "#etvi-coordinatie"
    text = _all_text(first)
    assert "*SZW*" in text and "*AenM*" in text
    assert "Ministerie van Asiel en Migratie" in text
    for other in ("VRO", "BZK", "VWS", "JenV"):
        assert f"*{other}*" not in text
    assert "Van 2 ministeries" in text
    assert message.payload.text.startswith("<@U0COORD01> <@U0COORD02> ")
    assert "5 januari 2027" in message.payload.text


def test_draft_is_a_file_reference_with_goal_counts_per_status_in_dutch(catalogue):
    assessment = _assessment(
        [GoalState.on_track] * 3 + [GoalState.at_risk] * 2 + [GoalState.off_track],
        ["SZW"],
    )
    assert goal_summary(assessment) == "3 op schema, 2 risico, 1 achter op schema, 0 geen gegevens"
    [planned] = plan_draft_posted(catalogue, 41, 2, "2026Q4", assessment)
    assert planned.kind == "draft_posted"
    assert planned.dedupe_key == "draft:2026Q4:v2"
    assert planned.channel == "#etvi-coordinatie"
    file = planned.payload.file
    assert file is not None
    assert (file.draft_id, file.format) == (41, "docx")
    assert file.filename == "voortgangsbrief-2026Q4-v2.docx"
    assert file.title == "Concept voortgangsbrief vierde kwartaal 2026, versie 2"
    assert "3 op schema, 2 risico, 1 achter op schema, 0 geen gegevens" in file.initial_comment
    assert "Ontbrekende updates: SZW" in file.initial_comment
    assert "voortgang approve --period 2026Q4" in file.initial_comment
    html = plan_draft_posted(catalogue, 41, 2, "2026Q4", assessment, fmt="html")[0]
    assert html.payload.file is not None and html.payload.file.filename.endswith(".html")


def test_failure_alert_names_flow_run_and_error_and_links_the_run_when_known(catalogue):
    [alert] = plan_failure_alert(
        catalogue,
        flow_name="quarterly-cycle",
        run_name="kwartaalcyclus-2026Q4",
        run_id="6f1c",
        state_message="Flow run encountered an exception: ValueError: kapot",
        run_url="http://prefect.example:4200/runs/flow-run/6f1c",
    )
    assert alert.dedupe_key == "failure:6f1c"
    assert alert.channel == "#etvi-coordinatie"
    text = _all_text([alert])
    assert "quarterly-cycle" in text and "kwartaalcyclus-2026Q4" in text
    assert "> Flow run encountered an exception: ValueError: kapot" in text
    assert "<http://prefect.example:4200/runs/flow-run/6f1c|Bekijk de run in de Prefect-UI>" in text

    [unlinked] = plan_failure_alert(
        catalogue, flow_name="f", run_name="r", run_id="1", state_message=None
    )
    assert MESSAGES["failure.no_link"] in _all_text([unlinked])
    assert MESSAGES["failure.no_message"] in _all_text([unlinked])


def test_decisions_say_approved_or_quote_the_requested_changes(catalogue):
    [approved] = plan_decision(
        catalogue,
        decision_id=7,
        decision="approve",
        period="2026Q4",
        version=2,
        decided_by="coordinator@programma-etvi.example.nl",
    )
    assert approved.dedupe_key == "decision:2026Q4:v2:7"
    assert "*goedgekeurd*" in approved.payload.text
    assert "coordinator@programma-etvi.example.nl" in approved.payload.text

    [changes] = plan_decision(
        catalogue,
        decision_id=8,
        decision="changes",
        period="2026Q4",
        version=2,
        decided_by="coordinator@programma-etvi.example.nl",
        comment="Graag de cijfers van VWS nalopen.\nEn de bijlage.",
    )
    assert "*wijzigingen*" in changes.payload.text
    assert "> Graag de cijfers van VWS nalopen.\n> En de bijlage." in changes.payload.text


def test_text_people_typed_is_escaped_everywhere_it_appears(catalogue):
    ministries = [
        m.model_copy(update={"name": f"Ministerie {HOSTILE}"}) if m.code == "SZW" else m
        for m in catalogue.ministries
    ]
    hostile_catalogue = catalogue.model_copy(update={"ministries": ministries})
    planned = (
        plan_reminders(hostile_catalogue, ["SZW"], "2026Q4", DEADLINE, dt.date(2026, 12, 30))
        + plan_escalation(hostile_catalogue, ["SZW"], "2026Q4", DEADLINE, dt.date(2027, 1, 6))
        + plan_decision(
            catalogue,
            decision_id=1,
            decision="changes",
            period="2026Q4",
            version=1,
            decided_by=f"Jan {HOSTILE}",
            comment=HOSTILE,
        )
        + plan_failure_alert(
            catalogue,
            flow_name=f"flow {HOSTILE}",
            run_name=HOSTILE,
            run_id="x",
            state_message=HOSTILE,
            run_url="http://x/<!channel>",  # not a clean URL: not linked
        )
    )
    text = _all_text(planned)
    assert "<!channel>" not in text
    assert "<script>" not in text
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in text
    assert escape_mrkdwn(HOSTILE) == "&lt;!channel&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_malformed_slack_id_in_the_catalogue_is_not_turned_into_a_mention(catalogue):
    szw = catalogue.ministry("SZW")
    officers = [o.model_copy(update={"slack_id": "U1> <!channel"}) for o in szw.officers]
    ministries = [
        m.model_copy(update={"officers": officers}) if m.code == "SZW" else m
        for m in catalogue.ministries
    ]
    bad = catalogue.model_copy(update={"ministries": ministries})
    [reminder] = plan_reminders(bad, ["SZW"], "2026Q4", DEADLINE, dt.date(2026, 12, 30))
    assert "<!channel" not in _all_text([reminder])
    assert "<@" not in reminder.payload.text
