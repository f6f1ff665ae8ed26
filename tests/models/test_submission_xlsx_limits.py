"""Spreadsheets within bounds: no workbook can make reading take hours or all the memory.

Protects ``read_workbook`` (through ``take_in_file``): the zip's parts are checked before any
XML is parsed (one part, all parts, the packing ratio, the number of parts, the shared strings);
each sheet is read only as far as the template reaches plus a margin, whatever its
``<dimension>`` says; a value below that is refused naming the sheet, the cell and the limit.
Both spreadsheet bombs of issue 12 are built here by hand: 60,000 rows with a cell at column XFD
(before: a MemoryError after 26 s), and a ``<dimension>`` of A1:XFD1048576 with a value in its
last cell (before: hours of CPU). Password-protected and corrupt workbooks are refused by name.
Nothing of a refused workbook is stored; one that is only odd (a forged dimension, a value far
to the right) is read as the officer filled it in.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.models.factories import NOTHING, TODAY, fill_xlsx_template, stored, versions
from voortgang.models.catalogue import load_catalogue
from voortgang.models.submission_intake import take_in_file
from voortgang.models.submission_xlsx import (
    INDICATOR_BOUNDS,
    INFO_BOUNDS,
    MAX_XLSX_MEMBER_BYTES,
    MAX_XLSX_MEMBERS,
    MILESTONE_BOUNDS,
    MUNICIPALITY_BOUNDS,
    read_workbook,
    write_xlsx_template,
)
from voortgang.models.validation_errors import SubmissionRejected

# Generous: the point is "seconds, not hours"; the measured figures are in the README.
SECONDS = 60
MILESTONES_PART = "xl/worksheets/sheet2.xml"  # openpyxl writes the sheets in order


def filled_workbook(folder: Path, code: str = "VWS") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code}.xlsx"
    write_xlsx_template(load_catalogue(), code, "2026Q4", path)
    fill_xlsx_template(path, code)
    return path


def rewrite(path: Path, target: Path, change: dict[str, Callable[[bytes], bytes] | bytes]) -> Path:
    """A copy of the workbook with some parts replaced or changed, written with zipfile."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            how = change.pop(info.filename, None)
            if callable(how):
                data = how(data)
            elif how is not None:
                data = how
            out.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        for name, how in change.items():
            assert not callable(how), f"{name} is not in the workbook"
            out.writestr(name, how, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return target


def with_dimension(sheet: bytes, ref: str) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), sheet)


def xfd_rows_bomb(sheet: bytes, rows: int = 60_000) -> bytes:
    """Every row down to ``rows`` gets a value in the last column Excel has."""
    assert b"<sheetData>" in sheet
    last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', sheet))
    extra = b"".join(
        b'<row r="%d"><c r="XFD%d" t="n"><v>1</v></c></row>' % (r, r)
        for r in range(last + 1, rows + 1)
    )
    sheet = with_dimension(sheet, f"A1:XFD{rows}")
    return sheet.replace(b"</sheetData>", extra + b"</sheetData>")


def dimension_bomb(sheet: bytes) -> bytes:
    """The sheet claims a million rows by 16,384 columns and has a value in the very last cell."""
    sheet = with_dimension(sheet, "A1:XFD1048576")
    last = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
    return sheet.replace(b"</sheetData>", last + b"</sheetData>")


def refused(path: Path) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(SubmissionRejected) as caught:
        take_in_file(path, today=TODAY)
    elapsed = time.monotonic() - started
    assert stored() == NOTHING
    return caught.value.report(), elapsed


def test_sixty_thousand_rows_reaching_column_xfd_are_refused_in_seconds(home: Path) -> None:
    good = filled_workbook(home)
    bomb = rewrite(good, home / "bomb.xlsx", {MILESTONES_PART: xfd_rows_bomb})
    assert bomb.stat().st_size < 2_000_000  # small enough to pass the file-size limit

    report, elapsed = refused(bomb)

    last = MILESTONE_BOUNDS.last_row
    assert report == (
        f"{bomb}: (file): the sheet 'Mijlpalen' has a value in cell XFD{last + 1}, below row "
        f"{last}, the last the form reads (expected at most {MILESTONE_BOUNDS.data_rows} "
        "milestone rows, as in the template)"
    )
    assert elapsed < SECONDS


def test_a_dimension_of_a_million_rows_with_a_value_in_its_last_cell_is_refused(
    home: Path,
) -> None:
    bomb = rewrite(filled_workbook(home), home / "bomb.xlsx", {MILESTONES_PART: dimension_bomb})

    report, elapsed = refused(bomb)

    assert "the sheet 'Mijlpalen' has a value in cell XFD1048576" in report
    assert f"expected at most {MILESTONE_BOUNDS.data_rows} milestone rows" in report
    assert elapsed < SECONDS


def test_a_forged_dimension_alone_is_ignored_and_the_workbook_read(home: Path) -> None:
    forged = rewrite(
        filled_workbook(home),
        home / "VWS-forged.xlsx",
        {MILESTONES_PART: lambda sheet: with_dimension(sheet, "A1:XFD1048576")},
    )
    started = time.monotonic()

    result = take_in_file(forged, today=TODAY)

    assert time.monotonic() - started < SECONDS
    assert (result.ministry, result.version, result.created) == ("VWS", 1, True)
    assert versions("VWS", "2026Q4") == [1]


