"""Throttled until the Lambda's time is up, for every handler (docs/robustness.md, "Handlers under
faults"): each stops before its Lambda's timeout and says which call was throttled, how often, and
what to do. One table of the handlers, instead of one copy of the test per handler (issue 18)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
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
from .conftest import REGION, WORST_CASE_JITTER, FakeTime, throttle


@dataclass(frozen=True)
class Case:
    """A handler, the create that gets throttled, and what its failure says it was doing."""

    handle: Callable[[dict[str, Any], Service], Any]
    event: Callable[[], dict[str, Any]]
    method: str
    operation: str
    action: str
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
    ),
    "ingestion": Case(
        ingestion.handle,
        lambda: ingestions.event("Create"),
        "start_ingestion_job",
        "StartIngestionJob",
        ingestions.ACTION,
        service="bedrock-agent",
    ),
    "provisioned throughput": Case(
        provisioned_throughput.handle,
        lambda: throughputs.event("Create"),
        "create_provisioned_model_throughput",
        "CreateProvisionedModelThroughput",
        throughputs.ACTION,
    ),
    # Throttled calls did nothing, so there is nothing to restore either.
    "invocation logging": Case(
        invocation_logging.handle,
        lambda: logging.event("Create", {**logging.PROPERTIES, "TakeOverExisting": "true"}),
        "put_model_invocation_logging_configuration",
        "PutModelInvocationLoggingConfiguration",
        "setting invocation logging",
        before=lambda stubber: logging.current(stubber, logging.OTHER),
    ),
}


@pytest.fixture
def client(name: str) -> Any:
    """The case's client, never reaching AWS (the conftest's stubber and service build on it)."""
    return boto3.client(
        CASES[name].service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


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
