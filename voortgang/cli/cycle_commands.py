"""Commands of the cycle: check, cycle, letter, demo (approve, notify, serve follow)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voortgang.cli.data_commands import _not_a_directory, _period
from voortgang.cli.output import InputError, err_console, print_json, print_table

if TYPE_CHECKING:
    from voortgang.flows.cycle import CycleResult

LETTER_FORMATS = ("md", "html", "docx", "pdf")


def check(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """Show the status of every goal for a period, with reasons and figures.

    Example: voortgang check --period 2026Q4 --json
    """
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.db import session_scope
    from voortgang.reporting.assessment import assess_period
    from voortgang.reporting.check_json import check_document
    from voortgang.reporting.dutch import status_label

    quarter = _period(period)
    with session_scope() as session:
        assessment = assess_period(session, load_catalogue(), quarter)
    if as_json:
        print_json(check_document(assessment))
        return
    print_table(
        f"Goal status {quarter}",
        ("goal", "status", "per ministry", "reasons"),
        [
            (
                g.id,
                status_label(g.status),
                "\n".join(f"{v.ministry}: {status_label(v.status)}" for v in g.by_ministry),
                "\n".join(g.reasons),
            )
            for g in assessment.goals
        ],
    )
    if assessment.missing_ministries:
        err_console.print(
            f"No submission for {quarter} from: {', '.join(assessment.missing_ministries)}"
        )


def run_cycle(period: str) -> CycleResult:
    """Run the quarterly cycle flow in this process (Prefect's API from the environment)."""
    from voortgang.flows.runtime import no_heartbeat, prepare_environment

    prepare_environment()
    from voortgang.flows.cycle import quarterly_cycle

    with no_heartbeat():
        return quarterly_cycle(period=period, wait_for_approval=False)


def cycle(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
) -> None:
    """Run the quarterly cycle flow: open the period, take in the inbox, check, draft the letter.

    Uses the Prefect API of PREFECT_API_URL, or Prefect's temporary local API when unset.

    Example: voortgang cycle --period 2026Q4
    """
    quarter = _period(period)
    with err_console.status(f"Running the quarterly cycle for {quarter} (Prefect starts first)..."):
        result = run_cycle(quarter)
    _report_cycle(result)


def _report_cycle(result: CycleResult) -> None:
    from voortgang.reporting.dutch import status_label

    counts: dict[str, int] = {}
    for state in result.statuses.values():
        counts[state] = counts.get(state, 0) + 1
    summary = ", ".join(f"{n} {status_label(s)}" for s, n in sorted(counts.items()))
    err_console.print(f"Cycle {result.period}: {len(result.statuses)} goals ({summary}).")
    if result.missing_ministries:
        err_console.print(f"Missing submissions: {', '.join(result.missing_ministries)}")
    state = "new draft" if result.draft.created else "unchanged, still"
    err_console.print(f"Letter ({state} version {result.draft.version}):")
    for fmt, path in result.draft.files.items():
        err_console.print(f"  {fmt:5} {path}", markup=False, highlight=False)


def letter(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="md|html|docx|pdf",
            help="md (its charts go to FILE-figuren/ beside it), html, docx or pdf "
            "(tagged PDF/UA-1, printed from the html).",
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="File to write.")],
) -> None:
    """Write the latest draft of a period's letter (once approved: the approved version).

    Example: voortgang letter --period 2026Q4 --format docx -o voortgangsbrief.docx
    Example: voortgang letter --period 2026Q4 --format pdf -o voortgangsbrief.pdf
    """
    from voortgang.models.db import session_scope
    from voortgang.reporting.drafts import current_draft

    quarter = _period(period)
    if fmt not in LETTER_FORMATS:
        raise InputError(
            f"--format: {fmt!r} is not a letter format (expected md, html, docx or pdf)"
        )
    _not_a_directory(output, "-o/--output")
    with session_scope() as session:
        draft = current_draft(session, quarter)
        if draft is None:
            raise InputError(
                f"--period: there is no draft for {quarter} yet "
                f"(run: voortgang cycle --period {quarter})"
            )
        markdown, html, docx = draft.markdown, draft.html, draft.docx
        version, state = draft.version, draft.state
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        from voortgang.reporting.letter.chart_files import chart_folder, write_markdown_with_charts

        if write_markdown_with_charts(output, markdown, html):
            err_console.print(f"Charts written to {chart_folder(output.resolve())}")
    elif fmt == "pdf":
        from voortgang.reporting.letter.pdf_render import pdf_from_html

        with err_console.status("Printing the PDF..."):
            output.write_bytes(pdf_from_html(html))
    else:
        output.write_bytes(html.encode() if fmt == "html" else docx)
    err_console.print(f"Letter {quarter} version {version} ({state}) written to {output.resolve()}")


def demo(
    today: Annotated[
        str | None,
        typer.Option("--today", help="Pretend today is this date (YYYY-MM-DD).", hidden=True),
    ] = None,
) -> None:
    """Set up everything on the embedded default and run two real quarterly cycles.

    Loads the catalogue, the bundled CBS data and the example submissions (all six
    ministries for 2026Q3; five for 2026Q4, SZW missing), runs the cycle for both quarters,
    and prints where the letter is.

    Example: voortgang demo
    """
    from voortgang.models.setup import initialise
    from voortgang.models.submission_intake import take_in_file
    from voortgang.settings import get_settings

    examples = Path(__file__).resolve().parent.parent / "data" / "examples"
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise InputError(f"--today: {today!r} is not a date (expected YYYY-MM-DD)") from None
    settings = get_settings()
    err_console.print(f"voortgang demo in {settings.resolved_home}")
    with err_console.status("Setting up the database and loading the CBS data..."):
        initialise()
    result = None
    for quarter in ("2026Q3", "2026Q4"):
        files = sorted((examples / quarter).glob("*.yaml"))
        for path in files:
            stored = take_in_file(path, channel="file", today=day)
            err_console.print(
                f"  {quarter} {stored.ministry}: version {stored.version}"
                + ("" if stored.created else " (already stored)")
            )
        with err_console.status(f"Running the quarterly cycle for {quarter}..."):
            result = run_cycle(quarter)
        _report_cycle(result)
    assert result is not None
    err_console.print(
        f"\nOpen the letter: {result.draft.files['html']}\n"
        "Next: voortgang check --period 2026Q4, or voortgang letter --period 2026Q4 --format docx -o brief.docx"
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(check)
    app.command()(cycle)
    app.command()(letter)


__all__ = ["print_json", "register"]
