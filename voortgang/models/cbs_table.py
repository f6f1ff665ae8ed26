"""A newer CBS table "Kerncijfers wijken en buurten", as CBS open data serves it, taken in.

The accepted format is the JSON of the CBS OData API (v3), ``TypedDataSet``:
``{"odata.metadata": ".../ODataApi/OData/86165NED/$metadata#...", "value": [ {...}, ... ]}``,
e.g. from
``https://opendata.cbs.nl/ODataApi/odata/86165NED/TypedDataSet?$filter=startswith(WijkenEnBuurten,'GM')``.
A list of the same rows (what ``cbsodata.get_data`` returns, saved as JSON) is accepted too.
CBS numbers its fields per year (``InBezitWoningcorporatie_42`` in 2021, ``_49`` in 2025),
so a field is found by its name without the number. Municipality rows are those whose code
(``WijkenEnBuurten`` or ``Codering_N``) starts with ``GM``.

The table becomes a dataset of its own (``CBS 86165NED``, peildatum 1 January of its year);
the letter counts the newest one. Nothing is stored unless the whole file is sound.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.municipal_data import (
    CORPORATION_SHARE,
    DWELLINGS,
    HOUSEHOLD_SIZE,
    POPULATION,
    VACANT_SHARE,
    IndelingError,
    Observation,
    map_to_current,
    store_observations,
    suspect_reason,
)

TABLE_ID = re.compile(r"^\d{5}[A-Z]{3}$")
_NUMBERED = re.compile(r"^(?P<base>.+?)_\d+$")
_TABLE_IN_METADATA = re.compile(r"/OData/(?P<table>\d{5}[A-Z]{3})/", re.IGNORECASE)

# Our indicator -> the CBS field name without its number.
REQUIRED = {
    CORPORATION_SHARE: "InBezitWoningcorporatie",
    "rented_share_pct": "HuurwoningenTotaal",
    "owner_occupied_share_pct": "Koopwoningen",
    POPULATION: "AantalInwoners",
}
OPTIONAL = {
    "other_landlord_share_pct": "InBezitOverigeVerhuurders",
    DWELLINGS: "Woningvoorraad",
    HOUSEHOLD_SIZE: "GemiddeldeHuishoudensgrootte",
    VACANT_SHARE: "PercentageOnbewoond",
}
PERCENTAGES = {
    CORPORATION_SHARE,
    "rented_share_pct",
    "owner_occupied_share_pct",
    "other_landlord_share_pct",
    VACANT_SHARE,
}


class CbsTableError(ValueError):
    """The file is not a usable CBS table; the message names the file, row and column."""


@dataclass(frozen=True)
class CbsTable:
    table: str  # e.g. 86165NED
    year: int
    title: str
    names: dict[str, str]  # code -> CBS name
    observations: list[Observation]

    @property
    def dataset(self) -> str:
        return f"CBS {self.table}"


@dataclass(frozen=True)
class LoadResult:
    dataset: str
    municipalities: int
    added: int
    flagged: int


def _base(field: str) -> str:
    match = _NUMBERED.match(field)
    return match.group("base") if match else field


def _rows(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CbsTableError(
            f"{path}: not readable as JSON ({exc}); expected the TypedDataSet JSON of CBS open data"
        ) from None
    metadata = None
    if isinstance(data, dict):
        metadata = data.get("odata.metadata")
        data = data.get("value")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CbsTableError(
            f"{path}: expected the TypedDataSet JSON of CBS open data: an object with a "
            "'value' list of rows (or such a list itself)"
        )
    match = _TABLE_IN_METADATA.search(metadata) if isinstance(metadata, str) else None
    return data, match.group("table").upper() if match else None


def _code(row: dict[str, Any]) -> str | None:
    for field, value in row.items():
        is_code = _base(field) in ("WijkenEnBuurten", "Codering") and isinstance(value, str)
        if is_code and value.strip().startswith("GM"):
            return str(value).strip()
    return None


def _number(path: Path, code: str, field: str, value: Any, indicator: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", ".")):
        return None  # CBS writes "." or leaves the cell empty where a figure is secret or absent
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CbsTableError(f"{path}: {code}, column {field}: {value!r} is not a number")
    try:
        number = float(value)
    except ValueError:
        raise CbsTableError(f"{path}: {code}, column {field}: {value!r} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise CbsTableError(
            f"{path}: {code}, column {field}: {value!r} is not a number of 0 or more"
        )
    if indicator in PERCENTAGES and number > 100:
        raise CbsTableError(
            f"{path}: {code}, column {field}: {number:g} is not a percentage (0 to 100)"
        )
    return number


def read_cbs_table(path: Path, *, year: int, table: str | None = None) -> CbsTable:
    """The municipality rows of a CBS table file, checked; raises ``CbsTableError``."""
    rows, from_metadata = _rows(path)
    table_id = (table or from_metadata or "").upper()
    if not TABLE_ID.match(table_id):
        raise CbsTableError(
            f"{path}: no CBS table number in 'odata.metadata'; give it with --table (e.g. 86165NED)"
        )
    if not 2000 <= year <= dt.date.today().year:
        raise CbsTableError(f"--year: {year} is not a year of a published CBS table")
    municipal = [(code, r) for r in rows if (code := _code(r)) is not None]
    if not municipal:
        raise CbsTableError(
            f"{path}: no municipality rows (a code starting with GM in WijkenEnBuurten or Codering)"
        )
    fields = {_base(f): f for f in municipal[0][1]}
    missing = [f"{name}_<n>" for name in REQUIRED.values() if name not in fields]
    if missing:
        raise CbsTableError(
            f"{path}: column {', '.join(missing)} is missing; expected the fields of "
            "'Kerncijfers wijken en buurten' (CBS numbers them per year)"
        )
    columns = {
        indicator: fields[name]
        for indicator, name in (REQUIRED | OPTIONAL).items()
        if name in fields
    }
    name_field = next((f for b, f in fields.items() if b == "Gemeentenaam"), None)
    reference = dt.date(year, 1, 1)
    title = f"Kerncijfers wijken en buurten {year}"
    source = f"CBS {table_id} {title}, peildatum {reference.isoformat()}"
    names: dict[str, str] = {}
    observations: list[Observation] = []
    for code, row in municipal:
        if code in names:
            raise CbsTableError(f"{path}: {code} appears twice; each municipality once")
        names[code] = str(row.get(name_field) or code).strip() if name_field else code
        values = {
            indicator: _number(path, code, field, row.get(field), indicator)
            for indicator, field in columns.items()
        }
        rented = values.get("rented_share_pct")
        for indicator, value in values.items():
            reason = suspect_reason(
                indicator, value, {"pct_huurwoningen": "" if rented is None else str(rented)}
            )
            observations.append(
                Observation(
                    municipality_code=code,
                    indicator=indicator,
                    value=value,
                    reference_date=reference,
                    boundary_year=year,
                    dataset=f"CBS {table_id}",
                    source=source,
                    flagged=reason is not None,
                    flag_reason=reason,
                )
            )
    try:
        map_to_current(names, reference)
    except IndelingError as exc:
        raise CbsTableError(f"{path}: {exc}") from None
    return CbsTable(table=table_id, year=year, title=title, names=names, observations=observations)


def store_cbs_table(session: Session, table: CbsTable) -> LoadResult:
    """Store the table as a dataset; loading the same table again adds nothing."""
    known = set(session.scalars(select(t.Municipality.code)))
    new = [
        {"code": code, "name": name, "province": None, "latest_boundary_year": table.year}
        for code, name in table.names.items()
        if code not in known
    ]
    if new:
        session.execute(insert(t.Municipality), new)
        session.flush()
    added = store_observations(session, table.observations)
    return LoadResult(
        dataset=table.dataset,
        municipalities=len(table.names),
        added=added,
        flagged=sum(1 for o in table.observations if o.flagged),
    )


def fetch_rows(table: str) -> Iterator[dict[str, Any]]:
    """The municipality rows of ``table`` from CBS open data (needs the ``cbs`` extra)."""
    import cbsodata  # type: ignore[import-not-found,unused-ignore]

    rows = cbsodata.get_data(table, typed=True, filters="startswith(WijkenEnBuurten,'GM')")
    yield from rows
