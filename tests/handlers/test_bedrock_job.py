"""The evaluation and batch inference job handler, against botocore's service model."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from bedrock_platform.handlers import bedrock_job as handler
from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers.custom_resource import HandlerError, Service

from .conftest import CREATE_FAILED, STACK_ID, WORST_CASE_JITTER, FakeTime, Faults, client_error

ROLE = "arn:aws:iam::111111111111:role/dev-bedrock-evaluation-EvaluationRole"
EVALUATION_ARN = "arn:aws:bedrock:us-east-1:111111111111:evaluation-job/abcdefghijkl"
NEW_EVALUATION_ARN = "arn:aws:bedrock:us-east-1:111111111111:evaluation-job/mnopqrstuvwx"
BATCH_ARN = "arn:aws:bedrock:us-east-1:111111111111:model-invocation-job/abcdefghijkl"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
NOW = datetime(2026, 11, 21, tzinfo=UTC)

EVALUATION_REQUEST: dict[str, Any] = {
    "roleArn": ROLE,
    "applicationType": "ModelEvaluation",
    "evaluationConfig": {
        "automated": {
            "datasetMetricConfigs": [
                {
                    "taskType": "Summarization",
                    "dataset": {"name": "Builtin.Gigaword"},
                    "metricNames": ["Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"],
                }
            ]
        }
    },
    "inferenceConfig": {"models": [{"bedrockModel": {"modelIdentifier": MODEL}}]},
    "outputDataConfig": {"s3Uri": "s3://dev-jobs/evaluations/summarization-baseline/"},
    "jobTags": [{"key": "team", "value": "ml-platform"}],
}
BATCH_REQUEST: dict[str, Any] = {
    "roleArn": ROLE,
    "modelId": MODEL,
    "inputDataConfig": {
        "s3InputDataConfig": {"s3Uri": "s3://dev-jobs/batch/input/", "s3InputFormat": "JSONL"}
    },
    "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://dev-jobs/batch/nightly/"}},
    "timeoutDurationInHours": "72",  # CloudFormation passes numbers to custom resources as strings
    "tags": [{"key": "team", "value": "ml-platform"}],
}


def event(
    request_type: str,
    resource_type: str = "Custom::BedrockEvaluationJob",
    request: dict[str, Any] | None = None,
    wait: str = "false",
    **extra: Any,
) -> dict[str, Any]:
    """A Provider framework event for the job ``Job``."""
    default = EVALUATION_REQUEST if resource_type == "Custom::BedrockEvaluationJob" else BATCH_REQUEST
    return {
        "RequestType": request_type,
        "RequestId": f"request-{request_type.lower()}",
        "StackId": STACK_ID,
        "LogicalResourceId": "Job",
        "ResourceType": resource_type,
        "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:framework-onEvent",
            "JobNamePrefix": "dev-summarization-baseline",
            "Request": copy.deepcopy(request or default),
            "Wait": wait,
        },
        **extra,
    }


def name_of(
    request: dict[str, Any], tags: str = "jobTags", prefix: str = "dev-summarization-baseline"
) -> str:
    kind = handler.EVALUATION if tags == "jobTags" else handler.BATCH_INFERENCE
    return handler.job_name(prefix, request, kind)


def evaluation_state(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "jobName": name_of(EVALUATION_REQUEST),
        "status": status,
        "jobArn": EVALUATION_ARN,
        "roleArn": ROLE,
        "jobType": "Automated",
        "evaluationConfig": EVALUATION_REQUEST["evaluationConfig"],
        "inferenceConfig": EVALUATION_REQUEST["inferenceConfig"],
        "outputDataConfig": EVALUATION_REQUEST["outputDataConfig"],
        "creationTime": NOW,
        **extra,
    }


def batch_state(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "jobArn": BATCH_ARN,
        "jobName": name_of(BATCH_REQUEST, tags="tags"),
        "modelId": MODEL,
        "roleArn": ROLE,
        "status": status,
        "submitTime": NOW,
        "inputDataConfig": BATCH_REQUEST["inputDataConfig"],
        "outputDataConfig": BATCH_REQUEST["outputDataConfig"],
        **extra,
    }


def expect_evaluation_create(stubber: Stubber, created: dict[str, Any], arn: str = EVALUATION_ARN) -> None:
    request = created["ResourceProperties"]["Request"]
    stubber.add_response(
        "create_evaluation_job",
        {"jobArn": arn},
        {
            "jobName": name_of(request),
            "clientRequestToken": custom_resource.request_token(created),
            **request,
        },
    )


def test_an_evaluation_job_starts_with_a_spec_hashed_name_and_a_token(bedrock: Any, stubber: Stubber) -> None:
    created = event("Create")
    expect_evaluation_create(stubber, created)

    response = handler.handle(created, bedrock)
    name = name_of(EVALUATION_REQUEST)
    assert response == {
        "PhysicalResourceId": EVALUATION_ARN,
        "Data": {"JobArn": EVALUATION_ARN, "JobName": name, "Started": "true"},
    }
    assert (
        name.startswith("dev-summarization-baseline-") and len(name) == len("dev-summarization-baseline-") + 6
    )
    # Without wait the deployment goes on while the job runs.
    assert handler.check({**created, **response}, bedrock) == {"IsComplete": True}


def test_the_name_hash_ignores_tags_and_follows_the_spec() -> None:
    untagged = {key: value for key, value in EVALUATION_REQUEST.items() if key != "jobTags"}
    assert name_of(untagged) == name_of(EVALUATION_REQUEST)
    changed = copy.deepcopy(EVALUATION_REQUEST)
    changed["evaluationConfig"]["automated"]["datasetMetricConfigs"][0]["metricNames"].pop()
    assert name_of(changed) != name_of(EVALUATION_REQUEST)


def test_a_retried_create_sends_the_same_token(bedrock: Any, stubber: Stubber) -> None:
    first, retry = event("Create"), event("Create")
    retry["RequestId"] = "a-later-deployment"
    assert custom_resource.request_token(first) == custom_resource.request_token(retry)
    expect_evaluation_create(stubber, first)
    expect_evaluation_create(stubber, retry)

    assert handler.handle(first, bedrock)["PhysicalResourceId"] == EVALUATION_ARN
    assert handler.handle(retry, bedrock)["PhysicalResourceId"] == EVALUATION_ARN


def test_a_create_that_finds_the_same_spec_ran_before_adopts_that_job(bedrock: Any, stubber: Stubber) -> None:
    created = event("Create")
    name = name_of(EVALUATION_REQUEST)
    client_error(stubber, "create_evaluation_job", "ConflictException", f"Job {name} already exists")
    summary = {
        "jobArn": NEW_EVALUATION_ARN,
        "jobName": f"{name}-copy",
        "status": "Completed",
        "creationTime": NOW,
        "jobType": "Automated",
        "evaluationTaskTypes": ["Summarization"],
        "modelIdentifiers": [MODEL],
    }
    stubber.add_response(
        "list_evaluation_jobs", {"jobSummaries": [summary], "nextToken": "page-2"}, {"nameContains": name}
    )
    stubber.add_response(
        "list_evaluation_jobs",
        {"jobSummaries": [{**summary, "jobArn": EVALUATION_ARN, "jobName": name}]},
        {"nameContains": name, "nextToken": "page-2"},
    )

    assert handler.handle(created, bedrock)["PhysicalResourceId"] == EVALUATION_ARN


def test_an_update_with_an_unchanged_spec_starts_no_job(bedrock: Any, stubber: Stubber) -> None:
    retagged = {**EVALUATION_REQUEST, "jobTags": [{"key": "team", "value": "search"}]}
    update = event(
        "Update",
        request=retagged,
        wait="true",
        OldResourceProperties=event("Create")["ResourceProperties"],
        PhysicalResourceId=EVALUATION_ARN,
    )

    response = handler.handle(update, bedrock)
    assert response == {
        "PhysicalResourceId": EVALUATION_ARN,
        "Data": {"JobArn": EVALUATION_ARN, "JobName": name_of(EVALUATION_REQUEST)},
    }
    # Nothing was started, so there is nothing to wait for (no call is stubbed).
    assert handler.check({**update, **response}, bedrock) == {"IsComplete": True}


def test_an_update_with_a_changed_spec_starts_a_new_job(bedrock: Any, stubber: Stubber) -> None:
    changed = copy.deepcopy(EVALUATION_REQUEST)
    changed["outputDataConfig"]["s3Uri"] = "s3://dev-jobs/evaluations/v2/"
    update = event(
        "Update",
        request=changed,
        OldResourceProperties=event("Create")["ResourceProperties"],
        PhysicalResourceId=EVALUATION_ARN,
    )
    expect_evaluation_create(stubber, update, NEW_EVALUATION_ARN)

    response = handler.handle(update, bedrock)
    assert response["PhysicalResourceId"] == NEW_EVALUATION_ARN
    assert response["Data"]["JobName"] == name_of(changed) != name_of(EVALUATION_REQUEST)


def test_wait_polls_until_the_evaluation_completes(bedrock: Any, stubber: Stubber) -> None:
    created = event("Create", wait="true")
    expect_evaluation_create(stubber, created)
    for status in ("InProgress", "InProgress", "Completed"):
        stubber.add_response(
            "get_evaluation_job", evaluation_state(status), {"jobIdentifier": EVALUATION_ARN}
        )

    polled = {**created, **handler.handle(created, bedrock)}
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {"IsComplete": True, "Data": {"Status": "Completed"}}


def test_wait_fails_with_the_jobs_failure_messages_on_one_line(bedrock: Any, stubber: Stubber) -> None:
    created = event("Create", wait="true")
    stubber.add_response(
        "get_evaluation_job",
        evaluation_state(
            "Failed", failureMessages=["Access denied to s3://dev-jobs/datasets/", "Retry\nlater"]
        ),
        {"jobIdentifier": EVALUATION_ARN},
    )
    polled = {**created, "PhysicalResourceId": EVALUATION_ARN, "Data": {"Started": "true"}}

    with pytest.raises(HandlerError) as raised:
        handler.check(polled, bedrock)
    assert str(raised.value) == (
        f"evaluation job {name_of(EVALUATION_REQUEST)} ended Failed: "
        "Access denied to s3://dev-jobs/datasets/; Retry later"
    )


def test_delete_stops_a_running_evaluation_and_deletes_nothing(bedrock: Any, stubber: Stubber) -> None:
    deleted = event("Delete", PhysicalResourceId=EVALUATION_ARN)
    stubber.add_response(
        "get_evaluation_job", evaluation_state("InProgress"), {"jobIdentifier": EVALUATION_ARN}
    )
    stubber.add_response("stop_evaluation_job", {}, {"jobIdentifier": EVALUATION_ARN})

    assert handler.handle(deleted, bedrock) == {"PhysicalResourceId": EVALUATION_ARN}
    assert handler.check(deleted, bedrock) == {"IsComplete": True}


@pytest.mark.parametrize("status", ["Completed", "Failed", "Stopping"])
def test_delete_of_an_ended_or_stopping_job_calls_no_stop(
    bedrock: Any, stubber: Stubber, status: str
) -> None:
    stubber.add_response("get_evaluation_job", evaluation_state(status), {"jobIdentifier": EVALUATION_ARN})

    assert handler.handle(event("Delete", PhysicalResourceId=EVALUATION_ARN), bedrock) == {
        "PhysicalResourceId": EVALUATION_ARN
    }


def test_delete_of_a_job_that_is_gone_or_ended_meanwhile_succeeds(bedrock: Any, stubber: Stubber) -> None:
    client_error(stubber, "get_evaluation_job", "ResourceNotFoundException", "no such job", 404)
    stubber.add_response(
        "get_evaluation_job", evaluation_state("InProgress"), {"jobIdentifier": EVALUATION_ARN}
    )
    client_error(stubber, "stop_evaluation_job", "ConflictException", "The job has already completed")

    for _ in range(2):
        assert handler.handle(event("Delete", PhysicalResourceId=EVALUATION_ARN), bedrock) == {
            "PhysicalResourceId": EVALUATION_ARN
        }


@pytest.mark.parametrize("code", ["ValidationException", "AccessDeniedException"])
def test_a_start_refused_while_new_roles_propagate_is_retried_until_it_succeeds(
    bedrock: Any, stubber: Stubber, pauses: list[float], code: str
) -> None:
    """On a first deploy the job's role and the handler's own policy (iam:PassRole) were created
    seconds earlier; CreateEvaluationJob validates the role when it is called."""
    created = event("Create")
    for _ in range(3):
        client_error(stubber, "create_evaluation_job", code, f"Unable to assume role {ROLE}")
    expect_evaluation_create(stubber, created)

    assert handler.handle(created, bedrock)["PhysicalResourceId"] == EVALUATION_ARN
    assert len(pauses) == 3
    assert all(0 <= pause <= ceiling for pause, ceiling in zip(pauses, (1.0, 2.0, 4.0), strict=True))


def test_a_start_still_refused_after_about_a_minute_fails_saying_what_to_check(
    bedrock: Any, stubber: Stubber, clock: FakeTime
) -> None:
    for _ in range(7):
        client_error(stubber, "create_evaluation_job", "ValidationException", "The dataset was not found.")

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    # Waits of 1, 2, 4, 8, 16 and 16 s: the seventh refusal comes 47 s in, one more wait would
    # pass the minute.
    assert str(raised.value) == (
        f"starting evaluation job {name_of(EVALUATION_REQUEST)} failed: ValidationException: The dataset "
        "was not found., on all 7 attempts in 47 s (the service checks the job's role, its trust and its "
        "access to the models and data, and this handler's iam:PassRole on it; check them, then deploy again)"
    )
    assert clock.now <= custom_resource.PROPAGATION_SECONDS
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        (
            "ServiceQuotaExceededException",
            "request a higher quota in Service Quotas (Amazon Bedrock) and deploy again",
        ),
        ("ResourceNotFoundException", None),
    ],
)
def test_create_errors_fail_with_code_message_and_what_to_do(
    bedrock: Any, stubber: Stubber, code: str, hint: str | None
) -> None:
    client_error(stubber, "create_evaluation_job", code, "The dataset s3://dev-jobs/x.jsonl was not found.")

    with pytest.raises(HandlerError) as raised:
        handler.handle(event("Create"), bedrock)
    expected = (
        f"starting evaluation job {name_of(EVALUATION_REQUEST)} failed: {code}: "
        "The dataset s3://dev-jobs/x.jsonl was not found."
    )
    assert str(raised.value) == expected + (f" ({hint})" if hint else "")


def test_a_conflict_without_a_job_of_that_name_fails(bedrock: Any, stubber: Stubber) -> None:
    name = name_of(EVALUATION_REQUEST)
    client_error(stubber, "create_evaluation_job", "ConflictException", "Too many jobs are being created")
    stubber.add_response("list_evaluation_jobs", {}, {"nameContains": name})

    with pytest.raises(HandlerError, match=r"failed: ConflictException: Too many jobs are being created"):
        handler.handle(event("Create"), bedrock)


def test_throttling_is_retried(bedrock: Any, stubber: Stubber, pauses: list[float]) -> None:
    created = event("Create")
    client_error(stubber, "create_evaluation_job", "ThrottlingException", "Rate exceeded", 429)
    expect_evaluation_create(stubber, created)

    assert handler.handle(created, bedrock)["PhysicalResourceId"] == EVALUATION_ARN
    assert len(pauses) == 1


def test_a_batch_job_starts_with_numbers_restored_from_cloudformation_strings(
    bedrock: Any, stubber: Stubber
) -> None:
    created = event("Create", "Custom::BedrockBatchInferenceJob")
    expected = {**BATCH_REQUEST, "timeoutDurationInHours": 72}
    stubber.add_response(
        "create_model_invocation_job",
        {"jobArn": BATCH_ARN},
        {
            "jobName": name_of(expected, tags="tags"),
            "clientRequestToken": custom_resource.request_token(created),
            **expected,
        },
    )

    assert handler.handle(created, bedrock)["PhysicalResourceId"] == BATCH_ARN


def test_wait_for_a_batch_job_fails_with_its_message_when_it_expires(bedrock: Any, stubber: Stubber) -> None:
    created = event("Create", "Custom::BedrockBatchInferenceJob", wait="true")
    polled = {**created, "PhysicalResourceId": BATCH_ARN, "Data": {"Started": "true"}}
    stubber.add_response("get_model_invocation_job", batch_state("Scheduled"), {"jobIdentifier": BATCH_ARN})
    stubber.add_response("get_model_invocation_job", batch_state("InProgress"), {"jobIdentifier": BATCH_ARN})
    stubber.add_response(
        "get_model_invocation_job",
        batch_state("Expired", message="The job did not finish within 72 hours."),
        {"jobIdentifier": BATCH_ARN},
    )

    assert handler.check(polled, bedrock) == {"IsComplete": False}
    assert handler.check(polled, bedrock) == {"IsComplete": False}
    with pytest.raises(
        HandlerError, match=r"batch inference job .* ended Expired: The job did not finish within"
    ):
        handler.check(polled, bedrock)


def test_a_partially_completed_batch_job_completes(bedrock: Any, stubber: Stubber) -> None:
    polled = {
        **event("Create", "Custom::BedrockBatchInferenceJob", wait="true"),
        "PhysicalResourceId": BATCH_ARN,
        "Data": {"Started": "true"},
    }
    stubber.add_response(
        "get_model_invocation_job", batch_state("PartiallyCompleted"), {"jobIdentifier": BATCH_ARN}
    )

    assert handler.check(polled, bedrock) == {"IsComplete": True, "Data": {"Status": "PartiallyCompleted"}}


@pytest.mark.parametrize("status", ["Submitted", "Validating", "Scheduled", "InProgress"])
def test_delete_stops_a_batch_job_that_has_not_ended(bedrock: Any, stubber: Stubber, status: str) -> None:
    stubber.add_response("get_model_invocation_job", batch_state(status), {"jobIdentifier": BATCH_ARN})
    stubber.add_response("stop_model_invocation_job", {}, {"jobIdentifier": BATCH_ARN})

    deleted = event("Delete", "Custom::BedrockBatchInferenceJob", PhysicalResourceId=BATCH_ARN)
    assert handler.handle(deleted, bedrock) == {"PhysicalResourceId": BATCH_ARN}


def test_an_unknown_resource_type_fails_on_one_line(bedrock: Any) -> None:
    with pytest.raises(HandlerError, match=r"does not run resources of type 'Custom::Other'"):
        handler.handle({**event("Create"), "ResourceType": "Custom::Other"}, bedrock)


# Faults. Each request type under throttling, silence, rollback, a failed create's Delete, and a
# create that fails halfway (docs/robustness.md, "Handlers under faults").

TYPED_BATCH_REQUEST = {**BATCH_REQUEST, "timeoutDurationInHours": 72}


def test_a_start_that_gets_no_answer_fails_clearly_before_the_lambda_times_out(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    faults.add("create_model_invocation_job", "read", times=5)

    with pytest.raises(HandlerError) as raised:
        handler.handle(
            event("Create", "Custom::BedrockBatchInferenceJob"),
            dataclasses.replace(bedrock, **WORST_CASE_JITTER),
        )
    assert str(raised.value) == (
        f"starting batch inference job {name_of(TYPED_BATCH_REQUEST, tags='tags')} failed: no answer from "
        "CreateModelInvocationJob within 90 s (5 attempts, stopping before the Lambda's timeout; last: "
        'ReadTimeoutError: Read timeout on endpoint URL: "https://bedrock.us-east-1.amazonaws.com/")'
    )
    assert clock.now <= 120 - custom_resource.RESERVE_SECONDS


@pytest.mark.parametrize("kind", ["read", "connect", "endpoint"])
def test_a_call_without_an_answer_is_retried(
    bedrock: Service, stubber: Stubber, faults: Faults, kind: str
) -> None:
    faults.add("get_evaluation_job", kind)
    stubber.add_response(
        "get_evaluation_job", evaluation_state("InProgress"), {"jobIdentifier": EVALUATION_ARN}
    )
    faults.add("stop_evaluation_job", kind)
    stubber.add_response("stop_evaluation_job", {}, {"jobIdentifier": EVALUATION_ARN})

    assert handler.handle(event("Delete", PhysicalResourceId=EVALUATION_ARN), bedrock) == {
        "PhysicalResourceId": EVALUATION_ARN
    }


@pytest.mark.parametrize("remembered", [True, False], ids=["token-remembered", "token-forgotten"])
def test_a_rollback_adopts_the_job_the_earlier_spec_started_and_starts_nothing(
    bedrock: Service, stubber: Stubber, remembered: bool
) -> None:
    """The rollback is a create of the earlier spec: its token, or else its name, finds that job."""
    changed = copy.deepcopy(EVALUATION_REQUEST)
    changed["outputDataConfig"]["s3Uri"] = "s3://dev-jobs/evaluations/v2/"
    original = event("Create")
    rollback = event(
        "Update",
        OldResourceProperties=event("Update", request=changed)["ResourceProperties"],
        PhysicalResourceId=NEW_EVALUATION_ARN,
    )
    assert custom_resource.request_token(rollback) == custom_resource.request_token(original)
    name = name_of(EVALUATION_REQUEST)
    if remembered:  # the service answers the same token with the job it started for it
        expect_evaluation_create(stubber, original, EVALUATION_ARN)
    else:
        client_error(stubber, "create_evaluation_job", "ConflictException", f"Job {name} already exists")
        summary = {
            "jobArn": EVALUATION_ARN,
            "jobName": name,
            "status": "Completed",
            "creationTime": NOW,
            "jobType": "Automated",
            "evaluationTaskTypes": ["Summarization"],
            "modelIdentifiers": [MODEL],
        }
        stubber.add_response("list_evaluation_jobs", {"jobSummaries": [summary]}, {"nameContains": name})

    response = handler.handle(rollback, bedrock)
    assert response["PhysicalResourceId"] == EVALUATION_ARN  # CloudFormation then deletes (stops) the new one
    assert response["Data"]["JobName"] == name


@pytest.mark.parametrize(
    "physical_id",
    [CREATE_FAILED, "request-create", BATCH_ARN],
    ids=["framework-marker", "request-id", "another-kinds-arn"],
)
def test_a_delete_after_a_create_that_started_nothing_touches_nothing(
    bedrock: Service, stubber: Stubber, physical_id: str
) -> None:
    deleted = event("Delete", PhysicalResourceId=physical_id)

    assert handler.handle(deleted, bedrock) == {"PhysicalResourceId": physical_id}
    assert handler.check(deleted, bedrock) == {"IsComplete": True}


def test_a_delete_of_a_job_the_service_does_not_know_succeeds(bedrock: Service, stubber: Stubber) -> None:
    client_error(stubber, "get_evaluation_job", "ValidationException", "Invalid job identifier")

    assert handler.handle(event("Delete", PhysicalResourceId=EVALUATION_ARN), bedrock) == {
        "PhysicalResourceId": EVALUATION_ARN
    }


def test_a_waited_job_that_can_no_longer_be_read_is_stopped_before_the_failure_is_reported(
    bedrock: Service, stubber: Stubber, faults: Faults, clock: FakeTime
) -> None:
    polled = {
        **event("Create", wait="true"),
        "PhysicalResourceId": EVALUATION_ARN,
        "Data": {"Started": "true"},
    }
    faults.add("get_evaluation_job", "read", times=5)
    stubber.add_response("stop_evaluation_job", {}, {"jobIdentifier": EVALUATION_ARN})

    with pytest.raises(HandlerError) as raised:
        handler.check(polled, dataclasses.replace(bedrock, **WORST_CASE_JITTER))
    assert str(raised.value).startswith(
        f"reading evaluation job {EVALUATION_ARN} failed: no answer from GetEvaluationJob within 90 s"
    )
    assert str(raised.value).endswith("; the evaluation job was stopped")
    assert clock.now <= 120 - custom_resource.REPORT_SECONDS


def test_a_job_that_could_not_be_stopped_either_leaves_it_to_the_rollback(
    bedrock: Service, stubber: Stubber
) -> None:
    polled = {
        **event("Create", wait="true"),
        "PhysicalResourceId": EVALUATION_ARN,
        "Data": {"Started": "true"},
    }
    client_error(stubber, "get_evaluation_job", "AccessDeniedException", "denied")
    client_error(stubber, "stop_evaluation_job", "AccessDeniedException", "denied")

    with pytest.raises(HandlerError) as raised:
        handler.check(polled, bedrock)
    assert str(raised.value).startswith(
        f"reading evaluation job {EVALUATION_ARN} failed: AccessDeniedException"
    )
    assert f"; then stopping evaluation job {EVALUATION_ARN} failed: AccessDeniedException: denied" in str(
        raised.value
    )
    assert str(raised.value).endswith(", so the rollback stops it")


def test_a_job_that_ended_failed_is_reported_and_not_stopped(bedrock: Service, stubber: Stubber) -> None:
    """A job's own failure ends it: there is nothing to stop, and its record and results stay."""
    polled = {
        **event("Create", wait="true"),
        "PhysicalResourceId": EVALUATION_ARN,
        "Data": {"Started": "true"},
    }
    stubber.add_response(
        "get_evaluation_job",
        evaluation_state("Failed", failureMessages=["boom"]),
        {"jobIdentifier": EVALUATION_ARN},
    )

    with pytest.raises(HandlerError, match=r"ended Failed: boom$"):
        handler.check(polled, bedrock)


