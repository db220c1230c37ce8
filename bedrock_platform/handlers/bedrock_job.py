"""Custom resource handler: Amazon Bedrock evaluation jobs and batch inference jobs.

Both are jobs that CloudFormation has no type for; one handler runs them through the ``bedrock``
API under the CDK ``Provider`` framework, the resource type choosing the kind
(``Custom::BedrockEvaluationJob``, ``Custom::BedrockBatchInferenceJob``).

Properties: ``JobNamePrefix`` (``<environment>-<name>``), ``Request`` (the Create request in the
API's own shape, without ``jobName`` and ``clientRequestToken``), ``Wait`` and, for a job whose
dataset or input the stack uploads from the repository, ``DataFingerprint`` (a hash of that data).

- The job name is ``<prefix>-<6 hex>``, a hash of the request as deployed (tags left out) and of
  the data fingerprint, so a changed spec or changed shipped data starts a new job and an
  unchanged one never starts one again: an update whose
  request is unchanged (a tag or ``Wait`` change) keeps the job, and a create that finds a job of
  that name (the same spec, run before) adopts it instead of failing.
- Create sends a ``clientRequestToken`` derived from the stack id, logical id and properties, so
  a retried create never starts a second job. The physical id is the job ARN.
- Create retries a start the service refuses with ValidationException or AccessDeniedException
  for about a minute, with backoff: the service checks the job's role (and this handler's
  ``iam:PassRole`` on it) when the job is created, and on a first deploy both the role and the
  handler's policy were created seconds earlier.
- With ``Wait``, ``is_complete`` waits until the job ends and fails the deployment with the job's
  failure messages; without it the deployment goes on while the job runs. When it cannot read
  the job it started (still throttled or unanswered when its Lambda's time runs out), it stops
  the job before it fails, so a failed create leaves no job running.
- An update back to an earlier spec (a rollback) is a create of that spec: its token, or else
  its name, finds the job that spec started, which is adopted; no job is started.
- Delete stops a job that is still running. It never deletes the job or its results. A physical
  id that is not a job ARN of this kind (a create that failed before it started a job), or that
  the service does not know, stops nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from . import custom_resource
from .custom_resource import (
    CONFLICT,
    NOT_FOUND,
    VALIDATION,
    Event,
    HandlerError,
    LambdaContext,
    Response,
    Service,
    failure,
)

UNTAGGED_HASH_LENGTH = 6
STARTED = "true"


@dataclass(frozen=True)
class JobKind:
    """How one kind of Bedrock job is created, read, listed and stopped."""

    noun: str
    resource: str
    create: str
    get: str
    stop: str
    list: str
    summaries: str
    tags: str
    running: frozenset[str]
    succeeded: frozenset[str]
    failed: frozenset[str]

    def failure_reason(self, state: Mapping[str, Any]) -> str:
        """The job's own failure messages, on one line."""
        messages = state.get("failureMessages") or [state.get("message") or "no failure message"]
        return "; ".join(str(message) for message in messages)


EVALUATION = JobKind(
    noun="evaluation job",
    resource="evaluation-job",
    create="create_evaluation_job",
    get="get_evaluation_job",
    stop="stop_evaluation_job",
    list="list_evaluation_jobs",
    summaries="jobSummaries",
    tags="jobTags",
    running=frozenset({"InProgress", "Stopping"}),
    succeeded=frozenset({"Completed"}),
    failed=frozenset({"Failed", "Stopped", "Deleting"}),
)
BATCH_INFERENCE = JobKind(
    noun="batch inference job",
    resource="model-invocation-job",
    create="create_model_invocation_job",
    get="get_model_invocation_job",
    stop="stop_model_invocation_job",
    list="list_model_invocation_jobs",
    summaries="invocationJobSummaries",
    tags="tags",
    running=frozenset({"Submitted", "Validating", "Scheduled", "InProgress", "Stopping"}),
    succeeded=frozenset({"Completed", "PartiallyCompleted"}),
    failed=frozenset({"Failed", "Stopped", "Expired"}),
)
KINDS: Mapping[str, JobKind] = {
    "Custom::BedrockEvaluationJob": EVALUATION,
    "Custom::BedrockBatchInferenceJob": BATCH_INFERENCE,
}
"""The job kind of each resource type."""


