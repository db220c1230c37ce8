"""Semantic checks: what JSON Schema cannot say (references, derived AWS names, the model catalog).

Each rule is a small pure function ``(config, context) -> list[Issue]`` registered in
:data:`RULES`; all of them run and their issues are collected. A rule returns no issue when it
does not apply, which includes every value the schema already found wrong (they are reported
once, by the schema): rules read values through the readers of :mod:`.checks`, which give
None for a missing, mistyped or schema-invalid value. Rules never raise for any input.

This module holds the vector store and knowledge base rules (prod's network posture among them),
the rules shared by all sections and the registry; the guardrail rules are in
:mod:`.guardrail_rules`, the provisioned throughput rules in :mod:`.throughput_rules`, the
evaluation and batch inference job rules in :mod:`.job_rules`.
Messages live at the top of each module, apart from the logic that fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bedrock_platform.config import (
    compliance_rules,
    guardrail_rules,
    job_rules,
    logging_rules,
    pipeline_rules,
    profile_rules,
    source_rules,
    stack_rules,
    throughput_rules,
    vector_store_rules,
)
from bedrock_platform.config.catalog import (
    EMBEDDING_MODELS,
    KNOWLEDGE_BASE_REGIONS,
    EmbeddingModel,
    RegionNeed,
    embedding_model,
    known_regions,
    region_needs,
)
from bedrock_platform.config.checks import (
    AWS_NAME,
    SAMPLE_SETTINGS_HASH,
    Rule,
    RuleContext,
    aws_name_problem,
    duplicates,
    integer,
    items,
    reference_issues,
    string,
    value,
)
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import did_you_mean, show
from bedrock_platform.config.model import CHUNKING_DEFAULTS, PROD_ENVIRONMENT
from bedrock_platform.config.typed import Checked, TypedRule, checked
from bedrock_platform.spec import chunking as chunking_spec
from bedrock_platform.spec import names as names_spec
from bedrock_platform.spec.vector_stores import COLLECTION_INDEX_REGIONS, NO_COLLECTION_TYPES

COLLECTION_NAME_LENGTH = (
    "the collection name {name} is {length} characters, {bound} {limit} "
    "(the collection and its OpenSearch Serverless policies are named <environment>-<name>-<6 hex digits>, "
    "the digits a hash of its standby replicas and encryption key)"
)
COLLECTION_NAME_CHARACTERS = (
    "the collection name {name} must be lowercase letters, digits and hyphens, starting with a letter"
)
INDEX_NAME = (
    "the vector index name {name} (the knowledge base name) must be lowercase letters, digits, "
    "hyphens and underscores, starting with a letter"
)
UNKNOWN_MODEL = "unknown embedding model {model}{hint}"
UNSUPPORTED_DIMENSIONS = "dimensions {dimensions} is not supported by {model} (supported: {supported})"
MODEL_NOT_IN_REGION = "{model} is not offered in region {region} (offered in: {regions})"
PARAMETER_NOT_OF_STRATEGY = "{parameter} does not apply to chunking strategy {strategy} ({takes})"
PARAMETER_OUT_OF_RANGE = "{parameter} must be {range}, got {value}"
CHILD_OVER_PARENT = "child_max_tokens {child} is more than parent_max_tokens {parent}"
OVERLAP_NOT_UNDER_CHILD = "overlap_tokens {overlap} must be less than child_max_tokens {child}"
NO_CHUNKING_OVER_MODEL_INPUT = (
    "chunking strategy 'none' embeds each file as one chunk, and {model} embeds at most {limit} tokens: "
    "the rest of every longer file would be cut off unseen; use fixed_size with max_tokens at most {limit} "
    "(or semantic or hierarchical chunking within it)"
)
CHUNK_OVER_MODEL_INPUT = (
    "{parameter} {value} is more than the {limit} tokens {model} embeds: the rest of every longer chunk "
    "would be cut off unseen; give at most {limit}"
)
UNKNOWN_REGION = (
    "region {region} has no Amazon Bedrock endpoint in botocore's endpoint data: not a Region, or one "
    "without Bedrock{hint}"
)
REGION_WITHOUT = "region {region} has no {what}, which {sections} need{hint}"
PRIVATE_COLLECTION_REGION = (
    "a collection reachable only through VPC endpoints gets its vector indexes from CloudFormation's "
    "AWS::OpenSearchServerless::CollectionIndex (the control-plane API its network policy does not gate), "
    "which region {region} does not have (it is in: {regions}); use a public network with "
    "allow_public_network, or one of those Regions"
)
KMS_KEY_REGION = (
    "the KMS key is in region {key_region}, not in the config's region {region} "
    "({user} needs a key in its own Region)"
)
KMS_KEY_ACCOUNT = "the KMS key is in account {key_account}, not in the config's account {account}"
PUBLIC_IN_PROD = (
    "{subject} reachable from the internet, which an environment named prod refuses: "
    "give network: {{vpc_endpoints: [vpce-...]}}, or allow_public_network: {{reason: ...}} saying why "
    "it must be public"
)
EXISTING_PUBLIC_IN_PROD = (
    "the existing collection is reachable from the internet (existing_collection.private is not true), "
    "which an environment named prod refuses: set private: true if its network policy admits no public "
    "access, or give allow_public_network: {reason: ...} saying why it must be public"
)
PUBLIC_ACKNOWLEDGMENT_UNUSED = (
    "allow_public_network is only for a public collection, and this one is reachable only through "
    "network.vpc_endpoints: remove it, so that a later switch to public needs a reason of its own"
)
BLANK_REASON = "the reason is blank: say why the collection must be reachable from the internet"

COLLECTION_NAME = names_spec.COLLECTION_NAME
COLLECTION_NAME_LIMITS = names_spec.COLLECTION_NAME_LIMITS
VECTOR_INDEX_NAME = names_spec.VECTOR_INDEX_NAME

CHUNKING_LIMITS: Mapping[str, Mapping[str, tuple[int, int | None]]] = {
    name: strategy.limits() for name, strategy in chunking_spec.STRATEGIES.items()
}
"""Inclusive limits of each strategy's parameters (None: no upper limit), from the spec."""

