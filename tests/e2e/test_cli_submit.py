"""The data commands as a user runs them: ``voortgang submit``, ``submissions``, ``catalogue``,
``template`` and ``--help``, run as the installed command in its own process (only the help of
each subcommand is rendered in-process, through the same typer app).

Protects the command-line contract of DESIGN.md and issue 2: a wrong file exits with status 2,
its errors on standard error as ``FILE: path.to.field: what is wrong (expected ...)``, nothing
on standard output, and nothing of it stored; a valid file exits 0 and says what it became;
identical content is no second version, changed content is the next one and the earlier one
stays; ``--json`` output is one JSON document with the keys of DESIGN.md; the templates, filled
in, are accepted; every command's help shows an example.

The files are 2026Q4 submissions whose dates lie in the past, so the tests keep passing after
today; the one "future" period used is 2099Q1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer.main
from typer.testing import CliRunner

from tests.models.factories import (
    NOTHING,
    TODAY,
    Stored,
    dump_yaml,
    example,
    fill_xlsx_template,
    fill_yaml_template,
    officer,
    stored,
    versions,
    write_submission,
)
from voortgang.cli.app import app
from voortgang.models.catalogue import load_catalogue
from voortgang.models.submission_intake import take_in_file
from voortgang.models.submission_xlsx import write_xlsx_template

VOORTGANG = Path(sys.executable).with_name("voortgang")


def voortgang(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command with the test's database (the fixture's environment)."""
    return subprocess.run(
        [str(VOORTGANG), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def submissions_json(*args: str) -> list[dict[str, Any]]:
    done = voortgang("submissions", *args, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # fails if anything else is on stdout
    assert isinstance(document, list)
    return document


def assert_refused(
    done: subprocess.CompletedProcess[str], path: Path, field: str, *what: str
) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    mine = [line for line in done.stderr.splitlines() if line.startswith(f"{path}: {field}: ")]
    assert mine, f"no line '{path}: {field}: ...' in:\n{done.stderr}"
    assert any("(expected" in line and all(w in line for w in what) for line in mine), mine
    assert "Traceback" not in done.stderr


# --- refused files ----------------------------------------------------------------------------


def _yaml(data: dict[str, Any]) -> bytes:
    return dump_yaml(data).encode("utf-8")


def _vws(**changes: Any) -> bytes:
    data = example("VWS")
    data.update(changes)
    return _yaml(data)


def _vws_milestone(index: int, **changes: Any) -> bytes:
    data = example("VWS")
    data["milestones"][index].update(changes)
    return _yaml(data)


def _vws_indicator(index: int, **changes: Any) -> bytes:
    data = example("VWS")
    data["indicators"][index].update(changes)
    return _yaml(data)


def _without_reason() -> bytes:
    data = example("VWS")
    data["milestones"][1]["status"] = "at_risk"
    return _yaml(data)


def _bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return ("\n".join(lines) + "\nministry: VWS\n").encode()


REFUSED: list[tuple[str, str, Callable[[], bytes] | None, str, tuple[str, ...]]] = [
    ("missing-file", "nowhere.yaml", None, "(file)", ("cannot be read",)),
    (
        "unknown-ministry",
        "VWS.yaml",
        lambda: _vws(ministry="VWX"),
        "ministry",
        ("unknown ministry",),
    ),
    (
        "unknown-ministry-json",
        "VWS.json",
        lambda: json.dumps({**example("VWS"), "ministry": "VWX"}, default=str).encode(),
        "ministry",
        ("unknown ministry",),
    ),
    (
        "milestone-of-another-ministry",
        "VWS.yaml",
        lambda: _vws_milestone(0, milestone="aenm-quota-2027h1"),
        "milestones.0.milestone",
        ("belongs to AenM",),
    ),
    (
        "unknown-indicator",
        "VWS.yaml",
        lambda: _vws_indicator(0, indicator="homeless-dogs"),
        "indicators.0.indicator",
        ("unknown indicator",),
    ),
    (
        "indicator-of-another-ministry",
        "VWS.yaml",
        lambda: _vws_indicator(1, indicator="municipalities-on-quota"),
        "indicators.1.indicator",
        ("reported by AenM",),
    ),
    (
        "progress-above-100",
        "VWS.yaml",
        lambda: _vws_milestone(2, progress=101),
        "milestones.2.progress",
        ("0 to 100",),
    ),
    (
        "progress-not-a-number",
        "VWS.yaml",
        lambda: _vws_milestone(2, progress="half"),
        "milestones.2.progress",
        ("number",),
    ),
    (
        "status-not-in-list",
        "VWS.yaml",
        lambda: _vws_milestone(0, status="late"),
        "milestones.0.status",
        ("on_track",),
    ),
    (
        "at_risk-without-reason",
        "VWS.yaml",
        _without_reason,
        "milestones.1.status_reason",
        ("required",),
    ),
    (
        "date-not-a-date",
        "VWS.yaml",
        lambda: _vws_milestone(1, expected_completion="zomer 2027"),
        "milestones.1.expected_completion",
        ("date like",),
    ),
    (
        "submitter-not-registered",
        "VWS.yaml",
        lambda: _vws(submitted_by="iemand@minvws.example.nl"),
        "submitted_by",
        ("not a registered officer",),
    ),
    (
        "submitter-of-another-ministry",
        "VWS.yaml",
        lambda: _vws(submitted_by="m.visser@minbzk.example.nl"),
        "submitted_by",
        ("officer of BZK",),
    ),
    (
        "period-in-the-future",
        "VWS.yaml",
        lambda: _vws(period="2099Q1"),
        "period",
        ("has not started yet",),
    ),
    ("malformed-period", "VWS.yaml", lambda: _vws(period="2026Q7"), "period", ("not a quarter",)),
    ("empty-file", "VWS.yaml", lambda: b"", "(file)", ("empty",)),
    ("txt-file", "VWS.txt", _vws, "(file)", ("'.txt' is not accepted",)),
    ("pdf-file", "VWS.pdf", lambda: b"%PDF-1.7\n", "(file)", ("'.pdf' is not accepted",)),
    ("xlsx-that-is-text", "VWS.xlsx", _vws, "(file)", ("not an Excel workbook",)),
    (
        "not-utf8",
        "VWS.yaml",
        lambda: _vws().replace(b"De ", "Dé ".encode("latin-1")),
        "(file)",
        ("not UTF-8",),
    ),
    ("alias-bomb", "VWS.yaml", _bomb, "(file)", ("aliases",)),
]


def test_refused_files_exit_2_with_their_errors_on_stderr_and_nothing_stored(
    db: str, tmp_path: Path
) -> None:
    # One run of the command for all of them (each process costs a second); every file is
    # judged on its own, so each must get its own lines.
    paths = []
    for case, name, content, _field, _what in REFUSED:
        path = tmp_path / case / name
        path.parent.mkdir()
        if content is not None:
            path.write_bytes(content())
        paths.append(path)

    done = voortgang("submit", *paths)

    for path, (_case, _name, _content, field, what) in zip(paths, REFUSED, strict=True):
        assert_refused(done, path, field, *what)
        assert f"{path}: nothing stored" in done.stderr
    assert stored() == NOTHING


def test_yaml_that_builds_python_objects_exits_2_and_runs_nothing(db: str, tmp_path: Path) -> None:
    marker = tmp_path / "the-command-ran"
    path = tmp_path / "VWS.yaml"
    path.write_text(
        f'ministry: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )

    done = voortgang("submit", path)

    assert_refused(done, path, "(file)", "unsafe YAML")
    assert not marker.exists()
    assert stored() == NOTHING


def test_file_above_the_size_limit_exits_2_and_nothing_stored(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    done = voortgang("submit", path, env={"VOORTGANG_MAX_SUBMISSION_BYTES": "1000"})
    assert_refused(done, path, "(file)", "above the limit of 1,000")
    assert stored() == NOTHING


def test_every_error_of_a_file_is_listed_at_once(db: str, tmp_path: Path) -> None:
    data = example("VWS")
    data["submitted_by"] = "unknown@minvws.example.nl"
    data["milestones"][0]["progress"] = -5
    data["milestones"][1]["milestone"] = "no-such-milestone"
    data["indicators"][0]["as_of"] = "vorige week"
    path = write_submission(tmp_path / "VWS.yaml", data)

    done = voortgang("submit", path)

    assert done.returncode == 2
    fields = {
        m.group(1)
        for m in re.finditer(rf"^{re.escape(str(path))}: (\S+): .*\(expected", done.stderr, re.M)
    }
    assert fields == {
        "submitted_by",
        "milestones.0.progress",
        "milestones.1.milestone",
        "indicators.0.as_of",
    }
    assert stored() == NOTHING


def test_each_file_is_stored_whole_or_not_at_all(db: str, tmp_path: Path) -> None:
    good = write_submission(tmp_path / "BZK.yaml", example("BZK"))
    data = example("VWS")
    data["milestones"][2]["status"] = "finished"
    bad = write_submission(tmp_path / "VWS.yaml", data)

    done = voortgang("submit", good, bad)

    assert done.returncode == 2
    assert f"{good}: stored as BZK 2026Q4 version 1" in done.stderr
    assert f"{bad}: milestones.2.status: " in done.stderr
    assert (versions("BZK", "2026Q4"), versions("VWS", "2026Q4")) == ([1], [])


# --- stored files and their versions ----------------------------------------------------------


def test_valid_file_exits_0_and_says_what_it_was_stored_as(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    done = voortgang("submit", path)
    assert done.returncode == 0, done.stderr
    assert f"{path}: stored as VWS 2026Q4 version 1" in done.stderr
    assert stored().submissions == 1


def test_identical_content_a_second_time_stores_no_second_version(db: str, tmp_path: Path) -> None:
    first = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    take_in_file(first, channel="cli", today=TODAY)  # the first time (in-process: faster)
    again = write_submission(tmp_path / "copy" / "VWS.json", example("VWS"))  # same content

    done = voortgang("submit", again)

    assert done.returncode == 0, done.stderr
    assert f"{again}: identical to VWS 2026Q4 version 1; no new version stored" in done.stderr
    assert versions("VWS", "2026Q4") == [1]


SUBMISSION_KEYS = {
    "ministry",
    "period",
    "version",
    "submitted_by",
    "submitted_at",
    "channel",
    "milestones",
    "indicators",
}


def test_changed_file_becomes_version_2_and_version_1_stays(db: str, tmp_path: Path) -> None:
    path = write_submission(tmp_path / "VWS.yaml", example("VWS"))
    take_in_file(path, channel="cli", today=TODAY)  # version 1 (in-process: faster)
    changed = example("VWS")
    changed["submitted_by"] = "dakloosheid@minvws.example.nl"
    changed["milestones"][1]["progress"] = 70
    del changed["indicators"][1]
    write_submission(path, changed)

    done = voortgang("submit", path)

    assert done.returncode == 0, done.stderr
    assert f"{path}: stored as VWS 2026Q4 version 2" in done.stderr
    rows = submissions_json("--period", "2026Q4")
    assert [r["version"] for r in rows] == [1, 2]
    for row in rows:
        assert row.keys() >= SUBMISSION_KEYS
        assert (row["ministry"], row["period"], row["channel"]) == ("VWS", "2026Q4", "cli")
        assert dt.datetime.fromisoformat(row["submitted_at"]).tzinfo is not None
    v1, v2 = rows
    assert (v1["submitted_by"], v1["milestones"], v1["indicators"]) == (
        "l.bakker@minvws.example.nl",
        3,
        2,
    )
    assert (v2["submitted_by"], v2["milestones"], v2["indicators"]) == (
        "dakloosheid@minvws.example.nl",
        3,
        1,
    )


def test_submissions_can_be_filtered_by_ministry_and_period(db: str, tmp_path: Path) -> None:
    paths = [
        write_submission(tmp_path / period / f"{ministry}.yaml", example(ministry, period))
        for ministry, period in (("VWS", "2026Q4"), ("BZK", "2026Q4"), ("VWS", "2026Q3"))
    ]
    for path in paths:
        take_in_file(path, channel="cli", today=TODAY)

    assert [(r["ministry"], r["period"]) for r in submissions_json("--period", "2026-Q4")] == [
        ("BZK", "2026Q4"),
        ("VWS", "2026Q4"),
    ]
    only_vws = submissions_json("--period", "2026Q4", "--ministry", "VWS")
    assert [(r["ministry"], r["period"]) for r in only_vws] == [("VWS", "2026Q4")]


def test_submissions_with_a_malformed_period_exits_2(db: str) -> None:
    done = voortgang("submissions", "--period", "Q4", "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--period" in done.stderr and "(expected" in done.stderr


# --- catalogue --------------------------------------------------------------------------------


def test_catalogue_json_holds_the_six_ministries_and_the_keys_of_the_design(db: str) -> None:
    done = voortgang("catalogue", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)

    assert doc["programme"].keys() >= {"id", "title"}
    assert {m["code"] for m in doc["ministries"]} == {"VRO", "BZK", "VWS", "SZW", "JenV", "AenM"}
    for m in doc["ministries"]:
        assert m.keys() >= {"code", "name", "officers", "slack_channel"}
        assert m["officers"] and all("@" in o for o in m["officers"])
    assert doc["coordinators"] and all("@" in c for c in doc["coordinators"])
    codes = {m["code"] for m in doc["ministries"]}
    for g in doc["goals"]:
        assert g.keys() >= {"id", "title", "lead", "contributors", "indicators"}
        assert g["lead"] in codes and set(g["contributors"]) <= codes
    for i in doc["indicators"]:
        assert i.keys() >= {"id", "title", "unit", "reported_by", "target", "target_date"}
        assert i["reported_by"] in codes | {"data"}
        assert isinstance(i["target"], int | float)
        dt.date.fromisoformat(i["target_date"])
    for m in doc["milestones"]:
        assert m.keys() >= {"id", "ministry", "goal", "title", "due"}
        dt.date.fromisoformat(m["due"])
    for code in codes:
        assert sum(m["ministry"] == code for m in doc["milestones"]) >= 2


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "fmt"), [("VWS", "yaml"), ("VRO", "xlsx")])
def test_template_filled_in_is_accepted(db: str, tmp_path: Path, code: str, fmt: str) -> None:
    # Every ministry's template in both formats is checked in-process in
    # tests/models/test_submission_template.py; here the two commands as a user runs them.
    path = tmp_path / f"{code}-2026Q4.{fmt}"
    done = voortgang(
        "template", "--ministry", code, "--period", "2026Q4", "--format", fmt, "-o", path
    )
    assert done.returncode == 0, done.stderr
    assert path.exists()

    (fill_yaml_template if fmt == "yaml" else fill_xlsx_template)(path, code)
    done = voortgang("submit", path)

    assert done.returncode == 0, done.stderr
    assert f"stored as {code} 2026Q4 version 1" in done.stderr
    catalogue = load_catalogue()
    assert stored() == Stored(
        submissions=1,
        milestone_updates=len(catalogue.milestones_of(code)),
        indicator_observations=len(catalogue.indicators_of(code)),
        municipal_instruments=1 if code == "VRO" else 0,
    )


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_template_after_a_stored_quarter_is_prefilled_and_accepted_once_signed(
    db: str, tmp_path: Path, fmt: str
) -> None:
    q3 = write_submission(tmp_path / "VWS-2026Q3.yaml", example("VWS", "2026Q3"))
    assert voortgang("submit", q3).returncode == 0
    path = tmp_path / f"VWS-2026Q4.{fmt}"

    done = voortgang(
        "template", "--ministry", "VWS", "--period", "2026Q4", "--format", fmt, "-o", path
    )

    assert done.returncode == 0, done.stderr
    assert "pre-filled with VWS 2026Q3 version 1" in done.stderr
    if fmt == "yaml":
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("submitted_by:  ", f"submitted_by: {officer('VWS')}"), "utf-8")
    else:
        book = openpyxl.load_workbook(path)
        for row in book["Inzending"].iter_rows(min_row=3):
            if row[0].value == "submitted_by":
                row[1].value = officer("VWS")
        book.save(path)
    done = voortgang("submit", path)
    assert done.returncode == 0, done.stderr
    assert "stored as VWS 2026Q4 version 1" in done.stderr


def test_xlsx_form_with_a_wrong_cell_exits_2_naming_the_field(db: str, tmp_path: Path) -> None:
    path = tmp_path / "VWS.xlsx"
    write_xlsx_template(load_catalogue(), "VWS", "2026Q4", path)
    fill_xlsx_template(path, "VWS", progress=150)

    done = voortgang("submit", path)

    assert_refused(done, path, "milestones.0.progress", "0 to 100")
    assert stored() == NOTHING
    assert zipfile.is_zipfile(path)  # the officer's workbook is left as it was


@pytest.mark.parametrize(
    ("args", "option"),
    [
        pytest.param(
            ["--ministry", "MinFin", "--period", "2026Q4"], "--ministry", id="unknown-ministry"
        ),
        pytest.param(
            ["--ministry", "VWS", "--period", "2026Q4", "--format", "pdf"],
            "--format",
            id="unknown-format",
        ),
    ],
)
def test_template_with_wrong_arguments_exits_2_and_writes_nothing(
    db: str, tmp_path: Path, args: list[str], option: str
) -> None:
    path = tmp_path / "form.yaml"
    done = voortgang("template", *args, "-o", path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{option}: ") and "(expected" in done.stderr
    assert "Traceback" not in done.stderr
    assert not path.exists()


# --- help -------------------------------------------------------------------------------------


def subcommands() -> list[str]:
    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_help_shows_an_example() -> None:
    done = voortgang("--help")
    assert done.returncode == 0
    assert "Example:" in done.stdout


@pytest.mark.parametrize("command", subcommands())
def test_every_command_help_shows_an_example(command: str) -> None:
    # In-process (the same typer app the command runs): a process per command costs a second.
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"voortgang {command}" in result.output


def test_help_answers_without_importing_prefect() -> None:
    # `voortgang --help` must answer fast: Prefect is imported only where a command needs it.
    probe = (
        "import sys\n"
        "from voortgang.cli import app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
