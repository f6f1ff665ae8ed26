"""Charts for the letter as PNG bytes, with Dutch alt text and caption.

Each function draws on its own ``Figure`` with an explicit Agg canvas (no pyplot, so no global
figure registry and no backend switch), inside ``rc_context`` so no style leaks out, and
saves without software or date metadata: the same input gives the same bytes, which keeps the
content hash of the letter stable. Status is never shown by colour alone: hatching and
printed counts carry it too.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType
from pydantic import BaseModel, ConfigDict

from voortgang.reporting.assessment_schema import (
    IndicatorAssessment,
    IndicatorVerdict,
    MilestoneAssessment,
    MunicipalSummary,
)
from voortgang.reporting.dutch import (
    MILESTONE_NOT_REPORTED,
    MILESTONE_STATUS_LABELS,
    format_date,
    format_number,
    format_percent,
    format_value,
    join_words,
    lower_first,
)

LINTBLAUW = "#154273"
DPI = 150

_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: identical glyphs on every machine
    "font.size": 10.5,
    "axes.edgecolor": "#535353",
    "axes.labelcolor": "#000000",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#000000",
    "ytick.color": "#000000",
    "hatch.linewidth": 0.8,
    "path.simplify": False,
    "svg.hashsalt": "voortgang",
}

# Status order, colour and hatch for the milestone chart; the label is printed in the bar too.
_MILESTONE_STYLE: tuple[tuple[str | None, str, str], ...] = (
    ("done", "#154273", ""),
    ("on_track", "#8fcae7", "//"),
    ("not_started", "#e6e6e6", ".."),
    ("at_risk", "#ffb612", "xx"),
    ("delayed", "#d52b1e", "\\\\"),
    (None, "#ffffff", "--"),
)


class Chart(BaseModel):
    """One chart of the letter: ``name`` is also its file name without ``.png``."""

    model_config = ConfigDict(frozen=True)

    name: str
    png: bytes
    alt: str
    caption: str

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


@contextmanager
def _figure(width_in: float, height_in: float) -> Iterator[Figure]:
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(fig)
        try:
            yield fig
        finally:
            fig.clear()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _dutch_axis(value: float, _pos: int) -> str:
    return format_number(value, group_always=True)  # one style along an axis: 5.000, 10.000


def municipal_share_chart(
    summary: MunicipalSummary, shares: Sequence[float] | None = None
) -> Chart:
    """Histogram of municipalities by the share of dwellings owned by a housing corporation.

    ``MunicipalSummary`` only lists the municipalities below the target, so the caller passes
    the share of every municipality in ``shares``. The counts in the alt text come from
    ``shares``; ``summary`` gives the target, dataset and boundary year.
    """
    values = [float(s) for s in (shares or [])]
    if not values:
        raise ValueError("the histogram needs the share of every municipality (shares=...)")
    target = summary.target_pct
    boundary = summary.boundary_year
    at_target = sum(1 for v in values if v >= target)
    below = len(values) - at_target
    thresholds = sorted(summary.thresholds, reverse=True)
    top = max(max(values), target) + 2
    edges = [float(x) for x in range(0, int(top) + 3, 2)]

    with _figure(5.8, 3.5) as fig:
        ax = fig.add_subplot()
        low = [v for v in values if v < target]
        high = [v for v in values if v >= target]
        _counts, _edges, bar_groups = ax.hist(
            [low, high],
            bins=edges,
            stacked=True,
            color=["#b2d7ee", LINTBLAUW],
            edgecolor="#ffffff",
            linewidth=0.6,
            label=[f"minder dan {format_percent(target)}", f"{format_percent(target)} of meer"],
        )
        below_bars = cast(list[list[Rectangle]], bar_groups)[0]
        for patch in below_bars:  # below the target: hatched, so colour is not the only cue
            patch.set_hatch("///")
            patch.set_edgecolor("#154273")
        ax.axvline(target, color="#000000", linewidth=1.6, linestyle="--")
        ax.text(
            target + 0.6,
            0.97,
            f"streven: {format_percent(target)}",
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=9.5,
        )
        ax.set_xlabel("Aandeel woningen in bezit van een woningcorporatie (%)")
        ax.set_ylabel("Aantal gemeenten")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(_dutch_axis))
        ax.set_xlim(0, edges[-1])
        ax.legend(frameon=False, loc="upper right", fontsize=9, bbox_to_anchor=(1.0, 0.9))
        fig.text(
            0.01,
            0.01,
            f"Bron: {summary.source}, gemeentegrenzen {boundary}",
            fontsize=8.5,
            color="#333333",
        )
        fig.subplots_adjust(left=0.11, right=0.98, top=0.96, bottom=0.22)
        png = _png(fig)

    below_parts = [
        f"{format_number(sum(1 for v in values if v < t))} minder dan {format_percent(t)}"
        for t in thresholds
        if t < target
    ]
    alt = (
        f"Histogram van {format_number(len(values))} gemeenten naar het aandeel woningen in "
        f"bezit van een woningcorporatie, in klassen van 2 procentpunt, met een stippellijn "
        f"bij {format_percent(target)}. {format_number(at_target)} gemeenten hebben "
        f"{format_percent(target)} of meer, {format_number(below)} minder"
        + (f"; daarvan hebben er {join_words(below_parts)}" if below_parts else "")
        + f". Het hoogste aandeel is {format_percent(max(values))}, het laagste "
        f"{format_percent(min(values))}. Bron: {summary.source}, peildatum "
        f"{format_date(summary.dataset.reference_date)}, gemeentegrenzen {boundary}."
    )
    caption = (
        f"Gemeenten naar aandeel woningen in bezit van een woningcorporatie, "
        f"{format_date(summary.dataset.reference_date)} (gemeentegrenzen {boundary})"
    )
    return Chart(name="gemeenten-corporatiebezit", png=png, alt=alt, caption=caption)


def milestone_status_chart(
    milestones: Sequence[MilestoneAssessment], ministry_labels: dict[str, str]
) -> Chart:
    """Stacked horizontal bars: milestones per ministry by reported status.

    ``ministry_labels`` maps ministry codes to the short names on the axis, in display order;
    ministries without milestones still get an (empty) bar so nobody drops out of the picture.
    """
    counts: dict[str, Counter[str | None]] = {code: Counter() for code in ministry_labels}
    for ms in milestones:
        counts.setdefault(ms.ministry, Counter())[ms.status] += 1
    codes = list(counts)
    labels = [ministry_labels.get(code, code) for code in codes]
    present = [style for style in _MILESTONE_STYLE if any(counts[c][style[0]] for c in codes)]

    with _figure(5.8, 0.42 * len(codes) + 1.6) as fig:
        ax = fig.add_subplot()
        positions = list(range(len(codes)))[::-1]
        left = [0.0] * len(codes)
        for status, colour, hatch in present:
            widths = [float(counts[c][status]) for c in codes]
            name = MILESTONE_STATUS_LABELS.get(status or "", MILESTONE_NOT_REPORTED)
            bars = ax.barh(
                positions,
                widths,
                left=left,
                color=colour,
                edgecolor="#000000",
                linewidth=0.6,
                hatch=hatch,
                label=name,
                height=0.62,
            )
            for bar, width in zip(bars, widths, strict=True):
                if width:
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        bar.get_y() + bar.get_height() / 2,
                        format_number(width),
                        ha="center",
                        va="center",
                        fontsize=9.5,
                        color="#000000",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffff", "ec": "none"},
                    )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(positions, labels)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Aantal mijlpalen")
        ax.set_xlim(0, max(max(left), 1) + 0.5)
        height = fig.get_figheight()
        ax.legend(
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.45, -0.9 / height * 1.6),
            ncol=3,
            fontsize=9.5,
            handlelength=2.4,
            handleheight=1.2,
        )
        fig.subplots_adjust(left=0.24, right=0.97, top=0.98, bottom=1.55 / height)
        png = _png(fig)

    parts = []
    for code, label in zip(codes, labels, strict=True):
        total = sum(counts[code].values())
        detail = [
            f"{format_number(counts[code][s])} "
            f"{MILESTONE_STATUS_LABELS.get(s or '', MILESTONE_NOT_REPORTED)}"
            for s, _c, _h in _MILESTONE_STYLE
            if counts[code][s]
        ]
        word = "mijlpaal" if total == 1 else "mijlpalen"
        parts.append(
            f"{label}: {format_number(total)} {word}"
            + (f" ({join_words(detail)})" if detail else "")
        )
    total_all = sum(sum(c.values()) for c in counts.values())
    alt = (
        f"Liggend staafdiagram van {format_number(total_all)} mijlpalen per ministerie, "
        f"gestapeld naar de gemelde status; elke status heeft een eigen arcering en het aantal "
        f"staat in de staaf. " + "; ".join(parts) + "."
    )
    caption = "Mijlpalen per ministerie naar gemelde status"
    return Chart(name="mijlpalen-per-ministerie", png=png, alt=alt, caption=caption)


def indicator_trajectory_chart(
    indicator: IndicatorAssessment, today: dt.date, name: str | None = None
) -> Chart:
    """One indicator against its straight line from baseline to target, with a "nu" marker.

    ``name`` (default ``lijn-<indicator id>``) is the chart's file name without ``.png``."""
    now = indicator.as_of or today
    unit = indicator.unit
    # A target date the programme assumed is no line to judge by: draw the target as a level
    # without a date, and only as far as today (the letter gives no verdict on the pace).
    dated = indicator.verdict is not IndicatorVerdict.no_official_date
    base_x = indicator.baseline_date
    target_x = indicator.target_date if dated else max(today, now) + dt.timedelta(days=180)

    with _figure(5.8, 3.8) as fig:
        ax = fig.add_subplot()
        if dated:
            ax.plot(
                [_days(base_x), _days(target_x)],
                [indicator.baseline_value, indicator.target_value],
                color=LINTBLAUW,
                linestyle="--",
                linewidth=1.4,
                label="lijn naar het doel",
            )
        else:
            ax.axhline(
                indicator.target_value,
                color=LINTBLAUW,
                linestyle="--",
                linewidth=1.4,
                label="doel (de bron noemt geen datum)",
            )
        ax.plot(
            [_days(base_x)],
            [indicator.baseline_value],
            marker="s",
            color=LINTBLAUW,
            linestyle="none",
            label="uitgangswaarde",
        )
        if dated:
            ax.plot(
                [_days(target_x)],
                [indicator.target_value],
                marker="D",
                color=LINTBLAUW,
                markerfacecolor="#ffffff",
                linestyle="none",
                label="doel",
            )
        if indicator.expected_now is not None and dated:
            ax.plot(
                [_days(now)],
                [indicator.expected_now],
                marker="o",
                markerfacecolor="#ffffff",
                color="#535353",
                linestyle="none",
                label="verwacht volgens de lijn",
            )
        if indicator.value is not None:
            ax.plot(
                [_days(now)],
                [indicator.value],
                marker="o",
                markersize=8,
                color="#d52b1e",
                linestyle="none",
                label="gemeten",
            )
        ax.axvline(_days(today), color="#000000", linewidth=0.9, linestyle=":")
        ax.text(
            _days(today),
            1.0,
            " nu",
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=9.5,
        )
        years = [
            y
            for y in range(base_x.year, target_x.year + 2)
            if base_x - dt.timedelta(days=45)
            <= dt.date(y, 1, 1)
            <= target_x + dt.timedelta(days=45)
        ]
        ax.set_xticks([_days(dt.date(y, 1, 1)) for y in years], [str(y) for y in years])
        ax.yaxis.set_major_formatter(FuncFormatter(_dutch_axis))
        ax.set_ylabel(unit if len(unit) < 28 else unit[:26] + "…")
        low = min(indicator.baseline_value, indicator.target_value, indicator.value or 0.0)
        high = max(indicator.baseline_value, indicator.target_value, indicator.value or 0.0)
        pad = (high - low) * 0.08 or 1.0
        ax.set_ylim(low - pad, high + pad)
        ax.legend(
            frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.45, -0.1), ncol=3
        )
        fig.subplots_adjust(left=0.15, right=0.98, top=0.95, bottom=0.27)
        png = _png(fig)

    if dated:
        alt = (
            f"Lijndiagram van {lower_first(indicator.title)}: een rechte lijn van de "
            f"uitgangswaarde {format_value(indicator.baseline_value, unit)} op "
            f"{format_date(base_x)} naar het doel {format_value(indicator.target_value, unit)} "
            f"op {format_date(target_x)}."
        )
    else:
        alt = (
            f"Diagram van {lower_first(indicator.title)}: de uitgangswaarde "
            f"{format_value(indicator.baseline_value, unit)} op {format_date(base_x)} en het "
            f"doel {format_value(indicator.target_value, unit)}, waarvoor de bron geen datum "
            "noemt."
        )
    if indicator.value is not None:
        alt += f" Gemeten op {format_date(now)}: {format_value(indicator.value, unit)}."
    else:
        alt += " Er is nog geen gemeten waarde."
    if indicator.expected_now is not None and dated:
        alt += (
            f" Verwacht volgens de lijn naar het doel: "
            f"{format_value(indicator.expected_now, unit)}."
        )
    caption = (
        f"{indicator.title}: stand tegenover de lijn naar het doel"
        if dated
        else f"{indicator.title}: stand en doel (de bron noemt geen datum)"
    )
    return Chart(name=name or f"lijn-{indicator.indicator_id}", png=png, alt=alt, caption=caption)


def _days(day: dt.date) -> float:
    """A date on matplotlib's default date axis (days since 1970-01-01), without its untyped
    converters."""
    return float((day - dt.date(1970, 1, 1)).days)
