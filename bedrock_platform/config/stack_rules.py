"""Semantic checks of the knowledge stacks: pins that exist, stacks within CloudFormation's quotas,
and data access policies within OpenSearch Serverless's length limit.

Where each knowledge base goes is :mod:`.placement`'s to say; these rules read the same values
from the file as written (so they run before the typed config exists) and skip a file whose
placement cannot be known yet (an unreadable name, vector store or pin: the schema or another
rule reports it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bedrock_platform import outputs
from bedrock_platform.config.checks import SAMPLE_SETTINGS_HASH, RuleContext, integer, items, string, value
from bedrock_platform.config.compliance_rules import control_tower_on
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import count as count_of
from bedrock_platform.config.messages import show
from bedrock_platform.config.placement import (
    DEFAULT_KNOWLEDGE_STACKS,
    GUARDRAILS_STACK_TEMPLATE_BYTES,
    MAX_ACCESS_POLICY_CHARACTERS,
    MAX_KNOWLEDGE_STACKS,
    MAX_OUTPUTS,
    MAX_RESOURCES,
    MAX_TEMPLATE_BYTES,
    AccessPolicyBound,
    KnowledgeBaseFootprint,
    StackSize,
    access_policy_bound,
    evaluation_stack_size,
    guardrail_template_bytes,
    guardrails_stack_size,
    inference_stack_size,
    knowledge_stack_name,
    knowledge_stack_of,
    knowledge_stack_sizes,
    partition_of,
    stack_name,
    throughput_stack_size,
)
from bedrock_platform.spec import logging as logging_spec
from bedrock_platform.spec.s3_vectors import STORE_TYPE as S3_VECTORS_STORE
from bedrock_platform.spec.vector_stores import NO_COLLECTION_TYPES, NO_INDEX_TYPES

PIN_OVER_COUNT = (
    "stack {pin} does not exist with knowledge_stacks {count}{default}: pin to {choices}, or raise "
    "knowledge_stacks to at least {pin}"
)
OVER_QUOTAS = "the stack {stack} would hold {amounts}, more than CloudFormation allows in one stack: {advice}"
RAISE = (
    "raise knowledge_stacks (knowledge_stacks: {count} would hold them) in a new environment; in a "
    "deployed one, first pin each deployed knowledge base to the stack it is in (stack: <number>), "
    "then raise it (a higher knowledge_stacks moves unpinned knowledge bases to other stacks, and a "
    "move deletes and re-creates them: the diff shows it as data loss)"
)
REPIN = (
    "with these pins no knowledge_stacks up to {limit} would hold them: pin knowledge bases that are "
    "not deployed yet to other stacks (a deployed one that moves is deleted and re-created, and "
    "loses its vectors)"
)
ACCESS_POLICY_OVER = (
    "the data access policy of collection {collection} in the stack {stack} would be up to {length} "
    "characters (role ARNs counted at their longest), at most {limit} in OpenSearch Serverless: it "
    "names {grants}; {advice}"
)
SPREAD = (
    "it holds at most {fitting} of these knowledge bases: {stacks}; or put some that are not deployed "
    "yet on another vector store"
)
FEWER_PRINCIPALS = (
    "the execution role and data_access_principals alone take {base} characters: name fewer "
    "principals (one role that the others assume, say)"
)

OUTPUT_COLLISION = (
    "{item} would make the stack output {output}, as {other} (line {line}) does: in one stack that is "
    "a second construct of the same id, which CDK refuses; {why}, so rename one of them"
)
STACK_OVER_QUOTAS = (
    "the stack {stack} would hold {amounts}, more than CloudFormation allows in one stack: {advice}"
)
FEWER_GUARDRAILS = "declare fewer guardrails, or fewer versions of them (each version makes two outputs)"
FEWER_PROFILES = "declare fewer inference profiles in this file"
FEWER_THROUGHPUTS = (
    "buy fewer provisioned throughputs in this environment (more model units on one throughput instead)"
)
FEWER_JOBS = "declare fewer evaluation and batch inference jobs in this environment"
TEMPLATE_TOO_LARGE = (
    "the stack {stack} would have a template of up to {size} bytes, more than CloudFormation takes "
    "({limit} bytes): guardrail {guardrail} alone takes up to {largest} bytes ({words}); use fewer or "
    "shorter words, or fewer guardrails in this environment"
)
OUTPUT_IDS_DROP_HYPHENS = "output ids drop hyphens and underscores and capitalize each part"
SHARED_STACK = "both live in the stack {stack}"

COUNT_PATH: ConfigPath = ("knowledge_stacks",)


def _knowledge_stacks(config: Mapping[str, Any], context: RuleContext) -> int | None:
    """``knowledge_stacks`` as given or its default; None when the schema refused it."""
    if "knowledge_stacks" not in config:
        return DEFAULT_KNOWLEDGE_STACKS
    count = integer(config, context, COUNT_PATH)
    return count if count is not None and 1 <= count <= MAX_KNOWLEDGE_STACKS else None


def knowledge_stack_pins(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A knowledge base's stack pin names one of the knowledge_stacks stacks."""
    count = _knowledge_stacks(config, context)
    if count is None:
        return []
    default = "" if "knowledge_stacks" in config else " (the default)"
    issues = []
    for knowledge_base_path, _ in items(config, ("knowledge_bases",)):
        pin_path = (*knowledge_base_path, "stack")
        pin = integer(config, context, pin_path)
        if pin is not None and pin > count:
            choices = "stack 1" if count == 1 else f"a stack from 1 to {count}"
            message = PIN_OVER_COUNT.format(pin=pin, count=count, default=default, choices=choices)
            issues.append(context.issue(pin_path, message))
    return issues


