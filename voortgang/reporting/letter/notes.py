"""Numbered notes: every figure in the letter points to where it comes from.

A note is one source: a submission version, a dataset, a catalogue source, the period's
assessment or the previous letter. The same source cited twice keeps its first number, so
numbers follow the order of first mention, and the list of notes is the list of sources.
Notes cite public sources only ("Opgave ministerie van X, peildatum ...", CBS table and date,
Kamerstuk); who submitted what is in the coordinators' notes. The wording of each note lives
in the template (``_noot.md.j2``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from voortgang.reporting.assessment_schema import DatasetRef, SubmissionRef

NoteKind = Literal["submission", "dataset", "reported", "catalogue", "assessment", "previous"]


class Note(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    kind: NoteKind
    submission: SubmissionRef | None = None
    dataset: DatasetRef | None = None
    text: str | None = None  # a catalogue source, or the source a ministry gave for a figure
    subject: str | None = None  # what the figure is (indicator title)
    as_of: dt.date | None = None
    period: str | None = None


def _key(note: Note) -> tuple[object, ...]:
    sub = note.submission
    sub_key = (sub.ministry, sub.period, sub.version) if sub else None
    ds = note.dataset
    ds_key = (ds.dataset, ds.reference_date, ds.boundary_year) if ds else None
    # The subject is not part of the key: the note names the source, not the figure, so two
    # figures from the same source and peildatum share one note.
    return (note.kind, sub_key, ds_key, note.text, note.as_of, note.period)


class NoteBook:
    """Hands out note numbers while the template renders, then lists the notes in order."""

    def __init__(self) -> None:
        self._notes: list[Note] = []
        self._numbers: dict[tuple[object, ...], int] = {}

    def _cite(self, **fields: object) -> Markup:
        candidate = Note.model_validate({"number": len(self._notes) + 1, **fields})
        key = _key(candidate)
        number = self._numbers.get(key)
        if number is None:
            number = candidate.number
            self._numbers[key] = number
            self._notes.append(candidate)
        return Markup("[^{}]").format(number)

    def submission(self, ref: SubmissionRef) -> Markup:
        return self._cite(kind="submission", submission=ref)

    def dataset(self, ref: DatasetRef) -> Markup:
        return self._cite(kind="dataset", dataset=ref)

    def reported(
        self,
        subject: str,
        source: str | None,
        ref: SubmissionRef | None,
        as_of: dt.date | None,
        period: str | None = None,
    ) -> Markup:
        """A figure a ministry reported, with the source it named for it."""
        return self._cite(
            kind="reported",
            subject=subject,
            text=source,
            submission=ref,
            as_of=as_of,
            period=period,
        )

    def catalogue(self, source: str) -> Markup:
        return self._cite(kind="catalogue", text=source)

    def assessment(self) -> Markup:
        return self._cite(kind="assessment")

    def previous(self, period: str) -> Markup:
        return self._cite(kind="previous", period=period)

    def all(self) -> list[Note]:
        return list(self._notes)
