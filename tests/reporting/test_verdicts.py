"""Sound verdicts: no verdict without a measurement in the period, none on an assumed target
date, and behind the streefpad measured in units or points against the catalogue's thresholds.

These protect issue 9, part 6: a baseline alone is "geen nieuwe meting", never "op schema";
41% below the path is achter op schema, not merely risico.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from tests.support.submissions import example, submit_raw
from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.models.db import session_scope
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import (
    GoalState,
    IndicatorAssessment,
    IndicatorVerdict,
    PeriodAssessment,
)
from voortgang.reporting.dutch import indicator_state_label
from voortgang.reporting.trajectory import judge

CHECKED = dt.date(2027, 1, 20)  # after 2026Q4; values may be dated up to this day


def _catalogue(**changes: dict[str, Any]) -> Catalogue:
    """The bundled catalogue with some indicators' fields replaced (id -> fields)."""
    raw = load_catalogue().model_dump(mode="json")
    for ind in raw["indicators"]:
        ind.update(changes.get(ind["id"], {}))
    return Catalogue.model_validate(raw)


def _vws(value: float, as_of: str) -> None:
    raw = example("2026Q4", "VWS")
    for obs in raw["indicators"]:
        if obs["indicator"] == "homeless-people":
            obs.update(value=value, as_of=as_of)
    submit_raw(raw)


def _indicator(a: PeriodAssessment, indicator_id: str) -> IndicatorAssessment:
    return next(i for g in a.goals for i in g.indicators if i.indicator_id == indicator_id)


def _assess(catalogue: Catalogue | None = None) -> PeriodAssessment:
    with session_scope() as session:
        return assess_period(session, catalogue or load_catalogue(), "2026Q4", today=CHECKED)


@pytest.mark.parametrize(
    ("as_of", "verdict"),
    [
        ("2026-09-30", IndicatorVerdict.no_new_measurement),  # the day before 2026Q4 begins
        ("2026-10-01", IndicatorVerdict.trajectory),  # its first day
    ],
)
def test_a_value_dated_before_the_period_gets_no_verdict(db, as_of, verdict):
    _vws(27_600, as_of)
    a = _assess()
    ind = _indicator(a, "homeless-people")
    assert ind.verdict is verdict
    if verdict is IndicatorVerdict.no_new_measurement:
        assert ind.status is GoalState.no_data
        assert ind.expected_now is None and ind.deviation is None
        assert "geen nieuwe meting in het vierde kwartaal 2026" in ind.reason
        assert "30 september 2026" in ind.reason
        assert ind.needs_attention and "1 oktober 2026" in ind.notes[0]
        assert indicator_state_label(ind.status, ind.verdict) == "geen nieuwe meting"
    else:
        assert ind.status is GoalState.off_track
        assert not ind.notes


def test_a_baseline_alone_is_geen_nieuwe_meting_never_op_schema(db):
    # VWS reports the baseline itself again: right on the streefpad, but old.
    _vws(26_600, "2022-01-01")
    a = _assess()
    ind = _indicator(a, "homeless-people")
    assert ind.verdict is IndicatorVerdict.no_new_measurement
    assert ind.status is not GoalState.on_track
    assert "(de nulmeting)" in ind.reason and "Op schema" not in ind.reason
    goal = next(g for g in a.goals if g.id == "homelessness")
    assert ind.reason in goal.reasons


def test_old_cbs_figures_give_the_social_rent_goal_no_verdict_of_their_own(db):
    a = _assess()
    ind = _indicator(a, "municipalities-corporation-share-30")
    assert ind.verdict is IndicatorVerdict.no_new_measurement
    goal = next(g for g in a.goals if g.id == "social-rent-share")
    # Nothing in the goal is judged: the CBS figure is from 2021, the built homes have no
    # official date, and VRO has not submitted.
    assert goal.status is GoalState.no_data
    assert any("geen nieuwe meting" in r for r in goal.reasons)


def test_an_assumed_target_date_gives_value_and_target_but_no_verdict(db):
    submit_raw(example("2026Q4", "AenM"))
    a = _assess()
    ind = _indicator(a, "municipalities-on-quota")
    assert ind.target_date_official is False
    assert ind.verdict is IndicatorVerdict.no_official_date
    assert ind.status is GoalState.no_data and ind.expected_now is None
    assert "44,2% van de gemeenten" in ind.reason and "100% van de gemeenten" in ind.reason
    assert "schema" in ind.reason and "Op schema" not in ind.reason
    assert "achter" not in ind.reason
    assert ind.needs_attention and "aanname van het programma" in ind.notes[0]
    # The same figure with an official date is judged: the flag, not the data, decides.
    official = _catalogue(
        **{
            "municipalities-on-quota": {
                "target": {
                    "value": 100,
                    "date": "2028-12-31",
                    "date_official": True,
                    "source": "Een officiële bron (test)",
                }
            }
        }
    )
    judged = _indicator(_assess(official), "municipalities-on-quota")
    assert judged.verdict is IndicatorVerdict.trajectory
    assert judged.status is GoalState.off_track
    assert "procentpunt achter op het streefpad" in judged.reason


