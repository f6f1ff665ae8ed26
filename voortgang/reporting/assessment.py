"""Judging a period: every goal gets a status with its reasons, per ministry and as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from voortgang.models.catalogue import Catalogue, Goal, Indicator, Milestone, Rules
from voortgang.models.period_store import period_deadline
from voortgang.models.periods import Quarter
from voortgang.reporting.assessment_schema import (
    SEVERITY,
    DatasetRef,
    Figure,
    GoalAssessment,
    GoalState,
    IndicatorAssessment,
    IndicatorVerdict,
    MilestoneAssessment,
    MinistrySubmission,
    MinistryView,
    MunicipalSummary,
    PeriodAssessment,
)
from voortgang.reporting.dutch import (
    format_date,
    format_percent,
    format_period,
    format_points,
    format_value,
)
from voortgang.reporting.messages import reason
from voortgang.reporting.municipal_summary import summarise_instruments, summarise_municipalities
from voortgang.reporting.period_data import MinistryData, load_period_data
from voortgang.reporting.trajectory import judge

DATA = "data"
MUNICIPAL_INDICATOR = "municipalities-corporation-share-30"


def worst(states: list[GoalState]) -> GoalState:
    """The worst state that says something; no_data only when nothing says anything."""
    return max(states, key=lambda s: SEVERITY[s], default=GoalState.no_data)


def _deviation_words(ind: Indicator, deviation: float, expected: float) -> str:
    """``51.945 woningen (41%) achter op het streefpad``; ``3,2 procentpunt voor ...``."""
    amount = abs(deviation)
    if ind.is_percentage:
        shown = format_points(round(amount, 1))
    else:
        shown = format_value(round(amount), ind.unit)
    if round(amount, 1) == 0:
        return reason("deviation_on_path")
    if deviation < 0:
        return reason("deviation_ahead", amount=shown)
    if not ind.is_percentage and expected and ind.direction.value == "increase":
        # For counts the share of the streefpad says how serious it is: 41% short of the path.
        share = format_percent(round(amount / abs(expected) * 100))
        return reason("deviation_behind_share", amount=shown, share=share)
    return reason("deviation_behind", amount=shown)


def _threshold_words(ind: Indicator, rules: Rules) -> str:
    limits = ind.thresholds
    if limits is None:
        return reason(
            "deviation_thresholds_pct",
            at_risk=format_percent(rules.indicators.trajectory_tolerance_pct),
            off_track=format_percent(rules.indicators.off_track_below_trajectory_pct),
        )

    def shown(x: float) -> str:
        return format_points(x) if ind.is_percentage else format_value(x, ind.unit)

    return reason(
        "deviation_thresholds", at_risk=shown(limits.at_risk), off_track=shown(limits.off_track)
    )


def assess_indicator(
    ind: Indicator,
    data: MinistryData | None,
    rules: Rules,
    municipal: MunicipalSummary | None,
    period: Quarter | None = None,
) -> IndicatorAssessment:
    """One indicator's state for ``period``.

    A verdict needs a measurement dated on or after the period's first day (a later one, taken
    before the check, counts too) and a target date that a Kamerstuk or law names; without
    either the indicator is shown with its value and target but judges nothing (no_data).
    """
    value: float | None = None
    as_of: dt.date | None = None
    source: str | None = None
    dataset: DatasetRef | None = None
    earlier: str | None = None
    measure: str | None = None
    if ind.reported_by == DATA and ind.id == MUNICIPAL_INDICATOR and municipal is not None:
        value = round(municipal.at_least_30 / municipal.count * 100, 1) if municipal.count else None
        as_of = municipal.dataset.reference_date
        dataset = municipal.dataset
        source = f"{municipal.dataset.dataset} {municipal.dataset.title}"
    elif data is not None and ind.id in data.indicators:
        obs = data.indicators[ind.id]
        value, as_of, source = obs.value, obs.as_of, obs.source
        measure = obs.measure
        earlier = None if data.current else data.ref.period
    common = {
        "indicator_id": ind.id,
        "title": ind.title,
        "unit": ind.unit,
        "direction": ind.direction.value,
        "reported_by": ind.reported_by,
        "baseline_value": ind.baseline.value,
        "baseline_date": ind.baseline.date,
        "target_value": ind.target.value,
        "target_date": ind.target.date,
        "target_source": ind.target.source,
        "target_date_official": ind.target.date_official,
        "source": source,
        "submission": data.ref
        if data is not None and dataset is None and value is not None
        else None,
        "dataset": dataset,
        "from_earlier_period": earlier,
        "measure": measure,
    }
    if value is None or as_of is None:
        return IndicatorAssessment(
            **common,
            value=None,
            as_of=None,
            expected_now=None,
            status=GoalState.no_data,
            reason=reason("indicator_no_value", title=ind.title),
            verdict=IndicatorVerdict.no_value,
        )
    words = {
        "title": ind.title,
        "value": format_value(value, ind.unit),
        "as_of": format_date(as_of),
        "target": format_value(ind.target.value, ind.unit),
        "target_date": format_date(ind.target.date),
        "target_year": ind.target.date.year,
    }
    if period is not None and as_of < period.start:
        is_baseline = as_of == ind.baseline.date and value == ind.baseline.value
        reporter = "het ministerie van " + ind.reported_by if ind.reported_by != DATA else "CBS"
        return IndicatorAssessment(
            **common,
            value=value,
            as_of=as_of,
            expected_now=None,
            status=GoalState.no_data,
            reason=reason(
                "indicator_no_new_measurement",
                period=format_period(str(period)),
                baseline_note=reason("indicator_baseline_note") if is_baseline else "",
                **words,
            ),
            verdict=IndicatorVerdict.no_new_measurement,
            notes=[
                reason(
                    "note_no_new_measurement",
                    period=format_period(str(period)),
                    period_start=format_date(period.start),
                    reporter=reporter,
                    **words,
                )
            ],
        )
    increase = ind.direction.value == "increase"
    sign = 1.0 if increase else -1.0
    if sign * (value - ind.target.value) >= 0:
        return IndicatorAssessment(
            **common,
            value=value,
            as_of=as_of,
            expected_now=None,
            status=GoalState.on_track,
            reason=reason("indicator_target_reached", **words),
            verdict=IndicatorVerdict.target_reached,
        )
    if not ind.target.date_official:
        return IndicatorAssessment(
            **common,
            value=value,
            as_of=as_of,
            expected_now=None,
            status=GoalState.no_data,
            reason=reason("indicator_no_official_date", **words),
            verdict=IndicatorVerdict.no_official_date,
            notes=[reason("note_no_official_date", source=ind.target.source, **words)],
        )
    limits = ind.thresholds
    j = judge(
        value,
        as_of,
        baseline=ind.baseline.value,
        baseline_date=ind.baseline.date,
        target=ind.target.value,
        target_date=ind.target.date,
        increase=increase,
        tolerance_pct=rules.indicators.trajectory_tolerance_pct,
        off_track_pct=rules.indicators.off_track_below_trajectory_pct,
        at_risk_deviation=limits.at_risk if limits else None,
        off_track_deviation=limits.off_track if limits else None,
    )
    deviation = _deviation_words(ind, j.deviation, j.expected)
    if j.state is not GoalState.on_track:
        deviation += f" ({_threshold_words(ind, rules)})"
    words |= {"expected": format_value(round(j.expected, 1), ind.unit), "deviation": deviation}
    if j.deadline_passed:
        text = reason("indicator_deadline_missed", **words)
    elif j.state is GoalState.on_track:
        text = reason("indicator_on_trajectory", **words)
    else:
        text = reason("indicator_behind", **words)
    return IndicatorAssessment(
        **common,
        value=value,
        as_of=as_of,
        expected_now=round(j.expected, 2),
        status=j.state,
        reason=text,
        verdict=IndicatorVerdict.trajectory,
        deviation=round(j.deviation, 2),
    )


def assess_milestone(
    ms: Milestone, data: MinistryData | None, rules: Rules, today: dt.date
) -> MilestoneAssessment:
    update = data.milestones.get(ms.id) if data is not None else None
    earlier = None if data is None or data.current else data.ref.period
    status = update.status if update else None
    overdue = ms.due < today and status != "done"
    late = bool(update and update.expected_completion and update.expected_completion > ms.due)
    wanted = set(rules.milestones.at_risk_when_any)
    reasons: list[tuple[GoalState, str]] = []
    words = {"title": ms.title, "ministry": ms.ministry, "due": format_date(ms.due)}
    if update is None:
        reasons.append((GoalState.no_data, reason("milestone_no_update", **words)))
    elif status == "done":
        reasons.append((GoalState.on_track, reason("milestone_done", **words)))
    else:
        if status in ("delayed", "at_risk") and status in wanted:
            reasons.append((GoalState.at_risk, reason(f"milestone_{status}", **words)))
        if late and "late_expected" in wanted and update.expected_completion:
            expected = format_date(update.expected_completion)
            reasons.append(
                (GoalState.at_risk, reason("milestone_late_expected", expected=expected, **words))
            )
        if status == "not_started" and not overdue:
            reasons.append((GoalState.on_track, reason("milestone_not_started", **words)))
        elif status in ("on_track", "not_started"):
            progress = format_percent(update.progress)
            reasons.append(
                (GoalState.on_track, reason("milestone_on_track", progress=progress, **words))
            )
    if overdue:
        late_days = (today - ms.due).days
        severe = late_days > rules.milestones.off_track_when_overdue_days
        state = GoalState.off_track if severe else GoalState.at_risk
        reasons.append((state, reason("milestone_overdue", **words)))
    state = worst([s for s, _ in reasons])
    text = " ".join(r for s, r in reasons if s == state)
    return MilestoneAssessment(
        milestone_id=ms.id,
        title=ms.title,
        ministry=ms.ministry,
        goal_id=ms.goal,
        due=ms.due,
        status=status,
        progress=update.progress if update else None,
        narrative=update.narrative if update else None,
        expected_completion=update.expected_completion if update else None,
        status_reason=update.status_reason if update else None,
        measure=update.measure if update else None,
        overdue=overdue,
        late_expected=late,
        state=state,
        reason=text,
        submission=data.ref if data is not None and update is not None else None,
        from_earlier_period=earlier if update is not None else None,
    )


def _figure(ind: IndicatorAssessment) -> Figure:
    return Figure(
        name=ind.title,
        value=ind.value,
        unit=ind.unit,
        as_of=ind.as_of,
        source=ind.source or "",
        period=ind.from_earlier_period,
    )


def _municipal_state(
    m: MunicipalSummary, rules: Rules, period: Quarter | None = None
) -> tuple[GoalState, list[str]]:
    share = m.at_least_30 / m.count * 100 if m.count else 0.0
    texts = [
        reason(
            "municipal_share",
            at_target=m.at_least_30,
            count=m.count,
            share=format_percent(round(share, 1)),
            target=format_percent(m.target_pct),
            dataset=m.dataset.dataset,
            year=m.boundary_year,
        )
    ]
    if m.flagged:
        names = ", ".join(r.name for r in m.flagged_detail)  # names, never CBS codes, in text
        texts.append(reason("municipal_flagged", count=len(m.flagged), codes=names))
    if period is not None and m.dataset.reference_date < period.start:
        # Figures from before the period show where municipalities stood, not how they move.
        texts.append(
            reason(
                "municipal_no_new_measurement",
                reference_date=format_date(m.dataset.reference_date),
                period=format_period(str(period)),
            )
        )
        return GoalState.no_data, texts
    below = share < rules.municipal.at_risk_if_share_at_target_below_pct
    return (GoalState.at_risk if below else GoalState.on_track), texts


def assess_goal(
    goal: Goal,
    catalogue: Catalogue,
    period_data: dict[str, MinistryData],
    period: str,
    today: dt.date,
    municipal: MunicipalSummary | None,
    not_processed: Mapping[str, str] | None = None,
) -> GoalAssessment:
    rules = catalogue.rules
    quarter = Quarter.parse(period)
    indicators = [
        assess_indicator(
            catalogue.indicator(i),
            period_data.get(catalogue.indicator(i).reported_by),
            rules,
            municipal,
            quarter,
        )
        for i in goal.indicators
    ]
    milestones = [
        assess_milestone(ms, period_data.get(ms.ministry), rules, today)
        for ms in catalogue.milestones
        if ms.goal == goal.id
    ]
    views: list[MinistryView] = []
    for code, role in [(goal.lead, "lead")] + [(c, "contributor") for c in goal.contributors]:
        data = period_data.get(code)
        submitted = data is not None and data.current
        own: list[tuple[GoalState, str]] = [
            (m.state, m.reason) for m in milestones if m.ministry == code
        ] + [(i.status, i.reason) for i in indicators if i.reported_by == code]
        if submitted:
            state = worst([s for s, _ in own])
            reasons = [r for s, r in own if s == state and s is not GoalState.no_data]
            # Nothing judged (only older measurements, assumed dates): say why, not nothing.
            reasons = reasons or [i.reason for i in indicators if i.reported_by == code]
        else:
            # Older updates may be shown, marked with their period, but they do not judge
            # this period: the ministry's part of the goal has no data.
            state = GoalState.no_data
            key = "ministry_not_processed" if code in (not_processed or {}) else "ministry_missing"
            reasons = [reason(key, ministry=code, period=format_period(period))]
            if data is not None and own:
                reasons.append(
                    reason(
                        "ministry_earlier_data",
                        ministry=code,
                        period=format_period(data.ref.period),
                    )
                )
        if own or not submitted:
            views.append(
                MinistryView(
                    ministry=code, role=role, status=state, reasons=reasons, submitted=submitted
                )
            )
    states = [v.status for v in views] + [i.status for i in indicators if i.reported_by == DATA]
    reasons = [r for v in views if not v.submitted for r in v.reasons[:1]]
    for ind in indicators:
        if ind.reported_by == DATA:
            reasons.append(ind.reason)
    if goal.id == "social-rent-share" and municipal is not None:
        state, texts = _municipal_state(municipal, rules, quarter)
        states.append(state)
        reasons += texts
    status = worst(states)
    reasons += [
        r
        for v in views
        if v.status == status and v.status is not GoalState.no_data
        for r in v.reasons
        if r not in reasons
    ]
    judged = {IndicatorVerdict.trajectory, IndicatorVerdict.target_reached}
    if (
        indicators
        and status is GoalState.on_track
        and not any(i.verdict in judged for i in indicators)
    ):
        # Milestones on schedule say the work goes on, not that the goal is on its way: with
        # no indicator judged this period the goal gets no "op schema" (bad news still counts).
        status = GoalState.no_data
        reasons.insert(0, reason("goal_no_indicator_verdict"))
        reasons += [
            r
            for v in views
            if v.status is GoalState.on_track
            for r in v.reasons
            if r not in reasons
        ]
    # Indicators that judge nothing still tell the reader where they stand and why not.
    reasons += [
        i.reason
        for i in indicators
        if i.verdict in (IndicatorVerdict.no_new_measurement, IndicatorVerdict.no_official_date)
        and i.reason not in reasons
    ]
    if not reasons:
        reasons.append(reason("no_information"))
    return GoalAssessment(
        id=goal.id,
        title=goal.title,
        lead=goal.lead,
        contributors=goal.contributors,
        status=status,
        reasons=reasons,
        by_ministry=views,
        indicators=indicators,
        milestones=milestones,
        figures=[_figure(i) for i in indicators if i.value is not None],
        seed_question=goal.seed_question,
    )


def _submission_overview(
    session: Session, catalogue: Catalogue, period_data: Mapping[str, MinistryData]
) -> list[MinistrySubmission]:
    overview = []
    for m in catalogue.ministries:
        data = period_data.get(m.code)
        current = data is not None and data.current
        overview.append(
            MinistrySubmission(
                code=m.code,
                name=m.name,
                submitted=current,
                latest=data.ref if data is not None and current else None,
                versions=data.versions if data is not None and current else 0,
                milestones=len(data.milestones) if data is not None and current else 0,
                indicators=len(data.indicators) if data is not None and current else 0,
            )
        )
    return overview


def assess_period(
    session: Session,
    catalogue: Catalogue,
    period: str,
    *,
    today: dt.date | None = None,
    exclude: Mapping[str, str] | None = None,
) -> PeriodAssessment:
    """The status of every goal for ``period``, from what is stored now.

    ``exclude`` (ministry -> reason) leaves those ministries' data out, as if they had not
    submitted, and records why: one ministry's unusable data must not stop the others.
    """
    quarter = Quarter.parse(period)
    today = today or dt.date.today()
    exclude = dict(exclude or {})
    stored = load_period_data(session, str(quarter))
    period_data = {code: data for code, data in stored.items() if code not in exclude}
    municipal = summarise_municipalities(session, catalogue.rules.municipal)
    reporter = next(
        (
            period_data.get(i.reported_by)
            for i in catalogue.indicators
            if i.id == "municipalities-with-urgency-scheme"
        ),
        None,
    )
    return PeriodAssessment(
        period=str(quarter),
        assessed_on=today,
        deadline=period_deadline(session, str(quarter)),
        goals=[
            assess_goal(g, catalogue, period_data, str(quarter), today, municipal, exclude)
            for g in catalogue.goals
        ],
        missing_ministries=[
            m.code
            for m in catalogue.ministries
            if not (m.code in stored and stored[m.code].current)
        ],
        submissions=_submission_overview(session, catalogue, stored),
        municipalities=municipal,
        instruments=summarise_instruments(session, reporter),
        not_processed={code: why for code, why in exclude.items() if code in stored},
    )
