"""The ``voortgang`` command: exit 0 done, 2 wrong input or arguments, 1 anything else."""

from __future__ import annotations

import sys

import typer

from voortgang.cli import (
    approve_command,
    audit_command,
    cbs_command,
    cycle_commands,
    dashboard_command,
    data_commands,
    notify_command,
    reopen_command,
    serve_command,
    slack_command,
)
from voortgang.cli.help_format import use_plain_help
from voortgang.cli.output import InputError, err_console
from voortgang.cli.usage import is_abort, is_usage_error, usage_line

app = typer.Typer(
    name="voortgang",
    help=(
        "The quarterly progress cycle of the programme 'Een thuis voor iedereen': "
        "submissions, goal checks and the joint progress letter.\n\n"
        "Example: voortgang demo"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: no boxes cut to the terminal, and no rich import for --help.
    rich_markup_mode=None,
)
data_commands.register(app)
cycle_commands.register(app)
approve_command.register(app)
reopen_command.register(app)
audit_command.register(app)
notify_command.register(app)
serve_command.register(app)
slack_command.register(app)
dashboard_command.register(app)
cbs_command.register(app)
use_plain_help(app)  # after every register(): each command's help without type labels


def main() -> None:
    try:
        # prog_name: the same messages whether run as `voortgang` or `python -m`.
        result = app(prog_name="voortgang", standalone_mode=False)
    except InputError as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the contract: one line, no traceback
        if _is_rejected_submission(exc):
            err_console.print(str(exc), markup=False, highlight=False)
            sys.exit(2)
        if is_usage_error(exc):
            _show_usage_error(exc, _command_named(sys.argv[1:]))
            sys.exit(2)
        if is_abort(exc):
            err_console.print("Aborted.")
            sys.exit(1)
        if _is_missing_schema(exc):
            err_console.print(
                "error: the database has no voortgang tables yet; run `voortgang init` first",
                markup=False,
            )
            sys.exit(1)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        err_console.print(f"error: {first}", markup=False, highlight=False)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


def _is_rejected_submission(exc: BaseException) -> bool:
    # Looked up, not imported: validation (pydantic) is loaded only by commands that validate,
    # and an exception of that kind can only come from a command that loaded it.
    module = sys.modules.get("voortgang.models.validation_errors")
    return module is not None and isinstance(exc, module.SubmissionRejected)


def _command_named(args: list[str]) -> str:
    """``voortgang <command>`` for the first argument that names one, else ``voortgang``."""
    known = {
        command.name or command.callback.__name__
        for command in app.registered_commands
        if command.callback
    }
    named = next((a for a in args if not a.startswith("-")), None)
    return f"voortgang {named}" if named in known else "voortgang"


def _show_usage_error(exc: Exception, command: str) -> None:
    if type(exc).__name__ == "NoArgsIsHelpError":
        # Click hands the help back as the message: it goes where --help writes it, stdout.
        format_message = getattr(exc, "format_message", None)
        help_text = format_message() if callable(format_message) else ""
        if isinstance(help_text, str) and help_text.strip():
            sys.stdout.write(help_text.rstrip() + "\n")
    err_console.print(usage_line(exc, command), markup=False, highlight=False)


def _is_missing_schema(exc: BaseException) -> bool:
    text = str(exc)
    return (
        "no such table" in text
        or "UndefinedTable" in text
        or ("relation" in text and "does not exist" in text)
    )


if __name__ == "__main__":
    main()
