"""The Slack messages of the cycle, in Dutch Block Kit, and who gets which one for a period.

Every ``plan_*`` function is a plain decision: from the catalogue and what is known about a
period it returns the messages to send as ``PlannedMessage`` objects, each with the
``dedupe_key`` that makes it go out once (the outbox keeps it; ``flows/notify_steps.py``
enqueues and sends). Nothing here talks to Slack or the database.

All Dutch text is in ``MESSAGES``. Values that come from people or files (names, comments,
run names, error messages) are escaped for Slack mrkdwn, so ``<!channel>`` or ``<script>``
in a submitted name is shown, never acted upon.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from voortgang.models.catalogue import Catalogue, Ministry, Officer
from voortgang.models.outbox import DraftFile, DraftFormat, SlackPayload
from voortgang.models.periods import Quarter
from voortgang.models.working_days import is_working_day, working_days_until
from voortgang.reporting.assessment_schema import GoalState, PeriodAssessment
from voortgang.reporting.dutch import (
    format_date,
    format_period,
    join_words,
    lower_first,
    status_label,
)

MessageKind = Literal[
    "period_opened",
    "reminder",
    "escalation",
    "draft_posted",
    "failure_alert",
    "decision",
    "submission_held",
    "not_processed",
]
DecisionKind = Literal["approve", "changes", "timeout", "reopen"]

# Reminders go out on each of the last five working days up to the deadline (the deadline
# day included when it is a working day): a working week. Before that, the announcement of
# the period is enough. Weekends and Dutch public holidays get no reminder.
REMINDER_WINDOW_WORKING_DAYS: Final = 5
MAX_QUOTED_CHARS: Final = 1500

# The buttons of the Slack app (voortgang/slack_app): on messages only when it runs
# (``interactive``), so nobody clicks a button that no app answers.
ACTION_SUBMIT: Final = "voortgang_submit_open"
ACTION_APPROVE: Final = "voortgang_approve"
ACTION_CHANGES: Final = "voortgang_changes_open"

# The message catalogue. Placeholders are filled by ``_render``: plain values are escaped,
# values passed as ``markup`` (mentions, links, lists we built) are inserted as they are.
MESSAGES: Final[dict[str, str]] = {
    "opened.header": "Kwartaalupdate {period_label}",
    "opened.body": (
        "De kwartaalupdates over het {period_label} worden verzameld. Lever de update van het "
        "*{ministry}* uiterlijk *{deadline}* in."
    ),
    "opened.how": (
        "*Zo lever je in*\n"
        "• Maak het formulier: `voortgang template --ministry {code} --period {period} "
        "--format xlsx -o {code}.xlsx`\n"
        "• Lever het ingevulde bestand in: `voortgang submit {code}.xlsx`\n"
        "• Of zet het bestand in de inbox{inbox}\n"
        "• Of vul in de Prefect-UI het formulier *submit update* in"
    ),
    "opened.inbox": " (`{path}`)",
    "opened.officers": "Contactpersonen: {mentions}",
    "opened.text": (
        "Kwartaalupdate {period_label}: lever de update van {ministry} uiterlijk {deadline} in."
    ),
    "reminder.header": "Herinnering: kwartaalupdate {period_label}",
    "reminder.body": (
        "{mentions}De update van het *{ministry}* over het {period_label} is nog niet binnen. "
        "De deadline is *{deadline}* ({when})."
    ),
    "reminder.how": (
        "Inleveren kan met `voortgang submit &lt;bestand&gt;` (formulier: `voortgang template "
        "--ministry {code} --period {period}`), via de inbox of met het formulier "
        "*submit update* in de Prefect-UI."
    ),
    "reminder.text": (
        "{mentions}Herinnering: de update van {ministry} over het {period_label} is nog niet "
        "binnen; deadline {deadline} ({when})."
    ),
    "when.today": "vandaag",
    "when.tomorrow": "morgen",
    "when.days": "over {days} dagen",
    "escalation.header": "Deadline verstreken: updates ontbreken",
    "escalation.body.one": (
        "{mentions}De deadline voor de kwartaalupdates over het {period_label} was "
        "*{deadline}*. Van één ministerie is nog geen update binnen:"
    ),
    "escalation.body.many": (
        "{mentions}De deadline voor de kwartaalupdates over het {period_label} was "
        "*{deadline}*. Van {count} ministeries is nog geen update binnen:"
    ),
    "escalation.item": "• *{code}*: {name}",
    "escalation.after": "De conceptbrief noemt deze ministeries als ontbrekend.",
    "escalation.text": (
        "{mentions}Deadline {deadline} verstreken: geen update over het {period_label} van {codes}."
    ),
    "draft.title": "Concept voortgangsbrief {period_label}, versie {version}",
    "draft.comment": (
        "*Concept voortgangsbrief {period_label}, versie {version}*\n"
        "Status van de {goals} doelen: {summary}.{missing}\n"
        "Beoordeel het concept in de Prefect-UI of met "
        "`voortgang approve --period {period} --by &lt;e-mail&gt;`."
    ),
    "draft.missing": "\nOntbrekende updates: {codes}.",
    "draft.count": "{count} {label}",
    "failure.header": "Flow mislukt",
    "failure.body": "De flow *{flow}* (run `{run}`) is mislukt.",
    "failure.no_message": "_Geen foutmelding ontvangen._",
    "failure.link": "<{url}|Bekijk de run in de Prefect-UI>",
    "failure.no_link": "Zie de Prefect-UI voor de logs van deze run.",
    "failure.text": "Flow {flow} (run {run}) is mislukt.",
    "not_processed.text": (
        "De gegevens van *{code}* over het {period_label} konden niet worden verwerkt en zijn "
        "weggelaten uit het concept; de andere ministeries staan er wel in. Reden:"
    ),
    "not_processed.next": (
        "Vraag {code} om een nieuwe update; de volgende run van de cyclus neemt die mee."
    ),
    "decision.approve": (
        "Het concept voortgangsbrief {period_label}, versie {version}, is *goedgekeurd* "
        "door {by}. De brief is definitief."
    ),
    "decision.changes": (
        "{by} vraagt *wijzigingen* in het concept voortgangsbrief {period_label}, versie {version}:"
    ),
    "decision.timeout": (
        "Over het concept voortgangsbrief {period_label}, versie {version}, is binnen de "
        "termijn geen besluit genomen. Het concept blijft bewaard; besluiten kan nog met "
        "`voortgang approve --period {period}`."
    ),
    "decision.reopen": (
        "{by} heeft het besluit over het concept voortgangsbrief {period_label}, versie "
        "{version}, *heropend*. Er kan opnieuw besloten worden. Reden:"
    ),
    "held.text": (
        "*{code}* heeft een nieuwe update over het {period_label} ingeleverd (versie "
        "{submission_version}, door {submitted_by}), nadat de voortgangsbrief (versie {version}) "
        "was goedgekeurd. De update is bewaard; de brief blijft definitief en er komt geen nieuw "
        "concept. Om de update mee te nemen: `voortgang reopen --period {period} --by "
        "&lt;e-mail&gt; --reason &lt;reden&gt;`."
    ),
    "final.title": "Voortgangsbrief {period_label}, definitief (versie {version})",
    "decision.no_comment": "_Geen toelichting gegeven._",
    "button.submit": "Voortgang doorgeven",
    "button.approve": "Goedkeuren",
    "button.changes": "Wijzigingen vragen",
    "draft.decide": "Besluit over versie {version} van de conceptbrief over het {period_label}:",
    "decision.unknown_person": "onbekend",
}

_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_LINKABLE_URL = re.compile(r"^https?://[^\s<>|]+$")


class PlannedMessage(BaseModel):
    """One message to enqueue: where it goes, what it says, and the key that sends it once."""

    model_config = ConfigDict(frozen=True)

    kind: MessageKind
    channel: str
    dedupe_key: str
    payload: SlackPayload


# --- text helpers ------------------------------------------------------------------------


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Mrkdwn(str):
    """Text that is already Slack mrkdwn (a mention, a link, a part we built): not escaped."""

    __slots__ = ()


def _render(key: str, /, **values: object) -> Mrkdwn:
    """A catalogue message; every value is escaped unless it is ``Mrkdwn`` already."""
    filled = {
        name: value if isinstance(value, Mrkdwn) else escape_mrkdwn(str(value))
        for name, value in values.items()
    }
    return Mrkdwn(MESSAGES[key].format(**filled))


def mention(slack_id: str | None) -> Mrkdwn | None:
    """``<@U0VWS0001>`` for a well-formed Slack user id, else None (never raw text)."""
    if slack_id and _SLACK_ID.match(slack_id):
        return Mrkdwn(f"<@{slack_id}>")
    return None


def _mentions(people: Sequence[Officer]) -> Mrkdwn:
    """The mentions of ``people`` with a well-formed Slack id, separated by spaces."""
    return Mrkdwn(" ".join(tag for tag in (mention(p.slack_id) for p in people) if tag))


def _addressed(people: Sequence[Officer]) -> Mrkdwn:
    """The mentions of ``people`` and a space, to open a message; empty without ids."""
    tags = _mentions(people)
    return Mrkdwn(f"{tags} " if tags else "")


def _quote(text: str | None, *, empty_key: str) -> Mrkdwn:
    """Escaped text as a Slack block quote, shortened; the ``empty_key`` message without text."""
    text = (text or "").strip()
    if not text:
        return Mrkdwn(MESSAGES[empty_key])
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return Mrkdwn("\n".join(f"> {escape_mrkdwn(line)}" for line in text.splitlines()))


def _when(deadline: dt.date, today: dt.date) -> str:
    days = (deadline - today).days
    if days <= 0:
        return MESSAGES["when.today"]
    if days == 1:
        return MESSAGES["when.tomorrow"]
    return _render("when.days", days=days)


# --- Block Kit ---------------------------------------------------------------------------


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:3000]}]}


def _button(action_id: str, label: str, value: dict[str, object], style: str | None = None) -> Any:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        "value": json.dumps(value, separators=(",", ":")),
    }
    if style:
        button["style"] = style
    return button


def _submit_button(period: str, ministry: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"submit:{ministry}",
        "elements": [
            _button(
                ACTION_SUBMIT,
                MESSAGES["button.submit"],
                {"period": period, "ministry": ministry},
                "primary",
            )
        ],
    }


def _period_values(period: str) -> dict[str, str]:
    quarter = Quarter.parse(period)
    return {"period": str(quarter), "period_label": format_period(str(quarter))}


def _missing_codes(missing: PeriodAssessment | Sequence[str]) -> list[str]:
    if isinstance(missing, PeriodAssessment):
        return list(missing.missing_ministries)
    if isinstance(missing, str):
        raise TypeError("give a list of ministry codes, not one string")
    return list(missing)


def _ministries(catalogue: Catalogue, codes: Sequence[str]) -> list[Ministry]:
    """The ministries named in ``codes``, in catalogue order; unknown codes are an error."""
    known = {m.code.lower() for m in catalogue.ministries}
    unknown = [c for c in codes if c.lower() not in known]
    if unknown:
        raise ValueError(f"unknown ministry code(s): {', '.join(unknown)}")
    wanted = {c.lower() for c in codes}
    return [m for m in catalogue.ministries if m.code.lower() in wanted]


# --- who gets what -------------------------------------------------------------------------


def plan_period_opened(
    catalogue: Catalogue,
    period: str,
    deadline: dt.date,
    *,
    inbox: str | None = None,
    interactive: bool = False,
) -> list[PlannedMessage]:
    """The announcement of a period to every ministry's channel, once per period.

    ``interactive``: with the "Voortgang doorgeven" button of the Slack app.
    """
    values = _period_values(period)
    inbox_markup = _render("opened.inbox", path=inbox) if inbox else Mrkdwn("")
    planned = []
    for ministry in catalogue.ministries:
        mentions = _mentions(ministry.officers)
        blocks = [
            _header(_render("opened.header", **values)),
            _section(
                _render(
                    "opened.body",
                    ministry=lower_first(ministry.name),
                    deadline=format_date(deadline),
                    **values,
                )
            ),
            _section(_render("opened.how", inbox=inbox_markup, code=ministry.code, **values)),
        ]
        if mentions:
            blocks.append(_context(_render("opened.officers", mentions=mentions)))
        if interactive:
            blocks.append(_submit_button(values["period"], ministry.code))
        planned.append(
            PlannedMessage(
                kind="period_opened",
                channel=ministry.slack_channel,
                dedupe_key=f"opened:{values['period']}:{ministry.code}",
                payload=SlackPayload(
                    text=_render(
                        "opened.text",
                        ministry=ministry.short_name,
                        deadline=format_date(deadline),
                        **values,
                    ),
                    blocks=blocks,
                ),
            )
        )
    return planned


def plan_reminders(
    catalogue: Catalogue,
    missing: PeriodAssessment | Sequence[str],
    period: str,
    deadline: dt.date,
    today: dt.date,
    *,
    window_working_days: int | None = REMINDER_WINDOW_WORKING_DAYS,
    interactive: bool = False,
) -> list[PlannedMessage]:
    """A reminder to the channel of each ministry that has not submitted, once a working day.

    Only on working days (not on a weekend or a Dutch public holiday), only up to the deadline
    (the deadline day included) and, by default, only on the last ``window_working_days``
    working days up to it (``None``: every working day before it). Ministries that submitted
    get nothing. ``interactive``: with the "Voortgang doorgeven" button of the Slack app.
    """
    if not is_working_day(today) or today > deadline:
        return []
    if window_working_days is not None and (
        working_days_until(today, deadline) > window_working_days
    ):
        return []
    values = _period_values(period)
    when = _when(deadline, today)
    planned = []
    for ministry in _ministries(catalogue, _missing_codes(missing)):
        lead = _addressed(ministry.officers)
        common = {"deadline": format_date(deadline), "when": when, **values}
        planned.append(
            PlannedMessage(
                kind="reminder",
                channel=ministry.slack_channel,
                dedupe_key=f"reminder:{values['period']}:{ministry.code}:{today.isoformat()}",
                payload=SlackPayload(
                    text=_render(
                        "reminder.text", mentions=lead, ministry=ministry.short_name, **common
                    ),
                    blocks=[
                        _header(_render("reminder.header", **values)),
                        _section(
                            _render(
                                "reminder.body",
                                mentions=lead,
                                ministry=lower_first(ministry.name),
                                **common,
                            )
                        ),
                        _context(_render("reminder.how", code=ministry.code, **values)),
                        *([_submit_button(values["period"], ministry.code)] if interactive else []),
                    ],
                ),
            )
        )
    return planned


def plan_escalation(
    catalogue: Catalogue,
    missing: PeriodAssessment | Sequence[str],
    period: str,
    deadline: dt.date,
    today: dt.date,
) -> list[PlannedMessage]:
    """After the deadline, once per period: the coordinators hear who is missing."""
    if today <= deadline:
        return []
    ministries = _ministries(catalogue, _missing_codes(missing))
    if not ministries:
        return []
    values = _period_values(period)
    lead = _addressed(catalogue.coordinators)
    body_key = "escalation.body.one" if len(ministries) == 1 else "escalation.body.many"
    items = Mrkdwn(
        "\n".join(_render("escalation.item", code=m.code, name=m.name) for m in ministries)
    )
    return [
        PlannedMessage(
            kind="escalation",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"escalation:{values['period']}",
            payload=SlackPayload(
                text=_render(
                    "escalation.text",
                    mentions=lead,
                    deadline=format_date(deadline),
                    codes=join_words(m.code for m in ministries),
                    **values,
                ),
                blocks=[
                    _header(MESSAGES["escalation.header"]),
                    _section(
                        _render(
                            body_key,
                            mentions=lead,
                            deadline=format_date(deadline),
                            count=len(ministries),
                            **values,
                        )
                    ),
                    _section(items),
                    _context(MESSAGES["escalation.after"]),
                ],
            ),
        )
    ]


def goal_summary(assessment: PeriodAssessment) -> Mrkdwn:
    """``3 op schema, 2 risico, 1 achter op schema, 0 geen gegevens``."""
    counts = dict.fromkeys(GoalState, 0)
    for goal in assessment.goals:
        counts[goal.status] += 1
    return Mrkdwn(
        ", ".join(
            _render("draft.count", count=counts[state], label=status_label(state))
            for state in GoalState
        )
    )


def draft_filename(period: str, version: int, fmt: DraftFormat) -> str:
    return f"voortgangsbrief-{Quarter.parse(period)}-v{version}.{fmt}"


def plan_draft_posted(
    catalogue: Catalogue,
    draft_id: int,
    version: int,
    period: str,
    assessment: PeriodAssessment,
    *,
    fmt: DraftFormat = "docx",
) -> list[PlannedMessage]:
    """The draft letter as a file in the coordinators' channel, with the goal summary."""
    values = _period_values(period)
    missing = assessment.missing_ministries
    comment = _render(
        "draft.comment",
        summary=goal_summary(assessment),
        missing=_render("draft.missing", codes=", ".join(missing)) if missing else Mrkdwn(""),
        version=version,
        goals=len(assessment.goals),
        **values,
    )
    title = _render("draft.title", version=version, **values)
    return [
        PlannedMessage(
            kind="draft_posted",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"draft:{values['period']}:v{version}",
            payload=SlackPayload(
                text=comment,
                file=DraftFile(
                    draft_id=draft_id,
                    format=fmt,
                    filename=draft_filename(period, version, fmt),
                    title=title,
                    initial_comment=comment,
                ),
            ),
        )
    ]


