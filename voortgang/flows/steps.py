"""The steps of the cycle as coarse Prefect tasks: each opens one unit of work and calls a function.

Tasks return ids or pydantic objects, never a Session. Retries sit on the steps that touch
the database or the file system; the functions they call are idempotent for a period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import get_run_logger, task
from prefect.artifacts import MarkdownArtifact, ProgressArtifact
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from voortgang.flows.artifacts import artifact_key, publish_once
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.inbox import InboxReport, process_inbox
from voortgang.models.outbox import enqueue_all
from voortgang.models.period_store import open_period, period_deadline
from voortgang.models.tables import LetterDraft
from voortgang.reporting.assessment_schema import Change, PeriodAssessment
from voortgang.reporting.assessment_store import (
    latest_assessment_id,
    load_assessment,
    store_assessment,
)
from voortgang.reporting.changes import compare_assessments
from voortgang.reporting.dashboard import (
    goal_status_markdown,
    ministry_summary_markdown,
    submissions_received,
)
from voortgang.reporting.decisions import DecisionRecord, flag_held_submissions
from voortgang.reporting.drafts import DraftResult, make_draft
from voortgang.reporting.isolation import (
    assess_isolating,
    find_unusable,
    is_data_failure,
    letter_probe,
)
from voortgang.reporting.letter_summary import letter_summary_markdown
from voortgang.reporting.slack_messages import (
    plan_decision,
    plan_draft_decision,
    plan_draft_posted,
    plan_escalation,
    plan_not_processed,
)
from voortgang.settings import get_settings


def current_flow_run_id() -> str | None:
    run_id = flow_run.get_id()
    return str(run_id) if run_id else None


@task(name="periode openen", retries=2, retry_delay_seconds=[2, 10])
def open_period_step(period: str) -> dt.date:
    with session_scope() as session:
        return open_period(session, period).deadline


@task(name="inbox verwerken", retries=2, retry_delay_seconds=[2, 10])
def ingest_inbox_step() -> InboxReport:
    report = process_inbox(get_settings().inbox_dir)
    get_run_logger().info(
        "Inbox: %d stored, %d rejected, %d files in all",
        report.stored,
        report.rejected,
        len(report.items),
    )
    return report


def retry_on_outage(task: object, task_run: object, state: State[Any]) -> bool:
    """Retry a step when the database or the disk failed, not when the data did: drafting
    the same data again fails the same way, and the cycle isolates it instead."""
    try:
        state.result()
    except Exception as exc:
        return not is_data_failure(exc)
    return False


@task(
    name="doelen toetsen",
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=retry_on_outage,
)
def check_step(
    period: str, today: dt.date | None = None, exclude: dict[str, str] | None = None
) -> tuple[int, PeriodAssessment]:
    catalogue = load_catalogue()
    with session_scope() as session:
        assessment = assess_isolating(session, catalogue, period, today=today, exclude=exclude)
        assessment_id = store_assessment(session, assessment, flow_run_id=current_flow_run_id())
    if assessment.not_processed:
        get_run_logger().error(
            "Left out of the assessment of %s: %s",
            period,
            "; ".join(f"{code}: {why}" for code, why in assessment.not_processed.items()),
        )
    return assessment_id, assessment


@task(
    name="onbruikbare gegevens apart zetten",
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=retry_on_outage,
)
def isolate_letter_step(
    period: str,
    already: dict[str, str],
    today: dt.date | None = None,
    peildatum: dt.date | None = None,
) -> dict[str, str]:
    """The ministries whose data alone makes the letter fail, with the reason (assessed on
    the letter's peildatum, drafted on ``today``, as the cycle does)."""
    catalogue = load_catalogue()
    with session_scope() as session:
        probe = letter_probe(session, catalogue, today or dt.date.today())
        unusable = find_unusable(
            session, catalogue, period, probe, today=peildatum, already=already
        )
    for code, why in unusable.items():
        get_run_logger().error("The letter for %s cannot use %s's data: %s", period, code, why)
    return unusable


@task(name="melden: gegevens niet verwerkt", retries=2, retry_delay_seconds=[2, 10])
def notify_not_processed_step(period: str, not_processed: dict[str, str]) -> int:
    planned = plan_not_processed(load_catalogue(), period=period, not_processed=not_processed)
    with session_scope() as session:
        return enqueue_all(session, planned)


@task(name="vergelijken met vorige periode", retries=2, retry_delay_seconds=[2, 10])
def previous_changes_step(period: str, assessment: PeriodAssessment) -> list[Change]:
    from voortgang.models.periods import Quarter

    previous = str(Quarter.parse(period).previous())
    with session_scope() as session:
        previous_id = latest_assessment_id(session, previous)
        before = load_assessment(session, previous_id) if previous_id else None
    return compare_assessments(before, assessment)


@task(name="dashboard publiceren")
def publish_dashboard_step(
    assessment: PeriodAssessment, changes: list[Change], today: dt.date | None = None
) -> None:
    """The goal table, the submissions summary and the count, each once per flow run; the
    dashboard as on ``today`` (the cycle's day)."""
    period = assessment.period
    received, total = submissions_received(assessment)
    for artifact in (
        MarkdownArtifact(
            key=artifact_key("goal-status", period),
            markdown=goal_status_markdown(assessment),
            description=f"Status per doel met alle redenen, {period}",
        ),
        MarkdownArtifact(
            key=artifact_key("submissions", period),
            markdown=ministry_summary_markdown(assessment, changes),
            description=f"Inzendingen per ministerie, {period}",
        ),
        ProgressArtifact(
            key=artifact_key("submissions-received", period),
            progress=received / total * 100 if total else 0.0,
            description=f"{received} van {total} ministeries ingezonden voor {period}",
        ),
    ):
        publish_once(artifact)
    if assessment.missing_ministries:
        get_run_logger().warning(
            "No submission for %s from: %s", period, ", ".join(assessment.missing_ministries)
        )
    from voortgang.flows.dashboard_link import publish_dashboard_page

    publish_dashboard_page(period, today)  # the page itself, and the link to it


@task(
    name="brief opstellen",
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=retry_on_outage,
)
def draft_letter_step(
    period: str,
    assessment_id: int,
    letter_date: dt.date | None = None,
    *,
    provisional: bool = False,
) -> DraftResult:
    catalogue = load_catalogue()
    with session_scope() as session:
        return make_draft(
            session,
            catalogue,
            period,
            assessment_id,
            letters_dir=get_settings().letters_dir,
            letter_date=letter_date,
            flow_run_id=current_flow_run_id(),
            provisional=provisional,
        )


@task(name="inzendingen na goedkeuring melden", retries=2, retry_delay_seconds=[2, 10])
def flag_held_submissions_step(period: str) -> list[str]:
    """The letter is approved: submissions since then are kept but change nothing until a
    coordinator reopens it. Each is told to the coordinators once, and named in the log."""
    with session_scope() as session:
        held = flag_held_submissions(session, period)
    if held:
        get_run_logger().warning(
            "The letter for %s is approved (version %d); no new draft until it is reopened. "
            "Submitted since: %s",
            period,
            held[0].letter_version,
            ", ".join(h.label() for h in held),
        )
    return [h.label() for h in held]


@task(name="brief publiceren")
def publish_letter_step(draft: DraftResult) -> None:
    """A short summary in the UI (state, version, where the files are), not the letter."""
    with session_scope() as session:
        row = session.get(LetterDraft, draft.draft_id)
        assert row is not None
        state = row.state
    publish_once(
        MarkdownArtifact(
            key=artifact_key("letter", draft.period),
            markdown=letter_summary_markdown(draft.period, draft.version, state, draft.files),
            description=f"Voortgangsbrief {draft.period}, versie {draft.version}: waar de bestanden staan",
        )
    )


@task(name="berichten klaarzetten", retries=2, retry_delay_seconds=[2, 10])
def notify_draft_step(
    draft: DraftResult, assessment: PeriodAssessment, today: dt.date | None = None
) -> int:
    """The draft to the coordinators' channel, and who is missing once the deadline passed."""
    catalogue = load_catalogue()
    planned = plan_draft_posted(catalogue, draft.draft_id, draft.version, draft.period, assessment)
    if get_settings().slack_app_token is not None:  # the Slack app answers the buttons
        planned += plan_draft_decision(catalogue, draft.draft_id, draft.version, draft.period)
    with session_scope() as session:
        deadline = period_deadline(session, draft.period)
        planned += plan_escalation(
            catalogue, assessment, draft.period, deadline, today or dt.date.today()
        )
        return enqueue_all(session, planned)


@task(name="besluit melden", retries=2, retry_delay_seconds=[2, 10])
def notify_decision_step(decision: DecisionRecord) -> int:
    planned = plan_decision(
        load_catalogue(),
        decision_id=decision.decision_id,
        decision=decision.decision.value,
        period=decision.period,
        version=decision.version,
        decided_by=decision.decided_by,
        comment=decision.comment,
        draft_id=decision.draft_id,
    )
    with session_scope() as session:
        return enqueue_all(session, planned)
