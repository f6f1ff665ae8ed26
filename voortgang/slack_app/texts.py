"""The Dutch texts of the Slack app (what officers and coordinators read)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # The submission modal
    "modal.title": "Voortgang doorgeven",
    "modal.submit": "Inleveren",
    "modal.close": "Annuleren",
    "modal.intro": "*{ministry}*, {period_label}. Wijzig wat veranderd is en lever in.",
    "modal.prefilled": "Vooraf ingevuld met uw update over {label}.",
    "modal.not_prefilled": "Er is geen eerdere update: alle velden zijn leeg.",
    "modal.too_long": (
        "Een eerdere tekst was langer dan Slack toestaat en is niet vooraf ingevuld: {fields}."
    ),
    "milestone.header": "*Mijlpaal:* {title}\n_Gepland: {due}_",
    "indicator.header": "*Indicator:* {title} ({unit})",
    "field.status": "Status",
    "field.status.placeholder": "Kies een status",
    "field.progress": "Voortgang (%)",
    "field.narrative": "Toelichting",
    "field.expected_completion": "Verwachte afronding",
    "field.status_reason": "Reden (verplicht bij risico of vertraging)",
    "field.measure": "Maatregel (verplicht bij risico of vertraging)",
    "field.value": "Waarde",
    "field.as_of": "Peildatum",
    "field.source": "Bron",
    "field.indicator_measure": "Maatregel (als het cijfer achterblijft)",
    "field.general": "Algemeen: {message}",
    "field.nobody": "niemand",
    # Outcomes of the submission
    "busy.title": "Bezig",
    "busy.text": "Uw update wordt gecontroleerd en opgeslagen…",
    "stored.text": (
        "Uw update van *{ministry}* over het {period_label} is opgeslagen als versie *{version}*."
    ),
    "stored.same": (
        "Deze update was al opgeslagen als versie *{version}* van *{ministry}* over het "
        "{period_label}; er is niets veranderd."
    ),
    "stored.first": "Dit is de eerste versie over dit kwartaal.",
    "stored.changes": "Veranderd ten opzichte van versie {previous}:",
    "stored.no_changes": "Niets veranderd ten opzichte van versie {previous}.",
    "stored.more": "…en nog {count} wijziging(en).",
    "change.field": "• {kind} _{item}_: {field} {before} → {after}",
    "change.added": "• {kind} _{item}_ toegevoegd",
    "change.removed": "• {kind} _{item}_ niet meer gemeld",
    "refused.title": "Niet opgeslagen",
    "failed.text": (
        "Er ging iets mis bij het opslaan; er is niets opgeslagen. Probeer het over een paar "
        "minuten opnieuw, of lever in met een bestand (`voortgang submit`)."
    ),
    "refused.stored_failed": (
        "Uw update kon niet worden opgeslagen; er is niets veranderd. Reden:\n{reason}"
    ),
    # Who may act
    "who.unregistered": (
        "U staat niet als contactpersoon van een ministerie geregistreerd (Slack-gebruiker "
        "{user}). Vraag het programmateam om u toe te voegen aan de catalogus."
    ),
    "who.other_ministry": (
        "U bent contactpersoon van *{own}*, niet van *{other}*. U kunt alleen de update van uw "
        "eigen ministerie doorgeven."
    ),
    "who.too_many": (
        "De update van *{ministry}* past niet in één Slack-venster ({count} onderdelen). "
        "Lever in met een bestand: `voortgang template --ministry {code} --period {period} "
        "--format xlsx -o {code}.xlsx` en daarna `voortgang submit {code}.xlsx`."
    ),
    "who.bad_period": (
        "'{text}' is geen kwartaal. Gebruik bijvoorbeeld `/voortgang 2026Q4`, of alleen "
        "`/voortgang` voor het kwartaal dat nu wordt verzameld."
    ),
    "who.channel_off": (
        "Inleveren via Slack staat hier uit; lever in met een bestand (`voortgang submit`). "
        "Reden: {reason}"
    ),
    "who.not_coordinator": (
        "Alleen de coördinatoren van het programma kunnen over de brief besluiten; u staat "
        "niet als coördinator geregistreerd (Slack-gebruiker {user})."
    ),
    # Decisions
    "button.submit": "Voortgang doorgeven",
    "button.approve": "Goedkeuren",
    "button.changes": "Wijzigingen vragen",
    "changes.title": "Wijzigingen vragen",
    "changes.submit": "Versturen",
    "changes.intro": "Concept voortgangsbrief {period_label}, versie {version}.",
    "changes.comment": "Wat moet er veranderen?",
    "decided.approve": "U heeft versie {version} van de brief over het {period_label} goedgekeurd.",
    "decided.changes": "U heeft wijzigingen gevraagd in versie {version} over het {period_label}.",
    "decided.again": "Dit besluit was al vastgelegd: {what}",
    "decided.refused": "Niet vastgelegd: {reason}",
    "decided.final": (
        "Niet vastgelegd: {what}; een besluit is definitief. Wilt u opnieuw besluiten, vraag "
        "het programmateam het besluit eerst te heropenen (`voortgang reopen`)."
    ),
    "decided.no_draft": (
        "Niet vastgelegd: er is geen conceptbrief over het {period_label} om over te besluiten."
    ),
    "decided.provisional": (
        "Niet vastgelegd: versie {version} over het {period_label} is een voorlopig concept "
        "('Voorlopig', gemaakt voordat de rapportages binnen moesten) en kan niet worden "
        "goedgekeurd. Besluit over de definitieve brief die na de deadline wordt gemaakt."
    ),
    "decided.no_comment": (
        "Niet vastgelegd: een verzoek om wijzigingen heeft een toelichting nodig (schrijf wat er "
        "moet veranderen)."
    ),
    "decided.channel_off": (
        "Niet vastgelegd: besluiten via Slack staat hier uit; besluit op de opdrachtregel "
        "(`voortgang approve`). Reden: {reason}"
    ),
    "decided.what": "versie {version} van de brief is {what} door {by} op {when} ({channel})",
    "decided.when": "{day} om {time}",
    "decided.resumed": "De wachtende cyclus is hervat.",
    "draft.decide": "Besluit over versie {version} van de conceptbrief over het {period_label}:",
}

# How a decision that holds is described ("versie 2 van de brief is goedgekeurd door ...").
DECISION_LABELS: Final[dict[str, str]] = {
    "approve": "goedgekeurd",
    "changes": "teruggestuurd met een verzoek om wijzigingen",
    "timeout": "niet besloten binnen de wachttijd",
    "reopen": "heropend",
}

KIND_LABELS: Final[dict[str, str]] = {
    "milestone": "mijlpaal",
    "indicator": "indicator",
    "municipality": "gemeente",
    "submission": "inzending",
}


def text(key: str, /, **values: object) -> str:
    """A text with its placeholders filled (values are used as given: plain text)."""
    return TEXTS[key].format(**values)
