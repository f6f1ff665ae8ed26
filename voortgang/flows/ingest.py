"""Flow: take in the files waiting in the inbox folder."""

from __future__ import annotations

from prefect import flow
from prefect.artifacts import create_table_artifact

from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.steps import ingest_inbox_step
from voortgang.models.inbox import InboxReport


@flow(name="ingest-inbox", on_failure=[alert_on_failure])
def ingest_inbox() -> InboxReport:
    report = ingest_inbox_step()
    if report.items:
        create_table_artifact(
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
            description="Bestanden uit de inbox",
        )
    return report
