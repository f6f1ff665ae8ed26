"""The deployments of prefect.yaml, read once for `voortgang serve` and for the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

PROJECT_DIR = Path(__file__).resolve().parents[2]
PREFECT_YAML = PROJECT_DIR / "prefect.yaml"


class ScheduleSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cron: str
    timezone: str = "UTC"


class DeploymentSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str
    entrypoint: str
    description: str = ""
    parameters: dict[str, Any] = {}
    enforce_parameter_schema: bool = True
    schedules: list[ScheduleSpec] = []


def load_deployment_specs(path: Path = PREFECT_YAML) -> list[DeploymentSpec]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [DeploymentSpec.model_validate(d) for d in document.get("deployments", [])]


def load_flow(spec: DeploymentSpec, project_dir: Path = PROJECT_DIR) -> Any:
    """Import the flow an entrypoint names, as a worker would from the project directory."""
    from prefect.flows import load_flow_from_entrypoint

    file_part, _, name = spec.entrypoint.partition(":")
    return load_flow_from_entrypoint(f"{project_dir / file_part}:{name}")


def runner_deployments(specs: list[DeploymentSpec]) -> list[Any]:
    """The deployments as `prefect.serve` takes them, schedules in their own time zone."""
    from prefect.client.schemas.schedules import CronSchedule

    return [
        load_flow(spec).to_deployment(
            name=spec.name,
            description=spec.description,
            parameters=spec.parameters,
            enforce_parameter_schema=spec.enforce_parameter_schema,
            schedules=[CronSchedule(cron=s.cron, timezone=s.timezone) for s in spec.schedules],
        )
        for spec in specs
    ]