PROPAGATION_ADVICE = (
    "the service checks the job's role, its trust and its access to the models and data, and this "
    "handler's iam:PassRole on it; check them, then deploy again"
)
"""What a start still refused after about a minute of retries says to check."""


def on_event(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, Service.for_lambda("bedrock", context))


def is_complete(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, Service.for_lambda("bedrock", context))


def kind_of(event: Event) -> JobKind:
    """The job kind of the event's resource type."""
    try:
        return KINDS[event["ResourceType"]]
    except KeyError as error:
        resource_type = event.get("ResourceType")
        raise HandlerError(f"this handler does not run resources of type {resource_type!r}") from error


def handle(event: Event, bedrock: Service) -> Response:
    """Start a Create, Update or Delete; returns the physical id (the job ARN)."""
    custom_resource.log_request(event)
    kind = kind_of(event)
    if event["RequestType"] == "Create":
        return create(event, bedrock, kind)
    if event["RequestType"] == "Update":
        return update(event, bedrock, kind)
    return delete(event, bedrock, kind)


def create(event: Event, bedrock: Service, kind: JobKind) -> Response:
    """Start the job, or adopt the job this exact spec started before."""
    prefix, request = read(event, bedrock, kind, "ResourceProperties")
    name = job_name(prefix, request, kind, fingerprint(event, "ResourceProperties"))
    action = f"starting {kind.noun} {name}"
    try:
        token = custom_resource.request_token(event)
        response = bedrock.call_while_propagating(
            kind.create, action, PROPAGATION_ADVICE, jobName=name, clientRequestToken=token, **request
        )
        arn = str(response["jobArn"])
    except ClientError as error:
        existing = find(bedrock, kind, name) if custom_resource.error_code(error) == CONFLICT else None
        if existing is None:
            raise failure(error, action) from error
        arn = existing
    return {"PhysicalResourceId": arn, "Data": {"JobArn": arn, "JobName": name, "Started": STARTED}}


def update(event: Event, bedrock: Service, kind: JobKind) -> Response:
    """A changed spec starts a new job (replacement); anything else keeps the job that ran.

    A rollback arrives with old and new properties swapped, and so is a create of the earlier
    spec, which adopts the job that spec started (:func:`create`).
    """
    old_prefix, old = read(event, bedrock, kind, "OldResourceProperties")
    new_prefix, new = read(event, bedrock, kind, "ResourceProperties")
    new_name = job_name(new_prefix, new, kind, fingerprint(event, "ResourceProperties"))
    if job_name(old_prefix, old, kind, fingerprint(event, "OldResourceProperties")) != new_name:
        return create(event, bedrock, kind)
    arn = event["PhysicalResourceId"]
    return {"PhysicalResourceId": arn, "Data": {"JobArn": arn, "JobName": new_name}}


def delete(event: Event, bedrock: Service, kind: JobKind) -> Response:
    """Stop the job if it still runs; the job record and its results stay."""
    arn = event["PhysicalResourceId"]
    if not custom_resource.is_arn_of(arn, kind.resource):
        return {"PhysicalResourceId": arn}
    state = describe(bedrock, kind, arn, gone=(NOT_FOUND, VALIDATION))
    if state is not None and state["status"] in kind.running - {"Stopping"}:
        stop(bedrock, kind, arn)
    return {"PhysicalResourceId": arn}


def stop(bedrock: Service, kind: JobKind, arn: str) -> None:
    """StopEvaluationJob or StopModelInvocationJob; a job that is gone or ended meanwhile is fine."""
    action = f"stopping {kind.noun} {arn}"
    try:
        bedrock.call(kind.stop, action, jobIdentifier=arn)
    except ClientError as error:
        if custom_resource.error_code(error) not in (NOT_FOUND, CONFLICT):
            raise failure(error, action) from error


