"""The bundled CBS data per municipality, loaded as observations with their source.

Suspect values are loaded and flagged, never dropped or silently corrected. The municipal
changes since 2021 (``herindelingen_2021_2025.csv``) map the 2021 figures onto today's
indeling; a merged municipality's figure is then an estimate, weighted by dwellings.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t

CBS_DIR = Path(__file__).resolve().parent.parent / "data" / "cbs"
CORPORATION_SHARE = "corporation_share_pct"
POPULATION = "population"
DWELLINGS = "dwellings"
HOUSEHOLD_SIZE = "household_size"
VACANT_SHARE = "vacant_share_pct"
OWNERSHIP_DATASET = "CBS 85039NED"


@dataclass(frozen=True)
class CbsFile:
    filename: str
    dataset: str
    title: str
    reference_date: dt.date
    boundary_year: int
    columns: dict[str, str]  # our indicator -> CSV column


OWNERSHIP_2021 = CbsFile(
    filename="kwb2021_gemeenten_woningen_eigendom.csv",
    dataset=OWNERSHIP_DATASET,
    title="Kerncijfers wijken en buurten 2021",
    reference_date=dt.date(2021, 1, 1),
    boundary_year=2021,
    columns={
        CORPORATION_SHARE: "pct_huur_woningcorporatie",
        "rented_share_pct": "pct_huurwoningen",
        "owner_occupied_share_pct": "pct_koopwoningen",
        "other_landlord_share_pct": "pct_huur_overige_verhuurders",
        POPULATION: "aantal_inwoners_2021",
        # For the dwelling weights of merged municipalities: the 2021 file has no dwelling count.
        HOUSEHOLD_SIZE: "gem_huishoudgrootte",
        VACANT_SHARE: "pct_onbewoond",
    },
)
STOCK_2024 = CbsFile(
    filename="kwb2024_gemeenten_inwoners_woningvoorraad.csv",
    dataset="CBS 85984NED",
    title="Kerncijfers wijken en buurten 2024",
    reference_date=dt.date(2024, 1, 1),
    boundary_year=2024,
    columns={POPULATION: "aantal_inwoners_2024", DWELLINGS: "woningvoorraad_2024"},
)
MUNICIPALITIES_2025 = "gemeenten_2025_provincie.csv"
INDELING_YEAR = 2025
BOUNDARY_CHANGES = "herindelingen_2021_2025.csv"
CBS_FILES = (OWNERSHIP_2021, STOCK_2024)


@dataclass(frozen=True)
class Observation:
    municipality_code: str
    indicator: str
    value: float | None
    reference_date: dt.date
    boundary_year: int
    dataset: str
    source: str
    flagged: bool = False
    flag_reason: str | None = None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def suspect_reason(indicator: str, value: float | None, row: dict[str, str]) -> str | None:
    """Why a value needs checking before anyone relies on it, or None when it looks sound."""
    if indicator == CORPORATION_SHARE and value == 0:
        rented = _number(row.get("pct_huurwoningen", "") or "")
        if rented:
            return (
                f"0% in bezit van een woningcorporatie terwijl {rented:g}% van de woningen "
                "wordt gehuurd: te controleren"
            )
    return None


def observations_from_file(spec: CbsFile, directory: Path = CBS_DIR) -> Iterator[Observation]:
    source = f"{spec.dataset} {spec.title}, peildatum {spec.reference_date.isoformat()}"
    for row in _read_csv(directory / spec.filename):
        for indicator, column in spec.columns.items():
            value = _number(row[column])
            reason = suspect_reason(indicator, value, row)
            yield Observation(
                municipality_code=row["gemeentecode"],
                indicator=indicator,
                value=value,
                reference_date=spec.reference_date,
                boundary_year=spec.boundary_year,
                dataset=spec.dataset,
                source=source,
                flagged=reason is not None,
                flag_reason=reason,
            )


def load_municipalities(session: Session, directory: Path = CBS_DIR) -> int:
    """Every municipality of 2025, plus the ones merged away since 2021 (kept for history)."""
    known = set(session.scalars(select(t.Municipality.code)))
    rows: list[dict[str, object]] = []
    for row in _read_csv(directory / MUNICIPALITIES_2025):
        if row["gemeentecode"] not in known:
            rows.append(
                {
                    "code": row["gemeentecode"],
                    "name": row["gemeentenaam"],
                    "province": row["provincie"] or None,
                    "latest_boundary_year": 2025,
                }
            )
            known.add(row["gemeentecode"])
    for spec in (STOCK_2024, OWNERSHIP_2021):
        for row in _read_csv(directory / spec.filename):
            if row["gemeentecode"] not in known:
                rows.append(
                    {
                        "code": row["gemeentecode"],
                        "name": row["gemeentenaam"],
                        "province": row.get("provincie") or None,
                        "latest_boundary_year": spec.boundary_year,
                    }
                )
                known.add(row["gemeentecode"])
    if rows:
        session.execute(insert(t.Municipality), rows)
    return len(rows)


def store_observations(session: Session, observations: Iterable[Observation]) -> int:
    """Insert the observations not yet stored; returns how many were new."""
    batch = list(observations)
    if not batch:
        return 0
    datasets = {o.dataset for o in batch}
    key_columns = (
        t.MunicipalObservation.municipality_code,
        t.MunicipalObservation.indicator,
        t.MunicipalObservation.reference_date,
        t.MunicipalObservation.dataset,
    )
    existing = set(
        session.execute(select(*key_columns).where(t.MunicipalObservation.dataset.in_(datasets)))
    )
    new = [
        o.__dict__
        for o in batch
        if (o.municipality_code, o.indicator, o.reference_date, o.dataset) not in existing
    ]
    for start in range(0, len(new), 5000):
        session.execute(insert(t.MunicipalObservation), new[start : start + 5000])
    return len(new)


def load_bundled_data(session: Session, directory: Path = CBS_DIR) -> int:
    """Load the bundled CBS files; running it again adds nothing."""
    load_municipalities(session, directory)
    session.flush()
    return sum(store_observations(session, observations_from_file(s, directory)) for s in CBS_FILES)


# --- today's indeling ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoundaryChange:
    """One municipality that ceased to exist: it became part of ``new_code`` on ``effective``."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective: dt.date