def with_data(properties: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    return {**properties, "DataFingerprint": fingerprint}


def test_a_job_without_shipped_data_keeps_its_name() -> None:
    """Jobs whose data is in the bucket already have no DataFingerprint: their names do not change."""
    kind = handler.EVALUATION
    assert handler.job_name("p", EVALUATION_REQUEST, kind, "") == handler.job_name(
        "p", EVALUATION_REQUEST, kind
    )


def test_changed_shipped_data_starts_a_new_job_and_unchanged_data_none(
    bedrock: Any, stubber: Stubber
) -> None:
    """Issue 16, finding 11: the stack uploads a job's dataset from the repository; a changed file
    (its fingerprint) must run the evaluation again, even though the request is the same."""
    old = with_data(event("Create")["ResourceProperties"], "0123456789abcdef")
    same = event("Update", OldResourceProperties=old, PhysicalResourceId=EVALUATION_ARN)
    same["ResourceProperties"] = with_data(same["ResourceProperties"], "0123456789abcdef")
    kept = handler.handle(same, bedrock)
    assert kept["PhysicalResourceId"] == EVALUATION_ARN

    changed = event("Update", OldResourceProperties=old, PhysicalResourceId=EVALUATION_ARN)
    changed["ResourceProperties"] = with_data(changed["ResourceProperties"], "fedcba9876543210")
    new_name = handler.job_name(
        "dev-summarization-baseline", EVALUATION_REQUEST, handler.EVALUATION, "fedcba9876543210"
    )
    assert new_name != kept["Data"]["JobName"]
    stubber.add_response(
        "create_evaluation_job",
        {"jobArn": NEW_EVALUATION_ARN},
        {
            "jobName": new_name,
            "clientRequestToken": custom_resource.request_token(changed),
            **EVALUATION_REQUEST,
        },
    )
    response = handler.handle(changed, bedrock)
    assert response["PhysicalResourceId"] == NEW_EVALUATION_ARN
    assert response["Data"]["JobName"] == new_name