def check(event: Event, bedrock: Service) -> Response:
    """``isComplete``: at once, unless ``Wait`` asks to wait for a job this deployment started."""
    kind = kind_of(event)
    data = dict(event.get("Data") or {})
    waits = str(event.get("ResourceProperties", {}).get("Wait", "false")).lower() == "true"
    if event["RequestType"] == "Delete" or not waits or data.get("Started") != STARTED:
        return {"IsComplete": True}
    arn = event["PhysicalResourceId"]
    try:
        state = describe(bedrock, kind, arn)
    except HandlerError as error:
        raise abandon(bedrock, kind, arn, error) from error
    if state is None:
        raise HandlerError(f"{kind.noun} {arn} no longer exists")
    status = str(state["status"])
    if status in kind.failed:
        raise HandlerError(f"{kind.noun} {state['jobName']} ended {status}: {kind.failure_reason(state)}")
    if status in kind.succeeded:
        return {"IsComplete": True, "Data": {"Status": status}}
    return {"IsComplete": False}


def read(event: Event, bedrock: Service, kind: JobKind, key: str) -> tuple[str, dict[str, Any]]:
    """The job name prefix and the Create request, with CloudFormation's strings made the API's types."""
    raw = event.get(key) or {}
    try:
        prefix = str(raw["JobNamePrefix"])
        request = raw["Request"]
        return prefix, custom_resource.typed_request(bedrock, kind.create, request)
    except (KeyError, TypeError, ValueError) as error:
        raise HandlerError(f"invalid {kind.noun} properties: {error!r}") from error


def fingerprint(event: Event, key: str) -> str:
    """The ``DataFingerprint`` of the properties at ``key``: a hash of the data the stack uploads
    for the job (empty for a job whose data is in the bucket already)."""
    return str((event.get(key) or {}).get("DataFingerprint") or "")


def job_name(prefix: str, request: Mapping[str, Any], kind: JobKind, data: str = "") -> str:
    """``<prefix>-<6 hex>``: the hash of the request without its tags, and of ``data`` (the data
    fingerprint) when there is one."""
    spec: dict[str, Any] = {key: value for key, value in request.items() if key != kind.tags}
    if data:
        spec["__data__"] = data
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"{prefix}-{digest[:UNTAGGED_HASH_LENGTH]}"


def abandon(bedrock: Service, kind: JobKind, arn: str, error: HandlerError) -> HandlerError:
    """``error``, after stopping the job this deployment started and can no longer follow."""
    try:
        stop(bedrock.for_cleanup(), kind, arn)
    except HandlerError as cleanup:
        return HandlerError(f"{error}; then {cleanup}, so the rollback stops it")
    return HandlerError(f"{error}; the {kind.noun} was stopped")


def describe(
    bedrock: Service, kind: JobKind, arn: str, gone: tuple[str, ...] = (NOT_FOUND,)
) -> Response | None:
    """The job, or None when the service answers with an error code of ``gone``."""
    action = f"reading {kind.noun} {arn}"
    try:
        return bedrock.call(kind.get, action, jobIdentifier=arn)
    except ClientError as error:
        if custom_resource.error_code(error) in gone:
            return None
        raise failure(error, action) from error


def find(bedrock: Service, kind: JobKind, name: str) -> str | None:
    """The ARN of the job named exactly ``name``, if there is one."""
    token: str | None = None
    while True:
        page = bedrock.call(
            kind.list,
            f"looking for {kind.noun} {name}",
            nameContains=name,
            **({"nextToken": token} if token else {}),
        )
        for summary in page.get(kind.summaries, []):
            if summary.get("jobName") == name:
                return str(summary["jobArn"])
        token = page.get("nextToken")
        if not token:
            return None
