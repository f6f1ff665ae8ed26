"""Who a Slack user is: the catalogue's officers and coordinators by their ``slack_id``.

Slack vouches for the user id (and the workspace) of every interaction; the catalogue says
which e-mail address, ministry or role belongs to it. The claim stored with a submission or
decision is that e-mail address, the principal is ``slack:T…/U…``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from voortgang.models.catalogue import Catalogue
from voortgang.models.identity import Actor, Channel


class SlackUser(BaseModel):
    """The verified sender of an interaction."""

    model_config = ConfigDict(frozen=True)

    team_id: str
    user_id: str

    @property
    def principal(self) -> str:
        return f"slack:{self.team_id}/{self.user_id}"


class Officer(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str
    ministry: str


def officer_of(catalogue: Catalogue, user_id: str) -> Officer | None:
    """The officer with this Slack user id, and the ministry they report for."""
    for ministry in catalogue.ministries:
        for person in ministry.officers:
            if person.slack_id and person.slack_id == user_id:
                return Officer(email=person.email.lower(), ministry=ministry.code)
    return None


def coordinator_email(catalogue: Catalogue, user_id: str) -> str | None:
    """The e-mail address of the coordinator with this Slack user id, else None."""
    for person in catalogue.coordinators:
        if person.slack_id and person.slack_id == user_id:
            return person.email.lower()
    return None


def slack_actor(user: SlackUser, claimed: str) -> Actor:
    """The stored identity of an act in Slack: the catalogue's address, the verified user."""
    return Actor(channel=Channel.slack, claimed=claimed, principal=user.principal, verified=True)
