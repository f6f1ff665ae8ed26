"""Commands about the data: init, catalogue, template, submit, submissions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voortgang.cli.output import InputError, err_console, print_json, print_table

if TYPE_CHECKING:
    from voortgang.models.submission_prefill import PreviousValues


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

    Four tables: ministries (code, name, officers, Slack channel); goals (id, title, the
    lead ministry that owns it, contributors, indicators); indicators (id, title, unit, who
    reports it, baseline and target with their dates and sources); milestones (id, owning
    ministry, goal, due date, title, source). Piped, each table is tab-separated text.

    Example: voortgang catalogue --json
    """
    from voortgang.cli.catalogue_tables import print_catalogue
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.catalogue_json import catalogue_document

    c = load_catalogue()
    if as_json:
        print_json(catalogue_document(c))
        return
    print_catalogue(c)


def _last_quarter(code: str, quarter: str) -> PreviousValues | None:
    """The ministry's last version of an earlier quarter; None without one or a database."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from voortgang.models.db import session_scope, sqlite_file
    from voortgang.models.submission_prefill import previous_values
    from voortgang.settings import get_settings

    url = get_settings().sqlalchemy_url
    database = sqlite_file(url)
    if database is not None and not database.exists():
        return None  # not set up yet: a blank form, and no empty database file made for it
    try:
        with session_scope() as session:
            return previous_values(session, ministry=code, period=quarter)
    except (OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc) or "UndefinedTable" in str(exc):
            return None  # tables not made yet (voortgang init): nothing stored to pre-fill
        raise


def template(
    ministry: Annotated[
        str, typer.Option("--ministry", metavar="CODE", help="Ministry code, e.g. VWS.")
    ],
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the form.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", metavar="yaml|xlsx", help="yaml or xlsx.")
    ] = "yaml",
) -> None:
    """Write a submission form pre-filled with that ministry's milestones and indicators.

    Each milestone (status, progress, narrative, expected completion, reason) and indicator
    (value, date, source) carries the ministry's latest stored version of the most recent
    earlier quarter, so the officer changes only what changed; once submitted_by is filled
    in, the form is valid as it stands. Without an earlier submission the fields are blank.

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
    previous = _last_quarter(code, quarter)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "yaml":
        output.write_text(yaml_template(c, code, quarter, previous), encoding="utf-8")
    else:
        write_xlsx_template(c, code, quarter, output, previous)
    filled = (
        f"pre-filled with {code} {previous.period} version {previous.version}"
        if previous is not None
        else "blank: no earlier submission of " + code
    )
    err_console.print(f"Form for {code}, {quarter} ({filled}) written to {output.resolve()}")


def submit(
    files: Annotated[list[Path], typer.Argument(help="Submission files (YAML, JSON, XLSX).")],
) -> None:
    """Validate and store submissions; each file is stored whole or not at all.

    Every error of a file is listed as FILE: field: problem (expected ...), and the
    command exits with status 2 when any file was refused.

    Example: voortgang submit vws-2026Q4.yaml bzk-2026Q4.xlsx
    """
    from voortgang.models.identity import cli_actor
    from voortgang.models.submission_intake import take_in_file
    from voortgang.models.validation_errors import SubmissionRejected

    # A directory is a wrong argument, not a refused file: nothing is stored at all.
    for path in files:
        _not_a_directory(path, "FILES")
    refused = 0
    for path in files:
        try:
            result = take_in_file(path, channel="cli", actor=cli_actor())
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
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    ministry: Annotated[
        str | None, typer.Option("--ministry", metavar="CODE", help="Only this ministry.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """List every stored version: who submitted, when, through which channel.

    Example: voortgang submissions --period 2026Q4 --ministry VWS --json
    """
    from voortgang.models.db import session_scope
    from voortgang.models.submission_store import list_submissions

    quarter = _period(period)
    code = _ministry(ministry) if ministry is not None else None
    with session_scope() as session:
        rows = list_submissions(session, period=quarter, ministry=code)
    if as_json:
        print_json([r.model_dump() for r in rows])
        return
    print_table(
        f"Submissions {quarter}",
        (
            "ministry",
            "version",
            "submitted_by",
            "submitted_at",
            "channel",
            "milestones",
            "indicators",
        ),
        [
            (
                r.ministry,
                str(r.version),
                r.submitted_by,
                r.submitted_at,
                r.channel,
                str(r.milestones),
                str(r.indicators),
            )
            for r in rows
        ],
    )
    if not rows:
        err_console.print(f"No submissions stored for {quarter}.")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(catalogue)
    app.command()(template)
    app.command()(submit)
    app.command()(submissions)
