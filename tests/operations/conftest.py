"""Fixtures of the operations tests: stubbed AWS, checked at the end of each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.operations.stubs import Aws


@pytest.fixture
def aws() -> Iterator[Aws]:
    """Stubbed clients for every service the commands use; every queued call must happen."""
    stubbed = Aws()
    stubbed.activate()
    yield stubbed
    stubbed.verify()


@pytest.fixture(autouse=True)
def no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure no test can reach AWS with the machine's credentials."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