@dataclass(frozen=True)
class _Placed:
    """A knowledge base of the file and the stack it is placed in."""

    path: ConfigPath
    name: str
    vector_store: str
    stack: int


def _placements(config: Mapping[str, Any], context: RuleContext, count: int) -> list[_Placed] | None:
    """Where each knowledge base is, with ``count`` knowledge stacks; None when one cannot be placed."""
    found = []
    for knowledge_base_path, knowledge_base in items(config, ("knowledge_bases",)):
        name = string(config, context, (*knowledge_base_path, "name"))
        store = string(config, context, (*knowledge_base_path, "vector_store"))
        pin = integer(config, context, (*knowledge_base_path, "stack"))
        if name is None or store is None:
            return None
        if "stack" in knowledge_base and (pin is None or not 1 <= pin <= count):
            return None  # the schema or knowledge_stack_pins reports it
        found.append(_Placed(knowledge_base_path, name, store, knowledge_stack_of(name, count, pin)))
    return found


def _footprints(
    config: Mapping[str, Any], context: RuleContext, count: int
) -> list[KnowledgeBaseFootprint] | None:
    """What each knowledge base brings to its stack; None when one cannot be placed or counted."""
    placements = _placements(config, context, count)
    if placements is None:
        return None
    found = []
    for placed in placements:
        knowledge_base_path = placed.path
        if not context.valid((*knowledge_base_path, "data_sources")):
            return None
        sources = items(config, (*knowledge_base_path, "data_sources"))
        created = other_buckets = intermediate_buckets = 0
        for source_path, source in sources:
            if not context.valid((*source_path, "type")):
                return None
            if source.get("type", "s3") == "s3":
                bucket = value(config, (*source_path, "bucket"))
                if not isinstance(bucket, dict) or not context.valid((*source_path, "bucket")):
                    return None
                created += "create" in bucket
            transformation = (*source_path, "custom_transformation", "intermediate_bucket")
            intermediate = value(config, transformation)
            if intermediate is not None and not context.valid(transformation):
                return None
            intermediate_buckets += isinstance(intermediate, dict) and "create" in intermediate
        storage_path = (*knowledge_base_path, "multimodal_storage")
        storage = value(config, storage_path)
        if storage is not None and not context.valid(storage_path):
            return None
        other_buckets += isinstance(storage, dict) and "create" in storage
        if not context.valid((*knowledge_base_path, "logging")):
            return None
        logging = value(config, (*knowledge_base_path, "logging"))
        logging = logging if isinstance(logging, dict) else {}
        cloudwatch, bucket = logging.get("cloudwatch"), logging.get("s3")
        found.append(
            KnowledgeBaseFootprint(
                vector_store=placed.vector_store,
                stack=placed.stack,
                data_sources=len(sources),
                created_buckets=created,
                other_created_buckets=other_buckets,
                intermediate_buckets=intermediate_buckets,
                ingested=sum(value(config, (*path, "ingest_on_deploy")) is True for path, _ in sources),
                scheduled=sum(isinstance(value(config, (*path, "sync")), dict) for path, _ in sources),
                log_destinations=frozenset(
                    kind for kind in logging_spec.DESTINATION_KINDS if kind in logging
                ),
                logs_own_key=isinstance(cloudwatch, dict) and "kms_key_arn" not in cloudwatch,
                log_bucket_keyed=isinstance(bucket, dict) and "kms_key_arn" not in bucket,
            )
        )
    return found


