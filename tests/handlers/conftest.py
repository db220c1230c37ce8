"""Handler tests: a real botocore client whose every request is checked by Stubber."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import custom_resource

REGION = "us-east-1"
STACK_ID = (
    "arn:aws:cloudformation:us-east-1:111111111111:stack/dev-bedrock-throughput/"
    "0a1b2c3d-0000-4000-8000-000000000000"
)


@pytest.fixture
def bedrock() -> Any:
    """A ``bedrock`` client that never reaches AWS."""
    return boto3.client(
        "bedrock", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


@pytest.fixture
def stubber(bedrock: Any) -> Iterator[Stubber]:
    """The Stubber of ``bedrock``; every queued response must be used by the end of the test."""
    with Stubber(bedrock) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff delays the handler waited, instead of sleeping."""
    waited: list[float] = []
    monkeypatch.setattr(custom_resource, "pause", waited.append)
    return waited


def client_error(stubber: Stubber, operation: str, code: str, message: str = "", status: int = 400) -> None:
    """Queue a service error for ``operation``."""
    stubber.add_client_error(
        operation, service_error_code=code, service_message=message, http_status_code=status
    )
