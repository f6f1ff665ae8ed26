"""`voortgang cbs`: take in a newer CBS table of municipal figures, so next year needs no code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from voortgang.cli.output import InputError, err_console

cbs_app = typer.Typer(
    help=(
        "CBS figures per municipality: take in a newer table 'Kerncijfers wijken en buurten'.\n\n"
        "Example: voortgang cbs load kwb-2025.json --year 2025"
    ),
    no_args_is_help=True,
)


@cbs_app.command("load")
def load(
    file: Annotated[
        Path,
        typer.Argument(
            help="The table as CBS open data serves it (TypedDataSet JSON).",
            exists=True,
            dir_okay=False,
        ),
    ],
    year: Annotated[int, typer.Option("--year", help="The table's year (peildatum 1 January).")],
    table: Annotated[
        str | None,
        typer.Option(
            "--table", help="CBS table number, e.g. 86165NED; read from the file if omitted."
        ),
    ] = None,
) -> None:
    """Take in a CBS table 'Kerncijfers wijken en buurten' as a new dataset.

    FILE is the OData JSON of CBS open data, for example saved from
    https://opendata.cbs.nl/ODataApi/odata/86165NED/TypedDataSet?$filter=startswith(WijkenEnBuurten,'GM')
    Fields are found by name whatever number CBS gives them that year. The newest table is
    what the letter and the municipal annex count, on today's indeling. The whole file is
    checked first: a missing column or a value that is not a number stops it (exit 2),
    naming the file, the municipality and the column, and nothing is stored.

    Example: voortgang cbs load kwb-2025.json --year 2025
    """
    from voortgang.models.cbs_table import CbsTableError, read_cbs_table, store_cbs_table
    from voortgang.models.db import session_scope

    try:
        parsed = read_cbs_table(file, year=year, table=table)
    except CbsTableError as exc:
        raise InputError(str(exc)) from exc
    with session_scope() as session:
        result = store_cbs_table(session, parsed)
    what = (
        f"{result.added} observations added"
        if result.added
        else "nothing new (this table was taken in before)"
    )
    err_console.print(
        f"{result.dataset} {parsed.title}: {result.municipalities} municipalities, {what}; "
        f"{result.flagged} values to be checked. The letter now counts this table.",
        markup=False,
        highlight=False,
    )


@cbs_app.command("fetch")
def fetch(
    table: Annotated[str, typer.Argument(help="CBS table number, e.g. 86165NED.")],
    year: Annotated[int, typer.Option("--year", help="The table's year (peildatum 1 January).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to save the JSON.", dir_okay=False)
    ],
) -> None:
    """Fetch a table from CBS open data with cbsodata and save it for `voortgang cbs load`.

    Needs the network and the optional extra: pip install 'voortgang[cbs]'.

    Example: voortgang cbs fetch 86165NED --year 2025 -o kwb-2025.json
    """
    from voortgang.models.cbs_table import TABLE_ID, fetch_rows

    if not TABLE_ID.match(table.upper()):
        raise InputError(f"TABLE: {table!r} is not a CBS table number (e.g. 86165NED)")
    try:
        rows = list(fetch_rows(table.upper()))
    except ModuleNotFoundError:
        raise InputError(
            "cbsodata is not installed: pip install 'voortgang[cbs]', or download the "
            "TypedDataSet JSON yourself and use voortgang cbs load"
        ) from None
    document = {
        "odata.metadata": f"https://opendata.cbs.nl/ODataApi/OData/{table.upper()}/$metadata",
        "value": rows,
    }
    output.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    err_console.print(
        f"{len(rows)} municipality rows of {table.upper()} written to {output}; next: "
        f"voortgang cbs load {output} --year {year}",
        markup=False,
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(cbs_app, name="cbs")
