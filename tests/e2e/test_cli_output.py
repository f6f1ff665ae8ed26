"""What a new user sees of the command line (issue 11, part 3): a fast main help, help texts
without Typer's type labels, output that is whole when piped, and a catalogue that shows
what its help promises.

Protects: ``import voortgang.cli.app`` loads none of Prefect, SQLAlchemy, pydantic, rich or
the renderers; ``voortgang --help`` answered from its cache loads not even Typer, prints
exactly what Typer renders, and renders anew when the cache is stale; no command's help has
``<bool>``-like type labels, ``{files}`` braces or a summary cut off with "..."; piped, the
tables are tab-separated with every cell whole; on a terminal nothing is cut off with "…".
The speed itself is measured by bench/cli_startup.py, not here.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from voortgang.cli import entry
from voortgang.cli.app import app
from voortgang.models.catalogue import load_catalogue

VOORTGANG = Path(sys.executable).with_name("voortgang")
HEAVY = ("prefect", "sqlalchemy", "pydantic", "rich", "matplotlib", "docx", "openpyxl", "jinja2")


def voortgang(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VOORTGANG), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def loaded_packages(code: str) -> set[str]:
    """The top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (
        "import sys\n"
        f"try:\n    exec({code!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('LOADED ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(done.stderr.rpartition("LOADED ")[2].split())


def subcommands() -> list[str]:
    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


# --- the main help ------------------------------------------------------------------------------


def test_importing_the_command_line_loads_no_heavy_package() -> None:
    loaded = loaded_packages("import voortgang.cli.app")
    assert "voortgang" in loaded
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_main_help_from_its_cache_loads_not_even_typer() -> None:
    run_help = "sys.argv = ['voortgang', '--help']\nfrom voortgang.cli.entry import main\nmain()\n"
    assert voortgang("--help").returncode == 0  # fills the cache if it was stale
    loaded = loaded_packages(run_help)
    assert "typer" not in loaded
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_main_help_is_exactly_what_typer_renders() -> None:
    # Click formats to the terminal's width less 2: COLUMNS=80 is a width of 78.
    rendered = CliRunner().invoke(app, ["--help"], terminal_width=78)
    assert rendered.exit_code == 0
    done = voortgang("--help", env={"COLUMNS": "80"})
    assert done.returncode == 0
    assert done.stdout == rendered.output
    assert voortgang("-h", env={"COLUMNS": "80"}).stdout == rendered.output


def test_stale_cached_help_is_rendered_anew() -> None:
    # Width 60 has a cache file of its own, so this test leaves other widths alone.
    width = 60  # what Click makes of COLUMNS=62
    cache = entry.cache_file(width)
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a key of another version\nSTALE HELP\n", encoding="utf-8")

    done = voortgang("--help", env={"COLUMNS": "62"})

    assert done.returncode == 0
    assert "STALE" not in done.stdout
    assert done.stdout == CliRunner().invoke(app, ["--help"], terminal_width=width).output
    key, _, text = cache.read_text(encoding="utf-8").partition("\n")
    assert text == done.stdout
    assert all(f"{p.name}:" in key for p in Path(entry.__file__).parent.glob("*.py"))


# --- help texts ---------------------------------------------------------------------------------

ARTEFACTS = re.compile(r"<[a-z][a-z\[\]|, ]*>|[{}]|\.\.\.$", re.MULTILINE)


@pytest.mark.parametrize("command", [None, *subcommands()])
def test_help_has_no_type_labels_braces_or_cut_off_summaries(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    result = CliRunner().invoke(app, args, terminal_width=80)
    assert result.exit_code == 0, result.output
    # "FILES..." or "[ARGS]..." in a usage line is a repeatable argument, not a cut-off text.
    text = re.sub(r"(\b[A-Z]+|\[[A-Z]+\])\.\.\.", "", result.output)
    assert not ARTEFACTS.findall(text), result.output


def test_main_help_lists_each_commands_first_paragraph_whole() -> None:
    output = " ".join(CliRunner().invoke(app, ["--help"], terminal_width=80).output.split())
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert f"{name} {first}" in output, name


# --- output when piped --------------------------------------------------------------------------


def _tables(stdout: str) -> list[list[list[str]]]:
    """Tab-separated tables, each starting at its header line."""
    tables: list[list[list[str]]] = []
    for line in stdout.splitlines():
        cells = line.split("\t")
        if cells[0] in ("ministry", "goal", "indicator", "milestone"):
            tables.append([])
        tables[-1].append(cells)
    return tables


def test_catalogue_piped_shows_ministries_goals_indicators_and_milestones_whole() -> None:
    done = voortgang("catalogue")
    assert done.returncode == 0, done.stderr
    tables = _tables(done.stdout)
    assert [t[0][0] for t in tables] == ["ministry", "goal", "indicator", "milestone"]
    for table in tables:
        assert all(len(row) == len(table[0]) for row in table), table[0]
    ministries, goals, indicators, milestones = ({row[0]: row for row in t[1:]} for t in tables)
    c = load_catalogue()
    for m in c.ministries:
        assert ministries[m.code][1] == m.name
        assert all(o.email in ministries[m.code][2] for o in m.officers)  # the owners
    for g in c.goals:
        assert goals[g.id][1:3] == [g.title, g.lead]
    for i in c.indicators:
        row = indicators[i.id]
        assert (row[3], row[5], row[7]) == (i.reported_by, i.baseline.source, i.target.source)
    for ms in c.milestones:
        assert milestones[ms.id] == [
            ms.id,
            ms.ministry,
            ms.goal,
            ms.due.isoformat(),
            ms.title,
            ms.source,
        ]
    for title in ("ministries", "Goals", "Indicators", "Milestones"):
        assert title in done.stderr


def test_catalogue_on_a_narrow_terminal_cuts_nothing_off() -> None:
    parent, child = pty.openpty()
    with subprocess.Popen(
        [str(VOORTGANG), "catalogue"],
        stdout=child,
        stderr=child,
        env={**os.environ, "COLUMNS": "70", "LINES": "40", "TERM": "dumb"},
    ) as process:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    os.close(parent)
    shown = b"".join(chunks).decode()
    assert "Milestones" in shown
    assert "…" not in shown  # rich's mark of a cell cut off at the terminal's width
