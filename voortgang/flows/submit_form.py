"""Flow: the officers' form. Its parameter is the submission model, so the UI shows a typed form."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from voortgang.models.identity import form_actor
from voortgang.models.submission_intake import take_in
from voortgang.models.submission_schema import SubmissionIn
from voortgang.models.submission_store import StoreResult
from voortgang.models.validation_errors import SubmissionRejected


class FormRefused(ValueError):
    """The form was refused; the run fails with the reasons, and nothing was stored."""


# No Prefect retries: take_in retries a briefly unreachable database itself, and a refused
# form must not be tried again.
@task(name="inzending opslaan")
def store_form_step(update: SubmissionIn) -> StoreResult:
    # Same validation and store as files and the CLI; only the channel differs.
    try:
        # The Prefect server has one shared login: the e-mail address is a claim, unverified.
        return take_in(
            update.model_dump(mode="json"),
            source="formulier",
            channel="form",
            actor=form_actor(),
        )
    except SubmissionRejected as exc:
        raise FormRefused("Inzending geweigerd, niets opgeslagen:\n" + exc.report()) from None


def _run_name() -> str:
    from prefect.runtime import flow_run

    update = flow_run.parameters.get("update") or {}
    if isinstance(update, SubmissionIn):
        return f"inzending-{update.ministry}-{update.period}"
    return f"inzending-{update.get('ministry', '?')}-{update.get('period', '?')}"


@flow(name="submit-update", flow_run_name=_run_name)
def submit_update(update: SubmissionIn) -> StoreResult:
    """Een voortgangsrapportage van een ministerie indienen via het formulier.

    Args:
        update: Uw inzending voor één kwartaal: kies het ministerie, vul kwartaal en
            e-mailadres in, en per mijlpaal de status, voortgang en toelichting.
    """
    result = store_form_step(update)
    get_run_logger().info(
        "Stored %s %s as version %d%s",
        result.ministry,
        result.period,
        result.version,
        "" if result.created else " (identical to the stored version)",
    )
    return result
