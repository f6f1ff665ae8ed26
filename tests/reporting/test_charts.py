"""Charts of the letter: PNGs with Dutch alt texts that state the key numbers, drawn without
leaking matplotlib state and byte-for-byte reproducible (the letter's content hash relies
on it)."""

from __future__ import annotations

import datetime as dt

import matplotlib
import pytest

from tests.reporting.letter_factory import (
    ASSESSED_ON,
    make_assessment,
    municipal_summary,
    municipality_shares,
)
from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.assessment_schema import IndicatorAssessment, IndicatorVerdict
from voortgang.reporting.charts import (
    Chart,
    indicator_trajectory_chart,
    milestone_status_chart,
    municipal_share_chart,
)

PNG = b"\x89PNG\r\n\x1a\n"


def _milestone_chart() -> Chart:
    assessment = make_assessment()
    milestones = [m for g in assessment.goals for m in g.milestones]
    labels = {m.code: m.short_name for m in load_catalogue().ministries}
    return milestone_status_chart(milestones, labels)


def _indicator(indicator_id: str) -> IndicatorAssessment:
    goals = make_assessment().goals
    return next(i for g in goals for i in g.indicators if i.indicator_id == indicator_id)


def test_histogram_alt_text_states_what_the_chart_shows_with_cbs_counts():
    summary = municipal_summary()
    chart = municipal_share_chart(summary, municipality_shares())
    assert chart.png.startswith(PNG)
    assert chart.name == "gemeenten-corporatiebezit"
    assert chart.alt.startswith("Histogram van 352 gemeenten")
    assert f"{summary.at_least_30} gemeenten hebben 30% of meer" in chart.alt
    assert f"{summary.below_25} minder dan 25%" in chart.alt
    assert "CBS 85039NED" in chart.alt
    assert "gemeentegrenzen 2021" in chart.alt
    assert "1 januari 2021" in chart.caption


def test_histogram_refuses_to_draw_without_every_share():
    with pytest.raises(ValueError, match="share of every municipality"):
        municipal_share_chart(municipal_summary(), None)


def test_milestone_chart_names_every_ministry_and_status_in_words():
    chart = _milestone_chart()
    assert chart.png.startswith(PNG)
    for label in ("VRO:", "BZK:", "VWS:", "SZW:", "JenV:", "Asiel en Migratie:"):
        assert label in chart.alt
    assert "SZW: 2 mijlpalen (2 niet gemeld)" in chart.alt
    assert "vertraagd" in chart.alt
    assert "arcering" in chart.alt  # status is not told by colour alone


def test_trajectory_alt_text_gives_baseline_target_measurement_and_expectation():
    chart = indicator_trajectory_chart(_indicator("homeless-people"), ASSESSED_ON)
    assert chart.png.startswith(PNG)
    assert "26.600 personen op 1 januari 2022" in chart.alt
    assert "0 personen op 31 december 2030" in chart.alt
    assert "Gemeten op 1 januari 2026: 30.600 personen" in chart.alt
    assert "Verwacht volgens de lijn naar het doel:" in chart.alt


def test_same_input_gives_the_same_png_bytes():
    first = municipal_share_chart(municipal_summary(), municipality_shares())
    second = municipal_share_chart(municipal_summary(), municipality_shares())
    assert first.png == second.png
    assert _milestone_chart().png == _milestone_chart().png
    indicator = _indicator("municipalities-with-woonzorgvisie")
    assert (
        indicator_trajectory_chart(indicator, ASSESSED_ON).png
        == indicator_trajectory_chart(indicator, ASSESSED_ON).png
    )


def test_png_carries_no_software_or_date_metadata():
    png = _milestone_chart().png
    assert b"matplotlib" not in png.lower()
    assert b"tEXtSoftware" not in png
    assert b"tIME" not in png


def test_drawing_leaves_matplotlib_state_as_it_was():
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    rc_before = dict(matplotlib.rcParams)
    figures_before = plt.get_fignums()
    municipal_share_chart(municipal_summary(), municipality_shares())
    indicator_trajectory_chart(_indicator("homeless-people"), dt.date(2026, 10, 20))
    assert matplotlib.get_backend() == backend
    assert dict(matplotlib.rcParams) == rc_before
    assert plt.get_fignums() == figures_before


def test_a_target_without_an_official_date_gets_no_line_to_judge_by():
    """A target date the programme assumed is no streefpad: the chart shows the target as a
    level without a date and says so, as the letter gives no verdict on the pace."""
    dated = _indicator("homeless-people")
    undated = dated.model_copy(update={"verdict": IndicatorVerdict.no_official_date})

    chart = indicator_trajectory_chart(undated, ASSESSED_ON)

    assert chart.caption.endswith("stand en doel (de bron noemt geen datum)")
    assert "waarvoor de bron geen datum noemt" in chart.alt
    assert "rechte lijn" not in chart.alt and "Verwacht volgens de lijn" not in chart.alt
    assert chart.png != indicator_trajectory_chart(dated, ASSESSED_ON).png
