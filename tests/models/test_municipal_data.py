"""The bundled CBS data per municipality: all of it loaded, suspect values flagged, never dropped.

Protects what ``voortgang init`` loads from ``voortgang/data/cbs``: one observation per CSV row
and column with its source and boundary year, the two municipalities whose corporation share
is 0% while they have rented dwellings (Ameland, Renswoude) loaded as 0 and flagged with a
reason, nothing else flagged, and a second load adding nothing. The expectations are computed
here from the CSV files themselves, not from the loader.

Also the move to today's indeling: the 14 municipalities of 2021 that no longer exist, each
mapped to the municipality it joined as the issue and CBS state it (342 rows, 338 keeping
their 2021 code, 4 new), a change list that does not fit refused with the code named, names
without CBS suffixes, and the dwelling weighting of merged municipalities.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.municipal_data import (
    BOUNDARY_CHANGES,
    CBS_DIR,
    CORPORATION_SHARE,
    OWNERSHIP_2021,
    IndelingError,
    combine_shares,
    dwelling_weight,
    letter_names,
    load_bundled_data,
    load_municipalities,
    map_to_current,
    observations_from_file,
)
from voortgang.models.municipal_data import (
    MUNICIPALITIES_2025 as MUNICIPALITIES_FILE,
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
    assert by_dataset == {2021: 352 * len(OWNERSHIP_2021.columns), 2024: 342 * 2}
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


# --- today's indeling -----------------------------------------------------------------------

# What the issue states, by name: the municipalities of 2021 that joined another by 2025.
MERGERS = {
    "Amsterdam": {"Amsterdam", "Weesp"},
    "Purmerend": {"Purmerend", "Beemster"},
    "Land van Cuijk": {"Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis"},
    "Maashorst": {"Landerd", "Uden"},
    "Dijk en Waard": {"Heerhugowaard", "Langedijk"},
    "Voorne aan Zee": {"Brielle", "Hellevoetsluis", "Westvoorne"},
}
NAMES_2021 = {r["gemeentecode"]: r["gemeentenaam"] for r in OWNERSHIP_ROWS}
JANUARY_2021 = dt.date(2021, 1, 1)


def test_mapping_has_342_rows_338_keep_their_code_and_4_are_new() -> None:
    mapping = map_to_current(NAMES_2021, JANUARY_2021)
    assert len(mapping) == 342
    assert [m.code for m in mapping] == [r["gemeentecode"] for r in MUNICIPALITIES_2025]
    kept = [m for m in mapping if m.code in m.sources]
    new = [m for m in mapping if m.code not in NAMES_2021]
    assert len(kept) == 338
    assert len([m for m in mapping if m.unchanged]) == 336  # Amsterdam and Purmerend grew
    assert sorted(m.name for m in new) == [
        "Dijk en Waard",
        "Land van Cuijk",
        "Maashorst",
        "Voorne aan Zee",
    ]
    combined = {m.name: {NAMES_2021[c] for c in m.sources} for m in mapping if m.combined}
    assert combined == MERGERS
    # every municipality of 2021 lands in exactly one of today
    sources = [c for m in mapping for c in m.sources]
    assert sorted(sources) == sorted(NAMES_2021)


def test_the_change_list_holds_exactly_the_14_municipalities_that_ended() -> None:
    changes = read_csv(BOUNDARY_CHANGES)
    gone = set(NAMES_2021) - {r["gemeentecode"] for r in MUNICIPALITIES_2025}
    assert len(changes) == 14
    assert {r["gemeentecode_oud"] for r in changes} == gone
    merged_away = {name for names in MERGERS.values() for name in names} - set(MERGERS)
    assert {r["gemeentenaam_oud"] for r in changes} == merged_away
    dates = {r["gemeentenaam_oud"]: r["ingangsdatum"] for r in changes}
    assert dates["Weesp"] == "2022-03-24"
    assert {dates[n] for n in ("Brielle", "Hellevoetsluis", "Westvoorne")} == {"2023-01-01"}


def test_changes_that_took_effect_before_the_data_do_not_apply() -> None:
    codes = [r["gemeentecode"] for r in MUNICIPALITIES_2025]
    mapping = map_to_current(codes, dt.date(2024, 1, 1))
    assert all(m.unchanged for m in mapping)


def copy_cbs_dir(tmp_path: Path) -> Path:
    for name in (MUNICIPALITIES_FILE, BOUNDARY_CHANGES):
        shutil.copy(CBS_DIR / name, tmp_path / name)
    return tmp_path


def test_a_2021_municipality_the_change_list_misses_is_refused_by_code(tmp_path: Path) -> None:
    folder = copy_cbs_dir(tmp_path)
    lines = (folder / BOUNDARY_CHANGES).read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("GM0457,")]  # Weesp
    (folder / BOUNDARY_CHANGES).write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(IndelingError, match="GM0457"):
        map_to_current(NAMES_2021, JANUARY_2021, folder)


def test_a_change_into_an_unknown_municipality_is_refused(tmp_path: Path) -> None:
    folder = copy_cbs_dir(tmp_path)
    path = folder / BOUNDARY_CHANGES
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "GM0370,Beemster,GM0439", "GM0370,Beemster,GM9999"
        ),
        encoding="utf-8",
    )
    with pytest.raises(IndelingError, match="GM9999"):
        map_to_current(NAMES_2021, JANUARY_2021, folder)


def test_names_for_readers_carry_no_cbs_suffix_and_stay_unique() -> None:
    rows = [(r["gemeentecode"], r["gemeentenaam"], r["provincie"]) for r in MUNICIPALITIES_2025]
    names = letter_names(rows)
    assert len(set(names.values())) == 342
    assert not [n for n in names.values() if n.endswith(".)")]
    assert names["GM0373"] == "Bergen (Noord-Holland)"
    assert names["GM0893"] == "Bergen (Limburg)"
    assert names["GM0687"] == "Middelburg"  # "Middelburg (Z.)" at CBS
    assert names["GM0603"] == "Rijswijk"


def test_merged_shares_are_weighted_by_estimated_dwellings() -> None:
    rows = {r["gemeentecode"]: r for r in OWNERSHIP_ROWS}

    def part(name: str) -> tuple[float, float]:
        row = next(r for r in rows.values() if r["gemeentenaam"] == name)
        dwellings = (
            float(row["aantal_inwoners_2021"])
            / float(row["gem_huishoudgrootte"])
            / (1 - float(row["pct_onbewoond"]) / 100)
        )
        return float(row["pct_huur_woningcorporatie"]), dwellings

    parts = [part(n) for n in sorted(MERGERS["Land van Cuijk"])]
    weighted = sum(s * w for s, w in parts) / sum(w for _, w in parts)
    assert combine_shares(parts) == float(int(weighted + 0.5))
    # the weight is the dwellings, not the inhabitants: Amsterdam's small households count more
    amsterdam = {"population": 873338.0, "household_size": 1.8, "vacant_share_pct": 7.0}
    weesp = {"population": 20445.0, "household_size": 2.2, "vacant_share_pct": 4.0}
    w_a, w_w = dwelling_weight(amsterdam), dwelling_weight(weesp)
    assert w_a is not None and w_w is not None
    assert w_a / w_w > 873338 / 20445


def test_a_combined_share_is_missing_when_a_part_is_missing() -> None:
    assert combine_shares([(30.0, 1000.0), (None, 500.0)]) is None
    assert combine_shares([(30.0, 1000.0), (20.0, None)]) is None
