"""The Slack app connected over Socket Mode to the fake Slack, on the test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.slack_app_runner import slack_app_running


@pytest.fixture
def slack_app(slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """The app running against ``slack`` (its Socket Mode connected); yields the fake."""
    with slack_app_running(slack, monkeypatch) as fake:
        yield fake
