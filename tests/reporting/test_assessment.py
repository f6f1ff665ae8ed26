"""Goal assessment: statuses follow from indicators, milestones, municipal data and who is missing."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tests.support.submissions import TODAY, example, submit_examples, submit_raw
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.municipal_data import CBS_DIR
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import GoalState
from voortgang.reporting.trajectory import expected_on, judge


def _assess(period: str, today: dt.date = TODAY):
    with session_scope() as session:
        return assess_period(session, load_catalogue(), period, today=today)


def test_municipal_counts_follow_exactly_from_the_cbs_file(db):
    with (CBS_DIR / "kwb2021_gemeenten_woningen_eigendom.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    shares = {r["gemeentecode"]: float(r["pct_huur_woningcorporatie"]) for r in rows}
    flagged = sorted(
        code
        for code, share in shares.items()
        if share == 0
        and float(next(r for r in rows if r["gemeentecode"] == code)["pct_huurwoningen"]) > 0
    )
    m = _assess("2026Q4").municipalities
    assert m is not None
    # On the indeling of 2025 (tests/reporting/test_municipal_summary.py checks the merged
    # ones); every municipality that kept its area keeps its CBS value.
    assert m.count == 342 and m.boundary_year == 2025 and m.source == "CBS 85039NED"
    assert m.flagged == flagged == ["GM0060", "GM0339"]
    with (CBS_DIR / "herindelingen_2021_2025.csv").open(encoding="utf-8") as handle:
        gone = {r["gemeentecode_oud"] for r in csv.DictReader(handle)}
    estimated = {r.code for r in m.estimated}
    below = {c for c, s in shares.items() if s < 30}
    assert {b.code for b in m.below_target} - estimated == below - estimated - gone


def test_missing_ministry_is_named_and_its_goals_say_so_with_older_data_marked(db):
    submit_examples("2026Q3")
    submit_examples("2026Q4")
    a = _assess("2026Q4")
    assert a.missing_ministries == ["SZW"]
    livelihood = next(g for g in a.goals if g.id == "livelihood")
    assert any(
        "Geen inzending van SZW voor het vierde kwartaal 2026" in r for r in livelihood.reasons
    )
    szw_view = next(v for v in livelihood.by_ministry if v.ministry == "SZW")
    assert not szw_view.submitted
    # Old updates do not judge the new period: SZW's part, and so its own goal, has no data.
    assert szw_view.status is GoalState.no_data
    assert livelihood.status is GoalState.no_data
    assert any("derde kwartaal 2026" in r for r in szw_view.reasons)
    # SZW's 2026Q3 updates are shown, marked as coming from 2026Q3, not passed off as new.
    assert all(m.from_earlier_period == "2026Q3" for m in livelihood.milestones)
    assert all(m.submission and m.submission.period == "2026Q3" for m in livelihood.milestones)


def test_without_any_submission_every_ministry_is_missing_and_goals_have_no_data(db):
    a = _assess("2026Q4")
    assert a.missing_ministries == ["VRO", "BZK", "VWS", "SZW", "JenV", "AenM"]
    statuses = {g.id: g.status for g in a.goals}
    assert statuses["livelihood"] is GoalState.no_data
    # The social-rent goal still shows the CBS figures, but they date from 2021: no new
    # measurement in 2026Q4, so no verdict, and the reason says so.
    social = next(g for g in a.goals if g.id == "social-rent-share")
    assert statuses["social-rent-share"] is GoalState.no_data
    assert any("woningcorporatie" in r and "CBS 85039NED" in r for r in social.reasons)
    assert any("geen nieuwe meting" in r for r in social.reasons)


def test_delayed_milestone_with_late_expected_completion_puts_goal_at_risk_or_worse(db):
    submit_examples("2026Q4", ["VWS"])
    homelessness = next(g for g in _assess("2026Q4").goals if g.id == "homelessness")
    review = next(m for m in homelessness.milestones if m.milestone_id == "vws-nad-midterm-review")
    assert review.status == "delayed" and review.late_expected
    assert review.state is GoalState.at_risk
    assert homelessness.status in (GoalState.at_risk, GoalState.off_track)


def test_overdue_milestone_is_named_and_turns_off_track_after_the_grace_period(db):
    raw = example("2026Q4", "BZK")
    for update in raw["milestones"]:
        if update["milestone"] == "bzk-municipal-funding":
            update.update(status="on_track", progress=80, expected_completion="2027-01-01")
    submit_raw(raw)
    early = _assess("2026Q4", dt.date(2027, 2, 1))
    late = _assess("2026Q4", dt.date(2027, 6, 1))
    ms_early = next(
        m for g in early.goals for m in g.milestones if m.milestone_id == "bzk-municipal-funding"
    )
    ms_late = next(
        m for g in late.goals for m in g.milestones if m.milestone_id == "bzk-municipal-funding"
    )
    assert ms_early.overdue and ms_early.state is GoalState.at_risk
    assert "verstreken" in ms_early.reason
    assert ms_late.state is GoalState.off_track


def test_shared_goal_shows_each_ministry_view_and_takes_the_worst_without_averaging(db):
    raw_vro = example("2026Q4", "VRO")
    raw_vws = example("2026Q4", "VWS")
    for update in raw_vro["milestones"]:
        if update["milestone"] == "vro-monitor-aandachtsgroepen":
            update.update(status="done", progress=100)
    for update in raw_vws["milestones"]:
        if update["milestone"] == "vws-lived-experience":
            update.update(
                status="delayed",
                status_reason="Te weinig ervaringsdeskundigen beschikbaar.",
                measure="Werving via cliëntenraden en een opleiding voor ervaringsdeskundigen.",
            )
    submit_raw(raw_vro)
    submit_raw(raw_vws)
    goal = next(g for g in _assess("2026Q4").goals if g.id == "residents-involvement")
    views = {v.ministry: v.status for v in goal.by_ministry}
    assert views["VRO"] is GoalState.on_track
    assert views["VWS"] is GoalState.at_risk
    assert goal.status is GoalState.at_risk


BASE, TARGET, HALF = dt.date(2020, 1, 1), dt.date(2030, 1, 1), dt.date(2025, 1, 1)


def test_trajectory_is_a_straight_line_from_baseline_to_target():
    expected = expected_on(HALF, baseline=0, baseline_date=BASE, target=100, target_date=TARGET)
    assert expected == pytest.approx(50, abs=0.1)


@pytest.mark.parametrize(
    ("value", "baseline", "target", "increase", "state"),
    [
        (48, 0, 100, True, GoalState.on_track),  # within the tolerance of 50
        (30, 0, 100, True, GoalState.at_risk),
        (10, 0, 100, True, GoalState.off_track),
        # Less is better: 60 people left when 50 were expected is behind; 40 is ahead.
        (60, 100, 0, False, GoalState.at_risk),
        (40, 100, 0, False, GoalState.on_track),
    ],
)
def test_trajectory_judgement_is_direction_aware(value, baseline, target, increase, state):
    judgement = judge(
        value,
        HALF,
        baseline=baseline,
        baseline_date=BASE,
        target=target,
        target_date=TARGET,
        increase=increase,
        tolerance_pct=5,
        off_track_pct=25,
    )
    assert judgement.state is state


def test_rules_come_from_the_catalogue_not_code(db, tmp_path):
    import yaml

    from voortgang.models.catalogue import Catalogue

    submit_examples("2026Q4", ["VWS"])
    catalogue = load_catalogue()
    strict = catalogue.model_dump(mode="json")
    strict["rules"]["milestones"]["at_risk_when_any"] = []
    relaxed = Catalogue.model_validate(yaml.safe_load(yaml.safe_dump(strict)))
    with session_scope() as session:
        a = assess_period(session, relaxed, "2026Q4", today=TODAY)
    review = next(
        m for g in a.goals for m in g.milestones if m.milestone_id == "vws-nad-midterm-review"
    )
    assert review.state is not GoalState.at_risk