def plan_draft_decision(
    catalogue: Catalogue, draft_id: int, version: int, period: str
) -> list[PlannedMessage]:
    """The buttons "Goedkeuren" and "Wijzigingen vragen" under a posted draft, once a version.

    A file upload carries no buttons, so they go as a message of their own after it; only
    when the Slack app runs (see ``plan_draft_posted``'s caller).
    """
    values = _period_values(period)
    text = _render("draft.decide", version=version, **values)
    value = {"period": values["period"], "draft_id": draft_id, "version": version}
    return [
        PlannedMessage(
            kind="draft_posted",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"draft:{values['period']}:v{version}:decide",
            payload=SlackPayload(
                text=text,
                blocks=[
                    _section(text),
                    {
                        "type": "actions",
                        "block_id": f"decide:{draft_id}",
                        "elements": [
                            _button(ACTION_APPROVE, MESSAGES["button.approve"], value, "primary"),
                            _button(ACTION_CHANGES, MESSAGES["button.changes"], value),
                        ],
                    },
                ],
            ),
        )
    ]


def plan_failure_alert(
    catalogue: Catalogue,
    *,
    flow_name: str,
    run_name: str,
    run_id: str,
    state_message: str | None,
    run_url: str | None = None,
) -> list[PlannedMessage]:
    """A failed flow run, told to the coordinators once per run."""
    names = {"flow": flow_name, "run": run_name}
    link = (
        _render("failure.link", url=Mrkdwn(run_url))
        if run_url and _LINKABLE_URL.match(run_url)
        else MESSAGES["failure.no_link"]
    )
    message = _quote(state_message, empty_key="failure.no_message")
    return [
        PlannedMessage(
            kind="failure_alert",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"failure:{run_id}",
            payload=SlackPayload(
                text=_render("failure.text", **names),
                blocks=[
                    _header(MESSAGES["failure.header"]),
                    _section(_render("failure.body", **names)),
                    _section(message),
                    _context(link),
                ],
            ),
        )
    ]


