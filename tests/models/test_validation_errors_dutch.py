"""Every validation error an officer can get has a Dutch twin beside its English message.

Protects issue 10's rule that officers read Dutch (the Slack modal) while files and the
command line keep the English messages: each entry of the English tables of
``validation_errors`` has a Dutch twin, every field of a submission has a Dutch label, each
of the model's own messages (reason or measure at risk, an empty update, a bad quarter,
unprintable or invisible text) and each catalogue check gets a Dutch text, with dates and
figures written the Dutch way, and the English message stays what it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from voortgang.models import validation_errors as ve
from voortgang.models.catalogue import ValueRange
from voortgang.models.submission_schema import (
    CommitmentUpdateIn,
    IndicatorValueIn,
    MilestoneUpdateIn,
    MunicipalInstrumentsIn,
    SubmissionIn,
)
from voortgang.models.submission_validation import Registry, validate_submission
from voortgang.models.validation_errors import FieldError, SubmissionRejected

TODAY = dt.date(2026, 12, 1)
OFFICER = "officer@vws.example.nl"
REGISTRY = Registry(
    ministries={"vws": "VWS", "vro": "VRO"},
    officers={OFFICER: "VWS", "other@vro.example.nl": "VRO"},
    milestones={"ms-a": "VWS", "ms-b": "VWS", "ms-vro": "VRO"},
    indicators={"ind-a": "VWS", "ind-vro": "VRO"},
    municipalities={"GM0014"},
    commitments={"motie-1": "VWS"},
    value_ranges={"ind-a": ValueRange(min=0, max=3_000_000)},
    earliest_as_of={"ind-a": dt.date(2024, 1, 1)},
    earliest_date=dt.date(2020, 1, 1),
    completion_horizon_years=10,
)


def _milestone(**changes: Any) -> dict[str, Any]:
    item = {"milestone": "ms-a", "status": "on_track", "progress": 50, "narrative": "Op koers."}
    return {**item, **changes}


def _submission(**changes: Any) -> dict[str, Any]:
    raw = {
        "ministry": "VWS",
        "period": "2026Q4",
        "submitted_by": OFFICER,
        "milestones": [_milestone()],
        "indicators": [{"indicator": "ind-a", "value": 10, "as_of": "2026-09-30", "source": "CBS"}],
    }
    return {**raw, **changes}


def _errors(raw: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(SubmissionRejected) as info:
        validate_submission(raw, REGISTRY, source="test", today=TODAY)
    return info.value.errors


def _dutch(raw: dict[str, Any], path: str) -> str:
    found = [e for e in _errors(raw) if e.path == path]
    assert found, f"no error at {path}"
    return " ".join(e.message_nl for e in found)


def test_every_entry_of_the_english_tables_has_a_dutch_twin() -> None:
    assert set(ve._EXPECTED_BY_TYPE_NL) == set(ve._EXPECTED_BY_TYPE)
    assert set(ve._EXPECTED_BY_FIELD_NL) == set(ve._EXPECTED_BY_FIELD)
    assert set(ve._EXPECTED_BY_TYPE) <= set(ve._PROBLEM_BY_TYPE_NL)
    for table, english in (
        (ve._EXPECTED_BY_TYPE_NL, ve._EXPECTED_BY_TYPE),
        (ve._EXPECTED_BY_FIELD_NL, ve._EXPECTED_BY_FIELD),
    ):
        for key, dutch in table.items():
            assert dutch.startswith("verwacht "), key
            assert dutch != english[key] and "expected" not in dutch, key


@pytest.mark.parametrize(
    "model",
    [SubmissionIn, MilestoneUpdateIn, IndicatorValueIn, MunicipalInstrumentsIn, CommitmentUpdateIn],
)
def test_every_field_of_a_submission_has_a_dutch_label(model: type[BaseModel]) -> None:
    assert set(model.model_fields) <= set(ve.FIELD_LABELS_NL)


def test_the_modals_labels_name_the_milestone_and_indicator_fields() -> None:
    labels = {
        field: ve.field_label_nl(f"milestones.0.{field}")
        for field in ("progress", "status", "narrative", "expected_completion")
    } | {
        field: ve.field_label_nl(f"indicators.0.{field}")
        for field in ("status_reason", "measure", "value", "source")
    }
    assert labels == {
        "progress": "voortgang",
        "status": "status",
        "narrative": "toelichting",
        "expected_completion": "verwachte afronding",
        "status_reason": "reden",
        "measure": "maatregel",
        "value": "waarde",
        "source": "bron",
    }
    assert ve.field_label_nl("milestones.3") == "mijlpaal"
    assert ve.field_label_nl("(top)") == "inzending"


def test_progress_out_of_range_is_dutch_beside_the_unchanged_english() -> None:
    [error] = _errors(_submission(milestones=[_milestone(progress=150)]))
    assert error.path == "milestones.0.progress"
    assert error.message == (
        "milestone 'ms-a': Input should be less than or equal to 100 "
        "(expected a number from 0 to 100)"
    )
    assert error.message_nl == (
        "mijlpaal 'ms-a': voortgang is groter dan 100 (verwacht een getal van 0 tot 100)"
    )


@pytest.mark.parametrize(
    ("raw", "path", "dutch"),
    [
        (
            _submission(milestones=[_milestone(status="at_risk", measure="Extra inzet.")]),
            "milestones.0.status_reason",
            "reden is verplicht bij de status risico (verwacht een korte uitleg)",
        ),
        (
            _submission(milestones=[_milestone(status="delayed", status_reason="Aanbesteding.")]),
            "milestones.0.measure",
            "maatregel is verplicht bij de status vertraagd",
        ),
        (
            _submission(
                commitments=[{"commitment": "motie-1", "status": "not_executed"}],
            ),
            "commitments.0.explanation",
            "toelichting is verplicht als de motie of toezegging niet wordt uitgevoerd",
        ),
        (
            _submission(milestones=[], indicators=[]),
            "(top)",
            "de inzending heeft geen mijlpalen en geen indicatoren",
        ),
        (_submission(period="2026Q9"), "period", "'2026Q9' is geen kwartaal"),
        (
            _submission(milestones=[_milestone(narrative="Op\x07 koers")]),
            "milestones.0.narrative",
            "toelichting bevat een stuurteken (U+0007) op positie 3",
        ),
        (
            _submission(milestones=[_milestone(narrative="\u200b\u200b")]),
            "milestones.0.narrative",
            "toelichting bevat geen zichtbare tekst",
        ),
        (
            _submission(milestones=[_milestone(progress="veel")]),
            "milestones.0.progress",
            "voortgang is geen getal (verwacht een getal van 0 tot 100)",
        ),
        (
            _submission(milestones=[{"milestone": "ms-a", "status": "on_track", "progress": 5}]),
            "milestones.0.narrative",
            "toelichting ontbreekt (verwacht een waarde)",
        ),
        (
            _submission(milestones=[_milestone(status="klaar")]),
            "milestones.0.status",
            "status is geen van de mogelijke waarden (verwacht een van: not_started (niet gestart)",
        ),
        (
            _submission(milestones=[_milestone(narrative="x" * 8001)]),
            "milestones.0.narrative",
            "toelichting is te lang (verwacht hoogstens 8000 tekens)",
        ),
    ],
)
def test_the_models_own_messages_have_a_dutch_twin(
    raw: dict[str, Any], path: str, dutch: str
) -> None:
    text = _dutch(raw, path)
    assert dutch in text, text
    assert ve._UNKNOWN_PROBLEM_NL not in text and "expected" not in text


@pytest.mark.parametrize(
    ("raw", "path", "dutch"),
    [
        (_submission(ministry="XYZ"), "ministry", "onbekend ministerie 'XYZ' (verwacht een van"),
        (_submission(period="2027Q2"), "period", "kwartaal 2027Q2 is nog niet begonnen"),
        (
            _submission(submitted_by="other@vro.example.nl"),
            "submitted_by",
            "other@vro.example.nl is contactpersoon van VRO, niet van VWS",
        ),
        (
            _submission(milestones=[_milestone(expected_completion="2040-06-30")]),
            "milestones.0.expected_completion",
            "verwachte afronding 30 juni 2040 ligt buiten de looptijd van het programma "
            "(verwacht een datum van 1 januari 2020 tot en met 31 december 2036)",
        ),
        (
            _submission(milestones=[_milestone(milestone="ms-vro")]),
            "milestones.0.milestone",
            "mijlpaal 'ms-vro' hoort bij VRO, niet bij VWS",
        ),
        (
            _submission(milestones=[_milestone(), _milestone()]),
            "milestones.1.milestone",
            "mijlpaal 'ms-a' komt twee keer voor",
        ),
        (
            _submission(
                indicators=[
                    {
                        "indicator": "ind-a",
                        "value": 3_000_001.5,
                        "as_of": "2026-09-30",
                        "source": "CBS",
                    }
                ]
            ),
            "indicators.0.value",
            "waarde 3.000.001,5 ligt buiten het bereik van 'ind-a' "
            "(verwacht een getal van 0 tot 3.000.000)",
        ),
        (
            _submission(
                indicators=[
                    {"indicator": "ind-a", "value": 1, "as_of": "2027-01-05", "source": "CBS"}
                ]
            ),
            "indicators.0.as_of",
            "peildatum 5 januari 2027 ligt in de toekomst "
            "(verwacht een datum tot en met 1 december 2026)",
        ),
        (
            _submission(
                indicators=[
                    {"indicator": "ind-a", "value": 1, "as_of": "2023-05-01", "source": "CBS"}
                ]
            ),
            "indicators.0.as_of",
            "peildatum 1 mei 2023 ligt vóór het basisjaar van de indicator",
        ),
        (
            _submission(commitments=[{"commitment": "motie-9", "status": "in_progress"}]),
            "commitments.0.commitment",
            "onbekende motie of toezegging 'motie-9'",
        ),
    ],
)
def test_the_catalogue_checks_have_a_dutch_twin_with_dutch_dates_and_figures(
    raw: dict[str, Any], path: str, dutch: str
) -> None:
    text = _dutch(raw, path)
    assert dutch in text, text


def test_every_error_of_a_badly_broken_submission_has_a_dutch_text() -> None:
    raw = _submission(
        ministry="VRO",
        period="2026Q9",
        milestones=[_milestone(status="delayed", progress=-1, narrative=""), {"extra": 1}],
        indicators=[{"indicator": "ind-x", "value": "veel", "as_of": "gisteren"}],
        municipalities=[{"municipality": "0014"}],
        unknown=True,
    )
    errors = _errors(raw)
    assert len(errors) > 10
    for error in errors:
        assert error.message_nl, error
        assert ve._UNKNOWN_PROBLEM_NL not in error.message_nl, error
        assert "expected" not in error.message_nl, error
