"""``status``: every declared resource with its live state, as an aligned plain-text table.

One row per knowledge base, data source (with its last ingestion job and that job's counts),
guardrail, declared guardrail version, provisioned throughput, application inference profile (its
state and the models and Regions it routes to), evaluation job and batch inference job, in config
order; then one row per catalogued model the config uses (a throughput's base
model, a knowledge base's embedding model) with its live lifecycle state, GetFoundationModel's
``modelLifecycle.status``, deployed or not. A Legacy model's row starts its details with
``warning:``: Bedrock sells no new provisioned throughput for it, and it reaches end of life on
the date shown (user guide, "Model lifecycle"); the catalog's own state
(:mod:`bedrock_platform.config.catalog`) can lag behind. A resource whose SSM parameter is
missing is shown as ``not deployed``; a call the service refuses (AccessDenied,
ResourceNotFound, ...) is shown in its own row. The command reports states and does not judge
them: it exits 0 when every call succeeded (a FAILED knowledge base, a Failed throughput or a
Legacy model included) and 1 when any call failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TextIO

from botocore.exceptions import ClientError

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.catalog import throughput_model
from bedrock_platform.config.model import Guardrail, KnowledgeBase
from bedrock_platform.geographies import inference_profile_geography
from bedrock_platform.operations.clients import Clients, describe, error_code
from bedrock_platform.operations.discovery import (
    BATCH_INFERENCE_JOBS,
    EVALUATION_JOBS,
    Parameters,
    all_parameters,
    read_parameters,
)
from bedrock_platform.spec import logging as logging_spec
from bedrock_platform.spec import s3_vectors as s3_vectors_spec
from bedrock_platform.spec.vector_stores import collection_name

COLUMNS = ("KIND", "NAME", "STATE", "DETAILS")
NOT_DEPLOYED = "not deployed"
NOT_FOUND = "not found"
ERROR = "error"
NEVER_INGESTED = "no ingestion job yet"
NOT_FOUND_CODES = frozenset({"ResourceNotFoundException", "NotFoundException", "DBClusterNotFoundFault"})
LEGACY = "LEGACY"
LEGACY_WARNING = (
    "warning: {name} is Legacy{since}: no new provisioned throughput can be bought for it{end}; "
    "move {uses} to an Active model"
)


@dataclass(frozen=True)
class Row:
    """One resource: what it is, its live state, and what else is worth knowing."""

    kind: str
    name: str
    state: str
    details: str = ""
    failed_call: bool = False
    """True when a call about this resource failed (the command then exits 1)."""


def status(config: PlatformConfig, clients: Clients, out: TextIO) -> int:
    """Print the table of ``config``'s resources; 0 when every call succeeded, else 1."""
    found = read_parameters(clients("ssm"), all_parameters(config))
    rows = list(collect_rows(config, clients, found))
    out.write(render_table(rows))
    return 1 if any(row.failed_call for row in rows) else 0