def test_forty_one_percent_below_the_path_is_achter_op_schema_stated_in_homes(db):
    # The review's case: 75.550 homes where the straight line to 250.000 in 2030 gave 127.495.
    submit_raw(example("2026Q4", "VRO"))
    official = _catalogue(
        **{
            "social-rent-homes-built": {
                "target": {
                    "value": 250000,
                    "date": "2030-12-31",
                    "date_official": True,
                    "source": "Nationale prestatieafspraken, 30 juni 2022 (test)",
                }
            }
        }
    )
    ind = _indicator(_assess(official), "social-rent-homes-built")
    assert ind.status is GoalState.off_track
    assert ind.deviation == pytest.approx(127_495 - 75_550, abs=1)
    assert "51.945 woningen (41%) achter op het streefpad" in ind.reason
    assert "achter op schema bij meer dan 30.000 woningen" in ind.reason


def _judge(value: float, at_risk: float = 5, off_track: float = 15) -> GoalState:
    # Baseline 0 on 1 January, target 100 ten days later: the line is at exactly 50 on day 5.
    return judge(
        value,
        dt.date(2020, 1, 6),
        baseline=0,
        baseline_date=dt.date(2020, 1, 1),
        target=100,
        target_date=dt.date(2020, 1, 11),
        increase=True,
        tolerance_pct=99,
        off_track_pct=99,
        at_risk_deviation=at_risk,
        off_track_deviation=off_track,
    ).state


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (45, GoalState.on_track),  # exactly 5 points behind: not more than the threshold
        (44.9, GoalState.at_risk),
        (35, GoalState.at_risk),  # exactly 15 behind
        (34.9, GoalState.off_track),
        (60, GoalState.on_track),  # ahead
    ],
)
def test_thresholds_tip_only_when_exceeded(value, state):
    assert _judge(value) is state


def test_thresholds_in_the_catalogue_replace_the_global_percentages():
    # 10 behind on a distance of 100 is 10% of the distance: on track by the global 25%, at
    # risk by the indicator's own 5 points.
    assert _judge(40, at_risk=5, off_track=15) is GoalState.at_risk
    plain = judge(
        40,
        dt.date(2020, 1, 6),
        baseline=0,
        baseline_date=dt.date(2020, 1, 1),
        target=100,
        target_date=dt.date(2020, 1, 11),
        increase=True,
        tolerance_pct=10,
        off_track_pct=25,
    )
    assert plain.state is GoalState.on_track and plain.deviation == pytest.approx(10)


def test_the_catalogue_refuses_inconsistent_targets_and_thresholds():
    raw = load_catalogue().model_dump(mode="json")
    quota = next(i for i in raw["indicators"] if i["id"] == "municipalities-on-quota")
    quota["target"]["date_official"] = True  # its source calls the date an assumption
    homeless = next(i for i in raw["indicators"] if i["id"] == "homeless-people")
    homeless["thresholds"] = {"at_risk": 3000, "off_track": 1000, "unit": "points"}
    with pytest.raises(ValidationError) as caught:
        Catalogue.model_validate(raw)
    text = str(caught.value)
    assert "target.date_official" in text and "aanname van het programma" in text
    assert "thresholds.unit: expected 'units'" in text
    assert "at_risk must be below off_track" in text


def test_the_urgentieregeling_baseline_counts_urgentieregelingen_like_its_target():
    ind = load_catalogue().indicator("municipalities-with-urgency-scheme")
    assert ind.baseline.value == pytest.approx(166 / 355 * 100, abs=0.05)
    assert "urgentieregeling" in ind.baseline.source and "166" in ind.baseline.source
    assert "urgentieregeling" in ind.title


def test_stored_assessments_from_before_verdicts_still_load():
    old = {
        "indicator_id": "homeless-people",
        "title": "Dakloze mensen",
        "unit": "personen",
        "direction": "decrease",
        "reported_by": "VWS",
        "baseline_value": 26600,
        "baseline_date": "2022-01-01",
        "target_value": 0,
        "target_date": "2030-12-31",
        "target_source": "NAD",
        "value": 27600,
        "as_of": "2026-10-01",
        "source": "VWS",
        "expected_now": 12563.0,
        "status": "off_track",
        "reason": "...",
    }
    ind = IndicatorAssessment.model_validate_json(
        IndicatorAssessment.model_validate(old).model_dump_json()
    )
    assert ind.verdict is None and ind.target_date_official and ind.notes == []
    assert indicator_state_label(ind.status, ind.verdict) == "achter op schema"


def test_milestones_on_schedule_do_not_make_an_unmeasured_goal_op_schema(db):
    # AenM's milestones are done or on track; its quota indicator has an assumed date.
    submit_raw(example("2026Q4", "AenM"))
    submit_raw(example("2026Q4", "VRO"))
    a = _assess()
    permit = next(g for g in a.goals if g.id == "permit-holders")
    assert all(m.state is GoalState.on_track for m in permit.milestones if m.ministry == "AenM")
    assert permit.status is GoalState.no_data
    assert permit.reasons[0].startswith("Geen oordeel over het doel")
    assert any("taakstelling" in r.lower() and "gereed" in r for r in permit.reasons)
    # A goal without indicators is still judged on its milestones (VRO's monitor is done).
    residents = next(g for g in a.goals if g.id == "residents-involvement")
    assert residents.indicators == [] and residents.status is GoalState.on_track
