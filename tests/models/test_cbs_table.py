"""Taking in a newer CBS table as CBS open data serves it (`voortgang cbs load`).

Protects that next year's figures need no code: a TypedDataSet JSON with that year's field
numbers is read by field name, stored as a dataset of its own, and counted by the letter
(on its own boundaries, so nothing is an estimate); loading it again adds nothing; a file
with a missing column or a value that is not a number exits 2 naming the file, municipality
and column, and stores nothing. Fetching with cbsodata needs the network and is not tested.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from tests.reporting.test_municipal_summary import expected_shares, read
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.reporting.municipal_summary import summarise_municipalities


def table_2025(path: Path, *, drop: str | None = None, bad: str | None = None) -> Path:
    """A table shaped like 86165NED (2025): CBS's padded codes and that year's field numbers."""
    shares = expected_shares()
    rows = []
    for m in read("gemeenten_2025_provincie.csv"):
        code = m["gemeentecode"]
        share = min(shares[code] + 1, 100)
        row: dict[str, object] = {
            "ID": len(rows),
            "WijkenEnBuurten": f"{code}    ",
            "Gemeentenaam_1": f"{m['gemeentenaam']:<40}",
            "SoortRegio_2": "Gemeente  ",
            "Codering_3": f"{code}    ",
            "AantalInwoners_5": 20000,
            "Woningvoorraad_34": 9000,
            "Koopwoningen_47": 100 - share - 10,
            "HuurwoningenTotaal_48": share + 10,
            "InBezitWoningcorporatie_49": share,
        }
        if drop:
            row.pop(drop)
        rows.append(row)
    if bad:
        rows[5]["InBezitWoningcorporatie_49"] = bad
    document = {
        "odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/86165NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        "value": rows,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voortgang.cli.app", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def count_observations() -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(t.MunicipalObservation)) or 0)


def test_a_newer_table_is_taken_in_and_counted_on_its_own_boundaries(
    db: str, tmp_path: Path
) -> None:
    before = count_observations()
    result = cli("cbs", "load", str(table_2025(tmp_path / "kwb-2025.json")), "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert "CBS 86165NED" in result.stderr and "342 municipalities" in result.stderr
    assert count_observations() == before + 342 * 5
    with session_scope() as session:
        m = summarise_municipalities(session, load_catalogue().rules.municipal)
    assert m is not None
    shares = {c: min(s + 1, 100) for c, s in expected_shares().items()}
    assert (m.dataset.dataset, m.dataset.title) == (
        "CBS 86165NED",
        "Kerncijfers wijken en buurten 2025",
    )
    assert m.count == 342 and m.estimated == [] and m.data_boundary_year == 2025
    assert m.at_least_30 == sum(s >= 30 for s in shares.values())

    again = cli("cbs", "load", str(tmp_path / "kwb-2025.json"), "--year", "2025")
    assert again.returncode == 0 and "nothing new" in again.stderr
    assert count_observations() == before + 342 * 5


def test_a_missing_column_is_named_and_nothing_is_stored(db: str, tmp_path: Path) -> None:
    before = count_observations()
    path = table_2025(tmp_path / "kwb.json", drop="InBezitWoningcorporatie_49")
    result = cli("cbs", "load", str(path), "--year", "2025")
    assert result.returncode == 2
    assert str(path) in result.stderr and "InBezitWoningcorporatie" in result.stderr
    assert count_observations() == before


def test_a_value_that_is_not_a_number_names_municipality_and_column(
    db: str, tmp_path: Path
) -> None:
    before = count_observations()
    path = table_2025(tmp_path / "kwb.json", bad="veel")
    result = cli("cbs", "load", str(path), "--year", "2025")
    assert result.returncode == 2
    assert (
        "InBezitWoningcorporatie_49" in result.stderr and "'veel' is not a number" in result.stderr
    )
    assert "GM" in result.stderr
    assert count_observations() == before


def test_a_file_that_is_not_a_cbs_table_is_refused(db: str, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"rows": []}', encoding="utf-8")
    result = cli("cbs", "load", str(path), "--year", "2025")
    assert result.returncode == 2 and "TypedDataSet" in result.stderr


def test_help_has_an_example() -> None:
    result = cli("cbs", "load", "--help")
    assert result.returncode == 0 and "Example: voortgang cbs load" in result.stdout
