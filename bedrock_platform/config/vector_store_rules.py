"""Semantic checks of the vector store types: the keys each type takes, S3 Vectors' names and Regions,
existing buckets, collections and tables (one knowledge base each); and the data sources' sync
schedules, which issue 22's source rules will join in a module of their own.

``vector-store-fields`` is a document rule (which keys are written); the others are typed rules on
the stores and knowledge bases the schema accepted (:mod:`.typed`). The OpenSearch Serverless rules
(collection names, network posture) are in :mod:`.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, items, string
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import did_you_mean, one_of, show
from bedrock_platform.config.typed import Checked
from bedrock_platform.spec import s3_vectors as spec
from bedrock_platform.spec import sync as sync_spec
from bedrock_platform.spec import vector_stores as stores_spec

FIELD_NOT_FOR_TYPE = "{field} does not apply to a vector store of type {type} (only to {other})"
FIELD_NOT_FOR_INDEX = (
    "{field} does not apply beside index_arn: the existing index has its own settings, and its bucket is "
    "in its ARN"
)
FIELD_MISSING = "missing required key {field}: a vector store of type {type} needs it"
AURORA_SHARED = (
    "vector store {store} is one table or index, which knowledge base {first} stores its vectors in "
    "already: give each knowledge base a store of its own (another table or index)"
)
FIELD_NOT_FOR_EXISTING = (
    "{field} does not apply to an existing_collection: it describes a collection the toolkit creates, "
    "and this one is its owner's"
)
COLLECTION_ELSEWHERE = (
    "the collection is in {where}, not in the config's {expected}: a knowledge base uses a collection of "
    "its own Region and account"
)
CLUSTER_ELSEWHERE = (
    "the cluster is in {where}, not in the config's {expected}: a knowledge base uses a cluster of its own "
    "Region and account"
)
SECRET_ELSEWHERE = (
    "the secret is in {where}, not in the config's {expected}: the knowledge base reads it in its own "
    "Region and account"
)
_COLLECTION_ARN = re.compile(r"^arn:[^:]+:aoss:(?P<region>[^:]+):(?P<account>[0-9]+):collection/")
S3_VECTORS_REGION = (
    "region {region} has no Amazon S3 Vectors in CloudFormation (AWS::S3Vectors::VectorBucket and "
    "Index), which a store of type 's3_vectors' needs{hint}"
)
S3_NAME = "the {what} {name} {problem}"
BUCKET_ELSEWHERE = (
    "the vector bucket is in {where}, not in the config's {expected}: a knowledge base's S3 Vectors index "
    "is in its own Region and account"
)
SAMPLE_HASH = "0a1b2c"
"""Stands for the six hex digits the toolkit appends to S3 Vectors names."""
_BUCKET_ARN = re.compile(r"^arn:[^:]+:s3vectors:(?P<region>[^:]+):(?P<account>[0-9]+):bucket/")

OPENSEARCH = "opensearch_serverless"


def vector_store_fields(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A vector store gives the keys of its type and no other (standby replicas and networks are
    OpenSearch Serverless's, distance metrics and vector buckets S3 Vectors', the table Aurora's)."""
    issues = []
    for path, store in items(config, ("vector_stores",)):
        if "type" in store and string(config, context, (*path, "type")) is None:
            continue  # a wrong type: the schema said so
        store_type = string(config, context, (*path, "type")) or OPENSEARCH
        allowed = stores_spec.TYPE_FIELDS[store_type]
        for field in store:
            if field in ("name", "type") or field in allowed:
                continue
            takers = [kind for kind, fields in stores_spec.TYPE_FIELDS.items() if field in fields]
            message = FIELD_NOT_FOR_TYPE.format(field=field, type=show(store_type), other=one_of(takers))
            issues.append(context.issue(path, message, key=field))
        for field in sorted(stores_spec.REQUIRED_FIELDS.get(store_type, ())):
            if field not in store:
                issues.append(
                    context.issue(path, FIELD_MISSING.format(field=show(field), type=show(store_type)))
                )
        if "index_arn" in store and store_type == spec.STORE_TYPE:
            for field in spec.EXISTING_INDEX_REFUSES:
                if field in store:
                    issues.append(context.issue(path, FIELD_NOT_FOR_INDEX.format(field=field), key=field))
        if "existing_collection" in store and store_type == OPENSEARCH:
            for field in spec.EXISTING_COLLECTION_REFUSES:
                if field in store:
                    issues.append(context.issue(path, FIELD_NOT_FOR_EXISTING.format(field=field), key=field))
    return issues


