"""The one model every submission channel (file, CLI, form, Slack) is validated by."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from voortgang.models.periods import PeriodStr

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Narrative = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]
MunicipalityCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^GM\d{4}$")]


class MilestoneStatus(StrEnum):
    not_started = "not_started"
    on_track = "on_track"
    at_risk = "at_risk"
    delayed = "delayed"
    done = "done"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MilestoneUpdateIn(_Input):
    milestone: str = Field(min_length=1, description="Id van de mijlpaal uit de catalogus")
    status: MilestoneStatus
    progress: Annotated[float, Field(ge=0, le=100, description="Voortgang in procenten")]
    narrative: Narrative = Field(description="Toelichting voor de brief (platte tekst of Markdown)")
    expected_completion: dt.date | None = None
    status_reason: str | None = Field(default=None, max_length=4000, validate_default=True)

    # A field validator, not a model validator: it still runs when another field of the same
    # milestone is wrong (so every error is reported at once), and it names the field.
    @field_validator("status_reason")
    @classmethod
    def _reason_when_at_risk_or_delayed(cls, value: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if status in (MilestoneStatus.at_risk, MilestoneStatus.delayed) and not (
            value and value.strip()
        ):
            raise ValueError(
                f"status_reason is required when the status is {status.value} "
                "(expected a short explanation)"
            )
        return value


class IndicatorValueIn(_Input):
    indicator: str = Field(min_length=1)
    value: float
    as_of: dt.date
    source: str = Field(min_length=3, max_length=1000)


class MunicipalInstrumentsIn(_Input):
    """Which instruments a municipality has (VRO reports these; the seed letter's yearly ask)."""

    municipality: MunicipalityCode
    ordinance: bool
    urgency_scheme: bool
    woonzorgvisie: bool
    residents_involved: bool | None = None
    as_of: dt.date


class SubmissionIn(_Input):
    """A ministry's quarterly update, as any channel delivers it."""

    ministry: str = Field(min_length=1)
    period: PeriodStr
    submitted_by: Email
    milestones: list[MilestoneUpdateIn] = []
    indicators: list[IndicatorValueIn] = []
    municipalities: list[MunicipalInstrumentsIn] = []
