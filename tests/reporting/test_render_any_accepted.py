"""Whatever validation accepts, the check and the letter in every format can render (issue 12).

Protects the promise that no single submission can stop the quarterly cycle: Hypothesis
generates submissions from the fields of the pydantic input models (every milestone status,
progress and figures anywhere in and around the catalogue's ranges, any Unicode text
including control, bidi and zero-width characters, dates around the horizons). Each one is
validated as every channel validates it; what is refused must name a field; what is accepted
is stored, checked (the document of ``voortgang check --json``) and drafted as Markdown,
HTML and Word, and each edition must be readable and carry the submitted text.

``VOORTGANG_HYPOTHESIS_EXAMPLES`` sets the number of examples (default 200; CI uses it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support.submissions import TODAY, submit_examples
from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_schema import CommitmentStatus, MilestoneStatus, SubmissionIn
from voortgang.models.submission_store import store_submission
from voortgang.models.submission_validation import load_registry, validate_submission
from voortgang.models.submitted_text import BIDI_CONTROLS
from voortgang.models.validation_errors import SubmissionRejected
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.check_json import check_document
from voortgang.reporting.commitments import (
    commitments_annex,
    latest_commitment_reports,
    render_commitments_annex,
)
from voortgang.reporting.letter import LetterContext, build_letter
from voortgang.reporting.municipal_summary import all_shares

PERIOD = "2026Q4"
EXAMPLES = int(os.environ.get("VOORTGANG_HYPOTHESIS_EXAMPLES", "200"))
CATALOGUE: Catalogue = load_catalogue()
MINISTRIES = ["VWS", "AenM", "VRO", "BZK"]

# Clean examples stay inside every rule and should all be accepted: they prove that any valid
# input renders. Wild ones break rules on purpose: they prove that refusals name a field.
WEIRD = "\x00\x07\x1b\x7f\x85\u200b\u200d\u2060\ufeff\u202e\u2066\u00ad\ufffe\r"
MARKUP = "<>&\"'*_`#|[]()!\\{}~^=+-"
clean_text = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs"),
            blacklist_characters="".join(BIDI_CONTROLS) + "\ufffe\uffff",
        )
        | st.sampled_from(list(MARKUP + "\n\t")),
        min_size=3,
        max_size=300,
    ).filter(lambda t: len(t.strip()) >= 3),
    st.sampled_from(["Op schema.", "**Vet** en _schuin_, <script>x</script> & [link](http://x)"]),
)
wild_text = st.text(alphabet=st.characters() | st.sampled_from(list(WEIRD + MARKUP)), max_size=80)
clean_days = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2026, 11, 25))
wild_days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def _figure(indicator_id: str, wild: bool) -> st.SearchStrategy[Any]:
    bounds = CATALOGUE.indicator(indicator_id).accepted_range
    valid = st.floats(min_value=bounds.min, max_value=bounds.max) | st.integers(
        min_value=int(bounds.min), max_value=int(bounds.max)
    )
    if not wild:
        return valid
    return valid | st.floats() | st.integers() | st.sampled_from([True, "50", None])


@st.composite
def submissions(draw: st.DrawFn) -> dict[str, Any]:
    """Raw data shaped by SubmissionIn and its item models, for one ministry's catalogue."""
    wild = draw(st.integers(0, 4)) == 0  # one in five breaks rules
    text = st.one_of(clean_text, wild_text) if wild else clean_text
    days = st.one_of(clean_days, wild_days) if wild else clean_days
    code = draw(st.sampled_from(MINISTRIES))
    ministry = CATALOGUE.ministry(code)
    milestones = draw(
        st.lists(
            st.sampled_from(CATALOGUE.milestones_of(code)),
            unique_by=lambda m: m.id,
            min_size=0 if wild else 1,
        )
    )
    indicators = draw(
        st.lists(st.sampled_from(CATALOGUE.indicators_of(code) or [None]), unique_by=id)
    )
    items = []
    for m in milestones:
        status = draw(st.sampled_from(list(MilestoneStatus)))
        needs_reason = status in (MilestoneStatus.at_risk, MilestoneStatus.delayed)
        progress = st.floats(min_value=0, max_value=100) | st.integers(0, 100)
        items.append(
            {
                "milestone": m.id,
                "status": status.value,
                "progress": draw(progress | st.floats() | st.just(True) if wild else progress),
                "narrative": draw(text),
                "expected_completion": draw(st.none() | days),
                "status_reason": draw(text if needs_reason and not wild else st.none() | text),
                "measure": draw(text if needs_reason and not wild else st.none() | text),
            }
        )
    raw: dict[str, Any] = {
        "ministry": code,
        "period": PERIOD,
        "submitted_by": ministry.officers[0].email,
        "milestones": items,
        "indicators": [
            {
                "indicator": i.id,
                "value": draw(_figure(i.id, wild)),
                "as_of": draw(
                    st.dates(min_value=dt.date(i.baseline.date.year, 1, 1), max_value=TODAY)
                    if not wild
                    else days
                ),
                "source": draw(text),
                "measure": draw(st.none() | text),
            }
            for i in indicators
            if i is not None
        ],
        "commitments": [
            {
                "commitment": c.id,
                "status": draw(st.sampled_from(list(CommitmentStatus))).value,
                "explanation": draw(st.none() | text),
                "expected": draw(st.none() | days),
            }
            for c in draw(st.lists(st.sampled_from(CATALOGUE.motions_of(code) or [None])))
            if c is not None
        ],
    }
    return raw


def _letter(session: Any, assessment: Any) -> Any:
    return build_letter(
        LetterContext(
            assessment=assessment,
            catalogue=CATALOGUE,
            letter_date=TODAY,
            version=1,
            kenmerk="ETVI-2026Q4-01",
            municipality_shares=all_shares(session),
            next_letter_date=TODAY + dt.timedelta(days=90),
        )
    )


@pytest.fixture
def other_ministries(db: str) -> None:
    # The rest of the programme as the demo has it, so the letter is the letter as a whole.
    submit_examples(PERIOD, ["JenV", "SZW"])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(raw=submissions())
def test_any_accepted_submission_is_checked_and_drafted_in_every_format(
    other_ministries: None, raw: dict[str, Any]
) -> None:
    with session_scope() as session:
        registry = load_registry(session)
        try:
            sub = validate_submission(raw, registry, source="eigenschap", today=TODAY)
        except SubmissionRejected as exc:
            event("refused")
            assert exc.errors, "a refusal names at least one field"
            assert all(e.path and "(expected" in e.message for e in exc.errors), exc.report()
            return
        event("accepted")
        store_submission(session, sub, channel="file")
        session.flush()
        assessment = assess_period(session, CATALOGUE, PERIOD, today=TODAY)
        json.dumps(check_document(assessment))
        files = _letter(session, assessment)
        annex = render_commitments_annex(
            commitments_annex(CATALOGUE, latest_commitment_reports(session, PERIOD), PERIOD)
        )

    assert isinstance(sub, SubmissionIn)
    document = docx.Document(io.BytesIO(files.docx))
    word_text = "\n".join(p.text for p in document.paragraphs)
    assert "Geachte voorzitter" in word_text
    assert files.html.lstrip().lower().startswith("<!doctype html")
    assert files.markdown.strip()
    assert "Stand van zaken moties en toezeggingen" in annex
    # The submitted figures reach the check; nothing was dropped on the way.
    figures = {f.name: f.value for g in assessment.goals for f in g.figures if f.value is not None}
    for value in sub.indicators:
        title = CATALOGUE.indicator(value.indicator).title
        assert figures.get(title) == pytest.approx(value.value), title
