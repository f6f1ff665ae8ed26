"""The annex with every municipality of today: a spreadsheet (XLSX) and a CSV beside the letter.

One row per municipality of the indeling of 2025 (342): the corporation-owned share of the
newest CBS table mapped onto it (an estimate where municipalities merged, and marked so), the
values to be checked, inhabitants and dwellings of 2024, and VRO's overview per municipality
with the ordinance, the urgency scheme and the woonzorgvisie each in a column of its own
("niet gemeld" where the overview says nothing). A second sheet says where it all comes from.

``build_municipal_annex`` reads the database once; ``write_municipal_annex`` only writes, so
the letter's renderers can call it with the plain data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.municipal_data import DWELLINGS, POPULATION, STOCK_2024
from voortgang.reporting.assessment_schema import DatasetRef, InstrumentSummary
from voortgang.reporting.dutch import format_date
from voortgang.reporting.municipal_summary import shares_on_current_indeling, weighting_text

ANNEX_NAME = "bijlage-gemeenten"
NOT_REPORTED = "niet gemeld"

HEADER = [
    "Gemeente",
    "CBS-code",
    "Provincie",
    "Aandeel woningen in bezit van een woningcorporatie (%)",
    "Schatting (samengevoegde gemeente)",
    "Samengesteld uit",
    "Te controleren",
    "Inwoners",
    "Woningvoorraad",
    "Huisvestingsverordening",
    "Urgentieregeling",
    "Woonzorgvisie",
]


class AnnexRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    code: str
    province: str | None
    share_pct: float | None
    estimated: bool
    combined_from: list[str]
    check_reason: str | None
    population: float | None
    dwellings: float | None
    # None: the overview per municipality does not cover this municipality.
    ordinance: bool | None
    urgency_scheme: bool | None
    woonzorgvisie: bool | None


class MunicipalAnnex(BaseModel):
    """Everything the spreadsheet shows, as plain data (no database needed to write it)."""

    model_config = ConfigDict(frozen=True)

    indeling_year: int
    shares: DatasetRef
    stock: DatasetRef | None
    weighting: str | None
    instruments_as_of: dt.date | None
    instruments_by: str | None  # the reporting ministry's code
    covered: int
    rows: list[AnnexRow]

    @property
    def total(self) -> int:
        return len(self.rows)


def _stock(session: Session) -> tuple[DatasetRef | None, dict[str, dict[str, float | None]]]:
    """Inhabitants and dwellings of the newest table that gives a dwelling count."""
    obs = t.MunicipalObservation
    latest = session.execute(
        select(obs.reference_date, obs.dataset, obs.boundary_year)
        .where(obs.indicator == DWELLINGS)
        .order_by(obs.reference_date.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None, {}
    date, dataset, boundary = latest
    values: dict[str, dict[str, float | None]] = {}
    for code, indicator, value in session.execute(
        select(obs.municipality_code, obs.indicator, obs.value).where(
            obs.dataset == dataset,
            obs.reference_date == date,
            obs.indicator.in_((POPULATION, DWELLINGS)),
        )
    ):
        values.setdefault(code, {})[indicator] = value
    title = STOCK_2024.title if dataset == STOCK_2024.dataset else str(dataset)
    ref = DatasetRef(dataset=dataset, title=title, reference_date=date, boundary_year=boundary)
    return ref, values


def build_municipal_annex(
    session: Session, instruments: InstrumentSummary | None
) -> MunicipalAnnex | None:
    """The annex of today's municipalities; None when no CBS data is loaded."""
    shares = shares_on_current_indeling(session)
    if shares is None:
        return None
    stock_ref, stock = _stock(session)
    reported: set[str] = set()
    with_ordinance: set[str] = set()
    with_urgency: set[str] = set()
    with_visie: set[str] = set()
    if instruments is not None:
        reported = {
            r.code for r in (*instruments.with_woonzorgvisie, *instruments.without_woonzorgvisie)
        }
        with_ordinance = {r.code for r in instruments.with_ordinance}
        with_urgency = {r.code for r in instruments.with_urgency_scheme}
        with_visie = {r.code for r in instruments.with_woonzorgvisie}

    def answer(code: str, yes: set[str]) -> bool | None:
        return (code in yes) if code in reported else None

    rows = [
        AnnexRow(
            name=r.name,
            code=r.code,
            province=r.province,
            share_pct=r.share_pct,
            estimated=r.estimated,
            combined_from=r.combined_from,
            check_reason=r.flag_reason if r.flagged else None,
            population=stock.get(r.code, {}).get(POPULATION),
            dwellings=stock.get(r.code, {}).get(DWELLINGS),
            ordinance=answer(r.code, with_ordinance),
            urgency_scheme=answer(r.code, with_urgency),
            woonzorgvisie=answer(r.code, with_visie),
        )
        for r in shares.rows
    ]
    rows.sort(key=lambda r: (_sort_key(r.name), r.code))
    return MunicipalAnnex(
        indeling_year=shares.indeling_year,
        shares=shares.dataset,
        stock=stock_ref,
        weighting=weighting_text(shares),
        instruments_as_of=instruments.as_of if instruments else None,
        instruments_by=instruments.submission.ministry if instruments else None,
        covered=sum(1 for r in rows if r.code in reported),
        rows=rows,
    )


