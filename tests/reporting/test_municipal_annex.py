"""The municipal annex: every municipality of 2025 in a spreadsheet and a CSV beside the letter.

Protects what a reader of the annex checks: 342 rows (one per municipality of the indeling of
2025), the shares as CBS gives them and the merged municipalities marked as estimates with
what they combine, ordinance, urgency scheme and woonzorgvisie in columns of their own with
"niet gemeld" where VRO's overview is silent, a sheet that states sources and the weighting,
the same content in the CSV, and the letter's annex pointing at the files instead of listing
hundreds of rows, with no CBS codes or suffixes in its text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl

from tests.reporting.test_municipal_summary import expected_shares
from tests.support.drafts import draft_period
from tests.support.submissions import example, submit_raw
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.letter.context import LetterContext
from voortgang.reporting.letter.notes import NoteBook
from voortgang.reporting.letter.templating import markdown_environment
from voortgang.reporting.letter.view import LetterView
from voortgang.reporting.municipal_annex import (
    HEADER,
    build_municipal_annex,
    write_municipal_annex,
)
from voortgang.reporting.municipal_summary import all_shares

TODAY = dt.date(2026, 11, 25)


def annex_files(tmp_path: Path) -> list[Path]:
    submit_raw(example("2026Q4", "VRO"))
    with session_scope() as session:
        a = assess_period(session, load_catalogue(), "2026Q4", today=TODAY)
        annex = build_municipal_annex(session, a.instruments)
    assert annex is not None
    return write_municipal_annex(annex, tmp_path / "out")


def test_the_spreadsheet_lists_every_municipality_of_2025_once(db: str, tmp_path: Path) -> None:
    xlsx, csv_path = annex_files(tmp_path)
    assert (xlsx.name, csv_path.name) == ("bijlage-gemeenten.xlsx", "bijlage-gemeenten.csv")
    sheet = openpyxl.load_workbook(xlsx)["Gemeenten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    body = [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]
    assert len(body) == 342
    shares = expected_shares()
    assert {
        r["CBS-code"]: r["Aandeel woningen in bezit van een woningcorporatie (%)"] for r in body
    } == shares
    estimated = {
        r["Gemeente"]: r["Samengesteld uit"]
        for r in body
        if r["Schatting (samengevoegde gemeente)"] == "ja"
    }
    assert estimated["Maashorst"] == "Landerd, Uden"
    assert len(estimated) == 6
    assert not [r["Gemeente"] for r in body if re.search(r"\([A-Z][A-Za-z]*\.\)", r["Gemeente"])]
    ameland = next(r for r in body if r["Gemeente"] == "Ameland")
    assert "te controleren" in ameland["Te controleren"]


def test_instruments_are_separate_columns_and_silence_is_niet_gemeld(
    db: str, tmp_path: Path
) -> None:
    listed = {r["municipality"]: r for r in example("2026Q4", "VRO")["municipalities"]}
    xlsx, _ = annex_files(tmp_path)
    body = list(openpyxl.load_workbook(xlsx)["Gemeenten"].iter_rows(min_row=2, values_only=True))
    by_code = {r[1]: dict(zip(HEADER, r, strict=True)) for r in body}
    for code, row in by_code.items():
        given = listed.get(code)
        if given is None:
            assert (
                row["Huisvestingsverordening"],
                row["Urgentieregeling"],
                row["Woonzorgvisie"],
            ) == ("niet gemeld",) * 3
            continue
        assert row["Huisvestingsverordening"] == ("ja" if given["ordinance"] else "nee")
        assert row["Urgentieregeling"] == ("ja" if given["urgency_scheme"] else "nee")
        assert row["Woonzorgvisie"] == ("ja" if given["woonzorgvisie"] else "nee")
    assert sum(1 for r in by_code.values() if r["Urgentieregeling"] != "niet gemeld") == 58
    # a municipality with an ordinance but no urgency scheme shows as such
    assert any(
        r["Huisvestingsverordening"] == "ja" and r["Urgentieregeling"] == "nee"
        for r in by_code.values()
    )


def test_the_explanation_sheet_states_sources_weighting_and_coverage(
    db: str, tmp_path: Path
) -> None:
    xlsx, _ = annex_files(tmp_path)
    text = " ".join(
        str(r[0]) for r in openpyxl.load_workbook(xlsx)["Toelichting"].iter_rows(values_only=True)
    )
    assert "85039NED" in text and "1 januari 2021" in text and "indeling van 2025" in text
    assert "schatting" in text and "gewogen naar" in text
    assert "dekt 58 van de 342 gemeenten" in text
    assert "Bron: CBS" in text


def test_the_csv_holds_the_same_rows_for_excel(db: str, tmp_path: Path) -> None:
    xlsx, csv_path = annex_files(tmp_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    sheet = list(openpyxl.load_workbook(xlsx)["Gemeenten"].iter_rows(values_only=True))
    assert rows[0] == HEADER and len(rows) == len(sheet) == 343
    assert [r[0] for r in rows[1:]] == [r[0] for r in sheet[1:]]


def test_the_letter_annex_summarises_and_points_at_the_files(db: str) -> None:
    submit_raw(example("2026Q4", "VRO"))
    catalogue = load_catalogue()
    with session_scope() as session:
        a = assess_period(session, catalogue, "2026Q4", today=TODAY)
        shares = all_shares(session)
    ctx = LetterContext(
        assessment=a,
        catalogue=catalogue,
        letter_date=dt.date(2027, 1, 20),
        version=1,
        kenmerk="ETVI-2026Q4-01",
        municipality_shares=shares,
        next_letter_date=dt.date(2027, 4, 20),
    )
    # The annex template on its own: where the letter places its annexes is the letter's say.
    template = markdown_environment().get_template("_bijlage_gemeenten.md.j2")
    annex = template.render(ctx=ctx, v=LetterView(ctx, []), a=a, cat=catalogue, notes=NoteBook())
    md = annex
    assert "bijlage-gemeenten.xlsx" in annex and "bijlage-gemeenten.csv" in annex
    assert "dekt 58 van de 342 gemeenten" in annex
    assert "| met een huisvestingsverordening | 39 |" in annex
    assert "| met een urgentieregeling | 36 |" in annex
    assert "Samengevoegde gemeenten (schatting)" in annex
    assert "| Voorne aan Zee | Brielle, Hellevoetsluis en Westvoorne |" in annex
    assert annex.count("\n|") < 40  # a summary, not a list of hundreds of municipalities
    assert not re.search(r"GM\d{4}", md)
    assert not re.search(r"\((?:NH|ZH|Z|L|O)\.\)", md)


def test_the_letter_body_counts_ordinance_and_urgency_scheme_each_on_its_own(db: str) -> None:
    """A municipality can have a verordening without an urgentieregeling: the body gives both
    counts as the annex does, and the coverage of the overview, on the indeling of 2025."""
    submit_raw(example("2026Q4", "VRO"))
    with session_scope() as session:
        a = assess_period(session, load_catalogue(), "2026Q4", today=TODAY)
    i = a.instruments
    assert i is not None and len(i.with_ordinance) != len(i.with_urgency_scheme)

    letter = Path(draft_period("2026Q4").files["md"]).read_text(encoding="utf-8")
    body = letter.split("# Wat is veranderd")[0]

    assert (
        f"Van {i.reported} van de 342 gemeenten is de stand bekend: {len(i.with_ordinance)} "
        f"hebben een huisvestingsverordening en {len(i.with_urgency_scheme)} een urgentieregeling"
    ) in body
    assert "omgerekend naar de gemeentelijke indeling van 2025" in letter
