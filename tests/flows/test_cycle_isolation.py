"""One ministry's unusable data stays that ministry's: the cycle drafts the letter for the rest.

Protects issue 12 part 2. Validation refuses what the letter cannot show, so the fault is
planted the way it reaches production despite that: data stored by an earlier release, here a
milestone status this release does not know ('on_hold'), written straight into the table.
The cycle must still draft the letter for the other ministries, mark that ministry's part as
not processed with the reason (in the cycle result, the stored assessment, the check document
and the letter's wording), queue one alert for the coordinators, and fail only when nothing
can be drafted at all.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.assessment_store import latest_assessment_id, load_assessment
from voortgang.reporting.check_json import check_document
from voortgang.settings import get_settings

PERIOD = "2026Q4"


def plant_legacy_status(ministry: str) -> None:
    """A status an earlier release stored and this one cannot put into words."""
    with session_scope() as session:
        ids = select(t.Submission.id).where(
            t.Submission.ministry_code == ministry, t.Submission.period_id == PERIOD
        )
        session.execute(
            update(t.MilestoneUpdate)
            .where(t.MilestoneUpdate.submission_id.in_(ids))
            .values(status="on_hold")
        )


def outbox(kind: str) -> list[t.OutboxMessage]:
    with session_scope() as session:
        rows = session.scalars(select(t.OutboxMessage).where(t.OutboxMessage.kind == kind)).all()
        session.expunge_all()
        return list(rows)


def test_one_ministrys_unusable_data_leaves_the_letter_to_the_others(db: str) -> None:
    submit_examples(PERIOD)
    plant_legacy_status("VWS")

    state = quarterly_cycle(period=PERIOD, wait_for_approval=False, return_state=True)
    assert state.is_completed(), state.message
    result = state.result()

    assert list(result.not_processed) == ["VWS"]
    assert "unknown milestone status 'on_hold'" in result.not_processed["VWS"]
    letter = Path(result.draft.files["md"]).read_text(encoding="utf-8")
    # VWS's goal waits for the next letter, without blaming a ministry that co-signs.
    homelessness = letter.split("Dakloosheid beëindigen in 2030", 1)[1].split("\n## ", 1)[0]
    assert "informeer ik u in de volgende brief" in homelessness.replace("\n", " ")
    assert "on_hold" not in letter, "the internal reason stays out of the letter"
    # The others are in it: AenM's figure and VRO's milestones.
    assert "‘gemeenten die de taakstelling statushouders halen’" in letter
    assert Path(result.draft.files["docx"]).stat().st_size > 10_000

    with session_scope() as session:
        stored = load_assessment(session, latest_assessment_id(session, PERIOD))
    assert stored.not_processed == result.not_processed
    assert check_document(stored)["not_processed"] == result.not_processed
    homelessness = next(g for g in stored.goals if g.id == "homelessness")
    vws = next(v for v in homelessness.by_ministry if v.ministry == "VWS")
    assert vws.status.value == "no_data"
    assert any("kon niet worden verwerkt" in r for r in vws.reasons)

    alerts = outbox("not_processed")
    assert len(alerts) == 1
    assert "VWS" in alerts[0].payload["text"] and "on_hold" in alerts[0].payload["text"]

    # The next run finds the same fault: the same draft, and no second alert.
    again = quarterly_cycle(period=PERIOD, wait_for_approval=False)
    assert again.draft.version == result.draft.version and not again.draft.created
    assert len(outbox("not_processed")) == 1


def test_every_ministry_unusable_still_drafts_a_letter_marking_each(db: str) -> None:
    submit_examples(PERIOD)
    for code in ("AenM", "BZK", "JenV", "VRO", "VWS"):
        plant_legacy_status(code)
    result = quarterly_cycle(period=PERIOD, wait_for_approval=False)
    assert set(result.not_processed) == {"AenM", "BZK", "JenV", "VRO", "VWS"}
    assert len(outbox("not_processed")) == 5


def test_a_failure_that_is_not_one_ministrys_data_fails_the_run_and_blames_no_one(
    db: str,
) -> None:
    submit_examples(PERIOD)
    plant_legacy_status("VWS")
    letters = get_settings().letters_dir
    letters.parent.mkdir(parents=True, exist_ok=True)
    letters.write_text("not a folder")  # the letters cannot be written: nothing is drafted

    state = quarterly_cycle(period=PERIOD, wait_for_approval=False, return_state=True)
    assert state.is_failed()
    with session_scope() as session:
        assert session.scalar(select(t.LetterDraft.id)) is None
    assert len(outbox("not_processed")) == 1, "only VWS, whose data did fail, is named"
    assert len(outbox("failure_alert")) == 1
