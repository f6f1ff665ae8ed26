"""The Excel form: the template officers fill in, and reading it back into plain data."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from voortgang.models.catalogue import Catalogue
from voortgang.models.municipal_data import CBS_DIR, MUNICIPALITIES_2025
from voortgang.models.submission_prefill import PreviousValues

KEY_ROW = 2  # row 1: Dutch labels; row 2: field keys; data from row 3
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="154273")
KEY_FONT = Font(italic=True, color="595959", size=8)

MILESTONE_COLUMNS = [
    ("milestone", "Mijlpaal (id, niet wijzigen)"),
    ("title", "Omschrijving"),
    ("due", "Deadline"),
    ("status", "Status"),
    ("progress", "Voortgang (%)"),
    ("narrative", "Toelichting voor de brief"),
    ("expected_completion", "Verwachte afronding"),
    ("status_reason", "Reden bij risico of vertraging"),
    ("measure", "Maatregel (verplicht bij risico of vertraging)"),
]
INDICATOR_COLUMNS = [
    ("indicator", "Indicator (id, niet wijzigen)"),
    ("title", "Omschrijving"),
    ("unit", "Eenheid"),
    ("value", "Waarde"),
    ("as_of", "Peildatum"),
    ("source", "Bron van het cijfer"),
    ("measure", "Maatregel als het cijfer achterblijft"),
]
MUNICIPALITY_COLUMNS = [
    ("municipality", "Gemeentecode"),
    ("name", "Gemeente"),
    ("ordinance", "Huisvestingsverordening (ja/nee)"),
    ("urgency_scheme", "Urgentieregeling (ja/nee)"),
    ("woonzorgvisie", "Woonzorgvisie (ja/nee)"),
    ("residents_involved", "Bewoners betrokken (ja/nee)"),
    ("as_of", "Peildatum"),
]
COMMITMENT_COLUMNS = [
    ("commitment", "Motie of toezegging (id, niet wijzigen)"),
    ("reference", "Kamerstuk of debat, datum"),
    ("title", "Omschrijving"),
    ("due", "Termijn"),
    ("status", "Stand van zaken"),
    ("explanation", "Toelichting (verplicht bij not_executed)"),
    ("expected", "Verwacht afgedaan"),
]
INFORMATIONAL = {"title", "due", "unit", "name", "reference"}
STATUS_HELP = "not_started, on_track, at_risk, delayed of done"
COMMITMENT_STATUS_HELP = "not_started, in_progress, completed of not_executed"


def _header(ws: Any, columns: list[tuple[str, str]]) -> None:
    for col, (key, label) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font = HEADER
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=KEY_ROW, column=col, value=key).font = KEY_FONT
        ws.column_dimensions[cell.column_letter].width = (
            40
            if key in ("narrative", "title", "source", "status_reason", "measure", "explanation")
            else 18
        )
    ws.freeze_panes = "A3"


def _fill(ws: Any, row: int, columns: list[tuple[str, str]], values: dict[str, Any]) -> None:
    """Last quarter's values into their columns (blank where it had none)."""
    for col, (key, _label) in enumerate(columns, start=1):
        if values.get(key) is not None:
            ws.cell(row=row, column=col, value=values[key])


def write_xlsx_template(
    catalogue: Catalogue,
    ministry: str,
    period: str,
    target: Path,
    previous: PreviousValues | None = None,
) -> None:
    """The Excel form; with ``previous``, pre-filled with that version's values."""
    m = catalogue.ministry(ministry)
    wb = Workbook()
    info = wb.active
    info.title = "Inzending"
    _header(info, [("field", "Veld"), ("value", "Waarde"), ("help", "Uitleg")])
    officers = ", ".join(o.email for o in m.officers)
    rows = [
        ("ministry", m.code, f"{m.name} (niet wijzigen)"),
        ("period", period, "Kwartaal van deze rapportage (niet wijzigen)"),
        ("submitted_by", "", f"Uw e-mailadres; geregistreerd voor {m.code}: {officers}"),
    ]
    for r, row in enumerate(rows, start=KEY_ROW + 1):
        for c, value in enumerate(row, start=1):
            info.cell(row=r, column=c, value=value)

    ws = wb.create_sheet("Mijlpalen")
    _header(ws, MILESTONE_COLUMNS)
    ws.cell(row=1, column=4).comment = Comment(f"Kies {STATUS_HELP}.", "voortgang")
    ws.cell(row=1, column=8).comment = Comment("Verplicht bij at_risk en delayed.", "voortgang")
    status_list = DataValidation(
        type="list", formula1='"not_started,on_track,at_risk,delayed,done"', allow_blank=True
    )
    status_list.error = f"Kies {STATUS_HELP}."
    progress_rule = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    progress_rule.error = "Voortgang is een getal van 0 tot en met 100."
    ws.add_data_validation(status_list)
    ws.add_data_validation(progress_rule)
    for r, ms in enumerate(catalogue.milestones_of(m.code), start=KEY_ROW + 1):
        ws.cell(row=r, column=1, value=ms.id)
        ws.cell(row=r, column=2, value=ms.title)
        ws.cell(row=r, column=3, value=ms.due).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=7).number_format = "yyyy-mm-dd"
        status_list.add(f"D{r}")
        progress_rule.add(f"E{r}")
        last = previous.milestones.get(ms.id) if previous else None
        if last is not None:
            _fill(ws, r, MILESTONE_COLUMNS, last.model_dump(exclude={"milestone"}))
            if last.expected_completion is None:
                ws.cell(row=r, column=7, value=ms.due)

    ws = wb.create_sheet("Indicatoren")
    _header(ws, INDICATOR_COLUMNS)
    for r, ind in enumerate(catalogue.indicators_of(m.code), start=KEY_ROW + 1):
        ws.cell(row=r, column=1, value=ind.id)
        ws.cell(row=r, column=2, value=ind.title)
        ws.cell(row=r, column=3, value=ind.unit)
        ws.cell(row=r, column=5).number_format = "yyyy-mm-dd"
        last_value = previous.indicators.get(ind.id) if previous else None
        if last_value is not None:
            _fill(ws, r, INDICATOR_COLUMNS, last_value.model_dump(exclude={"indicator"}))

    if m.code == "VRO":
        ws = wb.create_sheet("Gemeenten")
        _header(ws, MUNICIPALITY_COLUMNS)
        with (CBS_DIR / MUNICIPALITIES_2025).open(encoding="utf-8", newline="") as handle:
            for r, municipality in enumerate(csv.DictReader(handle), start=KEY_ROW + 1):
                ws.cell(row=r, column=1, value=municipality["gemeentecode"])
                ws.cell(row=r, column=2, value=municipality["gemeentenaam"])

    _commitment_sheet(wb, catalogue, m.code, previous)

    help_ws = wb.create_sheet("Uitleg")
    for r, line in enumerate(
        [
            f"Voortgangsrapportage Een thuis voor iedereen: {m.name}, {period}",
            "Vul per mijlpaal de status, de voortgang en een korte toelichting in.",
            f"Status: {STATUS_HELP}. Bij at_risk of delayed is een reden verplicht.",
            "Voortgang: een getal van 0 tot en met 100. Datums als 2027-06-30.",
            "De toelichting komt in de Kamerbrief. Markdown (zoals **vet**) mag, HTML niet.",
            "Rijen zonder status, voortgang en toelichting worden overgeslagen.",
            f"Moties en toezeggingen: stand van zaken {COMMITMENT_STATUS_HELP}; "
            "een lege rij betekent: geen stand gemeld.",
            "Wijzig de ids en de tweede rij met veldnamen niet.",
            *(
                [
                    f"Vooringevuld met uw laatste inzending ({previous.label}): "
                    "wijzig alleen wat veranderd is, ook de peildatum van elk bijgewerkt cijfer."
                ]
                if previous
                else []
            ),
        ],
        start=1,
    ):
        help_ws.cell(row=r, column=1, value=line)
    help_ws.column_dimensions["A"].width = 110
    wb.save(target)


def _commitment_sheet(
    wb: Any, catalogue: Catalogue, ministry: str, previous: PreviousValues | None
) -> None:
    """The ministry's moties and toezeggingen, each with last quarter's report if any."""
    motions = catalogue.motions_of(ministry)
    if not motions:
        return
    ws = wb.create_sheet(COMMITMENT_BOUNDS.sheet)
    _header(ws, COMMITMENT_COLUMNS)
    ws.cell(row=1, column=5).comment = Comment(f"Kies {COMMITMENT_STATUS_HELP}.", "voortgang")
    status_list = DataValidation(
        type="list",
        formula1='"not_started,in_progress,completed,not_executed"',
        allow_blank=True,
    )
    status_list.error = f"Kies {COMMITMENT_STATUS_HELP}."
    ws.add_data_validation(status_list)
    for r, motion in enumerate(motions, start=KEY_ROW + 1):
        where = f"Kamerstuk {motion.kamerstuk}" if motion.kamerstuk else motion.debate
        ws.cell(row=r, column=1, value=motion.id)
        ws.cell(row=r, column=2, value=f"{motion.kind.value}, {where}, {motion.date:%Y-%m-%d}")
        ws.cell(row=r, column=3, value=motion.text)
        if motion.due is not None:
            ws.cell(row=r, column=4, value=motion.due).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=7).number_format = "yyyy-mm-dd"
        status_list.add(f"E{r}")
        last = previous.commitments.get(motion.id) if previous else None
        if last is not None:
            _fill(ws, r, COMMITMENT_COLUMNS, last.model_dump(exclude={"commitment"}))


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        lowered = text.lower()
        if lowered in ("ja", "yes", "true"):
            return True
        if lowered in ("nee", "no", "false"):
            return False
        return text or None
    return value


# Limits on what a workbook may unpack to, checked in the zip directory before any XML is
# parsed. The templates unpack to under 100 kB; a workbook saved by Excel with every row filled
# in stays well under a megabyte.
MAX_XLSX_MEMBERS = 200
MAX_XLSX_MEMBER_BYTES = 10_000_000  # one part, e.g. a sheet or the shared strings
MAX_XLSX_TOTAL_BYTES = 30_000_000  # all parts together
MAX_XLSX_RATIO = 100  # uncompressed / compressed, for parts above a megabyte
_RATIO_FROM_BYTES = 1_000_000

# The rows and columns read per sheet: the template's, plus a margin. The templates have at most
# 5 milestones, 3 indicators and 342 municipalities (2025) and 8 columns.
EXTRA_COLUMNS = 4


@dataclass(frozen=True)
class SheetBounds:
    sheet: str
    data_rows: int  # rows below the two header rows
    columns: int
    what: str

    @property
    def last_row(self) -> int:
        return KEY_ROW + self.data_rows

    @property
    def last_column(self) -> int:
        return self.columns + EXTRA_COLUMNS


INFO_BOUNDS = SheetBounds("Inzending", 20, 3, "fields")
MILESTONE_BOUNDS = SheetBounds("Mijlpalen", 200, len(MILESTONE_COLUMNS), "milestone rows")
INDICATOR_BOUNDS = SheetBounds("Indicatoren", 200, len(INDICATOR_COLUMNS), "indicator rows")
MUNICIPALITY_BOUNDS = SheetBounds("Gemeenten", 400, len(MUNICIPALITY_COLUMNS), "municipality rows")
COMMITMENT_BOUNDS = SheetBounds(
    "Moties en toezeggingen", 200, len(COMMITMENT_COLUMNS), "rows of moties en toezeggingen"
)

_EXPECTED = "(expected an .xlsx made from the template)"


class WorkbookRefused(ValueError):
    """The workbook is outside the limits; the message is for the officer who sent it."""


