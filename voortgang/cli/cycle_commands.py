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


def run_cycle(
    period: str, *, provisional: bool = False, today: dt.date | None = None
) -> CycleResult:
    """Run the quarterly cycle flow in this process (Prefect's API from the environment)."""
    from voortgang.flows.runtime import no_heartbeat, prepare_environment

    prepare_environment()
    from voortgang.flows.cycle import quarterly_cycle

    with no_heartbeat():
        return quarterly_cycle(
            period=period, wait_for_approval=False, provisional=provisional, today=today
        )


VoorlopigOption = Annotated[
    bool,
    typer.Option(
        "--voorlopig",
        help="Before the period's reports are due: a provisional draft, marked 'Voorlopig' "
        "in its title and on every page, that cannot be approved. After the deadline the "
        "letter is final and this changes nothing.",
    ),
]


def _refuse_before_deadline(quarter: str, provisional: bool) -> None:
    """Exit 2 naming the deadline when only a provisional letter is possible and it was
    not asked for (reporting/letter_dates.py)."""
    from voortgang.models.db import session_scope
    from voortgang.models.period_store import period_deadline
    from voortgang.models.periods import Quarter
    from voortgang.reporting.letter_dates import DraftNotReady, draft_dates, drafting_day

    with session_scope() as session:
        deadline = period_deadline(session, quarter)
    try:
        draft_dates(Quarter.parse(quarter), deadline, drafting_day(), allow_provisional=provisional)
    except DraftNotReady as exc:
        raise InputError(str(exc)) from None


def cycle(
    period: Annotated[
        str, typer.Option("--period", metavar="QUARTER", help="Quarter, e.g. 2026Q4.")
    ],
    provisional: VoorlopigOption = False,
) -> None:
    """Run the quarterly cycle flow: open the period, take in the inbox, check, draft the letter.

    A final letter only once the quarter has ended and its reports are due (the 5th of the
    month after it); before that the command refuses (exit 2), or with --voorlopig drafts a
    provisional letter marked 'Voorlopig'. Uses the Prefect API of PREFECT_API_URL, or
    Prefect's temporary local API when unset.

    Example: voortgang cycle --period 2026Q4
    Example: voortgang cycle --period 2026Q4 --voorlopig
    """
    quarter = _period(period)
    _refuse_before_deadline(quarter, provisional)
    with err_console.status(f"Running the quarterly cycle for {quarter} (Prefect starts first)..."):
        result = run_cycle(quarter, provisional=provisional)
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
    marked = ", provisional: 'Voorlopig', cannot be approved" if result.draft.provisional else ""
    err_console.print(f"Letter ({state} version {result.draft.version}{marked}):")
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
    provisional: VoorlopigOption = False,
) -> None:
    """Write the latest draft of a period's letter (once approved: the approved version).

    Before the period's reports are due it refuses (exit 2); --voorlopig writes the
    provisional draft, marked 'Voorlopig'.

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
    _refuse_before_deadline(quarter, provisional)
    with session_scope() as session:
        draft = current_draft(session, quarter)
        if draft is None:
            raise InputError(
                f"--period: there is no draft for {quarter} yet "
                f"(run: voortgang cycle --period {quarter})"
            )
        if draft.provisional and not provisional:
            raise InputError(
                f"--period {quarter}: the latest draft (version {draft.version}) is "
                f"provisional; run: voortgang cycle --period {quarter} for the final letter "
                "(or use --voorlopig to write the provisional one)"
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
        typer.Option(
            "--today",
            help="Run every quarter as on this date (YYYY-MM-DD); a quarter whose reports "
            "are not yet due then gets a provisional draft. Default: each quarter on its "
            "cycle day, the day after its deadline.",
            hidden=True,
        ),
    ] = None,
) -> None:
    """Set up everything on the embedded default and run two real quarterly cycles.

    Loads the catalogue, the bundled CBS data and the example submissions (all six
    ministries for 2026Q3; five for 2026Q4, SZW missing), runs the cycle for both quarters
    as on their cycle day (2026Q3 on 6 October 2026, 2026Q4 on 6 January 2027, the day
    after each deadline; the reports as handed in on working days before it), and prints
    where the letter is.

    Example: voortgang demo
    """
    from voortgang.models.identity import cli_actor
    from voortgang.models.periods import Quarter
    from voortgang.models.setup import initialise
    from voortgang.models.submission_intake import take_in_file
    from voortgang.reporting.letter_dates import Readiness, draft_readiness, first_final_day
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
        q = Quarter.parse(quarter)
        deadline = q.default_deadline
        on = day or first_final_day(q, deadline)
        files = sorted((examples / quarter).glob("*.yaml"))
        times = demo_submission_times(deadline, on, len(files))
        for path, moment in zip(files, times, strict=True):
            # Stored by whoever runs the demo on this machine: the command line, not the
            # inbox; the claim is the example file's (fictional) officer.
            stored = take_in_file(
                path, channel="cli", actor=cli_actor(), today=on, submitted_at=moment
            )
            err_console.print(
                f"  {quarter} {stored.ministry}: version {stored.version}"
                + ("" if stored.created else " (already stored)")
            )
        provisional = draft_readiness(q, deadline, on) is Readiness.provisional_needed
        with err_console.status(f"Running the quarterly cycle for {quarter} as on {on}..."):
            result = run_cycle(quarter, provisional=provisional, today=on)
        _report_cycle(result)
    assert result is not None
    err_console.print(
        f"\nOpen the letter: {result.draft.files['html']}\n"
        "Next: voortgang check --period 2026Q4, or voortgang letter --period 2026Q4 --format docx -o brief.docx"
    )


def demo_submission_times(deadline: dt.date, today: dt.date, count: int) -> list[dt.datetime]:
    """When the demo's example reports count as handed in: on the working days before the
    deadline, one ministry a day from the deadline back, at ten in the morning in The Hague;
    never after ``today``."""
    from zoneinfo import ZoneInfo

    from voortgang.models.working_days import is_working_day

    days: list[dt.date] = []
    day = min(deadline, today)
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    hague = ZoneInfo("Europe/Amsterdam")
    return [dt.datetime.combine(d, dt.time(10, 0), tzinfo=hague) for d in reversed(days)]


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(check)
    app.command()(cycle)
    app.command()(letter)


__all__ = ["print_json", "register"]