def collect_rows(config: PlatformConfig, clients: Clients, found: Parameters) -> Iterator[Row]:
    """The rows of every declared resource, in config order."""
    environment = config.environment
    yield from _collection_rows(config, clients)
    yield from _vector_bucket_rows(config, clients)
    yield from _aurora_rows(config, clients)
    for knowledge_base in config.knowledge_bases:
        yield from _knowledge_base_rows(environment, knowledge_base, clients("bedrock-agent"), found)
        if knowledge_base.logging is not None:
            deployed = found.get(parameters.knowledge_base_id(environment, knowledge_base.name))
            delivery_read = partial(_read_delivery, clients("bedrock-agent"), clients("logs"))
            yield _row("kb-logs", knowledge_base.name, deployed, delivery_read)
    for guardrail in config.guardrails:
        yield from _guardrail_rows(environment, guardrail, clients("bedrock"), found)
    if config.automated_reasoning_policies:
        yield from _reasoning_rows(config, clients("bedrock"))
    if config.enforced_guardrail is not None:
        yield _enforced_row(config, clients("bedrock"), found)
    for throughput in config.provisioned_throughputs:
        arn = found.get(parameters.provisioned_model_arn(environment, throughput.name))
        yield _row("throughput", throughput.name, arn, partial(_read_throughput, clients("bedrock")))
    for profile in config.inference_profiles:
        arn = found.get(parameters.inference_profile_arn(environment, profile.name))
        yield _row("inference-profile", profile.name, arn, partial(_read_profile, clients("bedrock")))
    for kind, row_kind, jobs, read in (
        (EVALUATION_JOBS, "evaluation-job", config.evaluation_jobs, _read_evaluation_job),
        (BATCH_INFERENCE_JOBS, "batch-job", config.batch_inference_jobs, _read_batch_job),
    ):
        for job in jobs:
            arn = found.get(parameters.job_arn(environment, kind, job.name))
            output = found.get(parameters.job_output_uri(environment, kind, job.name))
            yield _row(row_kind, job.name, arn, partial(read, clients("bedrock"), output))
    for model_id, uses in catalogued_models(config).items():
        yield _row("model", model_id, model_id, partial(_read_model, clients("bedrock"), uses))


def catalogued_models(config: PlatformConfig) -> dict[str, list[str]]:
    """The catalogued models the config uses, in config order, each with what uses it.

    A throughput's base model (a custom model is not catalogued), each knowledge base's embedding
    model and each data source's parsing model (the base model of a system profile).
    """
    models: dict[str, list[str]] = {}
    for knowledge_base in config.knowledge_bases:
        models.setdefault(knowledge_base.embedding_model, []).append(f"knowledge base {knowledge_base.name}")
        for source in knowledge_base.data_sources:
            if source.parsing is not None and source.parsing.model is not None:
                model = source.parsing.model
                base = model.split(".", 1)[1] if inference_profile_geography(model) is not None else model
                user = f"data source {knowledge_base.name}/{source.name} (parsing)"
                models.setdefault(base, []).append(user)
    for throughput in config.provisioned_throughputs:
        if throughput_model(throughput.model) is not None:
            models.setdefault(throughput.model, []).append(f"throughput {throughput.name}")
    return models


def _row(kind: str, name: str, identifier: str | None, read: Callable[[str], tuple[str, str]]) -> Row:
    """A row from ``read(identifier)``: the resource's state and details, or why they are unknown."""
    if identifier is None:
        return Row(kind, name, NOT_DEPLOYED)
    try:
        state, details = read(identifier)
    except ClientError as error:
        return _failed(kind, name, error)
    return Row(kind, name, state, details)


def _failed(kind: str, name: str, error: ClientError) -> Row:
    state = NOT_FOUND if error_code(error) in NOT_FOUND_CODES else ERROR
    return Row(kind, name, state, describe(error), failed_call=True)


def _knowledge_base_rows(
    environment: str, knowledge_base: KnowledgeBase, agent: Any, found: Parameters
) -> Iterator[Row]:
    knowledge_base_id = found.get(parameters.knowledge_base_id(environment, knowledge_base.name))
    yield _row("knowledge-base", knowledge_base.name, knowledge_base_id, partial(_read_knowledge_base, agent))
    for data_source in knowledge_base.data_sources:
        name = f"{knowledge_base.name}/{data_source.name}"
        data_source_id = found.get(
            parameters.data_source_id(environment, knowledge_base.name, data_source.name)
        )
        if knowledge_base_id is None:
            yield Row("data-source", name, NOT_DEPLOYED)
        else:
            yield _row(
                "data-source", name, data_source_id, partial(_read_data_source, agent, knowledge_base_id)
            )


