"""Throttling, for every handler (docs/robustness.md, "Handlers under faults"): throttled twice and
then answered, each retries with full-jitter backoff and succeeds; throttled until the Lambda's time
is up, each stops before its Lambda's timeout and says which call was throttled, how often, and
what to do. One table of the handlers, instead of one copy of each test per handler (issue 18)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import (
    bedrock_job,
    custom_resource,
    ingestion,
    invocation_logging,
    provisioned_throughput,
)
from bedrock_platform.handlers.custom_resource import HandlerError, Service

from . import test_bedrock_job as jobs
from . import test_ingestion as ingestions
from . import test_invocation_logging as logging
from . import test_provisioned_throughput as throughputs
from .conftest import WORST_CASE_JITTER, FakeTime, new_client, throttle


def _buy(stubber: Stubber, event: dict[str, Any]) -> None:
    """The throughput is bought, with the event's token, and read once."""
    throughputs.expect_create(stubber, custom_resource.request_token(event))
    throughputs.expect_get(stubber, throughputs.state("Creating"))


def _set_logging(stubber: Stubber) -> None:
    """The configuration is set, and read back."""
    logging.expect_put(stubber, logging.CONFIG)
    logging.current(stubber, logging.CONFIG)


@dataclass(frozen=True)
class Case:
    """A handler, the create that gets throttled, and what its failure says it was doing."""

    handle: Callable[[dict[str, Any], Service], Any]
    event: Callable[[], dict[str, Any]]
    method: str
    operation: str
    action: str
    answer: Callable[[Stubber, dict[str, Any]], None]
    """The calls of the create once the service answers (given the event)."""
    created: Callable[[Any], bool]
    """Whether the handler's result is the create's success."""
    before: Callable[[Stubber], None] = lambda stubber: None
    """What the handler calls before the throttled call."""
    service: str = "bedrock"
    """The client the handler calls."""


CASES = {
    "evaluation job": Case(
        bedrock_job.handle,
        lambda: jobs.event("Create"),
        "create_evaluation_job",
        "CreateEvaluationJob",
        f"starting evaluation job {jobs.name_of(jobs.EVALUATION_REQUEST)}",
        answer=jobs.expect_evaluation_create,
        created=lambda result: result["PhysicalResourceId"] == jobs.EVALUATION_ARN,
    ),
    "ingestion": Case(
        ingestion.handle,
        lambda: ingestions.event("Create"),
        "start_ingestion_job",
        "StartIngestionJob",
        ingestions.ACTION,
        answer=ingestions.expect_start,
        created=lambda result: result["Data"] == {"IngestionJobId": "JOB0000001"},
        service="bedrock-agent",
    ),
    "provisioned throughput": Case(
        provisioned_throughput.handle,
        lambda: throughputs.event("Create"),
        "create_provisioned_model_throughput",
        "CreateProvisionedModelThroughput",
        throughputs.ACTION,
        answer=lambda stubber, event: _buy(stubber, event),
        created=lambda result: result == throughputs.BOUGHT,
    ),
    # Throttled calls did nothing, so there is nothing to restore either.
    "invocation logging": Case(
        invocation_logging.handle,
        lambda: logging.event("Create", {**logging.PROPERTIES, "TakeOverExisting": "true"}),
        "put_model_invocation_logging_configuration",
        "PutModelInvocationLoggingConfiguration",
        "setting invocation logging",
        answer=lambda stubber, event: _set_logging(stubber),
        created=lambda result: result["PhysicalResourceId"] == logging.PHYSICAL_ID,
        before=lambda stubber: logging.current(stubber, logging.OTHER),
    ),
}


@pytest.fixture
def client(name: str) -> Any:
    """The case's client, never reaching AWS (the conftest's stubber and service build on it)."""
    return new_client(CASES[name].service)


@pytest.mark.parametrize("name", sorted(CASES))
def test_throttled_twice_then_answered_is_retried_with_full_jitter_backoff(
    name: str, bedrock: Service, stubber: Stubber, pauses: list[float]
) -> None:
    case = CASES[name]
    event = case.event()
    case.before(stubber)
    throttle(stubber, case.method, times=2)
    case.answer(stubber, event)

    assert case.created(case.handle(event, bedrock))
    # Full jitter: anywhere from 0 to the doubling ceiling (1 s, then 2 s).
    assert len(pauses) == 2
    assert 0 <= pauses[0] <= 1.0 and 0 <= pauses[1] <= 2.0


@pytest.mark.parametrize("name", sorted(CASES))
def test_throttled_until_the_lambdas_time_is_up_fails_saying_so(
    name: str, bedrock: Service, stubber: Stubber, clock: FakeTime
) -> None:
    # Waits of 1, 2, 4, 8, 16, 16, 16 s: after the 8th attempt (at 63 s) another wait and
    # attempt (16 + 20 s) would end inside the last 25 s of the 120 s Lambda.
    case = CASES[name]
    case.before(stubber)
    throttle(stubber, case.method, times=8)

    with pytest.raises(HandlerError) as raised:
        case.handle(case.event(), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value) == (
        f"{case.action} failed: {case.operation} was throttled on all 8 attempts in 63 s, stopping before "
        "the Lambda's timeout (ThrottlingException: Rate exceeded); deploy again later"
    )
    assert clock.now <= 120 - custom_resource.RESERVE_SECONDS