@dataclass(frozen=True)
class CurrentMunicipality:
    """A municipality of today's indeling and the codes of the data it is made of."""

    code: str
    name: str  # CBS name, e.g. "Bergen (NH.)"
    province: str
    sources: tuple[str, ...]  # codes in the data's boundary year; () when the data lacks it

    @property
    def unchanged(self) -> bool:
        return self.sources == (self.code,)

    @property
    def combined(self) -> bool:
        return len(self.sources) > 1


class IndelingError(ValueError):
    """The change list and the municipality lists do not fit together."""


def boundary_changes(directory: Path = CBS_DIR) -> list[BoundaryChange]:
    path = directory / BOUNDARY_CHANGES
    changes = []
    for number, row in enumerate(_read_csv(path), start=2):
        try:
            effective = dt.date.fromisoformat(row["ingangsdatum"])
        except ValueError:
            raise IndelingError(
                f"{path.name}: line {number}: ingangsdatum {row['ingangsdatum']!r} is not a "
                "date (expected YYYY-MM-DD)"
            ) from None
        changes.append(
            BoundaryChange(
                old_code=row["gemeentecode_oud"],
                old_name=row["gemeentenaam_oud"],
                new_code=row["gemeentecode_nieuw"],
                new_name=row["gemeentenaam_nieuw"],
                effective=effective,
            )
        )
    return changes


def current_municipalities(directory: Path = CBS_DIR) -> list[dict[str, str]]:
    """Today's indeling: the bundled list of every municipality on 1 January 2025."""
    return _read_csv(directory / MUNICIPALITIES_2025)


