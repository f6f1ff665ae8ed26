"""prefect.yaml stays deployable: every entrypoint imports, every schedule parses."""

from __future__ import annotations

import zoneinfo

from prefect.client.schemas.schedules import CronSchedule

from voortgang.flows.deployments import load_deployment_specs, load_flow


def test_every_deployment_entrypoint_imports_a_flow():
    specs = load_deployment_specs()
    assert {s.name for s in specs} >= {"quarterly-cycle", "daily-ingest", "check-period"}
    for spec in specs:
        flow = load_flow(spec)
        assert callable(flow.fn), spec.entrypoint


def test_every_schedule_parses_in_amsterdam_time():
    for spec in load_deployment_specs():
        if spec.name == "submit-update":
            assert not spec.schedules  # a form, run on demand
            continue
        assert spec.schedules, f"{spec.name} has no schedule"
        for schedule in spec.schedules:
            parsed = CronSchedule(cron=schedule.cron, timezone=schedule.timezone)
            assert parsed.timezone == "Europe/Amsterdam"
            zoneinfo.ZoneInfo(schedule.timezone)


def test_quarterly_cycle_runs_early_in_the_month_after_each_quarter():
    cycle = next(s for s in load_deployment_specs() if s.name == "quarterly-cycle")
    _minute, _hour, day, months, _weekday = cycle.schedules[0].cron.split()
    assert months == "1,4,7,10"
    assert int(day) <= 10