def _guardrail_rows(environment: str, guardrail: Guardrail, bedrock: Any, found: Parameters) -> Iterator[Row]:
    guardrail_id = found.get(parameters.guardrail_id(environment, guardrail.name))
    yield _row("guardrail", guardrail.name, guardrail_id, partial(_read_guardrail, bedrock))
    for number, declared in enumerate(guardrail.versions, start=1):
        version = found.get(parameters.guardrail_version(environment, guardrail.name, number))
        name = f"{guardrail.name}/{number}"
        if guardrail_id is None or version is None:
            yield Row("guardrail-version", name, NOT_DEPLOYED, f"policy {declared.policy}")
        else:
            latest = number == len(guardrail.versions)
            yield _row(
                "guardrail-version", name, version, partial(_read_version, bedrock, guardrail_id, latest)
            )


def _reasoning_rows(config: PlatformConfig, bedrock: Any) -> Iterator[Row]:
    """Each Automated Reasoning policy, found by its AWS name (``<env>-<name>``), with its published
    versions against the declared ones: ``CURRENT`` when they match, ``BEHIND`` when a deploy has yet
    to publish some, ``AHEAD`` when more were published outside this config."""
    try:
        pages = bedrock.get_paginator("list_automated_reasoning_policies").paginate()
        live = {
            summary["name"]: summary
            for page in pages
            for summary in page["automatedReasoningPolicySummaries"]
        }
    except ClientError as error:
        for policy in config.automated_reasoning_policies:
            yield _failed("reasoning-policy", policy.name, error)
        return
    for policy in config.automated_reasoning_policies:
        summary = live.get(config.prefixed(policy.name))
        arn = summary["policyArn"] if summary else None
        read = partial(_read_reasoning_policy, bedrock, len(policy.versions))
        yield _row("reasoning-policy", policy.name, arn, read)


def _read_reasoning_policy(bedrock: Any, declared: int, arn: str) -> tuple[str, str]:
    pages = bedrock.get_paginator("list_automated_reasoning_policies").paginate(policyArn=arn)
    published = sorted(
        int(summary["version"])
        for page in pages
        for summary in page["automatedReasoningPolicySummaries"]
        if str(summary.get("version", "")).isdigit()
    )
    state = "CURRENT" if len(published) == declared else "BEHIND" if len(published) < declared else "AHEAD"
    versions = ", ".join(map(str, published)) or "none"
    return state, f"{arn.rpartition('/')[2]}; versions published: {versions} (declared {declared})"


def _collection_rows(config: PlatformConfig, clients: Clients) -> Iterator[Row]:
    """Each OpenSearch Serverless store's collection, by the name the stack gives it (or the existing
    one's), with its status."""
    for store in config.vector_stores:
        if store.type != "opensearch_serverless":
            continue
        name = store.existing_collection_name or collection_name(
            config.prefixed(store.name),
            standby_replicas=store.standby_replicas,
            kms_key_arn=store.kms_key_arn,
        )
        yield _row("collection", store.name, name, partial(_read_collection, clients("opensearchserverless")))


def _read_collection(client: Any, name: str) -> tuple[str, str]:
    found = client.batch_get_collection(names=[name]).get("collectionDetails", [])
    if not found:
        return NOT_FOUND, name
    collection = found[0]
    replicas = collection.get("standbyReplicas")
    return str(collection.get("status", "")), _joined(
        name, f"standby replicas {replicas}" if replicas else ""
    )


def _aurora_rows(config: PlatformConfig, clients: Clients) -> Iterator[Row]:
    """Each Aurora store's cluster, with its status and whether its Data API (which Bedrock uses) is on."""
    for store in config.vector_stores:
        if store.aurora is None:
            continue
        yield _row(
            "aurora-cluster", store.name, store.aurora["cluster_arn"], partial(_read_cluster, clients("rds"))
        )


def _read_cluster(client: Any, arn: str) -> tuple[str, str]:
    (cluster,) = client.describe_db_clusters(DBClusterIdentifier=arn)["DBClusters"]
    data_api = (
        "Data API on"
        if cluster.get("HttpEndpointEnabled")
        else "Data API OFF: Bedrock cannot reach the table"
    )
    return str(cluster.get("Status", "")), _joined(str(cluster.get("DBClusterIdentifier", "")), data_api)