def _sort_key(name: str) -> str:
    # Dutch practice: 's-Hertogenbosch and 's-Gravenhage sort under their main word.
    return name.removeprefix("'s-").casefold()


def _yes_no(value: bool | None) -> str:
    return NOT_REPORTED if value is None else ("ja" if value else "nee")


def annex_table(annex: MunicipalAnnex) -> list[list[object]]:
    """The rows of the sheet, the header first; numbers stay numbers."""
    table: list[list[object]] = [list(HEADER)]
    for r in annex.rows:
        table.append(
            [
                r.name,
                r.code,
                r.province or "",
                r.share_pct,
                "ja" if r.estimated else "nee",
                ", ".join(r.combined_from),
                r.check_reason or "",
                int(r.population) if r.population is not None else None,
                int(r.dwellings) if r.dwellings is not None else None,
                _yes_no(r.ordinance),
                _yes_no(r.urgency_scheme),
                _yes_no(r.woonzorgvisie),
            ]
        )
    return table


def explanation(annex: MunicipalAnnex) -> list[str]:
    """The sheet "Toelichting": what each column holds and where it comes from (Dutch)."""
    s = annex.shares
    lines = [
        f"Alle {annex.total} gemeenten volgens de gemeentelijke indeling van 1 januari "
        f"{annex.indeling_year}.",
        f"Aandeel woningen in bezit van een woningcorporatie: CBS {s.dataset.removeprefix('CBS ')} "
        f"'{s.title}', peildatum {format_date(s.reference_date)}, gemeentegrenzen "
        f"{s.boundary_year}, omgerekend naar de indeling van {annex.indeling_year}. Dit aandeel "
        "is de gebruikelijke benadering van sociale huur, maar niet hetzelfde.",
    ]
    if annex.weighting:
        lines.append(
            annex.weighting + " Deze gemeenten staan in de kolom 'Schatting' met 'ja'; de kolom "
            "'Samengesteld uit' noemt de gemeenten waaruit zij bestaan."
        )
    lines.append(
        "Te controleren: een waarde die niet past bij de andere cijfers van het CBS over "
        "dezelfde gemeente; de bijlage gebruikt hem zoals het CBS hem geeft."
    )
    if annex.stock is not None:
        lines.append(
            f"Inwoners en woningvoorraad: CBS {annex.stock.dataset.removeprefix('CBS ')} "
            f"'{annex.stock.title}', peildatum {format_date(annex.stock.reference_date)}."
        )
    if annex.instruments_as_of is not None:
        lines.append(
            f"Huisvestingsverordening, urgentieregeling en woonzorgvisie: opgave ministerie "
            f"({annex.instruments_by}), peildatum {format_date(annex.instruments_as_of)}. Het "
            f"overzicht dekt {annex.covered} van de {annex.total} gemeenten; bij de andere staat "
            f"'{NOT_REPORTED}'. Een gemeente kan een verordening hebben zonder urgentieregeling."
        )
    else:
        lines.append(
            "Huisvestingsverordening, urgentieregeling en woonzorgvisie: voor deze periode is "
            f"geen overzicht per gemeente gemeld ('{NOT_REPORTED}')."
        )
    lines.append("Bron: CBS (licentie CC BY 4.0), tenzij anders vermeld.")
    return lines


def annex_csv(annex: MunicipalAnnex) -> bytes:
    """UTF-8 with a byte order mark and semicolons, as Excel in a Dutch locale opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in annex_table(annex):
        writer.writerow(["" if v is None else _csv_number(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_number(value: object) -> object:
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return value


def annex_xlsx(annex: MunicipalAnnex) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Gemeenten"
    for values in annex_table(annex):
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for excel_row in sheet.iter_rows(min_row=2):
        for cell in excel_row:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" is text, not a formula
        excel_row[3].number_format = "0"
        excel_row[7].number_format = "#,##0"
        excel_row[8].number_format = "#,##0"
    widths = [28, 10, 15, 18, 14, 40, 50, 12, 14, 16, 16, 14]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    notes = book.create_sheet("Toelichting")
    notes.column_dimensions["A"].width = 120
    for line in explanation(annex):
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True)
    book.properties.title = f"Bijlage: alle gemeenten (indeling {annex.indeling_year})"
    book.properties.language = "nl"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_municipal_annex(annex: MunicipalAnnex, folder: Path) -> list[Path]:
    """Writes ``bijlage-gemeenten.xlsx`` and ``.csv`` into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in ((".xlsx", annex_xlsx(annex)), (".csv", annex_csv(annex))):
        path = folder / f"{ANNEX_NAME}{suffix}"
        path.write_bytes(data)
        written.append(path)
    return written
