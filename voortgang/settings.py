"""The one settings class. Read when asked for, never at import time."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from voortgang.models.identity import Channel

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """Environment settings of voortgang (see DESIGN.md, "Settings")."""

    model_config = SettingsConfigDict(env_prefix="VOORTGANG_", extra="ignore")

    home: Path = Field(default=Path(".voortgang"))
    database_url: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    catalogue: Path | None = None  # default: the bundled voortgang/data/catalogue.yaml
    max_submission_bytes: int = Field(default=2_000_000, gt=0, le=50_000_000)
    # How long an inbox file's size and time must stand still before it is taken.
    inbox_settle_seconds: float = Field(default=3.0, ge=0, le=300)
    # Where coordinators open the dashboards (set by `voortgang serve`); unset: the files.
    dashboard_url: str | None = None
    # The day the cycle and `voortgang letter` take as today when they decide whether a
    # letter may be final (reporting/letter_dates.py); for demos and tests. Unset: the date.
    today: dt.date | None = None
    # Slack interactivity (Socket Mode, `voortgang slack`): the app-level token (xapp-...) and
    # the one workspace whose interactions are taken; others are refused.
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_team_id: str | None = None
    # Which channels may store a submission and which may decide on a draft (comma-separated:
    # cli, file, form, slack). The default takes every channel; production narrows it (README).
    submit_channels: str = "cli,file,form,slack"
    decide_channels: str = "cli,form,slack"

    @field_validator("submit_channels", "decide_channels")
    @classmethod
    def _known_channels(cls, value: str, info: ValidationInfo) -> str:
        names = [part.strip().lower() for part in value.split(",") if part.strip()]
        known = [c.value for c in Channel]
        unknown = [name for name in names if name not in known]
        setting = f"VOORTGANG_{(info.field_name or '').upper()}"
        if unknown or not names:
            raise ValueError(
                f"{setting}: {', '.join(unknown) or 'empty'} (expected a comma-separated list "
                f"of {', '.join(known)})"
            )
        return ",".join(dict.fromkeys(names))

    @property
    def submit_channel_set(self) -> frozenset[Channel]:
        """The channels that may store a submission."""
        return frozenset(Channel(name) for name in self.submit_channels.split(","))

    @property
    def decide_channel_set(self) -> frozenset[Channel]:
        """The channels that may decide on (or reopen) a draft."""
        return frozenset(Channel(name) for name in self.decide_channels.split(","))

    @field_validator("slack_api_url")
    @classmethod
    def _slack_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("VOORTGANG_SLACK_API_URL must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @property
    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_home / 'voortgang.db'}"

    @property
    def inbox_dir(self) -> Path:
        return self.resolved_home / "inbox"

    @property
    def letters_dir(self) -> Path:
        return self.resolved_home / "letters"

    @property
    def prefect_home(self) -> Path:
        """Prefect's home for what voortgang starts, unless PREFECT_HOME is set."""
        return self.resolved_home / "prefect"

    @property
    def dashboards_dir(self) -> Path:
        return self.resolved_home / "dashboards"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
