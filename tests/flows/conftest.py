"""One Prefect test harness for every flow test (starting one costs about 10 s)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from voortgang.flows.runtime import prepare_environment


@pytest.fixture(scope="session", autouse=True)
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Prefect's home of the session's own, not the one voortgang would derive from the cwd.
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    prepare_environment()
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield
