"""Handler tests: a real botocore client whose every request is checked by Stubber.

Time is fake: the handlers' waits advance a clock instead of sleeping, and each test's Lambda
has :data:`LAMBDA_SECONDS` to run. Faults that Stubber cannot give (no answer from the endpoint)
are raised by :class:`Faults` before Stubber sees the call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber

from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers.custom_resource import Service
from tests.fake_aws import fake_client

REGION = "us-east-1"
STACK_ID = (
    "arn:aws:cloudformation:us-east-1:111111111111:stack/dev-bedrock-throughput/"
    "0a1b2c3d-0000-4000-8000-000000000000"
)
LAMBDA_SECONDS = 120.0
"""The handler functions' timeout (``HANDLER_TIMEOUT`` of ``constructs/handler_provider.py``)."""
ENDPOINT = f"https://bedrock.{REGION}.amazonaws.com/"
CREATE_FAILED = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
"""The physical id the Provider framework reports when ``on_event`` of a Create raised."""


@dataclass
class FakeTime:
    """A monotonic clock that moves only when the handler sleeps or a fault takes time."""

    now: float = 0.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        """The current fake time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the clock on."""
        self.slept.append(seconds)
        self.now += seconds


def new_client(service: str) -> Any:
    """A new client of ``service`` that never reaches AWS (its own Stubber can be attached)."""
    return fake_client(service, REGION)


@pytest.fixture
def client() -> Any:
    """A ``bedrock`` client that never reaches AWS."""
    return new_client("bedrock")


@pytest.fixture
def stubber(client: Any) -> Iterator[Stubber]:
    """The Stubber of ``client``; every queued response must be used by the end of the test."""
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def clock() -> FakeTime:
    """The fake time of the test's Lambda invocation, starting at 0."""
    return FakeTime()


@pytest.fixture
def bedrock(client: Any, clock: FakeTime) -> Service:
    """What the handlers call: ``client`` with the handler's retries, in a Lambda of 120 s."""
    return Service(client, ends_at=LAMBDA_SECONDS, sleep=clock.sleep, clock=clock.monotonic)


@pytest.fixture
def pauses(clock: FakeTime) -> list[float]:
    """The backoff delays the handler waited, instead of sleeping."""
    return clock.slept


class Faults:
    """Transport faults raised from chosen operations, ahead of Stubber (which can only answer).

    Each planned fault is raised once, in the order planned, by a call of its operation; a fault
    that stands for a timeout moves the clock on by that timeout first.
    """

    def __init__(self, client: Any, clock: FakeTime) -> None:
        self._client = client
        self._clock = clock
        self._send = client._make_api_call
        self._plan: dict[str, list[tuple[Exception, float] | None]] = {}
        self.raised: list[str] = []

    def add(self, operation: str, kind: str = "read", times: int = 1, after: int = 0) -> None:
        """Make ``times`` calls of ``operation`` (a client method name) get no answer.

        ``after``: that many calls of it are answered first (by Stubber). ``kind``: ``read``
        (ReadTimeoutError), ``connect`` (ConnectTimeoutError) or ``endpoint``
        (EndpointConnectionError, at once).
        """
        api = self._client.meta.method_to_api_mapping[operation]
        error, seconds = {
            "read": (ReadTimeoutError(endpoint_url=ENDPOINT), custom_resource.READ_TIMEOUT_SECONDS),
            "connect": (ConnectTimeoutError(endpoint_url=ENDPOINT), custom_resource.CONNECT_TIMEOUT_SECONDS),
            "endpoint": (EndpointConnectionError(endpoint_url=ENDPOINT), 0.0),
        }[kind]
        self._plan.setdefault(api, []).extend([None] * after + [(error, seconds)] * times)

    def make_api_call(self, operation_name: str, params: dict[str, Any]) -> Any:
        """The client's ``_make_api_call``, raising the fault planned for this call, if any."""
        plan = self._plan.get(operation_name)
        fault = plan.pop(0) if plan else None
        if fault is None:
            return self._send(operation_name, params)
        error, seconds = fault
        self._clock.now += seconds
        self.raised.append(operation_name)
        raise error


@pytest.fixture
def faults(client: Any, clock: FakeTime, monkeypatch: pytest.MonkeyPatch) -> Faults:
    """Inject transport faults into ``client``'s calls."""
    injected = Faults(client, clock)
    monkeypatch.setattr(client, "_make_api_call", injected.make_api_call)
    return injected


def client_error(stubber: Stubber, operation: str, code: str, message: str = "", status: int = 400) -> None:
    """Queue a service error for ``operation``."""
    stubber.add_client_error(
        operation, service_error_code=code, service_message=message, http_status_code=status
    )


def throttle(stubber: Stubber, operation: str, times: int = 1) -> None:
    """Queue ``times`` ThrottlingExceptions for ``operation``."""
    for _ in range(times):
        client_error(stubber, operation, "ThrottlingException", "Rate exceeded", 429)


WORST_CASE_JITTER = {"jitter": lambda ceiling: ceiling}
"""Every backoff waits its whole ceiling, so the number of attempts before the deadline is fixed."""
