"""What changed since the previous letter: a figure keeps every digit, so the letter's
"350 minder dan in de vorige brief" is right for figures in the millions too."""

from __future__ import annotations

from tests.reporting.letter_factory import make_assessment
from voortgang.reporting.changes import compare_assessments


def _with_value(indicator_id: str, value: float):
    a = make_assessment()
    goals = [
        g.model_copy(
            update={
                "indicators": [
                    i.model_copy(update={"value": value}) if i.indicator_id == indicator_id else i
                    for i in g.indicators
                ]
            }
        )
        for g in a.goals
    ]
    return a.model_copy(update={"goals": goals})


def test_a_figure_in_the_millions_keeps_every_digit():
    before = _with_value("homeless-people", 1_234_567)
    after = _with_value("homeless-people", 1_234_000)

    figure = next(c for c in compare_assessments(before, after) if c.kind == "figure")

    assert (figure.before, figure.after) == ("1234567", "1234000")
    assert float(figure.after) - float(figure.before) == -567