def plan_decision(
    catalogue: Catalogue,
    *,
    decision_id: int,
    decision: DecisionKind,
    period: str,
    version: int,
    decided_by: str | None,
    comment: str | None = None,
    draft_id: int | None = None,
) -> list[PlannedMessage]:
    """The coordinator's decision on a draft, told to the coordinators' channel once.

    An approved draft is final: with ``draft_id`` the final letter goes along as a file.
    """
    values = _period_values(period)
    by = decided_by or MESSAGES["decision.unknown_person"]
    text = _render(f"decision.{decision}", by=by, version=version, **values)
    blocks = [_section(text)]
    if decision in ("changes", "reopen"):
        quoted = _quote(comment, empty_key="decision.no_comment")
        blocks.append(_section(quoted))
        text = Mrkdwn(f"{text}\n{quoted}")
    final = None
    if decision == "approve" and draft_id is not None:
        final = DraftFile(
            draft_id=draft_id,
            format="docx",
            filename=draft_filename(period, version, "docx"),
            title=_render("final.title", version=version, **values),
            initial_comment=text,
        )
    return [
        PlannedMessage(
            kind="decision",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"decision:{values['period']}:v{version}:{decision_id}",
            payload=SlackPayload(text=text, blocks=[] if final else blocks, file=final),
        )
    ]


