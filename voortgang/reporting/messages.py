"""The Dutch reasons that statuses carry: one message catalogue, not strings scattered in code."""

from __future__ import annotations

REASONS = {
    "indicator_target_reached": "{title}: {value}, het doel ({target}) is bereikt.",
    "indicator_on_trajectory": (
        "{title}: {value} op {as_of}; volgens de lijn naar het doel was {expected} "
        "verwacht. Op schema."
    ),
    "indicator_behind": (
        "{title}: {value} op {as_of}; volgens de lijn naar het doel was {expected} "
        "verwacht ({gap} van de afstand tot het doel achter)."
    ),
    "indicator_deadline_missed": (
        "{title}: {value} op {as_of}; de streefdatum {target_date} is voorbij en het doel "
        "({target}) is niet gehaald."
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
    "municipal_flagged": "{count} gemeenten met een te controleren waarde: {codes}.",
    "no_information": "Geen gegevens voor deze periode.",
}


def reason(key: str, **values: object) -> str:
    return REASONS[key].format(**values)