def check_archive(stream: IO[bytes]) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, before parsing any.

    The sizes come from the zip directory; zipfile stops at the declared size and checks the
    CRC, so a part that lies about its size cannot unpack to more than it declares.
    """
    with zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise WorkbookRefused(
                f"the workbook has {len(members):,} parts, above the limit of "
                f"{MAX_XLSX_MEMBERS:,} {_EXPECTED}"
            )
        total = 0
        for info in members:
            if info.file_size > MAX_XLSX_MEMBER_BYTES:
                raise WorkbookRefused(
                    f"the workbook part {info.filename!r} unpacks to {info.file_size:,} bytes, "
                    f"above the limit of {MAX_XLSX_MEMBER_BYTES:,} {_EXPECTED}"
                )
            if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_XLSX_RATIO * max(
                info.compress_size, 1
            ):
                raise WorkbookRefused(
                    f"the workbook part {info.filename!r} unpacks to "
                    f"{info.file_size // max(info.compress_size, 1):,} times its packed size, "
                    f"above the limit of {MAX_XLSX_RATIO} {_EXPECTED}"
                )
            total += info.file_size
        if total > MAX_XLSX_TOTAL_BYTES:
            raise WorkbookRefused(
                f"the workbook unpacks to {total:,} bytes, above the limit of "
                f"{MAX_XLSX_TOTAL_BYTES:,} {_EXPECTED}"
            )
        # Every part, not only the sheets read: damage in a part openpyxl skips (comments,
        # drawings) still means the file is not what the officer saved. Bounded by the limits.
        for info in members:
            try:
                with archive.open(info) as part:
                    while part.read(1 << 20):
                        pass
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise WorkbookRefused(
                    f"the workbook part {info.filename!r} is damaged ({exc}) {_EXPECTED}"
                ) from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _check_sheet_extent(archive: zipfile.ZipFile, part: str, bounds: SheetBounds) -> None:
    """Refuse a sheet with a value below the last row the form reads.

    Streams the sheet's XML once and ignores its <dimension>, which anyone can forge. Values in
    columns right of the template's are ignored, as they always were; rows below the last are
    not, since they would be milestones or municipalities silently left out.
    """
    row = 0
    column = 0
    sheet_data = None
    with archive.open(part) as source:
        # The stdlib parser on expat >= 2.4.1 (Python 3.11 ships 2.5) refuses entity expansion
        # bombs and never fetches external entities.
        for event, elem in iterparse(source, events=("start", "end")):  # noqa: S314
            name = _local(elem.tag)
            if event == "start":
                if name == "sheetData":
                    sheet_data = elem
                elif name == "row":
                    row = int(elem.get("r") or row + 1)
                    column = 0
                continue
            if name == "c":
                ref = elem.get("r")
                if ref:
                    letters, row_of_cell = coordinate_from_string(ref)
                    column, row = column_index_from_string(letters), row_of_cell
                else:
                    column += 1
                if row > bounds.last_row and any(
                    _local(child.tag) in ("v", "is") and "".join(child.itertext()).strip()
                    for child in elem
                ):
                    raise WorkbookRefused(
                        f"the sheet {bounds.sheet!r} has a value in cell "
                        f"{get_column_letter(column)}{row}, below row {bounds.last_row}, the "
                        f"last the form reads (expected at most {bounds.data_rows} "
                        f"{bounds.what}, as in the template)"
                    )
            elif name == "row" and sheet_data is not None:
                # Drop parsed rows, so a sheet of a million empty rows costs no memory.
                sheet_data.clear()


def _bounded_rows(ws: Any, bounds: SheetBounds) -> list[tuple[Any, ...]]:
    # Both bounds given, so openpyxl neither trusts the sheet's <dimension> nor pads a row to
    # the column of its rightmost cell (a cell at XFD would make every row 16,384 wide).
    return list(ws.iter_rows(max_row=bounds.last_row, max_col=bounds.last_column, values_only=True))


def _records(rows: list[tuple[Any, ...]], sheet: str, required: set[str]) -> list[dict[str, Any]]:
    if len(rows) < KEY_ROW:
        raise ValueError(f"sheet {sheet!r} has no row of field names")
    keys = [str(k).strip() if k is not None else "" for k in rows[KEY_ROW - 1]]
    records = []
    for values in rows[KEY_ROW:]:
        record = {
            k: _cell(v) for k, v in zip(keys, values, strict=False) if k and k not in INFORMATIONAL
        }
        if all(record.get(k) in (None, "") for k in required):
            continue  # a row the officer left untouched
        records.append({k: v for k, v in record.items() if v is not None})
    return records


_SHEETS: list[tuple[SheetBounds, str, set[str]]] = [
    (MILESTONE_BOUNDS, "milestones", {"status", "progress", "narrative"}),
    (INDICATOR_BOUNDS, "indicators", {"value", "as_of", "source"}),
    (MUNICIPALITY_BOUNDS, "municipalities", {"ordinance", "urgency_scheme", "woonzorgvisie"}),
    (COMMITMENT_BOUNDS, "commitments", {"status", "explanation", "expected"}),
]


def read_workbook(stream: IO[bytes]) -> dict[str, Any]:
    """Read a filled-in template into the same mapping a YAML submission gives.

    Raises WorkbookRefused for a workbook beyond the limits; anything openpyxl raises for a
    corrupt one passes through.
    """
    check_archive(stream)
    stream.seek(0)
    wb = load_workbook(stream, read_only=True, data_only=True)
    try:
        if INFO_BOUNDS.sheet not in wb.sheetnames:
            raise ValueError("the sheet 'Inzending' is missing")

        def rows_of(bounds: SheetBounds) -> list[tuple[Any, ...]]:
            ws = wb[bounds.sheet]
            # openpyxl's read-only sheets keep their part name privately; it is the one place
            # that maps a sheet's title to its XML.
            _check_sheet_extent(wb._archive, ws._worksheet_path, bounds)
            return _bounded_rows(ws, bounds)

        raw: dict[str, Any] = {}
        for row in rows_of(INFO_BOUNDS)[KEY_ROW:]:
            if row and row[0]:
                value = _cell(row[1] if len(row) > 1 else None)
                if value is not None:
                    raw[str(row[0]).strip()] = value
        for bounds, field, required in _SHEETS:
            if bounds.sheet in wb.sheetnames:
                raw[field] = _records(rows_of(bounds), bounds.sheet, required)
        return raw
    finally:
        wb.close()
