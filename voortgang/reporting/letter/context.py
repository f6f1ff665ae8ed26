"""What the letter is drawn from (``LetterContext``) and what drawing it produces (``LetterFiles``).

The context is plain data: the period's assessment, the catalogue, the changes since the
previous letter and the letter's own particulars. Rendering never reads a database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from voortgang.models.catalogue import Catalogue
from voortgang.reporting.assessment_schema import Change, PeriodAssessment
from voortgang.reporting.charts import Chart


class LetterContext(BaseModel):
    """Everything one draft of the quarterly joint progress letter (Kamerbrief) needs."""

    model_config = ConfigDict(frozen=True)

    assessment: PeriodAssessment
    catalogue: Catalogue
    changes: list[Change] = []
    previous_period: str | None = None
    # A later draft of the same period also says what moved since the earlier draft.
    changes_since_draft: list[Change] = []
    previous_draft_version: int | None = None
    letter_date: dt.date
    version: int = Field(ge=1)
    kenmerk: str = Field(min_length=1, max_length=80)
    municipality_shares: list[float] = []
    next_letter_date: dt.date
    # The rows of the annex "Stand van zaken moties en toezeggingen": CommitmentAnnexRow of
    # reporting/commitments.py, which imports the letter's templating (so no import here).
    commitments: list[Any] = []
    # Settings with defaults from practice (letter-conventions.md marks them "practice").
    # Overrides of the catalogue's ``letter:`` form (None: the catalogue's).
    lead_ministry: str | None = None  # penvoerder: its minister signs, its name heads the letter
    return_address: str | None = None
    salutation: str | None = None
    # Drafted before the period's deadline: "Voorlopig" in the title and on every page.
    provisional: bool = False

    @property
    def peildatum(self) -> dt.date:
        """The one day the letter describes (reporting/letter_dates.py): the deadline for a
        final letter, the day of drafting for a provisional one."""
        return self.assessment.assessed_on

    @model_validator(mode="after")
    def _consistent(self) -> LetterContext:
        if self.next_letter_date <= self.letter_date:
            raise ValueError("next_letter_date must come after letter_date")
        lead = self.lead_ministry or self.catalogue.letter.signing_ministry
        try:
            self.catalogue.ministry(lead)
        except KeyError:
            raise ValueError(f"lead_ministry {lead!r} is not in the catalogue") from None
        if not self.catalogue.signatories_on(self.letter_date):
            raise ValueError(f"no signatory is valid on {self.letter_date.isoformat()}")
        return self


class LetterFiles(BaseModel):
    """The rendered letter. ``content_hash`` covers the Markdown master text and chart bytes."""

    model_config = ConfigDict(frozen=True)

    markdown: str
    html: str
    docx: bytes
    content_hash: str
    charts: list[Chart] = []
