#!/usr/bin/env python
"""Benchmark of the quarterly cycle on the bundled data and on data grown 10 and 100 times.

    python bench/cycle_bench.py [--scales 1,10,100] [--db sqlite|postgresql]

For each scale k it builds a fresh voortgang home (own SQLite file, or a fresh PostgreSQL
database that is dropped afterwards) with

- a catalogue with k times the milestones of every ministry (copies with suffixed ids),
  written to a temporary YAML file that both ``initialise`` and the flows read
  (through VOORTGANG_CATALOGUE);
- k times the municipality-years of the corporation-owned share: the real CBS 2021 values
  plus k-1 synthetic reference dates before and after 2021, derived from them;
- k times the submissions: k versions per ministry and period (2026Q3 and 2026Q4 of the
  bundled examples, SZW still missing in 2026Q4), each a little different, every version
  covering all k copies of the ministry's milestones.

Then it times the assessment called without Prefect (``assess_period``, median of a few
runs), the quarterly cycle flow and the check flow under one Prefect test harness for the
whole script, and prints times, the ratio cycle/assessment, peak memory and how the time
grows against the data.

This is a benchmark, not a test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import cProfile
import csv
import datetime as dt
import functools
import io
import itertools
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/cycle_bench.py` from a checkout
    sys.path.insert(0, str(ROOT))

from voortgang.flows.runtime import prepare_environment  # noqa: E402 - imports no Prefect

PERIOD = "2026Q4"
PREVIOUS = "2026Q3"
SUBMIT_DAY = dt.date(2026, 11, 25)  # the example files validate from 1 November 2026 on
EXAMPLES = ROOT / "voortgang" / "data" / "examples"
POSTGRES_ADMIN_URL = os.environ.get(
    "VOORTGANG_BENCH_POSTGRES_URL",
    os.environ.get(
        "VOORTGANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
)


# --------------------------------------------------------------------------- data growth


def copy_id(ident: str, i: int) -> str:
    return ident if i == 0 else f"{ident}-bench{i:03d}"


class _NoAliasDumper(yaml.SafeDumper):
    """The catalogue loader refuses YAML aliases; shared date objects would produce them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def grow_catalogue(k: int, dest: Path) -> dict[str, int]:
    from voortgang.models.catalogue import DEFAULT_CATALOGUE

    raw = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    grown = []
    for ms in raw["milestones"]:
        for i in range(k):
            item = dict(ms)
            item["id"] = copy_id(ms["id"], i)
            if i:
                item["title"] = f"{ms['title']} (benchmarkkopie {i})"
            grown.append(item)
    raw["milestones"] = grown
    dest.write_text(
        yaml.dump(raw, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return {"milestones": len(grown)}


def extra_reference_years(k: int) -> list[int]:
    """k-1 years besides 2021: up to four later ones (2022-2025), the rest earlier."""
    later = [2022, 2023, 2024, 2025][: max(0, k - 1)]
    earlier = [2021 - i for i in range(1, k - len(later))]
    return later + earlier


def grown_observations(k: int) -> list[Any]:
    """Corporation-share observations for the extra years, derived from the real 2021 values."""
    from voortgang.models.municipal_data import (
        CBS_DIR,
        CORPORATION_SHARE,
        OWNERSHIP_2021,
        Observation,
        suspect_reason,
    )

    column = OWNERSHIP_2021.columns[CORPORATION_SHARE]
    with (CBS_DIR / OWNERSHIP_2021.filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(20261125)
    out = []
    for year in extra_reference_years(k):
        source = (
            f"{OWNERSHIP_2021.dataset} benchmark: synthetisch, afgeleid van 2021, "
            f"peildatum {year}-01-01"
        )
        for row in rows:
            text = row[column].strip()
            value: float | None = None
            if text:
                drift = 0.25 * (year - 2021) + rng.uniform(-1.5, 1.5)
                value = (
                    0.0 if float(text) == 0 else round(min(100.0, max(0.0, float(text) + drift)), 1)
                )
            reason = suspect_reason(CORPORATION_SHARE, value, row)
            out.append(
                Observation(
                    municipality_code=row["gemeentecode"],
                    indicator=CORPORATION_SHARE,
                    value=value,
                    reference_date=dt.date(year, 1, 1),
                    boundary_year=OWNERSHIP_2021.boundary_year,  # the codes are those of 2021
                    dataset=OWNERSHIP_2021.dataset,
                    source=source,
                    flagged=reason is not None,
                    flag_reason=reason,
                )
            )
    return out


def submission_version(raw: dict[str, Any], k: int, version: int) -> dict[str, Any]:
    """Version ``version`` of k: all k copies of every milestone; older versions lag a little."""
    lag = k - version  # 0 for the newest version, which says what the example says
    sub = copy.deepcopy(raw)
    milestones = []
    for update in raw.get("milestones", []):
        for i in range(k):
            item = copy.deepcopy(update)
            item["milestone"] = copy_id(update["milestone"], i)
            if lag:
                item["progress"] = max(0.0, float(update["progress"]) - min(lag, 10))
                item["narrative"] = f"{update['narrative']} (eerdere versie {version})"
            milestones.append(item)
    sub["milestones"] = milestones
    for item in sub.get("indicators", []):
        if lag:
            item["value"] = round(float(item["value"]) * (1 - 0.002 * min(lag, 10)), 1)
    municipalities = sub.get("municipalities", [])
    if lag and municipalities:
        flip = municipalities[version % len(municipalities)]
        flip["woonzorgvisie"] = not flip["woonzorgvisie"]
    return sub


def submit_all(k: int, log: Callable[[str], None]) -> int:
    from voortgang.models.submission_intake import take_in

    stored = 0
    for period in (PREVIOUS, PERIOD):
        for path in sorted((EXAMPLES / period).glob("*.yaml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            for version in range(1, k + 1):
                result = take_in(
                    submission_version(raw, k, version),
                    source=f"bench:{period}/{path.stem}/v{version}",
                    channel="file",
                    today=SUBMIT_DAY,
                )
                stored += result.created
            log(f"    {period} {path.stem}: {k} version(s)")
    return stored


# --------------------------------------------------------------------------- environment


@dataclass
class ScaleEnv:
    k: int
    tmp: Path
    home: Path
    catalogue_path: Path
    url: str
    pg_database: str | None = None
    setup_seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _pg_admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def _pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_admin_dsn(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _pg_url(database: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def use_environment(env: ScaleEnv) -> None:
    from voortgang.models.db import dispose_engines
    from voortgang.settings import reset_settings

    os.environ["VOORTGANG_HOME"] = str(env.home)
    os.environ["VOORTGANG_DATABASE_URL"] = env.url
    os.environ["VOORTGANG_CATALOGUE"] = str(env.catalogue_path)
    reset_settings()
    dispose_engines()


def count_rows() -> dict[str, int]:
    from sqlalchemy import func, select

    from voortgang.models import tables as t
    from voortgang.models.db import session_scope

    models = {
        "observations": t.MunicipalObservation,
        "submissions": t.Submission,
        "milestones": t.Milestone,
        "milestone_updates": t.MilestoneUpdate,
        "indicator_values": t.IndicatorObservation,
        "municipal_instruments": t.MunicipalInstruments,
    }
    with session_scope() as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in models.items()
        }


def build_scale(k: int, db: str, log: Callable[[str], None]) -> ScaleEnv:
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.db import session_scope
    from voortgang.models.municipal_data import store_observations
    from voortgang.models.setup import initialise
    from voortgang.reporting.assessment import assess_period
    from voortgang.reporting.assessment_store import store_assessment

    tmp = Path(tempfile.mkdtemp(prefix=f"voortgang-bench-k{k}-"))
    home = tmp / "home"
    home.mkdir()
    env = ScaleEnv(k=k, tmp=tmp, home=home, catalogue_path=tmp / "catalogue.yaml", url="")
    if db == "postgresql":
        env.pg_database = f"vt_bench_k{k}_{uuid.uuid4().hex[:8]}"
        _pg_execute(f"CREATE DATABASE {env.pg_database}")
        env.url = _pg_url(env.pg_database)
    else:
        env.url = f"sqlite:///{home / 'voortgang.db'}"
    started = time.perf_counter()
    grow_catalogue(k, env.catalogue_path)
    use_environment(env)
    initialise(env.catalogue_path, database_url=env.url)
    if load_catalogue() != load_catalogue(env.catalogue_path):
        raise RuntimeError("the flows would not see the grown catalogue (VOORTGANG_CATALOGUE)")
    env.setup_seconds["init"] = time.perf_counter() - started

    started = time.perf_counter()
    with session_scope() as session:
        store_observations(session, grown_observations(k))
    env.setup_seconds["observations"] = time.perf_counter() - started

    started = time.perf_counter()
    submit_all(k, log)
    env.setup_seconds["submissions"] = time.perf_counter() - started

    # The previous quarter's cycle would have stored its assessment: the cycle compares with it.
    started = time.perf_counter()
    catalogue = load_catalogue()
    with session_scope() as session:
        store_assessment(session, assess_period(session, catalogue, PREVIOUS))
    env.setup_seconds["previous assessment"] = time.perf_counter() - started
    env.rows = count_rows()
    return env


def drop_scale(env: ScaleEnv, keep: bool) -> None:
    from voortgang.models.db import dispose_engines

    dispose_engines()
    if env.pg_database:
        _pg_execute(f"DROP DATABASE IF EXISTS {env.pg_database} WITH (FORCE)")
    if keep:
        print(f"  kept {env.tmp}")
    else:
        shutil.rmtree(env.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- measuring


def reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) of this process."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def assessment_runner() -> Callable[[], Any]:
    """assess_period for the period, with the catalogue loaded beforehand (as timed)."""
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.db import session_scope
    from voortgang.reporting.assessment import assess_period

    catalogue = load_catalogue()

    def run() -> Any:
        with session_scope() as session:
            return assess_period(session, catalogue, PERIOD)

    return run


def time_assessment(repeats: int) -> tuple[list[float], float]:
    """Seconds of assess_period alone (catalogue loaded before), and the tracemalloc peak in MB."""
    from voortgang.models.catalogue import load_catalogue
    from voortgang.models.db import session_scope
    from voortgang.reporting.assessment import assess_period

    catalogue = load_catalogue()
    times = []
    for i in range(repeats + 1):  # the first run warms the connection pool and caches
        with session_scope() as session:
            started = time.perf_counter()
            assess_period(session, catalogue, PERIOD)
            elapsed = time.perf_counter() - started
        if i:
            times.append(elapsed)
    tracemalloc.start()
    try:
        with session_scope() as session:
            assess_period(session, catalogue, PERIOD)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return times, peak / 2**20


class StepClock:
    """Wraps the functions the flow steps call, to split a flow's time into its parts."""

    GROUPS: ClassVar[dict[str, str]] = {
        "load_catalogue": "catalogue",
        "assess_period": "assess_period",
        "store_assessment": "store_assessment",
        "latest_assessment_id": "previous/compare",
        "load_assessment": "previous/compare",
        "compare_assessments": "previous/compare",
        "goal_status_markdown": "artifacts",
        "ministry_summary_markdown": "artifacts",
        "publish_once": "artifacts",
        "make_draft": "make_draft (letter)",
        "process_inbox": "inbox",
        "open_period": "open period",
    }

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._originals: dict[str, Any] = {}

    def install(self) -> None:
        from voortgang.flows import steps

        for name, group in self.GROUPS.items():
            original = getattr(steps, name)
            self._originals[name] = original
            setattr(steps, name, self._wrap(original, group))

    def _wrap(self, function: Callable[..., Any], group: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[group] = self.seconds.get(group, 0.0) + time.perf_counter() - started

        return timed

    @contextlib.contextmanager
    def measuring(self) -> Iterator[dict[str, float]]:
        self.seconds = {}
        result: dict[str, float] = {}
        try:
            yield result
        finally:
            result.update(self.seconds)


def letter_problem() -> str | None:
    try:
        from voortgang.reporting.letter import LetterContext, build_letter  # noqa: F401
    except Exception as exc:  # any failure: the cycle cannot draft yet
        return f"{type(exc).__name__}: {exc}"
    return None


def letter_artifact_note() -> str:
    """Whether the letter artifact can be read back (large ones exceed Prefect's event size)."""
    from prefect.artifacts import Artifact

    key = f"letter-{PERIOD.lower()}"
    try:
        artifact = Artifact.get(key)  # sync call: returns the artifact, not a coroutine
    except Exception as exc:  # reported, not fatal: the benchmark measures time
        return f"artifact {key}: cannot read back ({type(exc).__name__}: {exc})"
    if artifact is None:
        return f"artifact {key}: not found"
    data = getattr(artifact, "data", None)
    return f"artifact {key} read back: {len(str(data or ''))} characters"


@dataclass
class Result:
    k: int
    rows: dict[str, int]
    setup_seconds: dict[str, float]
    assessment: list[float]
    tracemalloc_mb: float
    cycle: float | None
    cycle_parts: dict[str, float]
    cycle_note: str | None
    check: list[float]
    check_parts: dict[str, float]
    peak_rss_mb: float | None
    maxrss_mb: float
    load: float  # highest 1-minute load average seen while measuring this scale

    @property
    def assessment_median(self) -> float:
        return statistics.median(self.assessment)

    @property
    def check_median(self) -> float | None:
        return statistics.median(self.check) if self.check else None

    @property
    def data_rows(self) -> int:
        return sum(self.rows.values())


def profile(label: str, work: Callable[[], Any], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        work()
    finally:
        profiler.disable()
    print_profile(label, profiler, top)


def print_profile(label: str, profiler: cProfile.Profile, top: int) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- cProfile: {label}, sorted by {order} (top {top}) ---")
        print(out.getvalue().split("\n", 4)[-1].rstrip())


def measure_scale(
    env: ScaleEnv,
    *,
    repeats: int,
    flow_repeats: int,
    clock: StepClock,
    run_flows: bool,
    profile_top: int,
) -> Result:
    from voortgang.flows.runtime import no_heartbeat

    reset_peak_rss()
    loads = [os.getloadavg()[0]]
    times, traced = time_assessment(repeats)
    print(
        f"  assessment without Prefect: median {statistics.median(times):.3f} s "
        f"of {[round(t, 3) for t in times]}"
    )
    cycle: float | None = None
    cycle_parts: dict[str, float] = {}
    note: str | None = None
    check: list[float] = []
    check_parts: dict[str, float] = {}
    if run_flows:
        from voortgang.flows.check import check_period
        from voortgang.flows.cycle import quarterly_cycle

        problem = letter_problem()
        if problem:
            note = f"letter not importable ({problem})"
            print(f"  quarterly cycle skipped: {note}")
        else:
            profiler = cProfile.Profile() if profile_top else None
            with no_heartbeat(), clock.measuring() as cycle_parts:
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                try:
                    state = quarterly_cycle(
                        period=PERIOD, wait_for_approval=False, return_state=True
                    )
                finally:
                    if profiler:
                        profiler.disable()
                cycle = time.perf_counter() - started
            if profiler:
                # A second cycle finds its draft unchanged, so the measured run is the one
                # profiled: its time is inflated by the profiler.
                note = "profiled run: time inflated by cProfile"
                print_profile(f"quarterly cycle, scale {env.k}", profiler, profile_top)
            if not state.is_completed():
                note = f"cycle ended {state.type.value}: {state.message}"
                print(f"  quarterly cycle: {note}")
                cycle = None
            else:
                result = state.result()
                print(
                    f"  quarterly cycle: {cycle:.2f} s, draft v{result.draft.version} "
                    f"(created={result.draft.created}), missing {result.missing_ministries}; "
                    f"{letter_artifact_note()}"
                )
        for _ in range(flow_repeats):
            with no_heartbeat(), clock.measuring() as parts:
                started = time.perf_counter()
                check_state = check_period(period=PERIOD, return_state=True)
                check.append(time.perf_counter() - started)
            if not check_state.is_completed():
                raise RuntimeError(
                    f"check flow ended {check_state.type.value}: {check_state.message}"
                )
            check_parts = parts
        print(
            f"  check flow: median {statistics.median(check):.2f} s of {[round(c, 2) for c in check]}"
        )
    loads.append(os.getloadavg()[0])
    if profile_top:
        profile(f"assess_period, scale {env.k}", assessment_runner(), profile_top)
        if run_flows:
            from voortgang.flows.check import check_period

            with no_heartbeat():
                profile(
                    f"check flow, scale {env.k}",
                    lambda: check_period(period=PERIOD, return_state=True),
                    profile_top,
                )
    return Result(
        k=env.k,
        rows=env.rows,
        setup_seconds=env.setup_seconds,
        assessment=times,
        tracemalloc_mb=traced,
        cycle=cycle,
        cycle_parts=cycle_parts,
        cycle_note=note,
        check=check,
        check_parts=check_parts,
        peak_rss_mb=peak_rss_mb(),
        maxrss_mb=maxrss_mb(),
        load=max(loads),
    )


# --------------------------------------------------------------------------- report


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([line, rule, *body])


def report(results: list[Result], *, db: str, startup: dict[str, float]) -> None:
    print("\n== Results ==")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} CPUs, load average now {load} "
        "(other work on the machine makes the figures noisy)."
    )
    if not startup:
        print(f"Database: {db}. Flows not run (--no-flows).")
    else:
        print(
            f"Database: {db}. Flows ran under one prefect_test_harness for the whole script "
            f"(start-up cost, not in the figures below: harness {startup['harness']:.1f} s, "
            f"first small flow {startup['warm-up flow']:.1f} s, importing the letter's "
            f"libraries {startup['letter import']:.1f} s); heartbeat off (no_heartbeat)."
        )
    headers = [
        "scale",
        "observations",
        "submissions",
        "milestones",
        "ms updates",
        "assessment s (median)",
        "cycle s",
        "cycle/assessment",
        "check flow s (median)",
        "tracemalloc peak MB (assessment)",
        "peak RSS MB (this scale)",
        "maxrss MB (process)",
        "load",
    ]
    rows = []
    for r in results:
        rows.append(
            [
                f"x{r.k}",
                str(r.rows["observations"]),
                str(r.rows["submissions"]),
                str(r.rows["milestones"]),
                str(r.rows["milestone_updates"]),
                _fmt(r.assessment_median),
                _fmt(r.cycle, 2) if r.cycle is not None else "n/a",
                _fmt(r.cycle / r.assessment_median, 1) if r.cycle is not None else "n/a",
                _fmt(r.check_median, 2),
                _fmt(r.tracemalloc_mb, 1),
                _fmt(r.peak_rss_mb, 0),
                _fmt(r.maxrss_mb, 0),
                _fmt(r.load, 1),
            ]
        )
    print(_table(headers, rows))
    print(
        "observations: municipal observations (all indicators; the corporation share grows k"
        " times); milestones: in the catalogue; ms updates: milestone updates over all stored"
        " versions (k versions x k copies, so k^2). peak RSS: VmHWM reset before the scale;"
        " maxrss: getrusage, the process's peak so far; load: the highest 1-minute load"
        " average seen while measuring the scale."
    )
    for r in results:
        if r.cycle_note:
            print(f"x{r.k}: cycle: {r.cycle_note}")

    groups = sorted({g for r in results for g in (*r.cycle_parts, *r.check_parts)})
    part_rows = []
    for r in results:
        for name, total, parts in (
            ("cycle", r.cycle, r.cycle_parts),
            ("check", r.check[-1] if r.check else None, r.check_parts),
        ):
            if total is None:
                continue
            inside = sum(parts.values())
            part_rows.append(
                [f"x{r.k}", name, _fmt(total, 2)]
                + [_fmt(parts.get(g), 3) if g in parts else "-" for g in groups]
                + [_fmt(total - inside, 2)]
            )
    if part_rows:
        print(
            "\nWhere the flow time goes (seconds inside the functions the steps call, from the"
            " last run of each flow; the rest is Prefect's orchestration and the flow itself):"
        )
        print(_table(["scale", "flow", "total", *groups, "Prefect+rest"], part_rows))

    print(
        "\nSet-up per scale (not part of the figures): "
        + "; ".join(
            f"x{r.k}: " + ", ".join(f"{n} {s:.1f} s" for n, s in r.setup_seconds.items())
            for r in results
        )
    )

    if len(results) < 2:
        return
    print("\nGrowth between scales (factor of time against factor of data):")
    growth_rows = []
    verdicts = []
    for a, b in itertools.pairwise(results):
        data = b.k / a.k
        rows_f = b.data_rows / a.data_rows
        assess_f = b.assessment_median / a.assessment_median
        cycle_f = b.cycle / a.cycle if a.cycle and b.cycle else None
        check_f = b.check_median / a.check_median if a.check_median and b.check_median else None
        measured = [f for f in (assess_f, cycle_f, check_f) if f is not None]
        ok = all(f <= data for f in measured)
        verdicts.append(ok)
        growth_rows.append(
            [
                f"x{a.k} -> x{b.k}",
                f"{data:.0f}",
                f"{rows_f:.1f}",
                f"{assess_f:.2f}",
                _fmt(cycle_f, 2),
                _fmt(check_f, 2),
                "yes" if ok else "NO",
            ]
        )
    print(
        _table(
            [
                "scales",
                "data factor (k)",
                "stored rows factor",
                "assessment time factor",
                "cycle time factor",
                "check time factor",
                "time <= data?",
            ],
            growth_rows,
        )
    )
    if all(verdicts):
        print(
            "Verdict: cost grows no faster than the data (every time factor is at most the "
            "scale factor k by which milestones, submissions and municipality-years grew)."
        )
    else:
        print("Verdict: cost grows FASTER than the data at the step(s) marked NO above.")
    busy = [f"x{r.k}" for r in results if r.load > (os.cpu_count() or 1)]
    if busy:
        print(
            f"Caution: the machine was busy (load average above its {os.cpu_count()} CPUs) "
            f"while measuring {', '.join(busy)}: time factors between scales measured under "
            "different load are not comparable; rerun on a quiet machine before trusting them."
        )
    if any(r.cycle is None for r in results):
        print("The cycle was not measured at every scale: the verdict covers what was measured.")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated growth factors")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeats", type=int, default=5, help="assessment runs per scale")
    parser.add_argument("--flow-repeats", type=int, default=3, help="check flow runs per scale")
    parser.add_argument("--no-flows", action="store_true", help="only the plain assessment")
    parser.add_argument("--keep", action="store_true", help="keep the temporary homes")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print the top N functions (cProfile) of the assessment and the flows; "
        "the cycle's time is then inflated by the profiler",
    )
    args = parser.parse_args(argv)
    args.scale_list = [int(s) for s in args.scales.split(",") if s.strip()]
    if not args.scale_list or min(args.scale_list) < 1:
        parser.error("--scales: positive integers, e.g. 1,10,100")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prepare_environment()
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    saved = {
        n: os.environ.get(n)
        for n in ("VOORTGANG_HOME", "VOORTGANG_DATABASE_URL", "VOORTGANG_CATALOGUE")
    }
    if args.db == "postgresql":
        try:
            _pg_execute("SELECT 1")
        except Exception as exc:
            print(f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}", file=sys.stderr)
            return 2

    def log(message: str) -> None:
        print(message, flush=True)

    startup: dict[str, float] = {}
    results: list[Result] = []
    clock = StepClock()
    with contextlib.ExitStack() as stack:
        if not args.no_flows:
            print("Starting one prefect_test_harness for the whole run ...", flush=True)
            started = time.perf_counter()
            from prefect import flow, task
            from prefect.testing.utilities import prefect_test_harness

            from voortgang.flows.runtime import no_heartbeat

            stack.enter_context(prefect_test_harness(server_startup_timeout=90))
            startup["harness"] = time.perf_counter() - started

            @task
            def _one() -> int:
                return 1

            @flow(name="bench-warm-up")
            def _warm_up() -> int:
                return _one()

            started = time.perf_counter()
            with no_heartbeat():
                _warm_up()
            startup["warm-up flow"] = time.perf_counter() - started
            started = time.perf_counter()
            problem = letter_problem()  # imports the letter's libraries (matplotlib, docx)
            startup["letter import"] = time.perf_counter() - started
            print(
                f"  harness {startup['harness']:.1f} s, first flow {startup['warm-up flow']:.1f} s, "
                f"letter import {startup['letter import']:.1f} s"
                + (f" (not importable: {problem})" if problem else "")
            )
            clock.install()
        for k in args.scale_list:
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"\nScale x{k}: building data (load average {load}) ...", flush=True)
            env = build_scale(k, args.db, log)
            try:
                print(
                    f"  rows: {env.rows}; set-up {sum(env.setup_seconds.values()):.1f} s",
                    flush=True,
                )
                results.append(
                    measure_scale(
                        env,
                        repeats=args.repeats,
                        flow_repeats=args.flow_repeats,
                        clock=clock,
                        run_flows=not args.no_flows,
                        profile_top=args.profile,
                    )
                )
            finally:
                drop_scale(env, args.keep)
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    report(results, db=args.db, startup=startup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