NO_CHUNKING_MIN_INPUT_TOKENS = chunking_spec.LARGEST_CHUNK
"""The smallest model input that chunking strategy none is accepted with: the largest chunk any other
strategy may make (fixed-size and semantic max_tokens, hierarchical parent_max_tokens: 1 to 8,192, the
limits above), as much as Titan Text Embeddings V1 and V2 embed (user guide, "Amazon Titan Text
Embeddings models"). Cohere Embed v3 embeds 512 ("Quotas for Amazon Bedrock", data source chunk size)."""
CHUNK_SIZE_PARAMETERS = chunking_spec.CHUNK_SIZE_PARAMETERS

KMS_KEY_USERS: Mapping[str, str] = {
    "guardrails": "a guardrail",
    "evaluation_jobs": "an evaluation job",
    "batch_inference_jobs": "a batch inference job",
}
"""The sections whose items take a kms_key_arn, and what each item is, as messages name it."""

_KMS_KEY_ARN = re.compile(r"^arn:[^:]+:kms:(?P<region>[^:]+):(?P<account>[0-9]+):")


def unique_names(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Names are unique: vector stores, knowledge bases, guardrails, throughputs, inference profiles,
    jobs; and in each."""
    issues = duplicates(config, context, ("vector_stores",), "vector store")
    issues += duplicates(config, context, ("knowledge_bases",), "knowledge base")
    for knowledge_base_path, _ in items(config, ("knowledge_bases",)):
        issues += duplicates(config, context, (*knowledge_base_path, "data_sources"), "data source")
    issues += duplicates(config, context, ("guardrails",), "guardrail")
    for guardrail_path, _ in items(config, ("guardrails",)):
        issues += duplicates(config, context, (*guardrail_path, "denied_topics", "topics"), "denied topic")
        issues += duplicates(config, context, (*guardrail_path, "sensitive_information", "regexes"), "regex")
    issues += duplicates(config, context, ("provisioned_throughputs",), "provisioned throughput")
    issues += duplicates(config, context, ("inference_profiles",), "inference profile")
    issues += duplicates(config, context, ("automated_reasoning_policies",), "Automated Reasoning policy")
    issues += duplicates(config, context, ("evaluation_jobs",), "evaluation job")
    for job_path, _ in items(config, ("evaluation_jobs",)):
        issues += duplicates(config, context, (*job_path, "datasets"), "dataset")
    issues += duplicates(config, context, ("batch_inference_jobs",), "batch inference job")
    return issues


def vector_store_references(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Each knowledge base's vector_store names a vector_stores entry of the file."""
    return [
        issue
        for knowledge_base_path, _ in items(config, ("knowledge_bases",))
        for issue in reference_issues(
            config, context, (*knowledge_base_path, "vector_store"), "vector store", "vector_stores"
        )
    ]


def collection_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """Collection and policy names, ``<environment>-<vector store name>``, fit OpenSearch Serverless."""
    environment = checked.environment
    if environment is None:
        return []
    low, high = COLLECTION_NAME_LIMITS
    issues = []
    for store in checked.vector_stores:
        if store.item.type != "opensearch_serverless" or store.item.existing_collection_arn is not None:
            continue  # a vector bucket's name has rule vector-bucket-names; an existing one is its owner's
        # The AWS name ends with a hash of the collection's create-only settings (spec/vector_stores.py).
        name = f"{environment}-{store.item.name}-{SAMPLE_SETTINGS_HASH}"
        if not low <= len(name) <= high:
            bound, limit = ("at least", low) if len(name) < low else ("at most", high)
            shown = show(f"{environment}-{store.item.name}-<6 hex digits>")
            message = COLLECTION_NAME_LENGTH.format(name=shown, length=len(name), bound=bound, limit=limit)
            issues.append(context.issue(store.at("name"), message))
        elif not COLLECTION_NAME.match(name):
            issues.append(context.issue(store.at("name"), COLLECTION_NAME_CHARACTERS.format(name=show(name))))
    return issues


def _public_network(config: Mapping[str, Any], context: RuleContext, store_path: ConfigPath) -> bool | None:
    """Whether the store's collection is public (no ``network``, or ``public``; an existing collection
    not said ``private``); None when unknown."""
    existing = value(config, (*store_path, "existing_collection"))
    if isinstance(existing, dict):
        private = existing.get("private", False)
        return None if not isinstance(private, bool) else not private
    network_path = (*store_path, "network")
    network = value(config, network_path)
    if not context.valid_tree(network_path):
        return None  # the schema reported it
    if network is None or network == "public":
        return True
    endpoints = value(config, (*network_path, "vpc_endpoints"))
    return False if isinstance(network, dict) and isinstance(endpoints, list) and endpoints else None


def private_collection_regions(checked: Checked, context: RuleContext) -> list[Issue]:
    """A private collection (vpc_endpoints) is in a Region with AWS::OpenSearchServerless::CollectionIndex.

    ``AWS::OpenSearchServerless::Index`` writes through the collection's endpoint, which a network
    policy with ``AllowFromPublic: false`` does not admit; CollectionIndex goes through the control
    plane (see bedrock_platform/constructs/vector_index.py).
    """
    region = checked.region
    if region is None or region in COLLECTION_INDEX_REGIONS:
        return []
    regions = ", ".join(COLLECTION_INDEX_REGIONS)
    message = PRIVATE_COLLECTION_REGION.format(region=show(region), regions=regions)
    return [
        context.issue(store.at("network", "vpc_endpoints"), message)
        for store in checked.vector_stores
        if not store.item.public and store.item.type == "opensearch_serverless"
    ]


def prod_private_network(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """In an environment named prod, a public collection needs allow_public_network with a reason."""
    if string(config, context, ("environment",)) != PROD_ENVIRONMENT:
        return []
    issues = []
    for store_path, store in items(config, ("vector_stores",)):
        if str(store.get("type")) in NO_COLLECTION_TYPES:
            continue  # no collection network policy: IAM (and the cluster's network) decide
        if "allow_public_network" in store or _public_network(config, context, store_path) is not True:
            continue  # acknowledged (a wrong acknowledgment is the schema's to report), or not public
        if "existing_collection" in store:
            issues.append(context.issue((*store_path, "existing_collection"), EXISTING_PUBLIC_IN_PROD))
            continue
        if "network" in store:
            where, subject = (*store_path, "network"), "'public' makes the collection"
        else:
            where, subject = store_path, "without network (default: public) the collection is"
        issues.append(context.issue(where, PUBLIC_IN_PROD.format(subject=subject)))
    return issues


def public_network_acknowledgments(checked: Checked, context: RuleContext) -> list[Issue]:
    """allow_public_network is given only on a public collection, and its reason is not blank."""
    issues = []
    for store in checked.vector_stores:
        reason = store.item.public_network_reason
        if reason is None or store.item.type != "opensearch_serverless":
            continue  # on an S3 Vectors store, vector-store-fields refuses the key
        if not store.item.public:
            issues.append(context.issue(store.at("allow_public_network"), PUBLIC_ACKNOWLEDGMENT_UNUSED))
        if not reason.strip():
            issues.append(context.issue(store.at("allow_public_network", "reason"), BLANK_REASON))
    return issues


def knowledge_base_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """Knowledge base and data source AWS names, and vector index names, are valid for AWS."""
    environment = checked.environment
    issues = []
    for knowledge_base in checked.knowledge_bases:
        name_path, name = knowledge_base.at("name"), knowledge_base.item.name
        if environment is not None:
            # The AWS name ends with a hash of the create-only settings (constructs/knowledge_base.py).
            problem = aws_name_problem(f"{environment}-{name}-{SAMPLE_SETTINGS_HASH}")
            if problem:
                shown = show(f"{environment}-{name}-<6 hex digits>")
                message = AWS_NAME.format(what="knowledge base's", name=shown, problem=problem)
                issues.append(context.issue(name_path, message))
        if not VECTOR_INDEX_NAME.match(name):
            issues.append(context.issue(name_path, INDEX_NAME.format(name=show(name))))
        for index, source in enumerate(knowledge_base.item.data_sources):
            problem = aws_name_problem(f"{source.name}-{SAMPLE_SETTINGS_HASH}")
            if problem:
                shown = show(f"{source.name}-<6 hex digits>")
                message = AWS_NAME.format(what="data source's", name=shown, problem=problem)
                issues.append(context.issue(knowledge_base.at("data_sources", index, "name"), message))
    return issues


def embedding_models(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The embedding model is catalogued, supports the dimensions, and is offered in the Region."""
    region = string(config, context, ("region",))
    issues = []
    for knowledge_base_path, _ in items(config, ("knowledge_bases",)):
        model_path = (*knowledge_base_path, "embedding_model")
        model_id = string(config, context, model_path)
        if model_id is None:
            continue
        model = embedding_model(model_id)
        if model is None:
            known = [known.model_id for known in EMBEDDING_MODELS]
            hint = did_you_mean(model_id, known) or f" (known: {', '.join(known)})"
            issues.append(context.issue(model_path, UNKNOWN_MODEL.format(model=show(model_id), hint=hint)))
            continue
        dimensions_path = (*knowledge_base_path, "dimensions")
        dimensions = integer(config, context, dimensions_path)
        if dimensions is not None and dimensions not in model.dimensions:
            supported = ", ".join(str(supported) for supported in model.dimensions)
            message = UNSUPPORTED_DIMENSIONS.format(
                dimensions=dimensions, model=model.model_id, supported=supported
            )
            issues.append(context.issue(dimensions_path, message))
        if region in KNOWLEDGE_BASE_REGIONS and region not in model.regions:
            regions = ", ".join(model.regions)
            message = MODEL_NOT_IN_REGION.format(model=model.model_id, region=show(region), regions=regions)
            issues.append(context.issue(model_path, message))
    return issues


def chunking(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Chunking parameters belong to the strategy and are within its limits."""
    issues = []
    for knowledge_base_path, _ in items(config, ("knowledge_bases",)):
        for source_path, _ in items(config, (*knowledge_base_path, "data_sources")):
            chunking_path = (*source_path, "chunking")
            strategy = string(config, context, (*chunking_path, "strategy"))
            settings = value(config, chunking_path)
            if strategy is not None and strategy in CHUNKING_LIMITS and isinstance(settings, dict):
                issues += _chunking_issues(config, context, chunking_path, strategy, settings)
    return issues


def _chunking_issues(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, strategy: str, settings: dict[str, Any]
) -> list[Issue]:
    limits = CHUNKING_LIMITS[strategy]
    parameters = {name for defaults in CHUNKING_DEFAULTS.values() for name in defaults}
    issues = []
    for name in settings:
        if name in parameters and name not in limits:
            takes = f"it takes: {', '.join(limits)}" if limits else "it takes no parameters"
            message = PARAMETER_NOT_OF_STRATEGY.format(parameter=name, strategy=show(strategy), takes=takes)
            issues.append(context.issue(path, message, key=name))
    effective: dict[str, int] = {}
    for name, (low, high) in limits.items():
        given = integer(config, context, (*path, name))
        if given is None and name in settings:
            continue  # present but wrong: the schema said so
        number = CHUNKING_DEFAULTS[strategy][name] if given is None else given
        if low <= number and (high is None or number <= high):
            effective[name] = number
            continue
        expected = f"at least {low}" if high is None else f"between {low} and {high}"
        issues.append(
            context.issue(
                (*path, name), PARAMETER_OUT_OF_RANGE.format(parameter=name, range=expected, value=number)
            )
        )
    if strategy == "hierarchical":
        issues += _hierarchy_issues(context, path, settings, effective)
    return issues


def _hierarchy_issues(
    context: RuleContext, path: ConfigPath, settings: Mapping[str, Any], effective: Mapping[str, int]
) -> list[Issue]:
    """child_max_tokens <= parent_max_tokens and overlap_tokens < child_max_tokens, defaults included."""

    def shown(name: str) -> str:
        return f"{effective[name]}" if name in settings else f"{effective[name]} (the default)"

    def where(*names: str) -> ConfigPath:
        return next(((*path, name) for name in names if name in settings), path)

    issues = []
    parent, child, overlap = (
        effective.get(name) for name in ("parent_max_tokens", "child_max_tokens", "overlap_tokens")
    )
    if parent is not None and child is not None and child > parent:
        message = CHILD_OVER_PARENT.format(child=shown("child_max_tokens"), parent=shown("parent_max_tokens"))
        issues.append(context.issue(where("child_max_tokens", "parent_max_tokens"), message))
    if child is not None and overlap is not None and overlap >= child:
        message = OVERLAP_NOT_UNDER_CHILD.format(
            overlap=shown("overlap_tokens"), child=shown("child_max_tokens")
        )
        issues.append(context.issue(where("overlap_tokens", "child_max_tokens"), message))
    return issues


def chunking_within_model_input(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Chunks fit the embedding model's input: no chunking needs a model that embeds 8,192 tokens,
    and a strategy's chunk size (defaults included) is at most what the model embeds."""
    issues = []
    for knowledge_base_path, _ in items(config, ("knowledge_bases",)):
        model = embedding_model(string(config, context, (*knowledge_base_path, "embedding_model")) or "")
        if model is None:
            continue  # not catalogued: embedding_models says so
        for source_path, _ in items(config, (*knowledge_base_path, "data_sources")):
            issues += _chunk_size_issues(config, context, (*source_path, "chunking"), model)
    return issues


def _chunk_size_issues(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, model: EmbeddingModel
) -> list[Issue]:
    settings = value(config, path)
    strategy = "fixed_size" if settings is None else string(config, context, (*path, "strategy"))
    limit = model.max_input_tokens
    if strategy == "none":
        if limit >= NO_CHUNKING_MIN_INPUT_TOKENS:
            return []
        message = NO_CHUNKING_OVER_MODEL_INPUT.format(model=model.model_id, limit=limit)
        return [context.issue((*path, "strategy"), message)]
    parameter = CHUNK_SIZE_PARAMETERS.get(strategy or "")
    if strategy is None or parameter is None:
        return []
    given = integer(config, context, (*path, parameter))
    if given is None and isinstance(settings, dict) and parameter in settings:
        return []  # present but wrong: the schema or the chunking rule said so
    size = CHUNKING_DEFAULTS[strategy][parameter] if given is None else given
    low, high = CHUNKING_LIMITS[strategy][parameter]
    if size <= limit or not low <= size <= (high or size):
        return []  # fits, or out of the strategy's own range (the chunking rule says so)
    shown = f"{size}" if given is not None else f"{size} (the default)"
    where = (*path, parameter) if given is not None else path
    message = CHUNK_OVER_MODEL_INPUT.format(
        parameter=parameter, value=shown, limit=limit, model=model.model_id
    )
    return [context.issue(where, message)]


def region_offers_sections(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The Region is one Amazon Bedrock is offered in, and has what each declared section needs
    (catalog.region_needs): knowledge bases and vector stores their CloudFormation types,
    guardrails theirs, throughputs, jobs and invocation logging a Bedrock endpoint."""
    region = string(config, context, ("region",))
    if region is None:
        return []
    if region not in known_regions():
        message = UNKNOWN_REGION.format(region=show(region), hint=did_you_mean(region, known_regions()))
        return [context.issue(("region",), message)]
    unmet: dict[RegionNeed, list[str]] = {}
    for section, need in region_needs().items():
        if value(config, (section,)) and region not in need.regions:
            unmet.setdefault(need, []).append(section)
    return [
        context.issue(
            ("region",),
            REGION_WITHOUT.format(
                region=show(region),
                what=need.what,
                sections=" and ".join(sections),
                hint=did_you_mean(region, need.regions),
            ),
        )
        for need, sections in unmet.items()
    ]


def kms_keys_in_region_and_account(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Customer managed KMS keys (vector stores, guardrails, jobs, logs) are in the Region and account."""
    issues = []
    for store_path, _ in items(config, ("vector_stores",)):
        if context.valid((*store_path, "encryption")):
            key_path = (*store_path, "encryption", "kms_key_arn")
            issues += _kms_key_issues(config, context, key_path, "an OpenSearch Serverless collection")
    for section, user in KMS_KEY_USERS.items():
        for item_path, _ in items(config, (section,)):
            issues += _kms_key_issues(config, context, (*item_path, "kms_key_arn"), user)
    for kb_path, _ in items(config, ("knowledge_bases",)):
        for kind, user in (
            ("cloudwatch", "a knowledge base log group"),
            ("s3", "a knowledge base log bucket"),
        ):
            issues += _kms_key_issues(config, context, (*kb_path, "logging", kind, "kms_key_arn"), user)
        for source_path, _ in items(config, (*kb_path, "data_sources")):
            key_path = (*source_path, "secret_kms_key_arn")
            issues += _kms_key_issues(config, context, key_path, "a connector's secret")
    log_key = ("invocation_logging", "cloudwatch", "kms_key_arn")
    issues += _kms_key_issues(config, context, log_key, "the invocation log group")
    issues += _kms_key_issues(config, context, ("handler_logs", "kms_key_arn"), "a handler log group")
    for bucket_path in _bucket_paths(config):
        if context.valid(bucket_path):
            # An existing bucket may belong to another account, and its key with it.
            created = isinstance(value(config, bucket_path), dict) and "create" in value(config, bucket_path)
            issues += _kms_key_issues(
                config, context, (*bucket_path, "kms_key_arn"), "an S3 bucket", same_account=created
            )
    return issues


def _bucket_paths(config: Mapping[str, Any]) -> list[ConfigPath]:
    """Where a bucket (``{create: true}`` or ``{arn: ...}``) can be: jobs, invocation logs, data sources."""
    paths: list[ConfigPath] = [("job_bucket",), ("invocation_logging", "s3", "bucket")]
    for kb_path, _ in items(config, ("knowledge_bases",)):
        for source_path, _ in items(config, (*kb_path, "data_sources")):
            paths += [
                (*source_path, "bucket"),
                (*source_path, "custom_transformation", "intermediate_bucket"),
            ]
    return paths


def _kms_key_issues(
    config: Mapping[str, Any],
    context: RuleContext,
    key_path: ConfigPath,
    user: str,
    *,
    same_account: bool = True,
) -> list[Issue]:
    match = _KMS_KEY_ARN.match(string(config, context, key_path) or "")
    if match is None:
        return []
    region = string(config, context, ("region",))
    account = string(config, context, ("account",))
    issues = []
    if region is not None and match["region"] != region:
        message = KMS_KEY_REGION.format(key_region=show(match["region"]), region=show(region), user=user)
        issues.append(context.issue(key_path, message))
    if same_account and account is not None and match["account"] != account:
        message = KMS_KEY_ACCOUNT.format(key_account=show(match["account"]), account=show(account))
        issues.append(context.issue(key_path, message))
    return issues


RULES: tuple[Rule | TypedRule, ...] = (
    Rule("unique-names", unique_names),
    Rule("vector-store-references", vector_store_references),
    TypedRule("collection-names", collection_names),
    Rule("vector-store-fields", vector_store_rules.vector_store_fields),
    TypedRule("vector-bucket-regions", vector_store_rules.s3_vectors_regions),
    TypedRule("vector-bucket-names", vector_store_rules.s3_vectors_names),
    TypedRule("existing-stores-here", vector_store_rules.existing_stores_here),
    TypedRule("one-knowledge-base-per-table", vector_store_rules.one_knowledge_base_per_table),
    TypedRule("sync-schedules", vector_store_rules.sync_schedules),
    Rule("prod-private-network", prod_private_network),
    TypedRule("private-collection-regions", private_collection_regions),
    TypedRule("public-network-acknowledgments", public_network_acknowledgments),
    TypedRule("knowledge-base-names", knowledge_base_names),
    Rule("embedding-models", embedding_models, gates=True),
    Rule("chunking", chunking),
    Rule("chunking-model-input", chunking_within_model_input),
    Rule("region-offers-sections", region_offers_sections),
    Rule("kms-keys-in-region-and-account", kms_keys_in_region_and_account),
    Rule("knowledge-stack-pins", stack_rules.knowledge_stack_pins),
    Rule("knowledge-stack-quotas", stack_rules.knowledge_stack_quotas),
    Rule("knowledge-stack-access-policies", stack_rules.knowledge_stack_access_policies),
    Rule("output-ids", stack_rules.output_ids),
    Rule("stack-quotas", stack_rules.other_stack_quotas),
    Rule("template-sizes", stack_rules.template_sizes),
    Rule("guardrail-policies", guardrail_rules.guardrail_policies),
    TypedRule("guardrail-names", guardrail_rules.guardrail_names),
    TypedRule("prompt-attack-input-only", guardrail_rules.prompt_attack_input_only),
    Rule("content-filter-forms", guardrail_rules.content_filter_forms),
    TypedRule("standard-tier-profile", guardrail_rules.standard_tier_profile),
    TypedRule("guardrail-profile-region", guardrail_rules.guardrail_profile_region),
    TypedRule("topic-definitions", guardrail_rules.topic_definitions),
    TypedRule("regex-patterns", guardrail_rules.regex_patterns),
    Rule("regex-actions", guardrail_rules.regex_actions, gates=True),
    Rule("word-lists", guardrail_rules.word_lists),
    Rule("guardrail-versions", guardrail_rules.guardrail_versions),
    TypedRule("guardrail-version-current", guardrail_rules.guardrail_version_current),
    Rule("guardrail-version-history", guardrail_rules.guardrail_version_history),
    TypedRule("smoke-samples-differ", guardrail_rules.smoke_samples_differ),
    TypedRule("smoke-allowed-sample-words", guardrail_rules.smoke_allowed_sample_words),
    TypedRule("throughput-commitments", throughput_rules.commitments_acknowledged),
    TypedRule("throughput-costs", throughput_rules.costs_acknowledged),
    TypedRule("throughput-models", throughput_rules.throughput_models),
    TypedRule("throughput-names", throughput_rules.throughput_names),
    TypedRule("throughput-tags", throughput_rules.throughput_tags),
    Rule("evaluation-kinds", job_rules.evaluation_kinds, gates=True),
    Rule("evaluation-fields", job_rules.evaluation_fields, gates=True),
    Rule("evaluation-model-count", job_rules.evaluation_model_count),
    TypedRule("evaluation-models", job_rules.evaluation_models),
    Rule("evaluation-dataset-forms", job_rules.evaluation_dataset_forms, gates=True),
    Rule("evaluation-builtin-datasets", job_rules.evaluation_builtin_datasets, gates=True),
    Rule("evaluation-metrics", job_rules.evaluation_metrics_for_kind, gates=True),
    Rule("job-references", job_rules.job_references),
    TypedRule("job-names", job_rules.job_names),
    TypedRule("batch-inputs", job_rules.batch_inputs),
    Rule("job-sources", job_rules.job_sources),
    Rule("job-bucket-used", job_rules.job_bucket_used),
    TypedRule("inference-profile-region", profile_rules.inference_profiles_in_region),
    Rule("logging-destinations", logging_rules.logging_destinations),
    Rule("knowledge-base-log-destinations", logging_rules.knowledge_base_log_destinations),
    Rule("data-source-fields", source_rules.data_source_fields, gates=True),
    Rule("data-source-connectors", source_rules.data_source_connectors),
    Rule("data-source-parsing", source_rules.data_source_parsing),
    Rule("data-source-transformations", source_rules.data_source_transformations),
    Rule("managed-knowledge-bases", source_rules.managed_knowledge_bases),
    Rule("native-multimodal", source_rules.native_multimodal),
    Rule("web-crawlers", source_rules.web_crawlers),
    Rule("sharepoint-sites", source_rules.sharepoint_sites),
    Rule("control-tower-exemptions", compliance_rules.control_tower_exemptions),
    Rule("control-tower-handler-vpc", compliance_rules.control_tower_handler_vpc),
    Rule("control-tower-log-retention", compliance_rules.control_tower_log_retention),
    Rule("invocation-logging-in-prod", compliance_rules.invocation_logging_in_prod),
    Rule("customer-managed-keys", compliance_rules.customer_managed_keys),
    Rule("inference-profile-names", profile_rules.inference_profile_names),
    Rule("enforced-guardrail", guardrail_rules.enforced_guardrail),
    Rule("automated-reasoning", guardrail_rules.automated_reasoning),
    Rule("pipeline-environments", pipeline_rules.pipeline_environments),
    Rule("pipeline-connection", pipeline_rules.pipeline_connection),
)
"""Every semantic rule, in the order they run (the order of their issues does not matter: they are sorted)."""


def check_rules(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Run every rule and collect their issues: the document rules, then the typed rules on the items
    that the schema and the document rules let through (:mod:`.typed`)."""
    issues = [
        issue.with_rule(rule.id)
        for rule in RULES
        if isinstance(rule, Rule)
        for issue in rule.check(config, context)
    ]
    gating = {rule.id for rule in RULES if isinstance(rule, Rule) and rule.gates}
    view = checked(config, context, [issue for issue in issues if issue.rule in gating])
    return issues + [
        issue.with_rule(rule.id)
        for rule in RULES
        if isinstance(rule, TypedRule)
        for issue in rule.check(view, context)
    ]
