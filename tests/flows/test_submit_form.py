"""The officers' form: typed in the Prefect UI, stored through the same validation as files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.submissions import example
from voortgang.flows.submit_form import FormRefused, submit_update
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.submission_schema import SubmissionIn


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


def test_form_submission_is_stored_with_channel_form(db):
    update = SubmissionIn.model_validate(example("2026Q3", "JenV"))
    result = submit_update(update=update)
    assert result.created and result.version == 1
    with session_scope() as session:
        row = session.scalars(select(t.Submission)).one()
    assert (row.ministry_code, row.period_id, row.channel) == ("JenV", "2026Q3", "form")


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
