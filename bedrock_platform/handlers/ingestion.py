"""Custom resource handler: start an ingestion job of a knowledge base data source on deploy.

An ingestion job is not a resource CloudFormation manages: it runs once and ends. This handler
starts one whenever the resource is created or its properties change, which the construct makes
happen whenever the data source is created or its settings change:

- Create and Update call ``StartIngestionJob`` with a ``clientToken`` derived from the stack id,
  the logical id, the properties and the request id: a retry of the same request never starts a
  second job, while every new request (a rollback too, whose properties are those of an earlier
  request) starts one. A rollback arrives with old and new properties swapped and is handled like
  any update: it ingests the old settings again.
- The deploy does not wait for the ingestion: once the service has accepted the job,
  ``is_complete`` reports completion at once. The job's id is the attribute ``IngestionJobId``.
- A data source (and a knowledge base) can run one ingestion job at a time, and an account a few.
  When the service refuses for that reason (``ConflictException``, or
  ``ServiceQuotaExceededException`` for the account's concurrent jobs), ``on_event`` returns with
  ``Pending`` in its Data, and ``is_complete`` tries the start again at each poll until the
  service accepts it, so that the change is ingested after the running jobs. Each poll's start
  has a token of its own (a refused token might be remembered as answered). The Provider
  framework's total timeout bounds the wait.
- Delete does nothing: an ingestion job cannot be deleted, and deleting the data source deletes
  (or, with ``RETAIN``, keeps) what it ingested. A Delete with another physical id (a create that
  failed before it started anything) does nothing either.

Properties: ``KnowledgeBaseId``, ``DataSourceId``, ``Settings`` (a hash of the data source's
settings; only its change matters). The physical id is ``ingestion-<knowledge base id>-<data
source id>``, so a replaced data source (a new id) makes a new one, and CloudFormation's Delete of
the old one does nothing.
"""

from __future__ import annotations

import uuid

from botocore.exceptions import ClientError

from . import custom_resource
from .custom_resource import CONFLICT, Event, HandlerError, LambdaContext, Response, Service, failure

INGESTION_JOB_ID = "IngestionJobId"
"""Data key: the id of the ingestion job the service accepted."""
PENDING = "Pending"
"""Data key: ``"true"`` when a running job kept the service from accepting the start, so
``is_complete`` must try again; ``"false"`` once it was accepted."""
DESCRIPTION_LENGTH = 200
"""The most characters StartIngestionJob accepts as a description."""

BUSY = (CONFLICT, "ServiceQuotaExceededException")
"""Refusals that mean "not now": a job of the data source or knowledge base is running, or the
account runs as many ingestion jobs as it may at once."""


def on_event(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, Service.for_lambda("bedrock-agent", context))


def is_complete(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, Service.for_lambda("bedrock-agent", context))


def handle(event: Event, agent: Service) -> Response:
    """Start an ingestion job (Create, Update), or do nothing (Delete)."""
    if event["RequestType"] == "Delete":
        return delete(event)
    physical_id = physical_id_of(event)
    custom_resource.log_request(event, physical_id)
    job_id = start(event, agent)
    if job_id is None:
        custom_resource.LOGGER.info("an ingestion job of the data source is running; starting after it")
        return {"PhysicalResourceId": physical_id, "Data": {PENDING: "true"}}
    return {"PhysicalResourceId": physical_id, "Data": {INGESTION_JOB_ID: job_id}}


def delete(event: Event) -> Response:
    """Nothing to delete: an ingestion job ends by itself and the data source owns what it ingested."""
    physical_id = event["PhysicalResourceId"]
    custom_resource.log_request(event, physical_id)
    custom_resource.LOGGER.info("nothing to delete: an ingestion job cannot be deleted")
    return {"PhysicalResourceId": physical_id}


def check(event: Event, agent: Service) -> Response:
    """``isComplete``: complete at once, unless the start is pending, which is then tried again."""
    if event["RequestType"] == "Delete" or dict(event.get("Data") or {}).get(PENDING) != "true":
        return {"IsComplete": True}
    job_id = start(event, agent, poll=uuid.uuid4().hex)
    if job_id is None:
        return {"IsComplete": False}
    return {"IsComplete": True, "Data": {INGESTION_JOB_ID: job_id, PENDING: "false"}}


def start(event: Event, agent: Service, *, poll: str = "") -> str | None:
    """StartIngestionJob; the job's id, or None while running jobs keep it from starting.

    :param poll: sets each ``is_complete`` poll's token apart from the refused ones before it.
    """
    knowledge_base_id, data_source_id = _ids(event)
    action = (
        f"starting an ingestion job of data source {data_source_id} of knowledge base {knowledge_base_id}"
    )
    try:
        response = agent.call(
            "start_ingestion_job",
            action,
            knowledgeBaseId=knowledge_base_id,
            dataSourceId=data_source_id,
            clientToken=custom_resource.request_token(event, salt=f"{event['RequestId']}{poll}"),
            description=description(event),
        )
    except ClientError as error:
        if custom_resource.error_code(error) in BUSY:
            return None
        raise failure(error, action) from error
    return str(response["ingestionJob"]["ingestionJobId"])


def physical_id_of(event: Event) -> str:
    """``ingestion-<knowledge base id>-<data source id>``."""
    knowledge_base_id, data_source_id = _ids(event)
    return f"ingestion-{knowledge_base_id}-{data_source_id}"


def description(event: Event) -> str:
    """What the job shows in the console and ``status``: which stack's deploy started it."""
    stack_name = str(event["StackId"]).split("/")[1]
    text = f"Started by bedrock-platform on deploy of stack {stack_name} ({event['RequestType'].lower()})"
    return text[:DESCRIPTION_LENGTH]


def _ids(event: Event) -> tuple[str, str]:
    """The knowledge base id and data source id of the resource's properties."""
    try:
        raw = custom_resource.properties(event)
        return str(raw["KnowledgeBaseId"]), str(raw["DataSourceId"])
    except (KeyError, TypeError) as error:
        raise HandlerError(f"invalid ingestion properties: {error!r}") from error
