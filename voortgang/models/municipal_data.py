"""The bundled CBS data per municipality, loaded as observations with their source.

Suspect values are loaded and flagged, never dropped or silently corrected.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t

CBS_DIR = Path(__file__).resolve().parent.parent / "data" / "cbs"
CORPORATION_SHARE = "corporation_share_pct"
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
        "population": "aantal_inwoners_2021",
    },
)
STOCK_2024 = CbsFile(
    filename="kwb2024_gemeenten_inwoners_woningvoorraad.csv",
    dataset="CBS 85984NED",
    title="Kerncijfers wijken en buurten 2024",
    reference_date=dt.date(2024, 1, 1),
    boundary_year=2024,
    columns={"population": "aantal_inwoners_2024", "dwellings": "woningvoorraad_2024"},
)
MUNICIPALITIES_2025 = "gemeenten_2025_provincie.csv"
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
