"""The municipal picture on today's indeling, and how far VRO's overview per municipality reaches.

The newest CBS table of corporation-owned shares is mapped onto the municipalities of today
(``map_to_current``): a municipality formed from several is an estimate, weighted by
dwellings, and marked as such. Names are the ones readers know, without CBS's suffixes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import MunicipalRules
from voortgang.models.municipal_data import (
    CBS_FILES,
    CORPORATION_SHARE,
    DWELLINGS,
    HOUSEHOLD_SIZE,
    INDELING_YEAR,
    POPULATION,
    VACANT_SHARE,
    combine_shares,
    current_municipalities,
    dwelling_weight,
    letter_names,
    map_to_current,
)
from voortgang.reporting.assessment_schema import (
    DatasetRef,
    InstrumentSummary,
    MunicipalityRef,
    MunicipalityShare,
    MunicipalSummary,
)
from voortgang.reporting.dutch import format_date, format_percent, number_words
from voortgang.reporting.period_data import MinistryData

# The milestone by which VRO says the yearly overview per municipality is complete, and the
# indicator it reports for the share with an urgency scheme: both are checked against the list.
OVERVIEW_MILESTONE = "vro-yearly-ordinance-overview"
URGENCY_INDICATOR = "municipalities-with-urgency-scheme"
_WEIGHT_INDICATORS = (POPULATION, DWELLINGS, HOUSEHOLD_SIZE, VACANT_SHARE)


@dataclass(frozen=True)
class SharesOnIndeling:
    """Every municipality of today with the newest corporation-owned share, and its source."""

    dataset: DatasetRef
    indeling_year: int
    rows: list[MunicipalityShare]
    codes: dict[str, str]  # letter name -> code, for joining (never shown in the letter)
    merged_away: int
    weighted_by_count: bool  # True: CBS dwelling counts; False: estimated from households


def shares_on_current_indeling(session: Session) -> SharesOnIndeling | None:
    """The newest corporation-share data, one row per municipality of today; None without data."""
    obs = t.MunicipalObservation
    latest = session.scalar(
        select(func.max(obs.reference_date)).where(obs.indicator == CORPORATION_SHARE)
    )
    if latest is None:
        return None
    dataset_name, boundary_year = session.execute(
        select(func.max(obs.dataset), func.max(obs.boundary_year)).where(
            obs.indicator == CORPORATION_SHARE, obs.reference_date == latest
        )
    ).one()
    values: dict[str, dict[str, float | None]] = defaultdict(dict)
    flags: dict[str, str | None] = {}
    for o in session.scalars(
        select(obs).where(
            obs.dataset == dataset_name,
            obs.reference_date == latest,
            obs.indicator.in_((CORPORATION_SHARE, *_WEIGHT_INDICATORS)),
        )
    ):
        values[o.municipality_code][o.indicator] = o.value
        if o.indicator == CORPORATION_SHARE and o.flagged:
            flags[o.municipality_code] = o.flag_reason or "te controleren"
    with_share = {code for code, v in values.items() if CORPORATION_SHARE in v}
    current = map_to_current(with_share, latest)
    known = {
        m.code: (m.name, m.province)
        for m in session.scalars(select(t.Municipality).where(t.Municipality.code.in_(with_share)))
    }
    names = letter_names([(m.code, m.name, m.province) for m in current])
    old_names = letter_names([(c, *known.get(c, (c, None))) for c in with_share])
    rows = []
    for m in current:
        parts = [values[c] for c in m.sources]
        if m.combined:
            share = combine_shares([(p.get(CORPORATION_SHARE), dwelling_weight(p)) for p in parts])
        else:
            share = parts[0].get(CORPORATION_SHARE) if parts else None
        reasons = [
            (f"{old_names[c]}: {flags[c]}" if m.combined else str(flags[c]))
            for c in m.sources
            if c in flags
        ]
        rows.append(
            MunicipalityShare(
                code=m.code,
                name=names[m.code],
                province=m.province or None,
                share_pct=share,
                flagged=bool(reasons),
                flag_reason="; ".join(reasons) or None,
                estimated=m.combined,
                combined_from=sorted(old_names[c] for c in m.sources) if m.combined else [],
            )
        )
    title = next((f.title for f in CBS_FILES if f.dataset == dataset_name), None)
    if title is None:  # a table taken in with `voortgang cbs load`: its source names it
        source = session.scalar(
            select(obs.source).where(obs.dataset == dataset_name, obs.reference_date == latest)
        )
        title = str(source or dataset_name).removeprefix(f"{dataset_name} ").split(", peildatum")[0]
    combined_parts = [c for m in current if m.combined for c in m.sources]
    return SharesOnIndeling(
        dataset=DatasetRef(
            dataset=str(dataset_name),
            title=title,
            reference_date=latest,
            boundary_year=int(boundary_year),
        ),
        indeling_year=INDELING_YEAR,
        rows=rows,
        codes={r.name: r.code for r in rows},
        merged_away=len(with_share) - sum(1 for m in current if m.code in with_share),
        weighted_by_count=all(values[c].get(DWELLINGS) for c in combined_parts),
    )


def weighting_text(shares: SharesOnIndeling) -> str | None:
    """The sentence the letter and the annex use for the estimates, or None without any."""
    estimated = [r.name for r in shares.rows if r.estimated]
    if not estimated:
        return None
    year = shares.dataset.reference_date.year
    weights = (
        f"hun aantal woningen in {year}"
        if shares.weighted_by_count
        else (
            f"hun geschatte aantal woningen in {year} (inwoners gedeeld door de gemiddelde "
            "huishoudensgrootte, vermeerderd met de leegstaande woningen)"
        )
    )
    return (
        f"Voor de {number_words(len(estimated))} gemeenten die sinds {year} door samenvoeging zijn ontstaan of "
        "gegroeid, is het aandeel een schatting: het gemiddelde van de gemeenten waaruit zij "
        f"bestaan, gewogen naar {weights}, afgerond op hele procenten."
    )


def summarise_municipalities(session: Session, rules: MunicipalRules) -> MunicipalSummary | None:
    """Counts on today's indeling for the newest corporation-share data; None without data."""
    shares = shares_on_current_indeling(session)
    if shares is None:
        return None
    target = rules.corporation_share_target_pct
    below = sorted(rules.below_thresholds_pct, reverse=True)
    given = [r.share_pct for r in shares.rows if r.share_pct is not None]

    def ordered(rows: list[MunicipalityShare]) -> list[MunicipalityShare]:
        return sorted(rows, key=lambda r: (r.share_pct is None, r.share_pct or 0.0, r.name))

    below_counts = [sum(1 for v in given if v < threshold) for threshold in below]
    return MunicipalSummary(
        source=shares.dataset.dataset,
        dataset=shares.dataset,
        boundary_year=shares.indeling_year,
        data_boundary_year=shares.dataset.boundary_year,
        count=len(shares.rows),
        at_least_30=sum(1 for v in given if v >= target),
        below_25=below_counts[0] if below_counts else 0,
        below_20=below_counts[1] if len(below_counts) > 1 else 0,
        flagged=sorted(r.code for r in shares.rows if r.flagged),
        target_pct=target,
        thresholds=below,
        below_target=ordered(
            [r for r in shares.rows if r.share_pct is not None and r.share_pct < target]
        ),
        flagged_detail=ordered([r for r in shares.rows if r.flagged]),
        estimated=sorted((r for r in shares.rows if r.estimated), key=lambda r: r.name),
        weighting=weighting_text(shares),
        merged_away=shares.merged_away,
    )


