"""Dutch notation in the letter: dates, numbers, percentages and the Dutch status labels.

Protects the Kamerbrief conventions (letter-conventions.md): ``25 november 2026``, a point as
thousands separator from five digits, a decimal comma, one percentage style, and that no
English enum value reaches the reader.
"""

from __future__ import annotations

import datetime as dt

import pytest
from jinja2 import Environment

from voortgang.reporting.assessment_schema import GoalState
from voortgang.reporting.dutch import (
    change_state_label,
    format_date,
    format_number,
    format_percent,
    format_period,
    format_points,
    format_value,
    join_words,
    milestone_status_label,
    ministry_role,
    number_words,
    register_filters,
    status_label,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 25), "25 november 2026"),
        (dt.date(2027, 1, 5), "5 januari 2027"),
        (dt.date(2025, 12, 17), "17 december 2025"),
        (dt.datetime(2026, 3, 1, 23, 59), "1 maart 2026"),
    ],
)
def test_dates_have_no_leading_zero_and_a_lower_case_month(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (28721, {}, "28.721"),
        (900000, {}, "900.000"),
        (4062, {}, "4062"),
        (4062, {"group_always": True}, "4.062"),
        (28.6, {}, "28,6"),
        (30.0, {}, "30"),
        (0, {}, "0"),
        (1234567.891, {"decimals": 2}, "1.234.567,89"),
        (14773.3, {"decimals": 0}, "14.773"),
        (-2.5, {}, "-2,5"),
        (28.65, {"decimals": 1}, "28,7"),
    ],
)
def test_numbers_use_a_point_from_five_digits_and_a_decimal_comma(value, kwargs, expected):
    assert format_number(value, **kwargs) == expected


def test_booleans_are_not_numbers():
    with pytest.raises(TypeError):
        format_number(True)


def test_percentages_have_one_style_without_a_space():
    assert format_percent(28.6) == "28,6%"
    assert format_percent(30) == "30%"
    assert format_points(2.5) == "2,5 procentpunt"


def test_values_carry_their_catalogue_unit_and_large_counts_are_whole():
    assert format_value(62, "% van de gemeenten") == "62% van de gemeenten"
    assert format_value(98400, "woningen") == "98.400 woningen"
    assert format_value(14773.3, "personen") == "14.773 personen"
    assert format_value(2.5, "") == "2,5"


def test_goal_states_have_dutch_labels():
    assert status_label(GoalState.on_track) == "op schema"
    assert status_label("at_risk") == "risico"
    assert status_label(GoalState.off_track) == "achter op schema"
    assert status_label(GoalState.no_data) == "geen gegevens"
    with pytest.raises(ValueError, match="unknown goal state"):
        status_label("green")


def test_milestone_statuses_have_dutch_labels_and_nothing_reported_is_said_plainly():
    labels = {
        s: milestone_status_label(s)
        for s in ("not_started", "on_track", "at_risk", "delayed", "done")
    }
    assert labels == {
        "not_started": "niet gestart",
        "on_track": "op schema",
        "at_risk": "risico",
        "delayed": "vertraagd",
        "done": "gereed",
    }
    assert milestone_status_label(None) == "niet gemeld"


def test_ministry_roles_and_change_values_are_dutch():
    assert ministry_role("lead") == "trekker"
    assert ministry_role("contributor") == "betrokken"
    assert change_state_label("off_track") == "achter op schema"
    assert change_state_label("delayed") == "vertraagd"
    assert change_state_label("20.7") == "20,7"
    assert change_state_label(None) == "geen"


def test_small_numbers_are_words_and_larger_ones_digits():
    assert number_words(1) == "één"
    assert number_words(10) == "tien"
    assert number_words(57) == "57"
    assert number_words(28721) == "28.721"


def test_periods_and_lists_read_as_dutch():
    assert format_period("2026Q3") == "derde kwartaal 2026"
    assert join_words(["VRO", "BZK", "VWS"]) == "VRO, BZK en VWS"
    assert join_words(["VRO"]) == "VRO"


def test_filters_are_available_to_templates():
    env = register_filters(Environment(autoescape=False))
    template = env.from_string(
        "{{ d | datum }} · {{ n | getal }} · {{ p | procent }} · {{ s | status }} · "
        "{{ m | mijlpaalstatus }} · {{ r | rol }} · {{ q | kwartaal }}"
    )
    out = template.render(
        d=dt.date(2026, 11, 25), n=28721, p=28.6, s="off_track", m="delayed", r="lead", q="2026Q4"
    )
    assert out == (
        "25 november 2026 · 28.721 · 28,6% · achter op schema · vertraagd · trekker · "
        "vierde kwartaal 2026"
    )
