"""The one model every submission channel (file, CLI, form, Slack) is validated by."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

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


class CommitmentStatus(StrEnum):
    """Where a motie or toezegging stands, as a ministry reports it (Dutch labels: dutch.py)."""

    not_started = "not_started"
    in_progress = "in_progress"
    completed = "completed"
    not_executed = "not_executed"


# --- how the form in the Prefect UI shows these models (JSON schema only; no validation) ---
# Titles and descriptions are Dutch: officers read them in the submit-update form.


def _optional_in_form(schema: dict[str, Any]) -> None:
    """Show ``X | None`` as an X field that may stay empty.

    Pydantic writes it as anyOf X or null, which the Prefect UI renders as a choice whose
    null branch reads "Property is type 'None'". Without a default in the schema, Prefect's
    parameter validation still accepts null for a property that is not required.
    """
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    schema.pop("default", None)


def _ministry_choices(schema: dict[str, Any]) -> None:
    """The ministries of the catalogue as the form's choices.

    Read when the schema is made (a deployment, the form), not at import: the catalogue is
    data and may change; deploy again after changing it.
    """
    from voortgang.models.catalogue import load_catalogue

    schema["enum"] = [m.code for m in load_catalogue().ministries]


def _form(title: str, description: str) -> ConfigDict:
    return ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title=title,
        json_schema_extra={"description": description},
    )


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MilestoneUpdateIn(_Input):
    model_config = _form("Mijlpaal", "De stand van één mijlpaal uit de catalogus.")

    milestone: Ident = Field(title="Mijlpaal", description="Id van de mijlpaal uit de catalogus")
    status: MilestoneStatus = Field(
        title="Status",
        description="not_started (niet begonnen), on_track (op schema), at_risk (risico), "
        "delayed (vertraagd) of done (afgerond)",
    )
    progress: Percentage = Field(title="Voortgang (%)", description="Voortgang in procenten")
    narrative: Narrative = Field(
        title="Toelichting",
        description="Toelichting voor de brief (platte tekst of Markdown)",
    )
    expected_completion: dt.date | None = Field(
        default=None,
        title="Verwachte afronding",
        description="Datum waarop de mijlpaal naar verwachting af is (mag leeg blijven)",
        json_schema_extra=_optional_in_form,
    )
    status_reason: Reason | None = Field(
        default=None,
        validate_default=True,
        title="Reden bij risico of vertraging",
        description="Verplicht bij at_risk en delayed",
        json_schema_extra=_optional_in_form,
    )
    measure: Reason | None = Field(
        default=None,
        validate_default=True,
        title="Maatregel",
        description="Wat het ministerie doet om de mijlpaal alsnog te halen; verplicht bij "
        "at_risk en delayed",
        json_schema_extra=_optional_in_form,
    )

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

    @field_validator("measure")
    @classmethod
    def _measure_when_at_risk_or_delayed(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        status = info.data.get("status")
        if status in (MilestoneStatus.at_risk, MilestoneStatus.delayed) and (
            value is None or is_blank(value)
        ):
            raise ValueError(
                f"measure (maatregel) is required when the status is {status.value} "
                "(expected what the ministry does about it, for the letter)"
            )
        return value


class IndicatorValueIn(_Input):
    model_config = _form("Indicator", "Het laatste cijfer van één indicator uit de catalogus.")

    indicator: Ident = Field(title="Indicator", description="Id van de indicator uit de catalogus")
    value: Figure = Field(title="Waarde", description="Het cijfer, in de eenheid van de indicator")
    as_of: dt.date = Field(title="Peildatum", description="De datum waarop het cijfer geldt")
    source: SourceText = Field(title="Bron", description="Waar het cijfer vandaan komt")
    measure: Reason | None = Field(
        default=None,
        title="Maatregel",
        description="Wat het ministerie doet als het cijfer achterblijft bij het streefpad",
        json_schema_extra=_optional_in_form,
    )


class MunicipalInstrumentsIn(_Input):
    """Which instruments a municipality has (VRO reports these; the seed letter's yearly ask)."""

    model_config = _form("Gemeente", "Welke instrumenten een gemeente heeft (alleen VRO).")

    municipality: MunicipalityCode = Field(
        title="Gemeentecode", description="GM en vier cijfers, bijvoorbeeld GM0363"
    )
    ordinance: bool = Field(
        title="Huisvestingsverordening",
        description="Heeft de gemeente een huisvestingsverordening?",
    )
    urgency_scheme: bool = Field(
        title="Urgentieregeling", description="Heeft de verordening een urgentieregeling?"
    )
    woonzorgvisie: bool = Field(
        title="Woonzorgvisie", description="Heeft de gemeente een woonzorgvisie?"
    )
    residents_involved: bool | None = Field(
        default=None,
        title="Bewoners betrokken",
        description="Mag leeg blijven als dit niet bekend is",
        json_schema_extra=_optional_in_form,
    )
    as_of: dt.date = Field(title="Peildatum", description="De datum waarop dit geldt")


class CommitmentUpdateIn(_Input):
    model_config = _form(
        "Motie of toezegging", "De stand van één motie of toezegging uit de catalogus."
    )

    commitment: Ident = Field(
        title="Motie of toezegging", description="Id van de motie of toezegging uit de catalogus"
    )
    status: CommitmentStatus = Field(
        title="Stand van zaken",
        description="not_started (nog niet gestart), in_progress (in uitvoering), completed "
        "(afgedaan) of not_executed (wordt niet uitgevoerd)",
    )
    explanation: Reason | None = Field(
        default=None,
        validate_default=True,
        title="Toelichting",
        description="Toelichting voor de bijlage van de brief; verplicht bij not_executed",
        json_schema_extra=_optional_in_form,
    )
    expected: dt.date | None = Field(
        default=None,
        title="Verwacht",
        description="Wanneer de Kamer naar verwachting hoort dat het is afgedaan (mag leeg)",
        json_schema_extra=_optional_in_form,
    )

    @field_validator("explanation")
    @classmethod
    def _explanation_when_not_executed(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("status") is CommitmentStatus.not_executed and (
            value is None or is_blank(value)
        ):
            raise ValueError(
                "explanation is required when the status is not_executed "
                "(expected why the motie or toezegging is not carried out, for the Kamer)"
            )
        return value


class SubmissionIn(_Input):
    """A ministry's quarterly update, as any channel delivers it."""

    model_config = _form(
        "Inzending",
        "De voortgangsrapportage van een ministerie voor één kwartaal: mijlpalen en cijfers.",
    )

    ministry: Ident = Field(
        title="Ministerie",
        description="Code van het ministerie",
        json_schema_extra=_ministry_choices,
    )
    period: PeriodStr = Field(title="Kwartaal", description="Bijvoorbeeld 2026Q4")
    submitted_by: Email = Field(
        title="Ingediend door",
        description="Uw e-mailadres, zoals geregistreerd voor uw ministerie",
    )
    milestones: list[MilestoneUpdateIn] = Field(
        default=[], title="Mijlpalen", description="Per mijlpaal: status, voortgang, toelichting"
    )
    indicators: list[IndicatorValueIn] = Field(
        default=[], title="Indicatoren", description="Per indicator: waarde, peildatum en bron"
    )
    municipalities: list[MunicipalInstrumentsIn] = Field(
        default=[], title="Gemeenten", description="Alleen VRO: de instrumenten per gemeente"
    )
    commitments: list[CommitmentUpdateIn] = Field(
        default=[],
        title="Moties en toezeggingen",
        description="Per motie of toezegging van uw ministerie: de stand van zaken",
    )

    # An empty update would become the ministry's latest version and so blank out its quarter.
    @model_validator(mode="after")
    def _not_empty(self) -> SubmissionIn:
        if not self.milestones and not self.indicators:
            raise ValueError(
                "the submission has no milestones and no indicators (expected at least one "
                "milestone update or indicator value; an earlier version stays as it is)"
            )
        return self
