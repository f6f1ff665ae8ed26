"""The form of the Kamerbrief as catalogue data: who signs, the sender block, references.

Practice differs per ministry and per cabinet (letter-conventions.md marks these items
"practice"), so they are data in ``catalogue.yaml`` under ``letter:``, never code. Every field
has a default, so a catalogue without the section still loads.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

# "32 847, nr. 1400": the dossier split as the Kamer writes it, then the number.
KAMERSTUK = re.compile(r"^\d{2} \d{3}(-[A-Z]+)?, nr\. \d{1,5}$")
PERIOD = re.compile(r"^20\d\d-?Q[1-4]$")

Line = Annotated[str, Field(min_length=1, max_length=120)]


class SigningMode(StrEnum):
    # One minister signs and writes "ik", "mede namens" the others (29 325, nr. 193).
    mede_namens = "mede_namens"
    # Every minister signs with a block of their own; the text says "wij".
    co_signed = "co_signed"


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SenderBlock(_Form):
    """The reference column of the letterhead: who sends it and how to reach them."""

    directorate: Line
    visiting_address: list[Line] = []
    postal_address: list[Line] = []
    website: Line | None = None


class LetterForm(_Form):
    signing: SigningMode = SigningMode.mede_namens
    # The ministry of the minister who signs (mede namens) and whose letterhead it is.
    signing_ministry: str = "VRO"
    return_address: Line = "Retouradres Postbus 20011 2500 EA  Den Haag"
    sender: SenderBlock | None = None
    # "Uw kenmerk": the Kamer's reference when the letter answers a request; else a dash.
    your_reference: Line | None = None
    salutation: Line | None = "Geachte voorzitter,"
    # The Kamerstuk number the Kamer gave an earlier progress letter, per period ("2026Q3").
    # The Kamer assigns it after sending; a draft never invents its own.
    previous_letters: dict[str, str] = {}

    @field_validator("previous_letters")
    @classmethod
    def _kamerstukken(cls, value: dict[str, str]) -> dict[str, str]:
        for period, ref in value.items():
            if not PERIOD.match(period):
                raise ValueError(f"{period!r}: expected a quarter such as 2026Q3")
            if not KAMERSTUK.match(ref):
                raise ValueError(
                    f"{period}: {ref!r}: expected a Kamerstuk such as '32 847, nr. 1400'"
                )
        return {p.replace("-", ""): ref for p, ref in value.items()}