def test_a_value_far_to_the_right_of_a_milestone_is_ignored_as_before(home: Path) -> None:
    import openpyxl

    path = filled_workbook(home)
    book = openpyxl.load_workbook(path)
    book["Mijlpalen"]["XFD3"] = "a note far away"
    book.save(path)

    plain = filled_workbook(home / "plain")
    assert (
        read_workbook(io.BytesIO(path.read_bytes()))["milestones"]
        == read_workbook(io.BytesIO(plain.read_bytes()))["milestones"]
    )


def test_shared_strings_over_the_size_limit_are_refused(home: Path) -> None:
    # The template writes no shared strings: add a table of them, as Excel would, just over
    # the limit, and tell the workbook where it is.
    filler = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    copies = MAX_XLSX_MEMBER_BYTES // len(filler) + 1
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="%d" uniqueCount="%d">' % (copies, copies) + filler * copies + b"</sst>"
    )
    content_type = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    relation = (
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    bomb = rewrite(
        filled_workbook(home),
        home / "strings.xlsx",
        {
            "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", content_type),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", relation),
            "xl/sharedStrings.xml": strings,
        },
    )
    assert bomb.stat().st_size < 2_000_000

    report, _elapsed = refused(bomb)

    assert report.startswith(
        f"{bomb}: (file): the workbook part 'xl/sharedStrings.xml' unpacks to "
    )
    assert f"above the limit of {MAX_XLSX_MEMBER_BYTES:,}" in report
    assert "(expected an .xlsx made from the template)" in report


def test_a_part_packed_more_than_a_hundredfold_is_refused(home: Path) -> None:
    bomb = rewrite(
        filled_workbook(home), home / "ratio.xlsx", {"xl/media/filler.bin": b"\0" * 5_000_000}
    )

    report, _elapsed = refused(bomb)

    assert "the workbook part 'xl/media/filler.bin' unpacks to" in report
    assert "times its packed size, above the limit of 100" in report


def test_a_workbook_of_too_many_parts_is_refused(home: Path) -> None:
    parts: dict[str, Callable[[bytes], bytes] | bytes] = {
        f"xl/media/{n}.txt": b"." for n in range(MAX_XLSX_MEMBERS)
    }
    report, _elapsed = refused(rewrite(filled_workbook(home), home / "parts.xlsx", parts))

    assert f"parts, above the limit of {MAX_XLSX_MEMBERS:,}" in report


def test_a_password_protected_workbook_is_refused_by_name(home: Path) -> None:
    # What Excel writes for a workbook with a password: an OLE compound file, not a zip.
    path = home / "VWS.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096)

    report, _elapsed = refused(path)

    assert report == (
        f"{path}: (file): the workbook is password-protected or an old .xls file "
        "(expected an .xlsx without a password, made from the template)"
    )


def flipped_bytes(good: Path) -> bytes:
    data = good.read_bytes()
    at = len(data) // 3
    return data[:at] + bytes(b ^ 0xFF for b in data[at : at + 64]) + data[at + 64 :]


def broken_sheet_xml(good: Path) -> bytes:
    broken = {MILESTONES_PART: b"<worksheet><sheetData><row"}
    return rewrite(good, good.with_name("broken.xlsx"), dict(broken)).read_bytes()


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda good: good.read_bytes()[: good.stat().st_size // 2], id="cut-short"),
        pytest.param(flipped_bytes, id="changed-bytes"),
        pytest.param(broken_sheet_xml, id="broken-xml"),
    ],
)
def test_a_corrupt_workbook_is_refused_as_unreadable(
    home: Path, corrupt: Callable[[Path], bytes]
) -> None:
    path = home / "VWS.xlsx"
    path.write_bytes(corrupt(filled_workbook(home / "good")))

    report, _elapsed = refused(path)

    assert report.startswith(f"{path}: (file): ")
    assert "(expected an .xlsx made from the template)" in report


@pytest.mark.parametrize("code", ["AenM", "BZK", "JenV", "SZW", "VRO", "VWS"])
def test_every_template_fits_within_the_bounds_read(tmp_path: Path, code: str) -> None:
    catalogue = load_catalogue()
    path = tmp_path / f"{code}.xlsx"
    write_xlsx_template(catalogue, code, "2026Q4", path)
    import openpyxl

    book = openpyxl.load_workbook(path)
    for bounds in (INFO_BOUNDS, MILESTONE_BOUNDS, INDICATOR_BOUNDS, MUNICIPALITY_BOUNDS):
        if bounds.sheet in book.sheetnames:
            sheet = book[bounds.sheet]
            assert sheet.max_row <= bounds.last_row, (code, bounds.sheet, sheet.max_row)
            assert sheet.max_column <= bounds.columns, (code, bounds.sheet, sheet.max_column)
    # The margin: room for the catalogue to grow before officers' files are refused.
    assert len(catalogue.milestones_of(code)) * 4 <= MILESTONE_BOUNDS.data_rows
