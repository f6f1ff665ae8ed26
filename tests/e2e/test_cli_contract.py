"""The command line's contract for wrong usage, as a user meets it (issue 12, part 9).

Protects: every usage error (no command, an unknown command or option, an option without its
value, a required option or argument left out, a value of the wrong kind, a directory where a
file belongs, an unknown ministry) exits with status 2 and says so in exactly one line on
standard error that names the option, with nothing on standard output and nothing written;
``voortgang`` alone shows the help and that one line; ``-h`` is ``--help``, for the command
and for each subcommand, and every subcommand's help keeps its example.

Runs the installed ``voortgang`` command in its own process. The usage cases touch no
database; the one that would store a file runs on the test database (SQLite, or PostgreSQL
with ``VOORTGANG_TEST_DATABASE=postgresql``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VOORTGANG = Path(sys.executable).with_name("voortgang")
COMMANDS = [
    "init",
    "catalogue",
    "template",
    "submit",
    "submissions",
    "demo",
    "check",
    "cycle",
    "letter",
    "approve",
    "notify",
    "serve",
    "dashboard",
    "reopen",
    "audit",
    "slack",
]


def voortgang(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VOORTGANG), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture
def untouched_home(tmp_path: Path) -> dict[str, str]:
    """A home and SQLite database that a usage error must leave as they are: absent."""
    home = tmp_path / "home"
    return {
        "VOORTGANG_HOME": str(home),
        "VOORTGANG_DATABASE_URL": f"sqlite:///{home / 'voortgang.db'}",
    }


A_DIRECTORY = "{dir}"  # replaced by an existing directory of the test

USAGE_ERRORS = [
    pytest.param(["nosuch"], "no such command 'nosuch'", id="unknown-command"),
    pytest.param(["notfy"], "did you mean 'notify'", id="mistyped-command"),
    pytest.param(
        ["letter", "--period", "2026Q3", "--format", "md", "-o"], "-o needs a value", id="no-value"
    ),
    pytest.param(["serve", "--port", "abc"], "--port: 'abc' is not a port", id="port-not-number"),
    pytest.param(["serve", "--port", "70000"], "--port: '70000' is not a port", id="port-range"),
    pytest.param(["submit", A_DIRECTORY], "FILES: '{dir}' is a directory", id="submit-directory"),
    pytest.param(
        ["letter", "--period", "2026Q3", "--format", "md", "-o", A_DIRECTORY],
        "-o/--output: '{dir}' is a directory",
        id="letter-output-directory",
    ),
    pytest.param(
        ["template", "--ministry", "VWS", "--period", "2026Q4", "-o", A_DIRECTORY],
        "-o/--output: '{dir}' is a directory",
        id="template-output-directory",
    ),
    pytest.param(
        ["submissions", "--period", "2026Q3", "--ministry", "XYZ"],
        "--ministry: unknown ministry 'XYZ'",
        id="submissions-unknown-ministry",
    ),
    pytest.param(["submit", "--nosuch"], "no such option --nosuch", id="unknown-option"),
    pytest.param(["init", "extra"], "unexpected extra argument", id="extra-argument"),
    pytest.param(["demo", "--today", "tomorrow"], "--today: 'tomorrow'", id="not-a-date"),
    pytest.param(["template"], "--ministry is missing", id="template-no-args"),
    pytest.param(["submit"], "FILES is missing", id="submit-no-args"),
    pytest.param(["submissions"], "--period is missing", id="submissions-no-args"),
    pytest.param(["check"], "--period is missing", id="check-no-args"),
    pytest.param(["cycle"], "--period is missing", id="cycle-no-args"),
    pytest.param(["letter"], "--period is missing", id="letter-no-args"),
    pytest.param(["approve"], "--period is missing", id="approve-no-args"),
    pytest.param(
        ["letter", "--period", "2026Q3", "--format", "md"], "-o/--output is missing", id="no-o"
    ),
]


@pytest.mark.parametrize(("args", "says"), USAGE_ERRORS)
def test_a_usage_error_exits_2_with_one_line_naming_the_option(
    args: list[str], says: str, tmp_path: Path, untouched_home: dict[str, str]
) -> None:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    argv = [str(directory) if a == A_DIRECTORY else a for a in args]

    done = voortgang(*argv, env=untouched_home)

    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says.format(dir=directory) in lines[0], lines[0]
    assert "Traceback" not in done.stderr
    assert not Path(untouched_home["VOORTGANG_HOME"]).exists()


def test_no_arguments_shows_the_help_and_one_line_and_exits_2(
    untouched_home: dict[str, str],
) -> None:
    done = voortgang(env=untouched_home)

    assert done.returncode == 2
    assert "Usage: voortgang [OPTIONS] COMMAND" in done.stdout
    assert done.stderr.strip().splitlines() == ["error: missing command; see: voortgang --help"]


def test_a_usage_error_names_the_subcommands_help(untouched_home: dict[str, str]) -> None:
    # The option parser's own errors know no command; the hint still names the right one.
    done = voortgang("letter", "--period", "2026Q3", "-o", env=untouched_home)

    assert done.returncode == 2
    assert done.stderr.strip().endswith("see: voortgang letter --help")


def test_a_directory_among_files_stores_none_of_them(
    db: str, examples: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "submissions"
    directory.mkdir()
    good = examples / "2026Q4" / "VWS.yaml"

    done = voortgang("submit", good, directory)

    assert done.returncode == 2, done.stderr
    assert voortgang("submissions", "--period", "2026Q4", "--json").stdout.strip() == "[]"
    # The same file alone is stored: it was the directory that stopped it.
    assert voortgang("submit", good).returncode == 0
    assert '"VWS"' in voortgang("submissions", "--period", "2026Q4", "--json").stdout


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_dash_h_is_dash_dash_help(command: str | None, untouched_home: dict[str, str]) -> None:
    prefix = [command] if command else []

    short = voortgang(*prefix, "-h", env=untouched_home)
    long = voortgang(*prefix, "--help", env=untouched_home)

    assert short.returncode == 0, short.stderr
    assert short.stdout == long.stdout
    assert "Usage: voortgang" in short.stdout
    assert "-h" in short.stdout
    assert "Example: voortgang" in short.stdout