def _vector_bucket_rows(config: PlatformConfig, clients: Clients) -> Iterator[Row]:
    """An S3 Vectors store's bucket, and each knowledge base's index in it, by the names the stacks
    give them (no lookup: the names follow from the config)."""
    for store in config.vector_stores:
        if not store.s3_vectors:
            continue
        existing_index = s3_vectors_spec.INDEX_ARN.match(store.index_arn or "")
        if existing_index:
            bucket = existing_index["bucket"]
        elif store.vector_bucket_arn:
            bucket = store.vector_bucket_arn.rsplit("/", 1)[1]
        else:
            bucket = s3_vectors_spec.vector_bucket_name(
                config.prefixed(store.name), kms_key_arn=store.kms_key_arn
            )
        client = clients("s3vectors")
        yield _row("vector-bucket", store.name, bucket, partial(_read_vector_bucket, client))
        for knowledge_base in config.knowledge_bases:
            if knowledge_base.vector_store != store.name:
                continue
            index = (
                existing_index["index"]
                if existing_index
                else s3_vectors_spec.index_name(
                    s3_vectors_spec.index_base(knowledge_base.name),
                    dimensions=knowledge_base.dimensions,
                    distance_metric=store.distance_metric,
                )
            )
            yield _row(
                "vector-index", knowledge_base.name, index, partial(_read_vector_index, client, bucket)
            )


def _read_vector_bucket(client: Any, name: str) -> tuple[str, str]:
    bucket = client.get_vector_bucket(vectorBucketName=name)["vectorBucket"]
    encryption = bucket.get("encryptionConfiguration", {}).get("sseType", "AES256")
    return "present", _joined(name, f"encryption {encryption}")


def _read_vector_index(client: Any, bucket: str, name: str) -> tuple[str, str]:
    index = client.get_index(vectorBucketName=bucket, indexName=name)["index"]
    return "present", _joined(name, f"{index['dimension']} dimensions, {index['distanceMetric']}")


def _read_knowledge_base(agent: Any, knowledge_base_id: str) -> tuple[str, str]:
    return _knowledge_base(agent.get_knowledge_base(knowledgeBaseId=knowledge_base_id))


def _read_data_source(agent: Any, knowledge_base_id: str, data_source_id: str) -> tuple[str, str]:
    """The data source's status, and its last ingestion job (the newest by start time)."""
    ids = {"knowledgeBaseId": knowledge_base_id, "dataSourceId": data_source_id}
    state = agent.get_data_source(**ids)["dataSource"]["status"]
    jobs = agent.list_ingestion_jobs(
        **ids, sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"}, maxResults=1
    )["ingestionJobSummaries"]
    return state, _last_ingestion(jobs[0]) if jobs else NEVER_INGESTED


def _read_guardrail(bedrock: Any, guardrail_id: str) -> tuple[str, str]:
    return _guardrail(bedrock.get_guardrail(guardrailIdentifier=guardrail_id))


def _read_version(bedrock: Any, guardrail_id: str, latest: bool, version: str) -> tuple[str, str]:
    response = bedrock.get_guardrail(guardrailIdentifier=guardrail_id, guardrailVersion=version)
    return _guardrail_version(response, latest)


def _read_throughput(bedrock: Any, arn: str) -> tuple[str, str]:
    return _throughput(bedrock.get_provisioned_model_throughput(provisionedModelId=arn))


