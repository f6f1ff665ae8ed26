#!/usr/bin/env python
"""How long ``voortgang --help`` takes against ``python -c pass``, side by side in one run.

    .venv/bin/python bench/cli_startup.py [--runs 40] [--command "--help" --command "check --help"]

Each command and ``python -c pass`` are started as fresh processes with the same interpreter
(the one running this script, so the same virtual environment and its site-packages), in
turn, after two warm-up runs of each; the script prints the median and the fastest run of
each and the ratio of the medians to ``python -c pass``. Issue 11 asks for ``voortgang
--help`` within 3x ``python -c pass``. The main help comes from its cache (see
voortgang/cli/entry.py; the warm-up runs fill it); a command's own help goes through Typer.

It also lists the heavy packages a plain ``import voortgang.cli.app`` loaded (there should
be none: Prefect, SQLAlchemy, pydantic and the renderers load in the commands that use them).

This is a benchmark, not a test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("prefect", "sqlalchemy", "pydantic", "rich", "matplotlib", "docx", "openpyxl", "jinja2")


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each (default 40)")
    parser.add_argument(
        "--command",
        action="append",
        help="voortgang arguments to time, repeatable (default: --help and check --help)",
    )
    args = parser.parse_args()
    commands = args.command or ["--help", "check --help"]

    python = sys.executable
    script = str(Path(python).with_name("voortgang"))
    runs: dict[str, list[str]] = {"python -c pass": [python, "-c", "pass"]}
    for command in commands:
        runs[f"voortgang {command}"] = [script, *shlex.split(command)]

    for _ in range(2):
        for argv in runs.values():
            _time(argv)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, argv in runs.items():
            times[name].append(_time(argv))

    probe = (
        "import sys, voortgang.cli.app\n"
        f"print(' '.join(p for p in {HEAVY!r} if p in sys.modules) or 'none')"
    )
    loaded = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()

    load = os.getloadavg()[0]
    print(f"{args.runs} runs each, in turn; load average {load:.2f}")
    bare = statistics.median(times["python -c pass"])
    for name, measured in times.items():
        median = statistics.median(measured)
        print(
            f"{name:26} median {median * 1000:6.1f} ms   fastest {min(measured) * 1000:6.1f} ms"
            f"   {median / bare:4.2f}x python -c pass"
        )
    print(f"heavy packages loaded by `import voortgang.cli.app`: {loaded}")


if __name__ == "__main__":
    main()
