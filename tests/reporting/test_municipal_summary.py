"""The municipal picture on today's indeling and the check of VRO's overview against it.

Protects what the letter and the coordinators' notes say about municipalities: the counts are
over the 342 municipalities of 2025, with the merged ones as dwelling-weighted estimates
(computed here from the CSV files, not by the code under test), readers' names without CBS
codes or suffixes, and VRO's claim that its yearly overview is complete checked against the
municipalities it covers (58 of 342 in the demo), with ordinance and urgency scheme counted
apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from tests.support.submissions import example, submit_raw
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.municipal_data import BOUNDARY_CHANGES, CBS_DIR
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import InstrumentSummary, MunicipalSummary
from voortgang.reporting.municipal_summary import all_shares, summarise_municipalities

TODAY = dt.date(2026, 11, 25)


def read(name: str) -> list[dict[str, str]]:
    with (CBS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_shares() -> dict[str, float]:
    """Each municipality of 2025 with its 2021 share, merged ones weighted by dwellings."""
    rows = {r["gemeentecode"]: r for r in read("kwb2021_gemeenten_woningen_eigendom.csv")}
    joined: dict[str, list[str]] = {}
    for change in read(BOUNDARY_CHANGES):
        joined.setdefault(change["gemeentecode_nieuw"], []).append(change["gemeentecode_oud"])
    result = {}
    for m in read("gemeenten_2025_provincie.csv"):
        code = m["gemeentecode"]
        parts = ([code] if code in rows else []) + joined.get(code, [])
        if len(parts) == 1:
            result[code] = float(rows[code]["pct_huur_woningcorporatie"])
            continue
        weights = {
            p: float(rows[p]["aantal_inwoners_2021"])
            / float(rows[p]["gem_huishoudgrootte"])
            / (1 - float(rows[p]["pct_onbewoond"]) / 100)
            for p in parts
        }
        share = sum(float(rows[p]["pct_huur_woningcorporatie"]) * w for p, w in weights.items())
        result[code] = float(int(share / sum(weights.values()) + 0.5))
    return result


def summary() -> MunicipalSummary:
    with session_scope() as session:
        m = summarise_municipalities(session, load_catalogue().rules.municipal)
    assert m is not None
    return m


def test_counts_are_over_the_342_municipalities_of_2025(db: str) -> None:
    shares = expected_shares()
    m = summary()
    assert len(shares) == m.count == 342
    assert (m.boundary_year, m.data_boundary_year) == (2025, 2021)
    assert m.dataset.boundary_year == 2021 and m.dataset.dataset == "CBS 85039NED"
    assert m.at_least_30 == sum(s >= 30 for s in shares.values())
    assert m.below_25 == sum(s < 25 for s in shares.values())
    assert m.below_20 == sum(s < 20 for s in shares.values())
    assert {r.code: r.share_pct for r in m.below_target} == {
        c: s for c, s in shares.items() if s < 30
    }
    assert m.merged_away == 14
    with session_scope() as session:
        assert sorted(all_shares(session)) == sorted(shares.values())


def test_merged_municipalities_are_estimates_that_say_what_they_combine(db: str) -> None:
    shares = expected_shares()
    m = summary()
    estimated = {r.name: r for r in m.estimated}
    assert set(estimated) == {
        "Amsterdam",
        "Purmerend",
        "Dijk en Waard",
        "Land van Cuijk",
        "Maashorst",
        "Voorne aan Zee",
    }
    assert estimated["Voorne aan Zee"].combined_from == ["Brielle", "Hellevoetsluis", "Westvoorne"]
    for r in m.estimated:
        assert r.estimated and r.share_pct == shares[r.code]
    assert m.weighting is not None
    assert (
        "schatting" in m.weighting and "gewogen naar" in m.weighting and "woningen" in m.weighting
    )


def test_names_for_the_letter_have_no_codes_or_cbs_suffixes(db: str) -> None:
    m = summary()
    names = [r.name for r in (*m.below_target, *m.flagged_detail, *m.estimated)]
    assert names
    assert not [n for n in names if re.search(r"GM\d{4}|\([A-Z][A-Za-z]*\.\)", n)]
    assert "Bergen (Noord-Holland)" in names  # 18%, below the target
    assert [r.name for r in m.flagged_detail] == ["Ameland", "Renswoude"]


def assess(today: dt.date = TODAY) -> InstrumentSummary:
    with session_scope() as session:
        instruments = assess_period(session, load_catalogue(), "2026Q4", today=today).instruments
    assert instruments is not None
    return instruments


def test_coverage_of_the_overview_and_the_claim_of_completeness(db: str) -> None:
    raw = example("2026Q4", "VRO")
    listed = raw["municipalities"]
    submit_raw(raw)
    i = assess()
    assert (i.reported, i.municipalities_total) == (len(listed), 342) == (58, 342)
    # ordinance and urgency scheme apart: the example has ordinances without a scheme
    assert len(i.with_ordinance) == sum(bool(r["ordinance"]) for r in listed)
    assert len(i.with_urgency_scheme) == sum(bool(r["urgency_scheme"]) for r in listed)
    assert len(i.with_ordinance_and_urgency) == sum(
        bool(r["ordinance"] and r["urgency_scheme"]) for r in listed
    )
    assert len(i.with_ordinance) > len(i.with_ordinance_and_urgency)
    claim = next(n for n in i.needs_attention if "afgerond" in n)
    assert "58 van de 342 gemeenten" in claim and "284 ontbreken" in claim
    urgency = next(n for n in i.needs_attention if "urgentieregeling" in n)
    with_scheme = sum(bool(r["urgency_scheme"]) for r in listed)
    assert "59,4%" in urgency and f"{with_scheme} van de 342" in urgency


def test_an_overview_not_claimed_complete_is_no_contradiction(db: str) -> None:
    raw = example("2026Q4", "VRO")
    overview = next(
        m for m in raw["milestones"] if m["milestone"] == "vro-yearly-ordinance-overview"
    )
    overview.update(status="on_track", progress=20)
    raw["indicators"] = [
        i for i in raw["indicators"] if i["indicator"] != "municipalities-with-urgency-scheme"
    ]
    submit_raw(raw)
    i = assess()
    assert i.reported == 58
    assert i.needs_attention == []


def test_claims_stay_off_when_the_overview_covers_every_municipality(db: str) -> None:
    raw = example("2026Q4", "VRO")
    as_of = raw["municipalities"][0]["as_of"]
    raw["municipalities"] = [
        {
            "municipality": r["gemeentecode"],
            "ordinance": True,
            "urgency_scheme": True,
            "woonzorgvisie": False,
            "as_of": as_of,
        }
        for r in read("gemeenten_2025_provincie.csv")
    ]
    submit_raw(raw)
    i = assess()
    assert i.reported == i.municipalities_total == 342
    assert not [n for n in i.needs_attention if "afgerond" in n]
