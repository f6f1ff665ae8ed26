"""The stand of each motie and toezegging for a period, and the annex that shows it.

Protects issue 9 part 3: the annex "Stand van zaken moties en toezeggingen" lists every open
motie and toezegging of the catalogue with its latest reported stand (a stand from an earlier
quarter says so; one never reported says "geen stand ontvangen" without blaming anyone), drops
what was settled in an earlier quarter, names the responsible ministry in full (never a code
like "AenM"), and shows submitted text as text: no HTML, no table cell or block it could open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import markdown
import pytest

from tests.models.factories import TODAY, example
from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.submission_intake import take_in
from voortgang.models.submission_schema import CommitmentStatus
from voortgang.reporting.commitments import (
    CommitmentAnnexRow,
    CommitmentReport,
    commitments_annex,
    latest_commitment_reports,
    render_commitments_annex,
)


def submit(data: dict[str, Any]) -> None:
    take_in(data, source="test", channel="file", today=TODAY)


def annex_for(period: str, catalogue: Catalogue | None = None) -> dict[str, CommitmentAnnexRow]:
    catalogue = catalogue or load_catalogue()
    with session_scope() as session:
        reports = latest_commitment_reports(session, period)
    return {row.id: row for row in commitments_annex(catalogue, reports, period)}


def test_the_latest_stand_counts_and_an_older_one_is_marked(db: str) -> None:
    submit(example("VWS", "2026Q3"))  # three reports: two settled, one in progress
    submit(example("VWS", "2026Q4"))  # only the one still in progress

    q3 = annex_for("2026Q3")
    assert q3["motie-36410-xvi-91"].status is CommitmentStatus.completed
    assert q3["motie-36410-xvi-91"].reported_in is None
    assert q3["motie-29325-145"].status is CommitmentStatus.in_progress

    q4 = annex_for("2026Q4")
    # Settled in the third quarter: reported then, no longer in the annex.
    assert "motie-36410-xvi-91" not in q4
    assert "toezegging-vws-20250424-wlz-dakloos" not in q4
    mohandis = q4["motie-29325-145"]
    assert mohandis.reported_in is None
    assert mohandis.explanation is not None and "30 van de 43" in mohandis.explanation
    # Never reported: still listed, without a stand.
    assert q4["motie-32847-771"].status is None


def test_a_later_version_without_the_item_falls_back_to_the_earlier_quarter(db: str) -> None:
    submit(example("VWS", "2026Q3"))
    q4 = example("VWS", "2026Q4")
    submit(q4)
    q4.pop("commitments")
    q4["milestones"][1]["progress"] = 65  # version 2 of the quarter, without the report
    submit(q4)

    row = annex_for("2026Q4")["motie-29325-145"]
    assert row.status is CommitmentStatus.in_progress
    assert row.reported_in == "2026Q3"
    text = render_commitments_annex([row])
    assert "in uitvoering (stand uit het derde kwartaal 2026)" in text


def test_a_stand_reported_by_a_former_owner_is_not_the_stand(db: str) -> None:
    submit(example("VWS", "2026Q4"))
    catalogue = load_catalogue()
    moved = catalogue.model_copy(
        update={
            "motions": [
                m.model_copy(update={"owner": "VRO"}) if m.id == "motie-29325-145" else m
                for m in catalogue.motions
            ]
        }
    )
    row = annex_for("2026Q4", moved)["motie-29325-145"]
    assert row.status is None
    assert row.ministry_name == "Ministerie van Volkshuisvesting en Ruimtelijke Ordening"


def report(commitment: str, ministry: str, **fields: Any) -> CommitmentReport:
    values: dict[str, Any] = {
        "status": CommitmentStatus.in_progress,
        "explanation": None,
        "expected": None,
        "period": "2026Q4",
        "version": 1,
    }
    values.update(fields)
    return CommitmentReport(commitment=commitment, ministry=ministry, **values)


def aenm_catalogue() -> Catalogue:
    """The bundled catalogue with the JenV motie moved to Asiel en Migratie."""
    catalogue = load_catalogue()
    return catalogue.model_copy(
        update={
            "motions": [
                m.model_copy(update={"owner": "AenM"}) if m.id == "motie-24587-995" else m
                for m in catalogue.motions
            ]
        }
    )


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]


def test_the_annex_is_a_table_with_every_open_item(db: str) -> None:
    catalogue = aenm_catalogue()
    reports = {
        "motie-24587-995": report(
            "motie-24587-995", "AenM", expected=dt.date(2027, 3, 31), explanation="Loopt."
        ),
        "motie-36200-vii-86": report(
            "motie-36200-vii-86", "VRO", status=CommitmentStatus.completed, explanation="Gedaan"
        ),
    }
    rows = commitments_annex(catalogue, reports, "2026Q4")
    text = render_commitments_annex(rows, number=4)

    assert text.startswith("# Bijlage 4 Stand van zaken moties en toezeggingen\n")
    header, *body = table_rows(text)
    assert header == (
        "| Kamerstuk | Datum | Omschrijving | Verantwoordelijk ministerie | Stand van zaken "
        "| Toelichting |"
    )
    assert len(body) == len(catalogue.motions)
    veldzicht = next(r for r in body if r.startswith("| 24 587, nr. 995 |"))
    assert "| 5 november 2024 |" in veldzicht
    assert "Motie van de leden Van Nispen, Lahlah en Podt: Verzoekt de regering" in veldzicht
    assert (
        "| Ministerie van Asiel en Migratie | in uitvoering | Loopt. De afronding is voorzien voor "
        "31 maart 2027. |" in veldzicht
    )
    assert "AenM" not in text
    woondeals = next(r for r in body if r.startswith("| 36 200 VII, nr. 86 |"))
    assert "| afgedaan | Gedaan. |" in woondeals
    skaeve = next(r for r in body if r.startswith("| 36 410 XVI, nr. 91 |"))
    assert "Termijn: 1 juli 2024." in skaeve
    assert skaeve.endswith(
        "| geen stand ontvangen | Over de stand van zaken informeer ik u in de volgende brief. |"
    )
    toezegging = next(r for r in body if "Tweeminutendebat" in r)
    assert toezegging.startswith(
        "| Tweeminutendebat GGZ/Suïcidepreventie | 24 april 2025 | Toezegging: "
    )


HOSTILE = (
    "<script>alert(1)</script> | extra cel\n# Kop\n- lijst\n[^1]: voetnoot\n![x](https://e.vil/x.png)"
    " & [link](javascript:alert(1))"
)


def test_submitted_text_in_the_annex_is_text() -> None:
    catalogue = load_catalogue()
    reports = {
        "motie-29325-145": report(
            "motie-29325-145", "VWS", status=CommitmentStatus.not_executed, explanation=HOSTILE
        )
    }
    text = render_commitments_annex(commitments_annex(catalogue, reports, "2026Q4"))
    row = next(r for r in table_rows(text) if r.startswith("| 29 325, nr. 145 |"))
    assert "&lt;script>" in row and "<script>" not in text
    assert row.count(" | ") == 5  # six cells: the | in the text did not add one
    assert not any(line.startswith(("# Kop", "- lijst", "[^1]:")) for line in text.splitlines())

    # The extensions the letter's HTML edition converts its Markdown with.
    html = markdown.markdown(text, extensions=["tables", "footnotes", "def_list"])
    assert html.count("<table>") == 1
    assert html.count("<tr>") == len(catalogue.motions) + 1
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | extra cel" in html


def test_no_open_items_says_so() -> None:
    text = render_commitments_annex([])
    assert "Er zijn geen openstaande moties en toezeggingen" in text
    assert "|" not in text


@pytest.mark.parametrize("status", list(CommitmentStatus))
def test_every_status_has_a_dutch_label(status: CommitmentStatus) -> None:
    catalogue = load_catalogue()
    reports = {
        "motie-29325-145": report(
            "motie-29325-145", "VWS", status=status, explanation="Toelichting."
        )
    }
    rows = commitments_annex(catalogue, reports, "2026Q4")
    row = next(r for r in table_rows(render_commitments_annex(rows)) if "29 325" in r)
    assert status.value not in row
    assert {
        CommitmentStatus.not_started: "| nog niet gestart |",
        CommitmentStatus.in_progress: "| in uitvoering |",
        CommitmentStatus.completed: "| afgedaan |",
        CommitmentStatus.not_executed: "| wordt niet uitgevoerd |",
    }[status] in row