def _enforced_row(config: PlatformConfig, bedrock: Any, found: Parameters) -> Row:
    """The account's enforced guardrail configuration, and whether it is the one this file declares."""
    enforced = config.enforced_guardrail
    assert enforced is not None
    name = f"{enforced.guardrail}/{enforced.version}"
    try:
        configs = bedrock.list_enforced_guardrails_configuration()["guardrailsConfig"]
    except ClientError as error:
        return _failed("enforced-guardrail", name, error)
    mine = [item for item in configs if item.get("owner") == "ACCOUNT"]
    if not mine:
        return Row("enforced-guardrail", name, "NOT ENFORCED", "no account-level enforced guardrail")
    live = mine[0]
    guardrail_id = found.get(parameters.guardrail_id(config.environment, enforced.guardrail))
    version = found.get(
        parameters.guardrail_version(config.environment, enforced.guardrail, enforced.version)
    )
    details = f"guardrail {live['guardrailId']} version {live['guardrailVersion']}"
    if (live["guardrailId"], live["guardrailVersion"]) != (guardrail_id, version):
        return Row(
            "enforced-guardrail",
            name,
            "OTHER",
            f"{details}: not this file's (id {guardrail_id}, version {version})",
        )
    return Row("enforced-guardrail", name, "ENFORCED", details)


def _read_delivery(agent: Any, logs_client: Any, knowledge_base_id: str) -> tuple[str, str]:
    """The knowledge base's delivery source (named after its AWS name) and where its deliveries go."""
    name = agent.get_knowledge_base(knowledgeBaseId=knowledge_base_id)["knowledgeBase"]["name"]
    source = logs_client.get_delivery_source(name=logging_spec.delivery_name(name))["deliverySource"]
    destinations = []
    pages = logs_client.get_paginator("describe_deliveries").paginate(deliverySourceNames=[source["name"]])
    for page in pages:
        for delivery in page["deliveries"]:
            arn = delivery.get("deliveryDestinationArn", "")
            destinations.append(f"{delivery.get('deliveryDestinationType', '?')} {arn.rsplit(':', 1)[-1]}")
    reason = source.get("statusReason")
    where = f"to {', '.join(sorted(destinations))}" if destinations else "no delivery"
    return source.get("status", "unknown"), _joined(where, *([reason] if reason else []))


def _read_profile(bedrock: Any, arn: str) -> tuple[str, str]:
    return _profile(bedrock.get_inference_profile(inferenceProfileIdentifier=arn))


def _read_model(bedrock: Any, uses: Sequence[str], model_id: str) -> tuple[str, str]:
    return _model(bedrock.get_foundation_model(modelIdentifier=model_id), uses)


def _read_evaluation_job(bedrock: Any, output: str | None, arn: str) -> tuple[str, str]:
    return _evaluation_job(bedrock.get_evaluation_job(jobIdentifier=arn), output)


def _read_batch_job(bedrock: Any, output: str | None, arn: str) -> tuple[str, str]:
    return _batch_job(bedrock.get_model_invocation_job(jobIdentifier=arn), output)


def _knowledge_base(response: Mapping[str, Any]) -> tuple[str, str]:
    knowledge_base = response["knowledgeBase"]
    return knowledge_base["status"], _joined(
        f"id {knowledge_base['knowledgeBaseId']}", *_reasons(knowledge_base.get("failureReasons"))
    )


def _last_ingestion(job: Mapping[str, Any]) -> str:
    """``last ingestion COMPLETE at 2026-11-21 10:00 UTC: 12 scanned, ...`` of a job summary."""
    started = timestamp(job["startedAt"])
    return f"last ingestion {job['status']} at {started}: {counts(job.get('statistics', {}))}"


def counts(statistics: Mapping[str, Any]) -> str:
    """An ingestion job's document counts: scanned, indexed (new + modified), deleted, failed."""
    new = int(statistics.get("numberOfNewDocumentsIndexed", 0))
    modified = int(statistics.get("numberOfModifiedDocumentsIndexed", 0))
    return (
        f"{statistics.get('numberOfDocumentsScanned', 0)} scanned, "
        f"{new + modified} indexed ({new} new, {modified} modified), "
        f"{statistics.get('numberOfDocumentsDeleted', 0)} deleted, "
        f"{statistics.get('numberOfDocumentsFailed', 0)} failed"
    )


def _guardrail(response: Mapping[str, Any]) -> tuple[str, str]:
    return response["status"], _joined(
        f"id {response['guardrailId']}, DRAFT updated {timestamp(response['updatedAt'])}",
        *_reasons(response.get("statusReasons")),
    )


