"""Moties en toezeggingen: the latest reported stand of each, and the letter's annex.

A ministry reports a motie or toezegging when something changed; it need not repeat it every
quarter. So the stand of a commitment for a period is its report in the latest submission
(the latest version of a ministry's period) up to and including that period that mentions it,
marked with that period when it is an earlier one: an old stand is shown as old.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue, CommitmentKind, Motion
from voortgang.models.submission_schema import CommitmentStatus
from voortgang.reporting.letter.templating import markdown_environment

ANNEX_TEMPLATE = "_bijlage_moties.md.j2"
SETTLED = frozenset({CommitmentStatus.completed, CommitmentStatus.not_executed})


class CommitmentReport(BaseModel):
    """The latest stand a ministry reported for one motie or toezegging."""

    model_config = ConfigDict(frozen=True)

    commitment: str
    ministry: str
    status: CommitmentStatus
    explanation: str | None
    expected: dt.date | None
    period: str  # the period of the submission it was reported in
    version: int


def latest_commitment_reports(session: Session, period: str) -> dict[str, CommitmentReport]:
    """Per commitment id, its latest report in a submission of ``period`` or earlier."""
    latest_version = (
        select(
            t.Submission.ministry_code,
            t.Submission.period_id,
            func.max(t.Submission.version).label("version"),
        )
        .where(t.Submission.period_id <= period)
        .group_by(t.Submission.ministry_code, t.Submission.period_id)
        .subquery("latest_version")
    )
    query = (
        select(t.CommitmentUpdate, t.Submission)
        .join(t.Submission, t.Submission.id == t.CommitmentUpdate.submission_id)
        .join(
            latest_version,
            and_(
                latest_version.c.ministry_code == t.Submission.ministry_code,
                latest_version.c.period_id == t.Submission.period_id,
                latest_version.c.version == t.Submission.version,
            ),
        )
        # Period ids are "YYYYQn": their text order is their time order. Oldest first, so
        # the newest report of each commitment is the one left in the dict.
        .order_by(t.Submission.period_id, t.Submission.version)
    )
    reports: dict[str, CommitmentReport] = {}
    for update, submission in session.execute(query):
        reports[update.commitment_id] = CommitmentReport(
            commitment=update.commitment_id,
            ministry=submission.ministry_code,
            status=CommitmentStatus(update.status),
            explanation=update.explanation,
            expected=update.expected,
            period=submission.period_id,
            version=submission.version,
        )
    return reports


class CommitmentAnnexRow(BaseModel):
    """One line of the annex "Stand van zaken moties en toezeggingen"."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: CommitmentKind
    kamerstuk: str | None
    debate: str | None
    date: dt.date
    text: str
    submitters: list[str]
    ministry_name: str  # the full name: "Ministerie van Asiel en Migratie", never a code
    due: dt.date | None
    source: str
    status: CommitmentStatus | None  # None: no stand reported up to this period
    explanation: str | None
    expected: dt.date | None
    reported_in: str | None  # the earlier period the stand comes from; None: this period


def _row(
    catalogue: Catalogue, motion: Motion, report: CommitmentReport | None, period: str
) -> CommitmentAnnexRow:
    return CommitmentAnnexRow(
        id=motion.id,
        kind=motion.kind,
        kamerstuk=motion.kamerstuk,
        debate=motion.debate,
        date=motion.date,
        text=motion.text,
        submitters=list(motion.submitters),
        ministry_name=catalogue.ministry(motion.owner).name,
        due=motion.due,
        source=motion.source,
        status=report.status if report else None,
        explanation=report.explanation if report else None,
        expected=report.expected if report else None,
        reported_in=report.period if report and report.period != period else None,
    )


def commitments_annex(
    catalogue: Catalogue, reports: dict[str, CommitmentReport], period: str
) -> list[CommitmentAnnexRow]:
    """The open moties and toezeggingen of the catalogue, oldest first, with their latest stand,
    and those settled this period.

    One settled (afgedaan, or not carried out) in an earlier period was reported to the Kamer
    then and is left out, as real annexes list only what is still open. ``reports`` comes
    from ``latest_commitment_reports``; a report by a ministry that no longer owns the
    commitment is not its stand (ownership moves between cabinets).
    """
    rows = []
    for motion in sorted(catalogue.motions, key=lambda m: (m.date, m.id)):
        report = reports.get(motion.id)
        if report is not None and report.ministry != motion.owner:
            report = None
        if report is not None and report.status in SETTLED and report.period != period:
            continue
        rows.append(_row(catalogue, motion, report, period))
    return rows


def render_commitments_annex(rows: list[CommitmentAnnexRow], number: int | None = None) -> str:
    """The annex as Markdown, in the letter's escaping environment (for a standalone file or
    a test; the letter includes the same partial)."""
    template = markdown_environment().get_template(ANNEX_TEMPLATE)
    context: dict[str, object] = {"moties": rows}
    if number is not None:
        context["bijlage"] = number
    return template.render(**context)
