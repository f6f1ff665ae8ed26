"""The submission modal as plain data (issue 10, part 2): within Slack's limits, read back
into the submission every channel validates, errors mapped to their blocks.

Protects: a ministry whose update does not fit in one view (100 blocks) is told to use the
file path instead of getting a view Slack would refuse; texts longer than a Slack text input
are not pre-filled (and the modal says so) rather than cut; the values read back are the
submission dict ``take_in`` takes; each validation error lands on its field's block and an
error of no field on the first input, each in its Dutch text (the English one where it has
none, with its field).
"""

from __future__ import annotations

import datetime as dt

import pytest

from voortgang.models.catalogue import Milestone, load_catalogue
from voortgang.models.submission_prefill import MilestoneValues, PreviousValues
from voortgang.models.validation_errors import FieldError
from voortgang.slack_app.modals import (
    MAX_BLOCKS,
    ModalTooLarge,
    SubmissionForm,
    errors_by_block,
    read_submission,
    submission_modal,
)


def _milestones(n: int) -> list[Milestone]:
    base = load_catalogue().milestones_of("VWS")[0]
    return [base.model_copy(update={"id": f"ms-{i}", "title": f"Mijlpaal {i}"}) for i in range(n)]


def test_every_ministry_of_the_catalogue_fits_in_one_view():
    catalogue = load_catalogue()
    for ministry in catalogue.ministries:
        view = submission_modal(
            ministry,
            "2026Q4",
            catalogue.milestones_of(ministry.code),
            catalogue.indicators_of(ministry.code),
            None,
        )
        assert len(view["blocks"]) <= MAX_BLOCKS
        assert len(view["private_metadata"]) <= 3000
        assert len(view["title"]["text"]) <= 24


def test_a_ministry_with_more_than_fits_is_told_to_use_the_file_path():
    ministry = load_catalogue().ministry("VWS")
    assert len(submission_modal(ministry, "2026Q4", _milestones(13), [], None)["blocks"]) <= 100
    with pytest.raises(ModalTooLarge) as refused:
        submission_modal(ministry, "2026Q4", _milestones(15), [], None)
    message = str(refused.value)
    assert "past niet in één Slack-venster" in message
    assert "voortgang template --ministry VWS --period 2026Q4" in message


def test_a_text_longer_than_slack_allows_is_not_prefilled_and_the_modal_says_so():
    ministry = load_catalogue().ministry("VWS")
    [milestone] = _milestones(1)
    previous = PreviousValues(
        period="2026Q3",
        version=1,
        milestones={
            "ms-0": MilestoneValues(milestone="ms-0", status="on_track", narrative="x" * 3500)
        },
        indicators={},
    )
    view = submission_modal(ministry, "2026Q4", [milestone], [], previous)
    narrative = next(b for b in view["blocks"] if b.get("block_id") == "ms:0:narrative")
    assert "initial_value" not in narrative["element"]
    assert "langer dan Slack toestaat" in str(view["blocks"])


def test_the_submitted_state_reads_back_as_a_submission():
    ministry = load_catalogue().ministry("VWS")
    view = submission_modal(ministry, "2026Q4", _milestones(1), [], None)
    view["state"] = {
        "values": {
            "ms:0:status": {
                "value": {"type": "static_select", "selected_option": {"value": "at_risk"}}
            },
            "ms:0:progress": {"value": {"type": "number_input", "value": "42,5"}},
            "ms:0:narrative": {"value": {"type": "plain_text_input", "value": "Loopt."}},
            "ms:0:expected_completion": {
                "value": {"type": "datepicker", "selected_date": "2027-03-31"}
            },
            "ms:0:status_reason": {"value": {"type": "plain_text_input", "value": "  "}},
            "ms:0:measure": {"value": {"type": "plain_text_input", "value": None}},
        }
    }
    raw = read_submission(view, submitted_by="a@b.nl")
    assert raw == {
        "ministry": "VWS",
        "period": "2026Q4",
        "submitted_by": "a@b.nl",
        "milestones": [
            {
                "milestone": "ms-0",
                "status": "at_risk",
                "progress": 42.5,
                "narrative": "Loopt.",
                "expected_completion": "2027-03-31",
                "status_reason": None,
                "measure": None,
            }
        ],
        "indicators": [],
    }
    assert dt.date.fromisoformat(raw["milestones"][0]["expected_completion"])


def test_errors_go_to_their_blocks_and_the_rest_to_the_first_input():
    form = SubmissionForm(period="2026Q4", ministry="VWS", milestones=["a", "b"], indicators=["i"])
    errors = errors_by_block(
        [
            FieldError("milestones.1.progress", "too high", "voortgang is groter dan 100"),
            FieldError("milestones.0", "unknown milestone", "onbekende mijlpaal"),
            FieldError("indicators.0.as_of", "in the future", "peildatum ligt in de toekomst"),
            FieldError("submitted_by", "not an officer", "geen contactpersoon"),
            FieldError("channel", "not accepted"),  # no Dutch twin: the English, with its field
        ],
        form,
    )
    assert errors == {
        "ms:1:progress": "Voortgang is groter dan 100",
        "ms:0:status": (
            "Onbekende mijlpaal Algemeen: geen contactpersoon Algemeen: channel: not accepted"
        ),
        "ind:0:as_of": "Peildatum ligt in de toekomst",
    }
