"""The Excel form: the template officers fill in, and reading it back into plain data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from voortgang.models.catalogue import Catalogue
from voortgang.models.municipal_data import CBS_DIR, MUNICIPALITIES_2025

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
]
INDICATOR_COLUMNS = [
    ("indicator", "Indicator (id, niet wijzigen)"),
    ("title", "Omschrijving"),
    ("unit", "Eenheid"),
    ("value", "Waarde"),
    ("as_of", "Peildatum"),
    ("source", "Bron van het cijfer"),
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
INFORMATIONAL = {"title", "due", "unit", "name"}
STATUS_HELP = "not_started, on_track, at_risk, delayed of done"


def _header(ws: Any, columns: list[tuple[str, str]]) -> None:
    for col, (key, label) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font = HEADER
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=KEY_ROW, column=col, value=key).font = KEY_FONT
        ws.column_dimensions[cell.column_letter].width = (
            40 if key in ("narrative", "title", "source", "status_reason") else 18
        )
    ws.freeze_panes = "A3"


def write_xlsx_template(catalogue: Catalogue, ministry: str, period: str, target: Path) -> None:
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

    ws = wb.create_sheet("Indicatoren")
    _header(ws, INDICATOR_COLUMNS)
    for r, ind in enumerate(catalogue.indicators_of(m.code), start=KEY_ROW + 1):
        ws.cell(row=r, column=1, value=ind.id)
        ws.cell(row=r, column=2, value=ind.title)
        ws.cell(row=r, column=3, value=ind.unit)
        ws.cell(row=r, column=5).number_format = "yyyy-mm-dd"

    if m.code == "VRO":
        ws = wb.create_sheet("Gemeenten")
        _header(ws, MUNICIPALITY_COLUMNS)
        with (CBS_DIR / MUNICIPALITIES_2025).open(encoding="utf-8", newline="") as handle:
            for r, municipality in enumerate(csv.DictReader(handle), start=KEY_ROW + 1):
                ws.cell(row=r, column=1, value=municipality["gemeentecode"])
                ws.cell(row=r, column=2, value=municipality["gemeentenaam"])

    help_ws = wb.create_sheet("Uitleg")
    for r, line in enumerate(
        [
            f"Voortgangsrapportage Een thuis voor iedereen: {m.name}, {period}",
            "Vul per mijlpaal de status, de voortgang en een korte toelichting in.",
            f"Status: {STATUS_HELP}. Bij at_risk of delayed is een reden verplicht.",
            "Voortgang: een getal van 0 tot en met 100. Datums als 2027-06-30.",
            "De toelichting komt in de Kamerbrief. Markdown (zoals **vet**) mag, HTML niet.",
            "Rijen zonder status, voortgang en toelichting worden overgeslagen.",
            "Wijzig de ids en de tweede rij met veldnamen niet.",
        ],
        start=1,
    ):
        help_ws.cell(row=r, column=1, value=line)
    help_ws.column_dimensions["A"].width = 110
    wb.save(target)


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


def _records(ws: Any, required: set[str]) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    if len(rows) < KEY_ROW:
        raise ValueError(f"sheet {ws.title!r} has no row of field names")
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


def read_workbook(stream: IO[bytes]) -> dict[str, Any]:
    """Read a filled-in template into the same mapping a YAML submission gives."""
    wb = load_workbook(stream, read_only=True, data_only=True)
    try:
        if "Inzending" not in wb.sheetnames:
            raise ValueError("the sheet 'Inzending' is missing")
        raw: dict[str, Any] = {}
        for row in list(wb["Inzending"].iter_rows(values_only=True))[KEY_ROW:]:
            if row and row[0]:
                value = _cell(row[1] if len(row) > 1 else None)
                if value is not None:
                    raw[str(row[0]).strip()] = value
        if "Mijlpalen" in wb.sheetnames:
            raw["milestones"] = _records(wb["Mijlpalen"], {"status", "progress", "narrative"})
        if "Indicatoren" in wb.sheetnames:
            raw["indicators"] = _records(wb["Indicatoren"], {"value", "as_of", "source"})
        if "Gemeenten" in wb.sheetnames:
            raw["municipalities"] = _records(
                wb["Gemeenten"], {"ordinance", "urgency_scheme", "woonzorgvisie"}
            )
        return raw
    finally:
        wb.close()