def plan_submission_held(
    catalogue: Catalogue,
    *,
    submission_id: int,
    ministry: str,
    submission_version: int,
    submitted_by: str,
    period: str,
    letter_version: int,
) -> list[PlannedMessage]:
    """A submission that came in after the period's letter was approved, told to the
    coordinators once: it is stored, but changes nothing until they reopen the letter."""
    values = _period_values(period)
    text = _render(
        "held.text",
        code=ministry,
        submission_version=submission_version,
        submitted_by=submitted_by,
        version=letter_version,
        **values,
    )
    return [
        PlannedMessage(
            kind="submission_held",
            channel=catalogue.coordinators_channel,
            dedupe_key=f"held:{values['period']}:{ministry}:{submission_id}",
            payload=SlackPayload(text=text, blocks=[_section(text)]),
        )
    ]


def plan_not_processed(
    catalogue: Catalogue, *, period: str, not_processed: Mapping[str, str]
) -> list[PlannedMessage]:
    """A ministry whose stored data could not be assessed or drafted, told to the
    coordinators once per reason: the draft went ahead without that part."""
    values = _period_values(period)
    planned = []
    for code, why in sorted(not_processed.items()):
        text = _render("not_processed.text", code=code, **values)
        quoted = _quote(why, empty_key="failure.no_message")
        digest = hashlib.sha256(why.encode("utf-8")).hexdigest()[:16]
        planned.append(
            PlannedMessage(
                kind="not_processed",
                channel=catalogue.coordinators_channel,
                dedupe_key=f"not-processed:{values['period']}:{code}:{digest}",
                payload=SlackPayload(
                    text=Mrkdwn(f"{text}\n{quoted}"),
                    blocks=[
                        _section(text),
                        _section(quoted),
                        _context(_render("not_processed.next", code=code)),
                    ],
                ),
            )
        )
    return planned