def _store_names(config: Mapping[str, Any], context: RuleContext) -> list[str] | None:
    names = []
    for store_path, _ in items(config, ("vector_stores",)):
        name = string(config, context, (*store_path, "name"))
        if name is None:
            return None
        names.append(name)
    return names


def knowledge_stack_sizes_of(
    config: Mapping[str, Any], context: RuleContext, count: int | None = None
) -> dict[int, StackSize] | None:
    """The size of each knowledge stack of the file, by number (with ``count`` knowledge stacks
    instead of the file's when given); None when the file does not say enough to count."""
    count = _knowledge_stacks(config, context) if count is None else count
    stores = _store_names(config, context)
    footprints = None if count is None else _footprints(config, context, count)
    if stores is None or footprints is None:
        return None
    return knowledge_stack_sizes(
        stores,
        footprints,
        keyed=control_tower_on(config, context) is True,
        vector_buckets={
            str(store["name"]): "vector_bucket_arn" not in store
            for _, store in items(config, ("vector_stores",))
            if store.get("type") == S3_VECTORS_STORE
            and "index_arn" not in store
            and isinstance(store.get("name"), str)
        },
        existing_collections={
            str(store["name"])
            for _, store in items(config, ("vector_stores",))
            if "existing_collection" in store and isinstance(store.get("name"), str)
        },
        tables={
            str(store["name"])
            for _, store in items(config, ("vector_stores",))
            if (str(store.get("type")) in NO_INDEX_TYPES or "index_arn" in store)
            and isinstance(store.get("name"), str)
        },
    )