def map_to_current(
    data_codes: Iterable[str],
    data_date: dt.date,
    directory: Path = CBS_DIR,
) -> list[CurrentMunicipality]:
    """Each municipality of today with the codes of data dated ``data_date`` that make it up.

    Only changes that took effect after ``data_date`` apply. Every code of the data must land
    in exactly one municipality of today, or the mapping is refused: a figure must never be
    silently lost or counted twice.
    """
    codes = set(data_codes)
    current = current_municipalities(directory)
    current_codes = {r["gemeentecode"] for r in current}
    merged_into: dict[str, list[str]] = {}
    moved: set[str] = set()
    for change in boundary_changes(directory):
        if change.effective <= data_date or change.old_code not in codes:
            continue
        if change.new_code not in current_codes:
            raise IndelingError(
                f"{BOUNDARY_CHANGES}: {change.old_name} ({change.old_code}) goes to "
                f"{change.new_code}, which is not in {MUNICIPALITIES_2025}"
            )
        merged_into.setdefault(change.new_code, []).append(change.old_code)
        moved.add(change.old_code)
    lost = sorted(codes - current_codes - moved)
    if lost:
        raise IndelingError(
            f"{', '.join(lost)}: in the data but neither in {MUNICIPALITIES_2025} nor in "
            f"{BOUNDARY_CHANGES}; add the change that ended it"
        )
    return [
        CurrentMunicipality(
            code=r["gemeentecode"],
            name=r["gemeentenaam"],
            province=r["provincie"],
            sources=tuple(
                ([r["gemeentecode"]] if r["gemeentecode"] in codes else [])
                + sorted(merged_into.get(r["gemeentecode"], []))
            ),
        )
        for r in current
    ]


_SUFFIX = re.compile(r"\s*\((?:[A-Za-z]+\.)+\)$")


def letter_names(rows: Sequence[tuple[str, str, str | None]]) -> dict[str, str]:
    """Names for text readers, from (code, CBS name, province): no "(NH.)" or "(Z.)" suffixes.

    CBS adds a suffix to some names; in running text a name stays bare unless two
    municipalities would then share it, and those get their province in full.
    """
    bare = {code: _SUFFIX.sub("", name) for code, name, _ in rows}
    seen: dict[str, int] = {}
    for name in bare.values():
        seen[name] = seen.get(name, 0) + 1
    return {
        code: f"{bare[code]} ({province})" if seen[bare[code]] > 1 and province else bare[code]
        for code, _, province in rows
    }


def dwelling_weight(values: Mapping[str, float | None]) -> float | None:
    """The dwellings a share counts, for weighting: the count itself, or an estimate of it.

    The 2021 file has no dwelling count; inhabitants divided by the average household size
    is the number of households, about the occupied dwellings, and dividing by the occupied
    share gives all dwellings. For the municipalities that did not change this estimate is
    within a few percent of the dwelling count CBS gives for 2024.
    """
    dwellings = values.get(DWELLINGS)
    if dwellings:
        return dwellings
    population = values.get(POPULATION)
    size = values.get(HOUSEHOLD_SIZE)
    vacant = values.get(VACANT_SHARE) or 0.0
    if not population or not size or vacant >= 100:
        return None
    return population / size / (1 - vacant / 100)


def combine_shares(parts: Sequence[tuple[float | None, float | None]]) -> float | None:
    """A share over several municipalities from (share, dwellings) each: dwelling-weighted.

    Rounded to whole percents, the precision CBS publishes. None when any part lacks a value
    or a weight: a combined figure is never made up from part of the area.
    """
    if not parts or any(share is None or not weight for share, weight in parts):
        return None
    total = sum(float(weight) for _, weight in parts if weight)
    counted = sum(float(share) * float(weight) for share, weight in parts if share and weight)
    return float(int(counted / total + 0.5))
