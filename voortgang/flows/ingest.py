"""Flow: take in the files waiting in the inbox folder."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.artifacts import TableArtifact

from voortgang.flows.artifacts import publish_once
from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.steps import ingest_inbox_step
from voortgang.models.inbox import InboxReport


def _run_name() -> str:
    return f"inbox-{dt.date.today().isoformat()}"


@flow(
    name="ingest-inbox",
    flow_run_name=_run_name,
    on_failure=[alert_on_failure],
    description="Verwerkt de bestanden in de inbox: geldige worden opgeslagen, andere geweigerd.",
)
def ingest_inbox() -> InboxReport:
    report = ingest_inbox_step()
    if report.items:
        publish_once(
            TableArtifact(
                key="inbox",
                table=[
                    {
                        "bestand": item.file,
                        "resultaat": item.outcome,
                        "ministerie": item.ministry or "",
                        "versie": str(item.version or ""),
                        "fouten": " | ".join(item.errors),
                    }
                    for item in report.items
                ],
                description="Bestanden uit de inbox en wat ermee gebeurde",
            )
        )
    return report
