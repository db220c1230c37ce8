"""The handlers' shared retries and timeouts: backoff, the Lambda's deadline, botocore's configuration."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.stub import Stubber

from bedrock_platform.constructs.handler_provider import HANDLER_TIMEOUT
from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers.custom_resource import GaveUp, Service

from .conftest import LAMBDA_SECONDS, FakeTime, client_error, throttle

GET = "get_model_invocation_logging_configuration"
"""An operation without parameters, to exercise the retries on."""


def test_an_attempt_and_the_reserve_fit_well_within_the_lambda_timeout() -> None:
    assert HANDLER_TIMEOUT.to_seconds() == LAMBDA_SECONDS
    assert custom_resource.ATTEMPT_SECONDS == 20
    # Ordinary calls have 95 s; a clean-up attempt and the report fit in the last 25 s.
    assert custom_resource.RESERVE_SECONDS == custom_resource.ATTEMPT_SECONDS + custom_resource.REPORT_SECONDS
    assert custom_resource.RESERVE_SECONDS + 3 * custom_resource.ATTEMPT_SECONDS < LAMBDA_SECONDS


def test_clients_time_out_in_seconds_and_leave_every_retry_to_the_handler(
    monkeypatch: pytest.MonkeyPatch, clock: FakeTime
) -> None:
    """Through botocore's whole pipeline (no Stubber): one HTTP attempt per handler attempt.

    botocore's ``retries={"max_attempts": 1}`` would mean one *retry* (two attempts), doubling
    how long a silent endpoint holds the Lambda; ``total_max_attempts`` 1 is one attempt.
    """
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = custom_resource.client("bedrock")
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 15)
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}

    sent: list[str] = []

    def silent_endpoint(request: Any, **kwargs: Any) -> None:
        sent.append(request.url)
        clock.now += custom_resource.READ_TIMEOUT_SECONDS
        raise ReadTimeoutError(endpoint_url=request.url)

    client.meta.events.register("before-send.bedrock", silent_endpoint)
    service = Service(
        client,
        ends_at=LAMBDA_SECONDS,
        sleep=clock.sleep,
        clock=clock.monotonic,
        jitter=lambda ceiling: ceiling,
    )

    with pytest.raises(GaveUp) as raised:
        service.call(GET, "reading invocation logging")
    assert len(sent) == 5
    assert raised.value.unanswered
    assert str(raised.value).startswith(
        "reading invocation logging failed: no answer from GetModelInvocationLoggingConfiguration "
        "within 90 s (5 attempts, stopping before the Lambda's timeout; last: ReadTimeoutError: Read "
        'timeout on endpoint URL: "https://bedrock.us-east-1.amazonaws.com/logging/modelinvocations"'
    )


def test_backoff_doubles_from_one_second_to_at_most_sixteen_with_full_jitter(
    bedrock: Service, stubber: Stubber
) -> None:
    ceilings: list[float] = []

    def record(ceiling: float) -> float:
        ceilings.append(ceiling)
        return 0.0

    throttle(stubber, GET, times=7)
    stubber.add_response(GET, {})

    assert dataclasses.replace(bedrock, jitter=record).call(GET, "reading") == {}
    assert ceilings == [1, 2, 4, 8, 16, 16, 16]
    # Full jitter: anywhere from 0 to the ceiling, not just its upper half.
    waits = [custom_resource.full_jitter(4.0) for _ in range(1000)]
    assert all(0 <= wait <= 4.0 for wait in waits)
    assert min(waits) < 0.5 and max(waits) > 3.5


def test_the_deadline_is_the_lambdas_remaining_time(monkeypatch: pytest.MonkeyPatch, client: Any) -> None:
    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 60_000

    monkeypatch.setattr(custom_resource, "client", lambda service: client)
    service = Service.for_lambda("bedrock", Context())
    assert service.client is client
    assert (
        60 - custom_resource.RESERVE_SECONDS - 1
        < service.seconds_left()
        <= 60 - custom_resource.RESERVE_SECONDS
    )


def test_no_attempt_starts_that_could_end_inside_the_reserve_but_a_clean_up_may(
    bedrock: Service, stubber: Stubber, clock: FakeTime
) -> None:
    clock.now = LAMBDA_SECONDS - custom_resource.RESERVE_SECONDS - 10  # 35 s left, 10 before the reserve

    with pytest.raises(GaveUp) as raised:
        bedrock.call(GET, "reading invocation logging")
    assert str(raised.value) == (
        "reading invocation logging failed: GetModelInvocationLoggingConfiguration was not called, as "
        "the Lambda's time is nearly up (35 s left)"
    )
    stubber.add_response(GET, {})
    assert bedrock.for_cleanup().call(GET, "reading invocation logging") == {}


@pytest.mark.parametrize("code", ["ServiceUnavailableException", "InternalServerException"])
def test_an_unavailable_service_is_retried_until_the_deadline_and_reported_as_unavailable(
    bedrock: Service, stubber: Stubber, code: str
) -> None:
    for _ in range(8):
        client_error(stubber, GET, code, "Please try again.", 503)

    with pytest.raises(GaveUp) as raised:
        dataclasses.replace(bedrock, jitter=lambda ceiling: ceiling).call(GET, "reading invocation logging")
    assert str(raised.value) == (
        "reading invocation logging failed: GetModelInvocationLoggingConfiguration was unavailable on all "
        f"8 attempts in 63 s, stopping before the Lambda's timeout ({code}: Please try again.); "
        "deploy again later"
    )
    assert not raised.value.unanswered


def test_other_errors_are_not_retried(bedrock: Service, stubber: Stubber, pauses: list[float]) -> None:
    client_error(stubber, GET, "AccessDeniedException", "denied")

    with pytest.raises(ClientError):
        bedrock.call(GET, "reading invocation logging")
    assert pauses == []