def _guardrail_version(response: Mapping[str, Any], latest: bool) -> tuple[str, str]:
    details = f"version {response['version']}" + (" (latest)" if latest else "")
    return response["status"], _joined(details, *_reasons(response.get("statusReasons")))


def _throughput(response: Mapping[str, Any]) -> tuple[str, str]:
    units, desired = response["modelUnits"], response["desiredModelUnits"]
    details = f"{units} model units" + (f" (changing to {desired})" if desired != units else "")
    if "commitmentDuration" in response:
        details += f", {response['commitmentDuration']} commitment"
        if "commitmentExpirationTime" in response:
            details += f" until {timestamp(response['commitmentExpirationTime'])}"
    return response["status"], _joined(details, *_reasons([response.get("failureMessage")]))


def _profile(response: Mapping[str, Any]) -> tuple[str, str]:
    """``ACTIVE``, and each model it routes to with the Regions it runs in."""
    regions: dict[str, list[str]] = {}
    for model in response["models"]:
        arn = model["modelArn"]
        region = arn.split(":")[3] or "any Region"
        regions.setdefault(arn.rpartition("/")[2], []).append(region)
    routes = "; ".join(f"{model} in {', '.join(found)}" for model, found in regions.items())
    return response["status"], f"{response['inferenceProfileId']} routes to {routes}"


def _model(response: Mapping[str, Any], uses: Sequence[str]) -> tuple[str, str]:
    """The model's lifecycle state, what uses it, and a warning when it is Legacy."""
    details = response["modelDetails"]
    lifecycle = details.get("modelLifecycle") or {}
    state = str(lifecycle.get("status", "unknown"))
    used_by = ", ".join(uses)
    if state != LEGACY:
        return state, f"used by {used_by}"
    since = f" since {timestamp(lifecycle['legacyTime'])}" if "legacyTime" in lifecycle else ""
    end = (
        f", and it reaches end of life at {timestamp(lifecycle['endOfLifeTime'])}"
        if ("endOfLifeTime" in lifecycle)
        else ""
    )
    name = details.get("modelName") or details["modelId"]
    warning = LEGACY_WARNING.format(name=name, since=since, end=end, uses=used_by)
    return state, warning


def _evaluation_job(response: Mapping[str, Any], output: str | None) -> tuple[str, str]:
    location = output or response["outputDataConfig"]["s3Uri"]
    return response["status"], _joined(f"results in {location}", *_reasons(response.get("failureMessages")))


def _batch_job(response: Mapping[str, Any], output: str | None) -> tuple[str, str]:
    parts = []
    if "totalRecordCount" in response:
        succeeded, failed = response.get("successRecordCount", 0), response.get("errorRecordCount", 0)
        parts.append(
            f"{response.get('processedRecordCount', 0)} of {response['totalRecordCount']} records "
            f"processed ({succeeded} succeeded, {failed} failed)"
        )
    location = output or response["outputDataConfig"].get("s3OutputDataConfig", {}).get("s3Uri")
    if location:
        parts.append(f"results in {location}")
    return response.get("status", "unknown"), _joined(*parts, *_reasons([response.get("message")]))


def _reasons(reasons: Sequence[str | None] | None) -> list[str]:
    return [" ".join(reason.split()) for reason in reasons or [] if reason]


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def timestamp(moment: datetime) -> str:
    """A service timestamp in UTC, to the minute: ``2026-11-21 10:00 UTC``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_table(rows: Sequence[Row]) -> str:
    """The rows under the header, each column as wide as its widest cell, no trailing blanks."""
    cells = [COLUMNS, *((row.kind, row.name, row.state, row.details) for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS) - 1)]
    lines = [
        "  ".join(
            [*(cell.ljust(width) for cell, width in zip(line, widths, strict=False)), line[-1]]
        ).rstrip()
        for line in cells
    ]
    return "\n".join(lines) + "\n"
