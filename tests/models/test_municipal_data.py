"""The bundled CBS data per municipality: all of it loaded, suspect values flagged, never dropped.

Protects what ``voortgang init`` loads from ``voortgang/data/cbs``: one observation per CSV row
and column with its source and boundary year, the two municipalities whose corporation share
is 0% while they have rented dwellings (Ameland, Renswoude) loaded as 0 and flagged with a
reason, nothing else flagged, and a second load adding nothing. The expectations are computed
here from the CSV files themselves, not from the loader.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import func, select

from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.municipal_data import (
    CBS_DIR,
    CORPORATION_SHARE,
    OWNERSHIP_2021,
    load_bundled_data,
    load_municipalities,
    observations_from_file,
)


def read_csv(name: str) -> list[dict[str, str]]:
    with (CBS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


OWNERSHIP_ROWS = read_csv("kwb2021_gemeenten_woningen_eigendom.csv")
STOCK_ROWS = read_csv("kwb2024_gemeenten_inwoners_woningvoorraad.csv")
MUNICIPALITIES_2025 = read_csv("gemeenten_2025_provincie.csv")


def share_2021() -> dict[str, float | None]:
    with session_scope() as session:
        rows = session.execute(
            select(t.MunicipalObservation.municipality_code, t.MunicipalObservation.value).where(
                t.MunicipalObservation.indicator == CORPORATION_SHARE,
                t.MunicipalObservation.boundary_year == 2021,
            )
        ).all()
    return dict(rows)


def test_csv_files_have_the_known_number_of_municipalities() -> None:
    # 352 municipalities on the 2021 boundaries, 342 in 2024 and 2025.
    assert len(OWNERSHIP_ROWS) == len({r["gemeentecode"] for r in OWNERSHIP_ROWS}) == 352
    assert len(STOCK_ROWS) == 342
    assert len(MUNICIPALITIES_2025) == 342


def test_every_2021_ownership_row_is_one_observation_with_the_csv_value(db: str) -> None:
    expected = {r["gemeentecode"]: float(r["pct_huur_woningcorporatie"]) for r in OWNERSHIP_ROWS}
    assert share_2021() == expected


def test_every_column_of_every_csv_row_is_loaded_with_its_source(db: str) -> None:
    expected_rows = len(OWNERSHIP_ROWS) * len(OWNERSHIP_2021.columns) + len(STOCK_ROWS) * 2
    with session_scope() as session:
        total = session.scalar(select(func.count()).select_from(t.MunicipalObservation))
        by_dataset = dict(
            session.execute(
                select(t.MunicipalObservation.boundary_year, func.count()).group_by(
                    t.MunicipalObservation.boundary_year
                )
            ).all()
        )
        sources = set(session.scalars(select(t.MunicipalObservation.source).distinct()))
        dates = set(session.scalars(select(t.MunicipalObservation.reference_date).distinct()))
    assert total == expected_rows
    assert by_dataset == {2021: 352 * 5, 2024: 342 * 2}
    assert all("CBS" in s and "peildatum" in s for s in sources)
    assert dates == {dt.date(2021, 1, 1), dt.date(2024, 1, 1)}


def test_every_municipality_of_2025_and_the_merged_ones_of_2021_are_known(db: str) -> None:
    with session_scope() as session:
        current = set(
            session.scalars(
                select(t.Municipality.code).where(t.Municipality.latest_boundary_year == 2025)
            )
        )
        everyone = set(session.scalars(select(t.Municipality.code)))
        ameland = session.get(t.Municipality, "GM0060")
    assert current == {r["gemeentecode"] for r in MUNICIPALITIES_2025}
    assert len(current) == 342
    assert everyone >= {r["gemeentecode"] for r in OWNERSHIP_ROWS}  # history kept
    assert ameland is not None and (ameland.name, ameland.province) == ("Ameland", "Friesland")


def test_ameland_and_renswoude_are_loaded_as_zero_and_flagged_with_a_reason(db: str) -> None:
    with session_scope() as session:
        rows = {
            o.municipality_code: o
            for o in session.scalars(
                select(t.MunicipalObservation).where(
                    t.MunicipalObservation.indicator == CORPORATION_SHARE,
                    t.MunicipalObservation.municipality_code.in_(["GM0060", "GM0339"]),
                )
            )
        }
    assert set(rows) == {"GM0060", "GM0339"}
    for code, rented in (("GM0060", "32"), ("GM0339", "26")):
        row = rows[code]
        assert row.value == 0
        assert row.flagged is True
        assert row.flag_reason and rented in row.flag_reason  # names the rented share


def test_nothing_else_is_flagged_than_what_the_data_makes_suspect(db: str) -> None:
    suspect = {
        r["gemeentecode"]
        for r in OWNERSHIP_ROWS
        if float(r["pct_huur_woningcorporatie"]) == 0 and float(r["pct_huurwoningen"]) > 0
    }
    assert suspect == {"GM0060", "GM0339"}
    with session_scope() as session:
        flagged = session.execute(
            select(
                t.MunicipalObservation.municipality_code, t.MunicipalObservation.indicator
            ).where(t.MunicipalObservation.flagged.is_(True))
        ).all()
        unexplained = session.scalar(
            select(func.count())
            .select_from(t.MunicipalObservation)
            .where(
                t.MunicipalObservation.flagged.is_(False),
                t.MunicipalObservation.flag_reason.is_not(None),
            )
        )
    assert sorted(flagged) == sorted((code, CORPORATION_SHARE) for code in suspect)
    assert unexplained == 0


def test_loading_again_adds_nothing(db: str) -> None:
    with session_scope() as session:
        before = session.scalar(select(func.count()).select_from(t.MunicipalObservation))
        assert load_bundled_data(session) == 0
        assert load_municipalities(session) == 0
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(t.MunicipalObservation)) == before


def test_a_missing_value_is_kept_as_missing_not_dropped_or_filled_in(tmp_path: Path) -> None:
    for name in ("kwb2021_gemeenten_woningen_eigendom.csv",):
        shutil.copy(CBS_DIR / name, tmp_path / name)
    path = tmp_path / "kwb2021_gemeenten_woningen_eigendom.csv"
    rows = read_csv(path.name)
    rows[0]["pct_huur_woningcorporatie"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    shares = {
        o.municipality_code: o.value
        for o in observations_from_file(OWNERSHIP_2021, tmp_path)
        if o.indicator == CORPORATION_SHARE
    }
    assert len(shares) == 352
    assert shares[rows[0]["gemeentecode"]] is None
