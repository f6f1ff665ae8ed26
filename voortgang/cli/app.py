"""The ``voortgang`` command: exit 0 done, 2 wrong input or arguments, 1 anything else."""

from __future__ import annotations

import sys

import click
import typer

from voortgang.cli import (
    approve_command,
    cycle_commands,
    data_commands,
    notify_command,
    serve_command,
)
from voortgang.cli.output import InputError, err_console

app = typer.Typer(
    name="voortgang",
    help=(
        "The quarterly progress cycle of the programme 'Een thuis voor iedereen': "
        "submissions, goal checks and the joint progress letter.\n\n"
        "Example: voortgang demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
data_commands.register(app)
cycle_commands.register(app)
approve_command.register(app)
notify_command.register(app)
serve_command.register(app)


def main() -> None:
    from voortgang.models.validation_errors import SubmissionRejected

    try:
        result = app(standalone_mode=False)
    except click.exceptions.UsageError as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        err_console.print("Aborted.")
        sys.exit(1)
    except (InputError, SubmissionRejected) as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the contract: one line, no traceback
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


def _is_missing_schema(exc: BaseException) -> bool:
    text = str(exc)
    return (
        "no such table" in text
        or "UndefinedTable" in text
        or ("relation" in text and "does not exist" in text)
    )


if __name__ == "__main__":
    main()
