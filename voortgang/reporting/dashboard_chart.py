"""An indicator against its streefpad, as coordinates for a small inline SVG.

The streefpad is the straight line from the baseline to the target (reporting/trajectory.py).
The page draws the line, the baseline and target, and one dot per reported value; the numbers
also stand in a table beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from voortgang.reporting.dashboard_data import IndicatorTrend

WIDTH, HEIGHT = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 14, 26


class Dot(BaseModel):
    model_config = ConfigDict(frozen=True)

    x: float
    y: float
    period: str


class TrendGeometry(BaseModel):
    model_config = ConfigDict(frozen=True)

    width: int
    height: int
    line: tuple[float, float, float, float]  # baseline (x, y) to target (x, y)
    dots: list[Dot]
    baseline_label_x: float
    target_label_x: float
    axis_y: float


def trend_geometry(trend: IndicatorTrend) -> TrendGeometry:
    start, end = trend.baseline_date, trend.target_date
    days = [start, end, *(p.as_of for p in trend.points)]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    values = [trend.baseline_value, trend.target_value, *(p.value for p in trend.points)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    def y(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM), 1)

    return TrendGeometry(
        width=WIDTH,
        height=HEIGHT,
        line=(x(start), y(trend.baseline_value), x(end), y(trend.target_value)),
        dots=[Dot(x=x(p.as_of), y=y(p.value), period=p.period) for p in trend.points],
        baseline_label_x=x(start),
        target_label_x=x(end),
        axis_y=HEIGHT - BOTTOM + 16,
    )
