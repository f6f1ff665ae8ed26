"""The municipal picture: corporation-owned share per municipality, counted in SQL."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import MunicipalRules
from voortgang.models.municipal_data import CORPORATION_SHARE, OWNERSHIP_2021
from voortgang.reporting.assessment_schema import (
    DatasetRef,
    InstrumentSummary,
    MunicipalityRef,
    MunicipalityShare,
    MunicipalSummary,
)
from voortgang.reporting.period_data import MinistryData


def summarise_municipalities(session: Session, rules: MunicipalRules) -> MunicipalSummary | None:
    """Counts on the latest reference date of the corporation-share data; None without data."""
    obs = t.MunicipalObservation
    latest = session.scalar(
        select(func.max(obs.reference_date)).where(obs.indicator == CORPORATION_SHARE)
    )
    if latest is None:
        return None
    scope = (obs.indicator == CORPORATION_SHARE, obs.reference_date == latest)
    below = sorted(rules.below_thresholds_pct, reverse=True)
    counts = session.execute(
        select(
            func.count(),
            func.sum(case((obs.value >= rules.corporation_share_target_pct, 1), else_=0)),
            *(func.sum(case((obs.value < threshold, 1), else_=0)) for threshold in below),
            func.max(obs.boundary_year),
            func.max(obs.dataset),
        ).where(*scope)
    ).one()
    total, at_target, *below_counts, boundary_year, dataset = counts
    rows = session.execute(
        select(obs, t.Municipality)
        .join(t.Municipality, t.Municipality.code == obs.municipality_code)
        .where(
            *scope,
            (obs.value < rules.corporation_share_target_pct) | obs.flagged.is_(True),
        )
        .order_by(obs.value, t.Municipality.name)
    )
    below_target: list[MunicipalityShare] = []
    flagged: list[MunicipalityShare] = []
    for o, m in rows:
        share = MunicipalityShare(
            code=m.code,
            name=m.name,
            province=m.province,
            share_pct=o.value,
            flagged=o.flagged,
            flag_reason=o.flag_reason,
        )
        if o.flagged:
            flagged.append(share)
        if o.value is not None and o.value < rules.corporation_share_target_pct:
            below_target.append(share)
    spec = OWNERSHIP_2021
    return MunicipalSummary(
        source=str(dataset),
        dataset=DatasetRef(
            dataset=str(dataset),
            title=spec.title if dataset == spec.dataset else str(dataset),
            reference_date=latest,
            boundary_year=int(boundary_year),
        ),
        boundary_year=int(boundary_year),
        count=int(total),
        at_least_30=int(at_target or 0),
        below_25=int(below_counts[0] or 0) if below_counts else 0,
        below_20=int(below_counts[1] or 0) if len(below_counts) > 1 else 0,
        flagged=sorted(s.code for s in flagged),
        target_pct=rules.corporation_share_target_pct,
        thresholds=below,
        below_target=below_target,
        flagged_detail=flagged,
    )


def all_shares(session: Session) -> list[float]:
    """Every municipality's share on the latest reference date (for the histogram)."""
    obs = t.MunicipalObservation
    latest = select(func.max(obs.reference_date)).where(obs.indicator == CORPORATION_SHARE)
    return [
        float(v)
        for v in session.scalars(
            select(obs.value).where(
                obs.indicator == CORPORATION_SHARE,
                obs.reference_date == latest.scalar_subquery(),
                obs.value.is_not(None),
            )
        )
        if v is not None
    ]


def summarise_instruments(
    session: Session, reporter: MinistryData | None
) -> InstrumentSummary | None:
    """Which municipalities the reporting ministry (VRO) says have which instruments."""
    if reporter is None or not reporter.instruments:
        return None
    names = dict(
        session.execute(
            select(t.Municipality.code, t.Municipality.name).where(
                t.Municipality.code.in_([r.municipality_code for r in reporter.instruments])
            )
        ).all()
    )

    def refs(rows: list[t.MunicipalInstruments]) -> list[MunicipalityRef]:
        return sorted(
            (
                MunicipalityRef(code=r.municipality_code, name=names[r.municipality_code])
                for r in rows
            ),
            key=lambda m: m.name,
        )

    rows = reporter.instruments
    return InstrumentSummary(
        submission=reporter.ref,
        as_of=max(r.as_of for r in rows),
        reported=len(rows),
        with_ordinance_and_urgency=refs([r for r in rows if r.ordinance and r.urgency_scheme]),
        without_ordinance_or_urgency=refs(
            [r for r in rows if not (r.ordinance and r.urgency_scheme)]
        ),
        with_woonzorgvisie=refs([r for r in rows if r.woonzorgvisie]),
        without_woonzorgvisie=refs([r for r in rows if not r.woonzorgvisie]),
        residents_involved=sum(1 for r in rows if r.residents_involved),
        residents_unknown=sum(1 for r in rows if r.residents_involved is None),
    )