def all_shares(session: Session) -> list[float]:
    """Every municipality's share on today's indeling (for the histogram)."""
    shares = shares_on_current_indeling(session)
    if shares is None:
        return []
    return [float(r.share_pct) for r in shares.rows if r.share_pct is not None]


def summarise_instruments(
    session: Session, reporter: MinistryData | None
) -> InstrumentSummary | None:
    """Which municipalities the reporting ministry (VRO) says have which instruments.

    Coverage is counted against today's municipalities, and a claim that the yearly overview
    is complete (its milestone done), or a share with an urgency scheme the list cannot bear,
    goes to ``needs_attention`` for the coordinators.
    """
    if reporter is None or not reporter.instruments:
        return None
    current = [
        (r["gemeentecode"], r["gemeentenaam"], r["provincie"] or None)
        for r in current_municipalities()
    ]
    current_codes = {code for code, _, _ in current}
    rows = list(reporter.instruments)
    reported = {r.municipality_code for r in rows}
    known = {
        m.code: (m.name, m.province)
        for m in session.scalars(select(t.Municipality).where(t.Municipality.code.in_(reported)))
    }
    names = letter_names(
        current + [(c, *known[c]) for c in sorted(reported - current_codes) if c in known]
    )

    def refs(selected: list[t.MunicipalInstruments]) -> list[MunicipalityRef]:
        return sorted(
            (
                MunicipalityRef(
                    code=r.municipality_code,
                    name=names.get(r.municipality_code, r.municipality_code),
                )
                for r in selected
            ),
            key=lambda m: m.name,
        )

    total = len(current)
    covered = len(reported & current_codes)
    with_urgency = [r for r in rows if r.urgency_scheme]
    attention = _coverage_claims(reporter, covered, total, len(with_urgency))
    stale = sorted(names.get(c, c) for c in reported - current_codes)
    if stale:
        attention.append(
            f"Het overzicht noemt {len(stale)} gemeenten die niet meer bestaan: "
            f"{', '.join(stale)}. Vraag {reporter.ref.ministry} ze onder de huidige gemeente te melden."
        )
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
        municipalities_total=total,
        with_ordinance=refs([r for r in rows if r.ordinance]),
        with_urgency_scheme=refs(with_urgency),
        needs_attention=attention,
    )


def _coverage_claims(
    reporter: MinistryData, covered: int, total: int, with_urgency: int
) -> list[str]:
    """What the ministry claims about the overview that its own list does not bear out."""
    ministry = reporter.ref.ministry
    claims = []
    milestone = reporter.milestones.get(OVERVIEW_MILESTONE)
    if milestone is not None and milestone.status == "done" and covered < total:
        claims.append(
            f"{ministry} meldt het jaarlijkse overzicht per gemeente als afgerond, maar het "
            f"overzicht dekt {covered} van de {total} gemeenten; {total - covered} ontbreken. "
            "De brief noemt de dekking; vraag het ontbrekende deel op of laat de status "
            "van de mijlpaal aanpassen."
        )
    indicator = reporter.indicators.get(URGENCY_INDICATOR)
    if indicator is not None and covered < total:
        supported = with_urgency / total * 100
        if indicator.value > supported + 0.5:
            claims.append(
                f"{ministry} meldt {_pct(indicator.value)} van de gemeenten met een "
                f"urgentieregeling (peildatum {format_date(indicator.as_of)}); het "
                f"overzicht per gemeente onderbouwt er {with_urgency} van de {total} "
                f"({_pct(supported)}). Vraag de bron van het hogere cijfer op."
            )
    return claims


def _pct(value: float) -> str:
    return format_percent(value, 1)
