"""The dashboard's goal x ministry grid as CSV and XLSX, for coordinators who work in Excel.

One row per goal (worst first, as on the page), one column per ministry with the status in
words (a cell is empty where the ministry has no part in the goal), and the reasons of the
goal as a whole. The CSV is UTF-8 with a byte order mark and semicolons, which Excel in a
Dutch locale opens as columns.
"""

from __future__ import annotations

import csv
import io

from voortgang.reporting.assessment_schema import GoalState
from voortgang.reporting.dashboard_data import DashboardData
from voortgang.reporting.dutch import status_label

# The same colours as the page; the word in the cell carries the meaning, the fill helps.
FILLS = {
    GoalState.on_track: "D6F0DF",
    GoalState.at_risk: "FFEDB8",
    GoalState.off_track: "F8D0D0",
    GoalState.no_data: "E6E6E6",
}


def grid_table(data: DashboardData) -> list[list[str]]:
    """The grid as rows of text, the header first."""
    header = ["Doel", "Status", *data.ministry_codes, "Toelichting"]
    rows = [header]
    for row in data.grid:
        cells = [
            status_label(row.cells[code].status) if code in row.cells else ""
            for code in data.ministry_codes
        ]
        rows.append(
            [row.title, status_label(row.status), *cells, " ".join([*row.deciding, *row.other])]
        )
    return rows


def grid_csv(data: DashboardData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(grid_table(data))
    return buffer.getvalue().encode("utf-8-sig")


def grid_xlsx(data: DashboardData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = f"Stand {data.period}"
    table = grid_table(data)
    for values in table:
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    states = {status_label(s): s for s in GoalState}
    for excel_row in sheet.iter_rows(min_row=2):
        for cell in excel_row[1 : 2 + len(data.ministry_codes)]:
            state = states.get(str(cell.value or ""))
            if state is not None:
                cell.fill = PatternFill("solid", fgColor=FILLS[state])
        for cell in excel_row:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" is text, not a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 18
    for i in range(len(data.ministry_codes)):
        sheet.column_dimensions[chr(ord("C") + i)].width = 18
    sheet.column_dimensions[chr(ord("C") + len(data.ministry_codes))].width = 90
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
