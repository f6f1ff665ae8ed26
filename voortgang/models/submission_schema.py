"""The one model every submission channel (file, CLI, form, Slack) is validated by."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from voortgang.models.periods import PeriodStr
from voortgang.models.submitted_text import (
    is_blank,
    normalise_newlines,
    refuse_unprintable,
    require_visible,
)

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Narrative = Annotated[
    str,
    BeforeValidator(normalise_newlines),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=8000),
    AfterValidator(refuse_unprintable),
    AfterValidator(require_visible),
]
Reason = Annotated[
    str,
    BeforeValidator(normalise_newlines),
    StringConstraints(strip_whitespace=True, max_length=4000),
    AfterValidator(refuse_unprintable),
]
SourceText = Annotated[
    str,
    BeforeValidator(normalise_newlines),
    StringConstraints(strip_whitespace=True, min_length=3, max_length=1000),
    AfterValidator(refuse_unprintable),
    AfterValidator(require_visible),
]
Ident = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    AfterValidator(refuse_unprintable),
]
# Strict: a spreadsheet's "50" or YAML's true is not a figure; finite: Infinity is not either.
Percentage = Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)]
Figure = Annotated[float, Field(strict=True, allow_inf_nan=False)]
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
    milestone: Ident = Field(description="Id van de mijlpaal uit de catalogus")
    status: MilestoneStatus
    progress: Percentage = Field(description="Voortgang in procenten")
    narrative: Narrative = Field(description="Toelichting voor de brief (platte tekst of Markdown)")
    expected_completion: dt.date | None = None
    status_reason: Reason | None = Field(default=None, validate_default=True)

    # A field validator, not a model validator: it still runs when another field of the same
    # milestone is wrong (so every error is reported at once), and it names the field.
    @field_validator("status_reason")
    @classmethod
    def _reason_when_at_risk_or_delayed(cls, value: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if status in (MilestoneStatus.at_risk, MilestoneStatus.delayed) and (
            value is None or is_blank(value)
        ):
            raise ValueError(
                f"status_reason is required when the status is {status.value} "
                "(expected a short explanation)"
            )
        return value


class IndicatorValueIn(_Input):
    indicator: Ident
    value: Figure
    as_of: dt.date
    source: SourceText


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

    ministry: Ident
    period: PeriodStr
    submitted_by: Email
    milestones: list[MilestoneUpdateIn] = []
    indicators: list[IndicatorValueIn] = []
    municipalities: list[MunicipalInstrumentsIn] = []

    # An empty update would become the ministry's latest version and so blank out its quarter.
    @model_validator(mode="after")
    def _not_empty(self) -> SubmissionIn:
        if not self.milestones and not self.indicators:
            raise ValueError(
                "the submission has no milestones and no indicators (expected at least one "
                "milestone update or indicator value; an earlier version stays as it is)"
            )
        return self