def knowledge_stack_quotas(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Every knowledge stack stays within CloudFormation's quotas: 500 resources, 200 outputs."""
    environment = string(config, context, ("environment",))
    count = _knowledge_stacks(config, context)
    sizes = None if count is None else knowledge_stack_sizes_of(config, context, count)
    if environment is None or count is None or sizes is None:
        return []
    over = {number: size for number, size in sizes.items() if not size.within_quotas}
    if not over:
        return []
    fitting = _smallest_fitting_count(config, context, above=count)
    advice = REPIN.format(limit=MAX_KNOWLEDGE_STACKS) if fitting is None else RAISE.format(count=fitting)
    where = COUNT_PATH if "knowledge_stacks" in config else ()
    issues = []
    for number, size in over.items():
        message = OVER_QUOTAS.format(
            stack=knowledge_stack_name(environment, number), amounts=_amounts(size), advice=advice
        )
        issues.append(context.issue(where, message))
    return issues


def access_policy_bounds_of(
    config: Mapping[str, Any], context: RuleContext, count: int | None = None
) -> dict[tuple[str, int], AccessPolicyBound] | None:
    """An upper bound of the length of each data access policy the knowledge stacks of the file
    synthesize, by (vector store, stack number), with ``count`` knowledge stacks instead of the
    file's when given; None when the file does not say enough to place its knowledge bases.

    Stack 1 has a policy for every vector store (with its ``data_access_principals``); stack k >= 2
    one for each vector store it has knowledge bases on. A vector store whose name or principals
    the schema refused is left out.
    """
    environment = string(config, context, ("environment",))
    count = _knowledge_stacks(config, context) if count is None else count
    placements = None if count is None else _placements(config, context, count)
    if environment is None or placements is None:
        return None
    partition = partition_of(string(config, context, ("region",)))
    placed: dict[str, dict[int, list[str]]] = {}
    for knowledge_base in placements:
        stacks = placed.setdefault(knowledge_base.vector_store, {})
        stacks.setdefault(knowledge_base.stack, []).append(knowledge_base.name)
    bounds = {}
    for store_path, store in items(config, ("vector_stores",)):
        if str(store.get("type")) in NO_COLLECTION_TYPES:
            continue  # no data access policy: IAM alone authorizes an S3 Vectors index or a table
        name = string(config, context, (*store_path, "name"))
        principals_path = (*store_path, "data_access_principals")
        principals = value(config, principals_path) or []
        if (
            name is None
            or (name, 1) in bounds  # a duplicate name: unique_names reports it
            or not context.valid_tree(principals_path)
            or not isinstance(principals, list)
            or not all(isinstance(principal, str) for principal in principals)
        ):
            continue
        stacks = placed.get(name, {})
        for number in sorted({1, *stacks}):
            bounds[(name, number)] = access_policy_bound(
                f"{environment}-{name}-{SAMPLE_SETTINGS_HASH}",  # the collection's AWS name, as long
                stacks.get(number, []),
                principals=principals if number == 1 else (),
                partition=partition,
            )
    return bounds


def knowledge_stack_access_policies(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Every data access policy a knowledge stack synthesizes fits OpenSearch Serverless's 20,480
    characters, role ARNs counted at their longest."""
    environment = string(config, context, ("environment",))
    count = _knowledge_stacks(config, context)
    bounds = None if count is None else access_policy_bounds_of(config, context, count)
    if environment is None or count is None or bounds is None:
        return []
    over = {key: bound for key, bound in bounds.items() if not bound.within_limit}
    if not over:
        return []
    fitting = _smallest_fitting_count(config, context, above=count)
    stacks = REPIN.format(limit=MAX_KNOWLEDGE_STACKS) if fitting is None else RAISE.format(count=fitting)
    store_paths: dict[str | None, ConfigPath] = {}
    for store_path, _ in items(config, ("vector_stores",)):
        store_paths.setdefault(string(config, context, (*store_path, "name")), store_path)
    issues = []
    for (store, number), bound in over.items():
        if bound.base > MAX_ACCESS_POLICY_CHARACTERS:
            advice = FEWER_PRINCIPALS.format(base=bound.base)
        else:
            advice = SPREAD.format(fitting=bound.fitting, stacks=stacks)
        message = ACCESS_POLICY_OVER.format(
            collection=f"{environment}-{store}",
            stack=knowledge_stack_name(environment, number),
            length=bound.length,
            limit=MAX_ACCESS_POLICY_CHARACTERS,
            grants=_grants(bound),
            advice=advice,
        )
        issues.append(context.issue(store_paths[store], message))
    return issues


def _grants(bound: AccessPolicyBound) -> str:
    """Who a data access policy names: ``the CloudFormation execution role and 60 knowledge base roles``."""
    parts = ["the CloudFormation execution role"]
    if bound.principals:
        parts.append(f"{bound.principals} data_access_principals")
    if bound.knowledge_bases:
        count = len(bound.knowledge_bases)
        parts.append(f"{count} knowledge base role{'s' if count > 1 else ''}")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _smallest_fitting_count(config: Mapping[str, Any], context: RuleContext, *, above: int) -> int | None:
    """The smallest knowledge_stacks over ``above`` whose stacks all fit CloudFormation's quotas and
    whose data access policies all fit OpenSearch Serverless's limit, with the file's pins; None
    when none does."""
    for count in range(above + 1, MAX_KNOWLEDGE_STACKS + 1):
        sizes = knowledge_stack_sizes_of(config, context, count)
        bounds = access_policy_bounds_of(config, context, count)
        if sizes is None and bounds is None:
            return None
        quotas = sizes is None or all(size.within_quotas for size in sizes.values())
        # A policy whose principals alone pass the limit fits with no count: it is reported on its own.
        policies = bounds is None or all(
            bound.within_limit or bound.base > MAX_ACCESS_POLICY_CHARACTERS for bound in bounds.values()
        )
        if quotas and policies:
            return count
    return None


@dataclass(frozen=True)
class _Output:
    """An output an item of the file makes, in the stack that holds it."""

    stack: str
    output: str
    name: str
    """The item's list and name: two items of one list with one name are ``unique-names``' to report."""
    item: str
    """The item, as a message names it: ``guardrail 'g-1'``."""
    name_path: ConfigPath


def _named_items(
    config: Mapping[str, Any], context: RuleContext, section: str
) -> list[tuple[ConfigPath, dict[str, Any], str]]:
    """(path, item, name) of each item of a top-level list whose name the schema accepted."""
    found = []
    for path, item in items(config, (section,)):
        name = string(config, context, (*path, "name"))
        if name is not None:
            found.append((path, item, name))
    return found


def _item_outputs(config: Mapping[str, Any], context: RuleContext) -> list[_Output]:
    """Every output the file's items make, with the stack each lands in (from :mod:`bedrock_platform.outputs`,
    the functions the stacks name their outputs with)."""
    found: list[_Output] = []
    environment = string(config, context, ("environment",)) or "<env>"
    for path, store, name in _named_items(config, context, "vector_stores"):
        store_type = store.get("type") if isinstance(store, dict) else None
        existing_index = isinstance(store, dict) and "index_arn" in store
        store_outputs: tuple[str, ...] = (
            ()
            if str(store_type) in NO_INDEX_TYPES or existing_index
            else outputs.vector_bucket_outputs(name)
            if store_type == S3_VECTORS_STORE
            else outputs.collection_outputs(name)
        )
        found += [
            _Output(
                knowledge_stack_name(environment, 1),
                output,
                f"vector_stores/{name}",
                f"vector store {show(name)}",
                (*path, "name"),
            )
            for output in store_outputs
        ]
    count = _knowledge_stacks(config, context)
    placements = None if count is None else _placements(config, context, count)
    for placed in placements or []:
        stack = knowledge_stack_name(environment, placed.stack)
        kb_item = f"knowledge base {show(placed.name)}"
        found += [
            _Output(stack, output, f"knowledge_bases/{placed.name}", kb_item, (*placed.path, "name"))
            for output in outputs.knowledge_base_outputs(placed.name)
        ]
        for source_path, source in items(config, (*placed.path, "data_sources")):
            source_name = string(config, context, (*source_path, "name"))
            if source_name is None:
                continue
            bucket = source.get("bucket")
            created = isinstance(bucket, dict) and "create" in bucket
            transformation = source.get("custom_transformation")
            batches = transformation.get("intermediate_bucket") if isinstance(transformation, dict) else None
            intermediate = isinstance(batches, dict) and "create" in batches
            item = f"data source {show(source_name)} of {kb_item}"
            found += [
                _Output(
                    stack,
                    output,
                    f"knowledge_bases/{placed.name}/{source_name}",
                    item,
                    (*source_path, "name"),
                )
                for output in outputs.data_source_outputs(
                    placed.name, source_name, created_bucket=created, intermediate_bucket=intermediate
                )
            ]
    for path, guardrail, name in _named_items(config, context, "guardrails"):
        versions = guardrail.get("versions")
        declared = len(versions) if isinstance(versions, list) else 0
        found += [
            _Output(
                stack_name(environment, "guardrails"),
                output,
                f"guardrails/{name}",
                f"guardrail {show(name)}",
                (*path, "name"),
            )
            for output in outputs.guardrail_outputs(name, declared)
        ]
    for path, _, name in _named_items(config, context, "provisioned_throughputs"):
        found += [
            _Output(
                stack_name(environment, "throughput"),
                output,
                f"provisioned_throughputs/{name}",
                f"provisioned throughput {show(name)}",
                (*path, "name"),
            )
            for output in outputs.throughput_outputs(name)
        ]
    for path, _, name in _named_items(config, context, "inference_profiles"):
        found += [
            _Output(
                stack_name(environment, "inference"),
                output,
                f"inference_profiles/{name}",
                f"inference profile {show(name)}",
                (*path, "name"),
            )
            for output in outputs.inference_profile_outputs(name)
        ]
    for section, noun in (
        ("evaluation_jobs", "evaluation job"),
        ("batch_inference_jobs", "batch inference job"),
    ):
        for path, _, name in _named_items(config, context, section):
            found += [
                _Output(
                    stack_name(environment, "evaluation"),
                    output,
                    f"{section}/{name}",
                    f"{noun} {show(name)}",
                    (*path, "name"),
                )
                for output in outputs.job_outputs(name)
            ]
    return found


def output_ids(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """No two items make the same output in one stack (``g-1`` and ``g1`` both make ``G1GuardrailId``).

    Reported once per item, at the later one's name. Two items of one list with the very same name
    are left to ``unique-names``.
    """
    first: dict[tuple[str, str], _Output] = {}
    reported: set[ConfigPath] = set()
    issues = []
    for made in _item_outputs(config, context):
        key = (made.stack, made.output)
        earlier = first.setdefault(key, made)
        if earlier is made or earlier.name == made.name or made.name_path in reported:
            continue
        reported.add(made.name_path)
        same_name = made.name.rsplit("/", 1)[-1] == earlier.name.rsplit("/", 1)[-1]
        why = SHARED_STACK.format(stack=made.stack) if same_name else OUTPUT_IDS_DROP_HYPHENS
        message = OUTPUT_COLLISION.format(
            item=made.item,
            output=made.output,
            other=earlier.item,
            line=context.line(earlier.name_path),
            why=why,
        )
        issues.append(context.issue(made.name_path, message))
    return issues


def _amounts(size: StackSize) -> str:
    return " and ".join(
        f"{amount} {what} (at most {limit})"
        for amount, limit, what in (
            (size.resources, MAX_RESOURCES, "resources"),
            (size.outputs, MAX_OUTPUTS, "outputs"),
        )
        if amount > limit
    )


def other_stack_sizes_of(
    config: Mapping[str, Any], context: RuleContext
) -> dict[str, tuple[StackSize, ConfigPath, str]]:
    """The size of the guardrails, throughput, inference and evaluation stacks of the file, by stack
    name, with the list they come from and what to do when one is over CloudFormation's quotas. A
    stack whose size the file does not say (a list the schema refused) is left out."""
    environment = string(config, context, ("environment",)) or "<env>"
    sizes: dict[str, tuple[StackSize, ConfigPath, str]] = {}
    if context.valid(("guardrails",)):
        versions = []
        enforced = value(config, ("enforced_guardrail", "guardrail"))
        with_policies = 0
        for _, guardrail in items(config, ("guardrails",)):
            declared = guardrail.get("versions")
            versions.append(len(declared) if isinstance(declared, list) else 0)
            with_policies += "share_with_organization" in guardrail or guardrail.get("name") == enforced
        reasoning = []
        for _, policy in items(config, ("automated_reasoning_policies",)):
            published = policy.get("versions")
            reasoning.append(len(published) if isinstance(published, list) else 0)
        if versions or reasoning:
            sizes[stack_name(environment, "guardrails")] = (
                guardrails_stack_size(
                    versions,
                    with_policies=with_policies,
                    enforced=enforced is not None,
                    reasoning_versions=reasoning,
                ),
                ("guardrails",),
                FEWER_GUARDRAILS,
            )
    if context.valid(("provisioned_throughputs",)):
        throughputs = len(items(config, ("provisioned_throughputs",)))
        if throughputs:
            sizes[stack_name(environment, "throughput")] = (
                throughput_stack_size(throughputs, keyed=control_tower_on(config, context) is True),
                ("provisioned_throughputs",),
                FEWER_THROUGHPUTS,
            )
    if context.valid(("inference_profiles",)):
        profiles = len(items(config, ("inference_profiles",)))
        if profiles:
            sizes[stack_name(environment, "inference")] = (
                inference_stack_size(profiles),
                ("inference_profiles",),
                FEWER_PROFILES,
            )
    sections = ("evaluation_jobs", "batch_inference_jobs")
    if all(context.valid((section,)) for section in sections):
        jobs = uploads = 0
        for section in sections:
            for job_path, job in items(config, (section,)):
                jobs += 1
                if section == "batch_inference_jobs":
                    uploads += "source" in job
                else:
                    uploads += sum(
                        "source" in dataset for _, dataset in items(config, (*job_path, "datasets"))
                    )
        bucket = value(config, ("job_bucket",))
        creates_bucket = not (isinstance(bucket, dict) and "arn" in bucket)
        if jobs:
            where: ConfigPath = (
                ("evaluation_jobs",) if "evaluation_jobs" in config else ("batch_inference_jobs",)
            )
            sizes[stack_name(environment, "evaluation")] = (
                evaluation_stack_size(
                    jobs,
                    uploads,
                    creates_bucket=creates_bucket,
                    keyed=control_tower_on(config, context) is True,
                ),
                where,
                FEWER_JOBS,
            )
    return sizes


def other_stack_quotas(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The guardrails, throughput and evaluation stacks stay within CloudFormation's quotas: 500
    resources, 200 outputs (the knowledge stacks have knowledge-stack-quotas; the logging stack's
    size is fixed)."""
    issues = []
    for stack, (size, where, advice) in other_stack_sizes_of(config, context).items():
        if not size.within_quotas:
            message = OVER_QUOTAS.format(stack=stack, amounts=_amounts(size), advice=advice)
            issues.append(context.issue(where, message))
    return issues


def _scalars(node: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every key and scalar value under ``node``, as text, leaving out the keys in ``skip`` at its top."""
    if isinstance(node, Mapping):
        for key, child in node.items():
            if key in skip:
                continue
            yield str(key)
            yield from _scalars(child)
    elif isinstance(node, list):
        for child in node:
            yield from _scalars(child)
    elif node is not None:
        yield str(node)


def guardrails_template_bytes(
    config: Mapping[str, Any], context: RuleContext
) -> dict[str, tuple[int, int]] | None:
    """An upper bound of what each guardrail adds to the guardrails stack's template, by name, with
    its number of words; None when the file does not say (a guardrail the schema refused)."""
    if not context.valid(("guardrails",)):
        return None
    found = {}
    for path, guardrail in items(config, ("guardrails",)):
        name = string(config, context, (*path, "name"))
        if name is None:
            return None
        filters = guardrail.get("word_filters")
        filters = filters if isinstance(filters, Mapping) else {}
        given = filters.get("words")
        words = [word for word in given if isinstance(word, str)] if isinstance(given, list) else []
        words_file = filters.get("words_file")
        listed = context.word_lists.get(words_file) if isinstance(words_file, str) else None
        if listed is not None:
            words += listed.words
        listed_versions = guardrail.get("versions")
        versions = [
            str(version.get("description", ""))
            for version in (listed_versions if isinstance(listed_versions, list) else ())
            if isinstance(version, Mapping)
        ]
        scalars = [
            *_scalars(
                {key: child for key, child in guardrail.items() if key != "word_filters"},
                frozenset({"name", "versions"}),
            ),
            *_scalars(filters, frozenset({"words", "words_file"})),
        ]
        found[name] = (guardrail_template_bytes(name, scalars, words, versions), len(dict.fromkeys(words)))
    return found


def template_sizes(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The guardrails stack's template stays within CloudFormation's template size (the other stacks'
    templates are bounded by their resources: see the README)."""
    guardrails = guardrails_template_bytes(config, context)
    if not guardrails:
        return []
    size = GUARDRAILS_STACK_TEMPLATE_BYTES + sum(bytes_ for bytes_, _ in guardrails.values())
    if size <= MAX_TEMPLATE_BYTES:
        return []
    largest = max(guardrails, key=lambda name: guardrails[name][0])
    environment = string(config, context, ("environment",)) or "<env>"
    message = TEMPLATE_TOO_LARGE.format(
        stack=stack_name(environment, "guardrails"),
        size=size,
        limit=MAX_TEMPLATE_BYTES,
        guardrail=show(largest),
        largest=guardrails[largest][0],
        words=count_of(guardrails[largest][1], "word"),
    )
    return [context.issue(("guardrails",), message)]
