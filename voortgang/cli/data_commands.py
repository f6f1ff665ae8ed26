"""Commands about the data: init, catalogue, template, submit, submissions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from voortgang.cli.output import InputError, err_console, print_json


def _period(text: str) -> str:
    from voortgang.models.periods import Quarter

    try:
        return str(Quarter.parse(text))
    except ValueError as exc:
        raise InputError(f"--period: {exc}") from exc


def _ministry(code: str) -> str:
    """The catalogue's code for ``code`` (any case); an unknown one is wrong input."""
    from voortgang.models.catalogue import load_catalogue

    c = load_catalogue()
    try:
        return c.ministry(code).code
    except KeyError:
        known = ", ".join(m.code for m in c.ministries)
        raise InputError(
            f"--ministry: unknown ministry {code!r} (expected one of {known})"
        ) from None


def _not_a_directory(path: Path, option: str) -> None:
    if path.is_dir():
        raise typer.BadParameter(
            f"{str(path)!r} is a directory (expected a file)", param_hint=option
        )


def init() -> None:
    """Check, create or migrate the database and load the catalogue and the bundled CBS data.

    Safe to run again: a second run changes nothing. A missing table is created again and
    named; a damaged SQLite file stops it (exit 1), naming the file, with nothing written.

    Example: voortgang init
    """
    from voortgang.models.setup import initialise

    with err_console.status("Setting up the database..."):
        report = initialise()
    for repair in report.repaired:
        err_console.print(f"Repaired: {repair}", markup=False, highlight=False)
    err_console.print(
        f"Database ready: {report.database}\n"
        f"Catalogue: {report.catalogue_changes} changes; CBS observations added: "
        f"{report.observations_added}"
    )


def catalogue(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """Show the ministries, goals, indicators and milestones, with ids, owners and sources.

    Example: voortgang catalogue --json
    """
    from rich.table import Table

    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.catalogue_json import catalogue_document

    c = load_catalogue()
    if as_json:
        print_json(catalogue_document(c))
        return
    table = Table(title=c.programme.title)
    for column in ("goal", "title", "lead", "contributors", "indicators"):
        table.add_column(column)
    for g in c.goals:
        table.add_row(g.id, g.title, g.lead, ", ".join(g.contributors), ", ".join(g.indicators))
    from rich.console import Console

    out = Console()
    out.print(table)
    ms = Table(title="Milestones")
    for column in ("milestone", "ministry", "goal", "due", "title"):
        ms.add_column(column)
    for m in c.milestones:
        ms.add_row(m.id, m.ministry, m.goal, m.due.isoformat(), m.title)
    out.print(ms)


def template(
    ministry: Annotated[str, typer.Option("--ministry", help="Ministry code, e.g. VWS.")],
    period: Annotated[str, typer.Option("--period", help="Quarter, e.g. 2026Q4.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the form.")],
    fmt: Annotated[str, typer.Option("--format", help="yaml or xlsx.")] = "yaml",
) -> None:
    """Write a submission form pre-filled with that ministry's milestones and indicators.

    Example: voortgang template --ministry VWS --period 2026Q4 --format xlsx -o vws.xlsx
    """
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.submission_template import yaml_template
    from voortgang.models.submission_xlsx import write_xlsx_template

    c = load_catalogue()
    quarter = _period(period)
    code = _ministry(ministry)
    if fmt not in ("yaml", "xlsx"):
        raise InputError(f"--format: {fmt!r} is not a format (expected yaml or xlsx)")
    _not_a_directory(output, "-o/--output")
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "yaml":
        output.write_text(yaml_template(c, code, quarter), encoding="utf-8")
    else:
        write_xlsx_template(c, code, quarter, output)
    err_console.print(f"Form for {code}, {quarter} written to {output.resolve()}")


def submit(
    files: Annotated[list[Path], typer.Argument(help="Submission files (YAML, JSON, XLSX).")],
) -> None:
    """Validate and store submissions; each file is stored whole or not at all.

    Every error of a file is listed as FILE: field: problem (expected ...), and the
    command exits with status 2 when any file was refused.

    Example: voortgang submit vws-2026Q4.yaml bzk-2026Q4.xlsx
    """
    from voortgang.models.submission_intake import take_in_file
    from voortgang.models.validation_errors import SubmissionRejected

    # A directory is a wrong argument, not a refused file: nothing is stored at all.
    for path in files:
        _not_a_directory(path, "FILES")
    refused = 0
    for path in files:
        try:
            result = take_in_file(path, channel="cli")
        except SubmissionRejected as exc:
            refused += 1
            err_console.print(exc.report(), markup=False, highlight=False)
            err_console.print(f"{path}: nothing stored; correct the fields above and submit again.")
            continue
        if result.created:
            err_console.print(
                f"{path}: stored as {result.ministry} {result.period} version {result.version}"
            )
        else:
            err_console.print(
                f"{path}: identical to {result.ministry} {result.period} version "
                f"{result.version}; no new version stored"
            )
    if refused:
        raise typer.Exit(2)


def submissions(
    period: Annotated[str, typer.Option("--period", help="Quarter, e.g. 2026Q4.")],
    ministry: Annotated[str | None, typer.Option("--ministry", help="Only this ministry.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """List every stored version: who submitted, when, through which channel.

    Example: voortgang submissions --period 2026Q4 --ministry VWS --json
    """
    from rich.console import Console
    from rich.table import Table

    from voortgang.models.db import session_scope
    from voortgang.models.submission_store import list_submissions

    quarter = _period(period)
    code = _ministry(ministry) if ministry is not None else None
    with session_scope() as session:
        rows = list_submissions(session, period=quarter, ministry=code)
    if as_json:
        print_json([r.model_dump() for r in rows])
        return
    table = Table(title=f"Submissions {quarter}")
    for column in (
        "ministry",
        "version",
        "submitted_by",
        "submitted_at",
        "channel",
        "milestones",
        "indicators",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.ministry,
            str(r.version),
            r.submitted_by,
            r.submitted_at,
            r.channel,
            str(r.milestones),
            str(r.indicators),
        )
    Console().print(table)
    if not rows:
        err_console.print(f"No submissions stored for {quarter}.")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(catalogue)
    app.command()(template)
    app.command()(submit)
    app.command()(submissions)