def one_knowledge_base_per_table(checked: Checked, context: RuleContext) -> list[Issue]:
    """An Aurora store (one table) or an existing S3 Vectors index holds the vectors of one knowledge
    base."""
    aurora = {
        store.item.name
        for store in checked.vector_stores
        if store.item.aurora_postgresql or store.item.index_arn is not None
    }
    first: dict[str, str] = {}
    issues = []
    for knowledge_base in checked.knowledge_bases:
        store = knowledge_base.item.vector_store
        if store not in aurora:
            continue
        if store in first:
            message = AURORA_SHARED.format(store=show(store), first=show(first[store]))
            issues.append(context.issue(knowledge_base.at("vector_store"), message))
        else:
            first[store] = knowledge_base.item.name
    return issues


def s3_vectors_regions(checked: Checked, context: RuleContext) -> list[Issue]:
    """An S3 Vectors store is in a Region with AWS::S3Vectors in CloudFormation."""
    region = checked.region
    if region is None or region in spec.REGIONS:
        return []
    hint = did_you_mean(region, spec.REGIONS)
    message = S3_VECTORS_REGION.format(region=show(region), hint=hint)
    return [
        context.issue(store.at("type"), message) for store in checked.vector_stores if store.item.s3_vectors
    ]


def s3_vectors_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """The vector bucket the toolkit creates (``<environment>-<name>-<6 hex digits>``) and each index
    (``<knowledge base name>-<6 hex digits>``) fit S3 Vectors' name rules."""
    issues = []
    environment = checked.environment
    s3_stores = {
        store.item.name
        for store in checked.vector_stores
        if store.item.s3_vectors and store.item.index_arn is None
    }
    for store in checked.vector_stores:
        if (
            not store.item.s3_vectors
            or store.item.vector_bucket_arn is not None
            or store.item.index_arn is not None
            or environment is None
        ):
            continue
        name = f"{environment}-{store.item.name}-{SAMPLE_HASH}"
        problem = spec.name_problem(name, spec.VECTOR_BUCKET_NAME, "vector bucket names")
        if problem:
            shown = show(f"{environment}-{store.item.name}-<6 hex digits>")
            issues.append(
                context.issue(
                    store.at("name"), S3_NAME.format(what="vector bucket name", name=shown, problem=problem)
                )
            )
    for knowledge_base in checked.knowledge_bases:
        if knowledge_base.item.vector_store not in s3_stores:
            continue
        base = spec.index_base(knowledge_base.item.name)
        problem = spec.name_problem(f"{base}-{SAMPLE_HASH}", spec.INDEX_NAME, "index names")
        if problem:
            shown = show(f"{base}-<6 hex digits>")
            message = S3_NAME.format(what="S3 Vectors index name", name=shown, problem=problem)
            issues.append(context.issue(knowledge_base.at("name"), message))
    return issues


def existing_stores_here(checked: Checked, context: RuleContext) -> list[Issue]:
    """An existing vector bucket or collection is in the config's Region and account."""
    issues = []
    for store in checked.vector_stores:
        for key, arn, pattern, template in (
            (("vector_bucket_arn",), store.item.vector_bucket_arn, _BUCKET_ARN, BUCKET_ELSEWHERE),
            (("index_arn",), store.item.index_arn, _BUCKET_ARN, BUCKET_ELSEWHERE),
            (
                ("existing_collection", "arn"),
                store.item.existing_collection_arn,
                _COLLECTION_ARN,
                COLLECTION_ELSEWHERE,
            ),
        ):
            match = pattern.match(arn or "")
            if match is None or checked.region is None or checked.account is None:
                continue
            if (match["region"], match["account"]) != (checked.region, checked.account):
                message = template.format(
                    where=f"{match['region']} in account {match['account']}",
                    expected=f"{checked.region} in account {checked.account}",
                )
                issues.append(context.issue(store.at(*key), message))
    return issues


SCHEDULE = "the schedule {schedule} {problem}"


def sync_schedules(checked: Checked, context: RuleContext) -> list[Issue]:
    """A data source's sync schedule is a rate or a cron Scheduler takes, at most once an hour."""
    issues = []
    for knowledge_base in checked.knowledge_bases:
        for index, source in enumerate(knowledge_base.item.data_sources):
            if source.sync_schedule is None:
                continue
            problem = sync_spec.schedule_problem(source.sync_schedule)
            if problem:
                message = SCHEDULE.format(schedule=show(source.sync_schedule), problem=problem)
                issues.append(
                    context.issue(knowledge_base.at("data_sources", index, "sync", "schedule"), message)
                )
    return issues
