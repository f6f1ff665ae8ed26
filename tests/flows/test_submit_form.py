"""The officers' form: typed in the Prefect UI, stored through the same validation as files.

Also protects how the Prefect UI shows the form (issue 11, part 4): every field of the
submission has a Dutch title and description, the ministry and the status are choices, no
field is offered as "anyOf ... null" (the UI's "Property is type 'None'"), and Prefect's own
parameter validation still accepts a submission whose optional fields are empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.support.submissions import example
from voortgang.flows.submit_form import FormRefused, submit_update
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_schema import MilestoneStatus, SubmissionIn


def _count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(t.Submission)) or 0


def test_form_parameter_schema_is_the_submission_model():
    from prefect.utilities.callables import parameter_schema

    schema = parameter_schema(submit_update.fn).model_dump()
    definitions = schema.get("definitions") or schema.get("$defs") or {}
    assert "SubmissionIn" in definitions
    fields = definitions["SubmissionIn"]["properties"]
    assert {"ministry", "period", "submitted_by", "milestones", "indicators"} <= set(fields)


def _form_schema() -> dict[str, Any]:
    from prefect.utilities.callables import parameter_schema

    return parameter_schema(submit_update.fn).model_dump()


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, definition in schema["definitions"].items():
        for field, prop in definition.get("properties", {}).items():
            yield name, field, prop


DUTCH_TITLES = {
    "SubmissionIn": [
        "Ministerie",
        "Kwartaal",
        "Ingediend door",
        "Mijlpalen",
        "Indicatoren",
        "Gemeenten",
        "Moties en toezeggingen",
    ],
    "MilestoneUpdateIn": [
        "Mijlpaal",
        "Status",
        "Voortgang (%)",
        "Toelichting",
        "Verwachte afronding",
        "Reden bij risico of vertraging",
        "Maatregel",
    ],
    "IndicatorValueIn": ["Indicator", "Waarde", "Peildatum", "Bron", "Maatregel"],
    "CommitmentUpdateIn": ["Motie of toezegging", "Stand van zaken", "Toelichting", "Verwacht"],
    "MunicipalInstrumentsIn": [
        "Gemeentecode",
        "Huisvestingsverordening",
        "Urgentieregeling",
        "Woonzorgvisie",
        "Bewoners betrokken",
        "Peildatum",
    ],
}


def test_every_form_field_has_a_dutch_title_and_the_models_a_dutch_description():
    schema = _form_schema()
    assert "Uw inzending" in schema["properties"]["update"]["description"]
    for name, titles in DUTCH_TITLES.items():
        properties = schema["definitions"][name]["properties"]
        assert [p["title"] for p in properties.values()] == titles, name
    for name, field, prop in _properties(schema):  # each says what is expected
        assert prop.get("description"), (name, field)
    enums = {"MilestoneStatus", "CommitmentStatus"}
    titles = {d["title"] for n, d in schema["definitions"].items() if n not in enums}
    assert titles == {"Inzending", "Mijlpaal", "Indicator", "Gemeente", "Motie of toezegging"}
    submission = schema["definitions"]["SubmissionIn"]
    assert submission["properties"]["submitted_by"]["title"] == "Ingediend door"
    assert "ministerie" in submission["description"]


def test_ministry_and_status_are_choices():
    schema = _form_schema()
    ministry = schema["definitions"]["SubmissionIn"]["properties"]["ministry"]
    assert ministry["enum"] == [m.code for m in load_catalogue().ministries]
    status = schema["definitions"]["MilestoneUpdateIn"]["properties"]["status"]
    assert status["$ref"] == "#/definitions/MilestoneStatus"
    assert schema["definitions"]["MilestoneStatus"]["enum"] == [s.value for s in MilestoneStatus]


def test_no_form_field_is_offered_as_type_none():
    for name, field, prop in _properties(_form_schema()):
        assert prop.get("type") != "null", (name, field)
        branches = prop.get("anyOf", []) + prop.get("oneOf", [])
        assert not any(b.get("type") == "null" for b in branches), (name, field, prop)
    milestone = _form_schema()["definitions"]["MilestoneUpdateIn"]["properties"]
    assert milestone["expected_completion"]["format"] == "date"
    assert milestone["status_reason"]["type"] == "string"


def test_prefects_parameter_validation_accepts_empty_optional_fields_and_refuses_a_ministry():
    from prefect.utilities.schema_tools import validate

    schema = _form_schema()
    update = SubmissionIn.model_validate(example("2026Q3", "JenV")).model_dump(mode="json")
    assert any(m["status_reason"] is None for m in update["milestones"])
    assert validate({"update": update}, schema) == []
    update["milestones"][0]["expected_completion"] = None
    assert validate({"update": update}, schema) == []
    update["ministry"] = "MinFin"
    errors = validate({"update": update}, schema)
    assert errors and "MinFin" in str(errors[0].message)


def test_form_submission_is_stored_with_channel_form(db):
    update = SubmissionIn.model_validate(example("2026Q3", "JenV"))
    result = submit_update(update=update)
    assert result.created and result.version == 1
    with session_scope() as session:
        row = session.scalars(select(t.Submission)).one()
    assert (row.ministry_code, row.period_id, row.channel) == ("JenV", "2026Q3", "form")
    # One shared login on the Prefect server: the address is a claim nobody verified.
    assert (row.claimed_by, row.principal, row.principal_verified) == (
        update.submitted_by,
        None,
        False,
    )


def test_form_from_someone_not_an_officer_of_that_ministry_is_refused_and_not_stored(db):
    raw = example("2026Q3", "JenV")
    raw["submitted_by"] = "etvi@minbzk.example.nl"  # an officer, but of BZK
    state = submit_update(update=SubmissionIn.model_validate(raw), return_state=True)
    assert state.is_failed()
    with pytest.raises(FormRefused) as refused:
        state.result()
    message = str(refused.value)
    assert "submitted_by" in message and "officer of BZK, not of JenV" in message
    assert _count() == 0
