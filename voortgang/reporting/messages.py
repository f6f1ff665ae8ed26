"""The Dutch reasons that statuses carry: one message catalogue, not strings scattered in code."""

from __future__ import annotations

REASONS = {
    "indicator_target_reached": "{title}: {value} op {as_of}, het doel ({target}) is bereikt.",
    "indicator_on_trajectory": (
        "{title}: {value} op {as_of}; volgens het streefpad naar {target} in {target_year} was "
        "{expected} verwacht ({deviation}). Op schema."
    ),
    "indicator_behind": (
        "{title}: {value} op {as_of}; volgens het streefpad naar {target} in {target_year} was "
        "{expected} verwacht: {deviation}."
    ),
    "indicator_deadline_missed": (
        "{title}: {value} op {as_of}; de streefdatum {target_date} is voorbij en het doel "
        "({target}) is niet gehaald."
    ),
    "indicator_no_new_measurement": (
        "{title}: geen nieuwe meting in het {period}. De laatste waarde is {value} op {as_of}"
        "{baseline_note}; daarover geen oordeel of het op schema ligt."
    ),
    "indicator_no_official_date": (
        "{title}: {value} op {as_of}; het doel is {target}. Een officiële streefdatum "
        "ontbreekt, dus geen oordeel of het op schema ligt."
    ),
    "indicator_baseline_note": " (de nulmeting)",
    "deviation_behind": "{amount} achter op het streefpad",
    "deviation_behind_share": "{amount} ({share}) achter op het streefpad",
    "deviation_ahead": "{amount} voor op het streefpad",
    "deviation_on_path": "precies op het streefpad",
    "deviation_thresholds": "risico bij meer dan {at_risk}, achter op schema bij meer dan {off_track}",
    "deviation_thresholds_pct": (
        "risico bij meer dan {at_risk} en achter op schema bij meer dan {off_track} van de "
        "afstand tot het doel"
    ),
    "note_no_new_measurement": (
        "{title}: de laatste meting ({as_of}) ligt vóór het begin van het {period} "
        "({period_start}); geen nieuwe meting, dus geen oordeel. Nodig: een actuele meting van "
        "{reporter}, of in de brief wanneer die komt."
    ),
    "note_no_official_date": (
        "{title}: de streefdatum {target_date} is een aanname van het programma (bron: "
        "{source}); de brief geeft daarom geen oordeel op of achter schema. Leg een officiële "
        "datum vast in de catalogus zodra een Kamerstuk of wet die noemt."
    ),
    "indicator_no_value": "{title}: geen waarde ontvangen.",
    "milestone_done": "{title}: gereed.",
    "milestone_overdue": "{title}: deadline {due} verstreken en nog niet gereed.",
    "milestone_delayed": "{title}: vertraagd volgens {ministry}.",
    "milestone_at_risk": "{title}: risico volgens {ministry}.",
    "milestone_late_expected": (
        "{title}: verwachte afronding {expected} ligt na de deadline {due}."
    ),
    "milestone_on_track": "{title}: op schema ({progress} gereed).",
    "milestone_not_started": "{title}: nog niet gestart.",
    "milestone_no_update": "{title}: geen update ontvangen.",
    "ministry_missing": "Geen inzending van {ministry} voor het {period}.",
    "ministry_not_processed": (
        "De inzending van {ministry} voor het {period} kon niet worden verwerkt; dit deel volgt."
    ),
    "ministry_earlier_data": (
        "De laatste inzending van {ministry} is uit het {period}; die gegevens tellen niet mee "
        "voor de beoordeling van dit kwartaal."
    ),
    "municipal_share": (
        "{at_target} van de {count} gemeenten ({share}) hebben ten minste {target} woningen in "
        "bezit van een woningcorporatie ({dataset}, gemeentegrenzen {year})."
    ),
    "municipal_no_new_measurement": (
        "De CBS-cijfers gaan over {reference_date}; er is geen nieuwe meting in het {period}, "
        "dus geen oordeel of gemeenten op schema liggen."
    ),
    "municipal_flagged": "{count} gemeenten met een te controleren waarde: {codes}.",
    "goal_no_indicator_verdict": (
        "Geen oordeel over het doel: geen van de indicatoren heeft een nieuwe meting met een "
        "officiële streefdatum. De mijlpalen hieronder liggen op schema."
    ),
    "no_information": "Geen gegevens voor deze periode.",
}


def reason(key: str, **values: object) -> str:
    return REASONS[key].format(**values)
