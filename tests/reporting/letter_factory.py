"""Builds a realistic period assessment and letter context straight from the catalogue.

No database and no assessment code: the letter tests need stable input they can read. The
municipal figures are computed from the bundled CBS file; everything a ministry "reported"
is example data in the style of real submissions. SZW has not submitted, one milestone is
delayed and overdue, and the ministries differ on shared goals (woonzorgvisie, urgency).
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

from voortgang.models.catalogue import Catalogue, load_catalogue
from voortgang.reporting.assessment_schema import (
    Change,
    DatasetRef,
    GoalAssessment,
    GoalState,
    IndicatorAssessment,
    InstrumentSummary,
    MilestoneAssessment,
    MinistrySubmission,
    MinistryView,
    MunicipalityRef,
    MunicipalityShare,
    MunicipalSummary,
    PeriodAssessment,
    SubmissionRef,
)
from voortgang.reporting.letter import LetterFiles, build_letter
from voortgang.reporting.letter.annexes import AnnexFiles, build_annexes
from voortgang.reporting.letter.context import LetterContext

CBS_FILE = (
    Path(__file__).resolve().parents[2]
    / "voortgang"
    / "data"
    / "cbs"
    / "kwb2021_gemeenten_woningen_eigendom.csv"
)
PERIOD = "2026Q3"
PREVIOUS = "2026Q2"
ASSESSED_ON = dt.date(2026, 10, 20)
DEADLINE = dt.date(2026, 10, 15)
LETTER_DATE = dt.date(2026, 11, 25)
NEXT_LETTER = dt.date(2027, 2, 24)
AMS = dt.timezone(dt.timedelta(hours=2))

DATASET = DatasetRef(
    dataset="CBS 85039NED",
    title="Kerncijfers wijken en buurten 2021",
    reference_date=dt.date(2021, 1, 1),
    boundary_year=2021,
)

SUBMITTERS = {
    "VRO": ("a.dekker@minvro.example.nl", dt.datetime(2026, 10, 13, 9, 12, tzinfo=AMS), "file", 2),
    "BZK": ("m.visser@minbzk.example.nl", dt.datetime(2026, 10, 14, 16, 40, tzinfo=AMS), "form", 1),
    "VWS": ("l.bakker@minvws.example.nl", dt.datetime(2026, 10, 15, 11, 5, tzinfo=AMS), "cli", 1),
    "SZW": (
        "r.smit@minszw.example.nl",
        dt.datetime(2026, 10, 14, 10, 0, tzinfo=AMS),
        "form",
        1,
    ),
    "JenV": ("s.mulder@minjenv.example.nl", dt.datetime(2026, 10, 9, 14, 0, tzinfo=AMS), "file", 1),
    "AenM": (
        "j.devries@minaenm.example.nl",
        dt.datetime(2026, 10, 15, 8, 30, tzinfo=AMS),
        "slack",
        1,
    ),
}
MISSING = ("SZW",)

# milestone id -> (status, progress, expected completion, status reason, narrative)
MILESTONE_UPDATES: dict[str, tuple[str, float, dt.date | None, str | None, str]] = {
    "vro-yearly-ordinance-overview": (
        "on_track",
        60,
        dt.date(2026, 12, 15),
        None,
        "Het overzicht over 2026 is in voorbereiding. Wij spraken de 13 gemeenten uit de eerste "
        "uitvraag; de andere gemeenten krijgen in november een korte vragenlijst.",
    ),
    "vro-wet-regie-in-force": (
        "delayed",
        80,
        dt.date(2027, 1, 1),
        "De Eerste Kamer behandelt het wetsvoorstel later dan gepland.",
        "Het wetsvoorstel ligt bij de Eerste Kamer. De inwerkingtreding schuift naar 1 januari 2027.",
    ),
    "vro-regional-woonzorgvisies": (
        "at_risk",
        55,
        dt.date(2027, 3, 31),
        "Drie regio's hebben nog geen afgestemde woonzorgvisie.",
        "In 21 van de 24 regio's ligt een regionaal afgestemde woonzorgvisie. VRO ondersteunt de "
        "drie andere regio's met een procesbegeleider.",
    ),
    "vro-monitor-aandachtsgroepen": (
        "done",
        100,
        None,
        None,
        "De tweede editie van de Monitor huisvesting aandachtsgroepen is op 24 september 2026 "
        "verschenen, met voor het eerst cijfers per regio.",
    ),
    "vro-performance-agreements": (
        "on_track",
        70,
        dt.date(2026, 12, 1),
        None,
        "Gemeenten met minder dan 30% sociale huur maken in de prestatieafspraken voor 2027 "
        "afspraken over extra sociale huurwoningen. Huurdersorganisaties tekenen mee.",
    ),
    "bzk-joint-steering": (
        "done",
        100,
        None,
        None,
        "De interdepartementale stuurgroep komt sinds maart 2026 elk kwartaal bijeen, met een "
        "vaste agenda: de voortgang per doel, ontbrekende rapportages en de gezamenlijke brief.",
    ),
    "bzk-municipal-funding": (
        "on_track",
        50,
        dt.date(2027, 1, 1),
        None,
        "De middelen voor de uitvoering staan in de septembercirculaire 2026 van het gemeentefonds.",
    ),
    "vws-nad-midterm-review": (
        "on_track",
        40,
        dt.date(2026, 12, 31),
        None,
        "Het onderzoeksbureau heeft de gesprekken met 25 centrumgemeenten afgerond.",
    ),
    "vws-lived-experience": (
        "at_risk",
        30,
        dt.date(2027, 6, 30),
        "In 12 van de 43 centrumgemeenten zijn nog geen ervaringsdeskundigen betrokken.",
        "Ervaringsdeskundigen denken in 31 centrumgemeenten mee over beleid en woonzorgvisies.",
    ),
    "vws-older-people-progress": (
        "done",
        100,
        None,
        None,
        "De voortgangsrapportage Wonen en zorg voor ouderen is in juni 2026 verschenen.",
    ),
    "jenv-detention-exit": (
        "done",
        100,
        None,
        None,
        "Met alle 43 centrumgemeenten zijn afspraken gemaakt over een woning bij uitstroom uit "
        "detentie.",
    ),
    "jenv-shelter-capacity": (
        "on_track",
        35,
        dt.date(2027, 6, 30),
        None,
        "Vier regio's werken met een vaste doorstroomcoach tussen vrouwenopvang en corporatie.",
    ),
    "aenm-quota-2027h1": (
        "on_track",
        50,
        dt.date(2026, 12, 15),
        None,
        "De taakstelling voor de eerste helft van 2027 is in concept met de provincies besproken.",
    ),
    "aenm-provincial-supervision": ("not_started", 0, None, None, "Start in december 2026."),
    "szw-early-warning-rent-arrears": (
        "on_track",
        45,
        dt.date(2027, 3, 31),
        None,
        "Zestig procent van de corporaties meldt huurachterstanden al binnen twee maanden.",
    ),
    "szw-debt-progress": (
        "on_track",
        80,
        dt.date(2026, 12, 1),
        None,
        "De voortgangsrapportage gaat in november naar de Kamer.",
    ),
}

MILESTONE_STATE = {
    "done": GoalState.on_track,
    "on_track": GoalState.on_track,
    "not_started": GoalState.on_track,
    "at_risk": GoalState.at_risk,
    "delayed": GoalState.at_risk,
}

# indicator id -> (value, as_of, source, status, from earlier period)
INDICATOR_VALUES: dict[str, tuple[float, dt.date, str, GoalState, str | None]] = {
    "municipalities-with-urgency-scheme": (
        71,
        dt.date(2026, 9, 30),
        "Uitvraag VRO bij gemeenten, september 2026",
        GoalState.at_risk,
        None,
    ),
    "social-rent-homes-built": (
        98400,
        dt.date(2026, 6, 30),
        "Opgave Aedes over de eerste helft van 2026",
        GoalState.at_risk,
        None,
    ),
    "municipalities-with-woonzorgvisie": (
        58,
        dt.date(2026, 9, 30),
        "Uitvraag VRO bij gemeenten, september 2026",
        GoalState.off_track,
        None,
    ),
    "homeless-people": (
        30600,
        dt.date(2026, 1, 1),
        "Registratie maatschappelijke opvang, opgave VWS",
        GoalState.off_track,
        PREVIOUS,
    ),
    "suitable-homes-older-people": (
        118000,
        dt.date(2026, 6, 30),
        "Monitor Wonen en zorg voor ouderen",
        GoalState.on_track,
        None,
    ),
    "municipalities-on-quota": (
        58.1,
        dt.date(2026, 6, 30),
        "Realisatie taakstelling eerste helft 2026, COA en provincies",
        GoalState.at_risk,
        None,
    ),
}

# goal id -> {ministry: state} where a ministry's own view differs from plain aggregation
MINISTRY_VIEWS: dict[str, dict[str, GoalState]] = {
    "ordinance-urgency": {"VRO": GoalState.at_risk, "BZK": GoalState.on_track},
    "social-rent-share": {"VRO": GoalState.at_risk, "BZK": GoalState.on_track},
    "woonzorgvisie": {"VRO": GoalState.off_track, "VWS": GoalState.on_track},
    "residents-involvement": {"VRO": GoalState.on_track, "VWS": GoalState.at_risk},
    "homelessness": {
        "VWS": GoalState.off_track,
        "BZK": GoalState.on_track,
        "JenV": GoalState.on_track,
    },
    "permit-holders": {
        "AenM": GoalState.at_risk,
        "VRO": GoalState.on_track,
        "BZK": GoalState.on_track,
    },
}


def submission_ref(code: str, period: str = PERIOD) -> SubmissionRef:
    email, at, channel, version = SUBMITTERS[code]
    if period != PERIOD:
        at, version = at - dt.timedelta(days=91), 1
    return SubmissionRef(
        ministry=code,
        period=period,
        version=version,
        submitted_by=email,
        submitted_at=at,
        channel=channel,
    )


def municipality_rows() -> list[dict[str, str]]:
    with CBS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def municipality_shares() -> list[float]:
    return [float(r["pct_huur_woningcorporatie"]) for r in municipality_rows()]


def municipal_summary(target: float = 30.0) -> MunicipalSummary:
    rows = municipality_rows()
    shares = [float(r["pct_huur_woningcorporatie"]) for r in rows]
    flag_reason = (
        "De CBS-tabel geeft 0% woningen in bezit van een woningcorporatie terwijl er wel "
        "huurwoningen zijn; waarschijnlijk ontbreekt het corporatiebezit in de bron."
    )

    def share(r: dict[str, str]) -> MunicipalityShare:
        pct = float(r["pct_huur_woningcorporatie"])
        flagged = pct == 0 and float(r["pct_huurwoningen"]) > 0
        return MunicipalityShare(
            code=r["gemeentecode"],
            name=r["gemeentenaam"],
            province=r["provincie"] or None,
            share_pct=pct,
            flagged=flagged,
            flag_reason=flag_reason if flagged else None,
        )

    all_shares = [share(r) for r in rows]
    flagged = [s for s in all_shares if s.flagged]
    return MunicipalSummary(
        source="CBS 85039NED",
        dataset=DATASET,
        boundary_year=2021,
        count=len(rows),
        at_least_30=sum(s >= target for s in shares),
        below_25=sum(s < 25 for s in shares),
        below_20=sum(s < 20 for s in shares),
        flagged=sorted(s.code for s in flagged),
        target_pct=target,
        thresholds=[25.0, 20.0],
        below_target=[s for s in all_shares if (s.share_pct or 0) < target],
        flagged_detail=flagged,
    )


INSTRUMENTS = {
    # code: (name, ordinance with urgency scheme, woonzorgvisie, residents involved)
    "GM0363": ("Amsterdam", True, True, True),
    "GM0599": ("Rotterdam", True, True, True),
    "GM0344": ("Utrecht", True, True, True),
    "GM0014": ("Groningen", True, True, None),
    "GM0193": ("Zwolle", True, True, True),
    "GM0034": ("Almere", True, False, False),
    "GM0772": ("Eindhoven", True, False, None),
    "GM0268": ("Nijmegen", True, True, True),
    "GM0060": ("Ameland", False, False, False),
    "GM0339": ("Renswoude", False, False, None),
    "GM0417": ("Laren", False, True, False),
    "GM0376": ("Blaricum", False, False, False),
    "GM0277": ("Rozendaal", False, False, False),
}


def instrument_summary() -> InstrumentSummary:
    def refs(pick: int, value: bool) -> list[MunicipalityRef]:
        return [
            MunicipalityRef(code=code, name=row[0])
            for code, row in INSTRUMENTS.items()
            if row[pick] is value
        ]

    return InstrumentSummary(
        submission=submission_ref("VRO"),
        as_of=dt.date(2026, 9, 30),
        reported=len(INSTRUMENTS),
        with_ordinance_and_urgency=refs(1, True),
        without_ordinance_or_urgency=refs(1, False),
        with_woonzorgvisie=refs(2, True),
        without_woonzorgvisie=refs(2, False),
        residents_involved=sum(1 for r in INSTRUMENTS.values() if r[3] is True),
        residents_unknown=sum(1 for r in INSTRUMENTS.values() if r[3] is None),
    )


def _expected(ind_baseline: float, b: dt.date, target: float, t: dt.date, on: dt.date) -> float:
    fraction = (on - b).days / (t - b).days
    return round(ind_baseline + (target - ind_baseline) * min(max(fraction, 0.0), 1.0), 1)


def _indicator(cat: Catalogue, ind_id: str, summary: MunicipalSummary) -> IndicatorAssessment:
    ind = cat.indicator(ind_id)
    common = {
        "indicator_id": ind.id,
        "title": ind.title,
        "unit": ind.unit,
        "direction": ind.direction.value,
        "reported_by": ind.reported_by,
        "baseline_value": ind.baseline.value,
        "baseline_date": ind.baseline.date,
        "target_value": ind.target.value,
        "target_date": ind.target.date,
        "target_source": ind.target.source,
    }
    if ind.reported_by == "data":
        value = round(summary.at_least_30 / summary.count * 100, 1)
        return IndicatorAssessment(
            **common,
            value=value,
            as_of=DATASET.reference_date,
            source="CBS 85039NED Kerncijfers wijken en buurten 2021",
            expected_now=_expected(
                ind.baseline.value,
                ind.baseline.date,
                ind.target.value,
                ind.target.date,
                ASSESSED_ON,
            ),
            status=GoalState.at_risk,
            reason=f"{ind.title}: {value:.1f}% op 1 januari 2021.".replace(".", ",", 1),
            dataset=DATASET,
        )
    value, as_of, source, status, earlier = INDICATOR_VALUES[ind.id]
    ref = submission_ref(ind.reported_by, earlier or PERIOD)
    return IndicatorAssessment(
        **common,
        value=value,
        as_of=as_of,
        source=source,
        expected_now=_expected(
            ind.baseline.value, ind.baseline.date, ind.target.value, ind.target.date, as_of
        ),
        status=status,
        reason=f"{ind.title}: beoordeeld als {status.value}."
        + (f" {ind.title}: laatste waarde is uit {earlier}." if earlier else ""),
        submission=ref,
        from_earlier_period=earlier,
    )


def _milestone(
    cat: Catalogue,
    ms_id: str,
    narratives: dict[str, str],
    reasons: dict[str, str],
    missing: tuple[str, ...],
) -> MilestoneAssessment:
    ms = next(m for m in cat.milestones if m.id == ms_id)
    base = {
        "milestone_id": ms.id,
        "title": ms.title,
        "ministry": ms.ministry,
        "goal_id": ms.goal,
        "due": ms.due,
    }
    if ms.ministry in missing:
        return MilestoneAssessment(
            **base,
            status=None,
            progress=None,
            narrative=None,
            expected_completion=None,
            status_reason=None,
            overdue=False,
            late_expected=False,
            state=GoalState.no_data,
            reason=f"{ms.title}: geen update ontvangen.",
        )
    status, progress, expected, status_reason, narrative = MILESTONE_UPDATES[ms.id]
    overdue = ms.due < ASSESSED_ON and status != "done"
    late = expected is not None and expected > ms.due and status != "done"
    state = MILESTONE_STATE[status]
    if overdue and (ASSESSED_ON - ms.due).days > 90:
        state = GoalState.off_track
    return MilestoneAssessment(
        **base,
        status=status,
        progress=progress,
        narrative=narratives.get(ms.id, narrative),
        expected_completion=expected,
        status_reason=reasons.get(ms.id, status_reason),
        overdue=overdue,
        late_expected=late,
        state=state,
        reason=f"{ms.title}: {status}.",
        submission=submission_ref(ms.ministry),
    )


GOAL_STATUS = {
    "ordinance-urgency": GoalState.at_risk,
    "social-rent-share": GoalState.at_risk,
    "woonzorgvisie": GoalState.off_track,
    "residents-involvement": GoalState.at_risk,
    "homelessness": GoalState.off_track,
    "older-people-housing": GoalState.on_track,
    "permit-holders": GoalState.at_risk,
    "livelihood": GoalState.no_data,
    "exit-institutions": GoalState.on_track,
    "joint-steering": GoalState.on_track,
}
GOAL_REASONS = {
    "ordinance-urgency": [
        "Gemeenten met een huisvestingsverordening met urgentieregeling: 71% op 30 september "
        "2026; volgens de lijn naar het doel was 91,1% verwacht."
    ],
    "social-rent-share": [
        "Minder dan de helft van de gemeenten heeft ten minste 30% woningen in bezit van een "
        "woningcorporatie.",
        "Gebouwde sociale huurwoningen blijven achter bij de lijn naar het doel.",
    ],
    "woonzorgvisie": [
        "Inwerkingtreding Wet versterking regie volkshuisvesting: deadline 1 juli 2026 "
        "verstreken en nog niet gereed.",
        "Gemeenten met een woonzorgvisie: 58% op 30 september 2026, ver onder de lijn.",
    ],
    "residents-involvement": ["Ervaringsdeskundigen in elke centrumgemeente: risico volgens VWS."],
    "homelessness": [
        "Dakloze mensen: 30.600 op 1 januari 2026, meer dan volgens de lijn naar het doel.",
        "Dakloze mensen: laatste waarde is uit 2026Q2.",
        "Geen inzending van SZW voor 2026Q3.",
    ],
    "older-people-housing": ["Gerealiseerde geschikte woningen voor ouderen: op schema."],
    "permit-holders": ["Gemeenten die de taakstelling halen: onder de lijn naar het doel."],
    "livelihood": ["Geen inzending van SZW voor 2026Q3."],
    "exit-institutions": ["Alle mijlpalen op schema of gereed."],
    "joint-steering": [
        "De stuurgroep is ingericht.",
        "Geen inzending van SZW voor 2026Q3.",
    ],
}


def make_assessment(
    *,
    narratives: dict[str, str] | None = None,
    status_reasons: dict[str, str] | None = None,
    goal_reasons: dict[str, list[str]] | None = None,
    with_municipal_data: bool = True,
    missing: tuple[str, ...] = MISSING,
) -> PeriodAssessment:
    """The 2026Q3 assessment; ``narratives``/``status_reasons`` replace texts per milestone id."""
    cat = load_catalogue()
    summary = municipal_summary()
    narratives = narratives or {}
    status_reasons = status_reasons or {}
    reasons = {**GOAL_REASONS, **(goal_reasons or {})}
    goals = []
    for goal in cat.goals:
        milestones = [
            _milestone(cat, m.id, narratives, status_reasons, missing)
            for m in cat.milestones
            if m.goal == goal.id
        ]
        views = []
        for role, code in [("lead", goal.lead)] + [("contributor", c) for c in goal.contributors]:
            submitted = code not in missing
            state = (
                MINISTRY_VIEWS.get(goal.id, {}).get(code, GoalState.on_track)
                if submitted
                else GoalState.no_data
            )
            views.append(
                MinistryView(
                    ministry=code,
                    role=role,
                    status=state,
                    submitted=submitted,
                    reasons=[] if submitted else [f"Geen inzending van {code} voor {PERIOD}."],
                )
            )
        goals.append(
            GoalAssessment(
                id=goal.id,
                title=goal.title,
                lead=goal.lead,
                contributors=goal.contributors,
                status=GOAL_STATUS[goal.id],
                reasons=reasons[goal.id],
                by_ministry=views,
                indicators=[_indicator(cat, i, summary) for i in goal.indicators],
                milestones=milestones,
                figures=[],
                seed_question=goal.seed_question,
            )
        )
    submissions = []
    for m in cat.ministries:
        if m.code in missing:
            submissions.append(
                MinistrySubmission(
                    code=m.code,
                    name=m.name,
                    submitted=False,
                    latest=None,
                    versions=0,
                    milestones=0,
                    indicators=0,
                )
            )
        else:
            ref = submission_ref(m.code)
            submissions.append(
                MinistrySubmission(
                    code=m.code,
                    name=m.name,
                    submitted=True,
                    latest=ref,
                    versions=ref.version,
                    milestones=len(cat.milestones_of(m.code)),
                    indicators=len(cat.indicators_of(m.code)),
                )
            )
    return PeriodAssessment(
        period=PERIOD,
        assessed_on=ASSESSED_ON,
        deadline=DEADLINE,
        goals=goals,
        missing_ministries=list(missing),
        submissions=submissions,
        municipalities=summary if with_municipal_data else None,
        instruments=instrument_summary() if with_municipal_data else None,
    )


CHANGES = [
    Change(
        kind="goal_status",
        subject_id="woonzorgvisie",
        subject="Elke gemeente een regionaal afgestemde woonzorgvisie",
        before="at_risk",
        after="off_track",
    ),
    Change(
        kind="milestone_status",
        subject_id="vro-wet-regie-in-force",
        subject="Inwerkingtreding Wet versterking regie volkshuisvesting",
        before="on_track",
        after="delayed",
    ),
    Change(
        kind="milestone_done",
        subject_id="vro-monitor-aandachtsgroepen",
        subject="Nieuwe editie Monitor huisvesting aandachtsgroepen",
        before="on_track",
        after="done",
    ),
    Change(
        kind="figure",
        subject_id="municipalities-with-urgency-scheme",
        subject="Gemeenten met een huisvestingsverordening met urgentieregeling",
        before="66",
        after="71",
    ),
]


def make_context(assessment: PeriodAssessment | None = None, **overrides: object) -> LetterContext:
    fields: dict[str, object] = {
        "assessment": assessment or make_assessment(),
        "catalogue": load_catalogue(),
        "changes": list(CHANGES),
        "previous_period": PREVIOUS,
        "letter_date": LETTER_DATE,
        "version": 1,
        "kenmerk": "2026-0000612345",
        "municipality_shares": municipality_shares(),
        "next_letter_date": NEXT_LETTER,
    }
    fields.update(overrides)
    return LetterContext.model_validate(fields)


@lru_cache(maxsize=1)
def built_letter() -> LetterFiles:
    """The factory letter rendered once per test session (rendering takes a second or two)."""
    return build_letter(make_context())


XSS_NARRATIVE = (
    "# Kop van buiten <script>alert(1)</script> en <img src=x onerror=alert(1)> "
    "[klik](javascript:alert(1)) | extra | kolom & meer"
)
XSS_REASON = "Reden met | pijp | en <script>alert(2)</script>"


def _hostile_context() -> LetterContext:
    assessment = make_assessment(
        narratives={"vro-performance-agreements": XSS_NARRATIVE},
        status_reasons={"vro-performance-agreements": XSS_REASON},
        goal_reasons={"social-rent-share": ["<b>vet</b> | cel", "# geen kop"]},
    )
    return make_context(assessment)


@lru_cache(maxsize=1)
def hostile_letter() -> LetterFiles:
    """A letter whose submitted texts try to inject HTML, links, headings and table cells."""
    return build_letter(_hostile_context())


@lru_cache(maxsize=1)
def built_annexes() -> AnnexFiles:
    """The annex document (bijlagen) of the factory letter, drawn with the letter's charts."""
    return build_annexes(make_context(), built_letter().charts)


@lru_cache(maxsize=1)
def hostile_annexes() -> AnnexFiles:
    """The annexes of the hostile letter: the milestone table carries its submitted texts."""
    return build_annexes(_hostile_context(), hostile_letter().charts)
