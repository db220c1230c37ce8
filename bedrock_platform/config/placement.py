"""Which numbered knowledge stack holds each knowledge base, and how much each knowledge stack holds.

Knowledge bases are spread over ``knowledge_stacks`` numbered stacks: ``<env>-bedrock-knowledge``
(stack 1, which also holds every vector store's collection) and ``<env>-bedrock-knowledge-<k>``.
A knowledge base pinned with ``stack: k`` is in stack k; an unpinned one is in the stack its
own name hashes to (:func:`knowledge_stack_of`). Moving a knowledge base to another stack deletes
and re-creates it (and its vectors), so the placement of one never depends on the others.

:func:`knowledge_stack_sizes` counts the resources and outputs each knowledge stack synthesizes,
mirroring ``bedrock_platform/stacks/knowledge.py`` (a test compares it with synthesized
templates), and :func:`access_policy_bound` bounds the length of each data access policy they
synthesize, so that validation can refuse a config that CloudFormation would refuse.
Pure functions: nothing here imports aws_cdk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bedrock_platform import outputs, permissions
from bedrock_platform.config.checks import SAMPLE_SETTINGS_HASH

DEFAULT_KNOWLEDGE_STACKS = 1
MAX_KNOWLEDGE_STACKS = 20
"""The largest ``knowledge_stacks`` (the schema's maximum)."""

MAX_RESOURCES = 500
MAX_OUTPUTS = 200
"""CloudFormation's quotas of one stack."""
MAX_TEMPLATE_BYTES = 1_048_576
"""CloudFormation's quota "Template body size in an Amazon S3 object" (1 MB): the CDK CLI uploads
every template over 50 KB to the bootstrap bucket and deploys it from there."""

# What each part synthesizes, as stacks/knowledge.py builds it.
COLLECTION = (4, 1)
"""(resources, outputs) of a vector store in stack 1: the collection, its encryption, network and
data access policies; its endpoint output."""
PUBLISHED_COLLECTION = (2, 0)
"""A vector store with knowledge bases in another stack: its ARN and endpoint SSM parameters in stack 1."""
IMPORTED_COLLECTION = (1, 0)
"""A vector store in a stack k >= 2 with knowledge bases on it: that stack's own data access policy."""
KNOWLEDGE_BASE = (5, 1)
"""A knowledge base: its index, role, role policy, knowledge base and id parameter; its id output."""
DATA_SOURCE = (2, 1)
"""A data source and its id parameter; its id output."""
CREATED_BUCKET = (2, 1)
"""A bucket the toolkit creates, and its bucket policy; its name output."""
OTHER_CREATED_BUCKET = (2, 0)
"""A bucket the toolkit creates without an output (a multimodal storage), and its bucket policy."""
INTERMEDIATE_BUCKET = (2, 1)
"""A custom transformation's intermediate bucket the toolkit creates, its bucket policy; its name output."""
ACCESS_LOGS = (2, 0)
"""Once per stack with a created bucket: the access log bucket and its bucket policy."""
SCHEDULED_SYNC = (3, 0)
"""A data source with a sync schedule: the schedule, its role and the role's policy."""
INGESTION = (1, 0)
"""A data source with ingest_on_deploy: its custom resource."""
HANDLER_PROVIDER = (16, 0)
"""Once per stack whose custom resources one handler runs (ingestion, throughputs, jobs): the
handler's two functions, the Provider framework's three, four roles with their policies, two log
groups and the waiter state machine."""
INGESTION_PROVIDER = HANDLER_PROVIDER
TABLE_KNOWLEDGE_BASE = (-1, 0)
"""A knowledge base on an Aurora table has no index resource: one less than :data:`KNOWLEDGE_BASE`."""
EXISTING_COLLECTION = (1, 1)
"""A vector store on an existing collection: the toolkit's data access policy on it, and its endpoint
output."""
VECTOR_BUCKET = (2, 1)
"""An S3 Vectors store whose vector bucket the toolkit creates: the bucket, its policy, and its ARN
output (its indexes are counted with their knowledge bases, as a collection's indexes are)."""
EXISTING_VECTOR_BUCKET = (0, 1)
"""An S3 Vectors store on an existing vector bucket: its ARN output only."""
LOGGED_KNOWLEDGE_BASE = (1, 0)
"""A knowledge base with logging: its delivery source."""
LOG_GROUP_DELIVERY = (3, 0)
"""A knowledge base's logs to CloudWatch Logs: its log group, delivery destination and delivery."""
LOG_BUCKET_DELIVERY = (4, 0)
"""A knowledge base's logs to S3: its bucket, the bucket's policy, delivery destination and delivery."""
LOG_STREAM_DELIVERY = (2, 0)
"""A knowledge base's logs to Firehose: a delivery destination and a delivery."""
LOG_DELIVERY_POLICY = (1, 0)
"""Once per stack with a knowledge base logged to CloudWatch Logs: the CloudWatch Logs resource policy
for the deliveries."""
KNOWLEDGE_BASE_LOGS_KEY = (1, 0)
"""Once per stack without a stack key whose knowledge base log groups use a key of the toolkit's."""
STACK_KEY = (1, 0)
"""Once per stack, with Control Tower on, that creates a bucket or runs a handler: the stack's own
KMS key (constructs/encryption.py ``stack_key``) for them."""

# What the other stacks synthesize, as stacks/guardrails.py, throughput.py and evaluation.py build
# them (a test compares these counts with synthesized templates). Their outputs are counted from
# bedrock_platform/outputs.py, which names them.
GUARDRAIL_RESOURCES = 2
"""A guardrail and its id parameter."""
GUARDRAIL_VERSION_RESOURCES = 2
"""A declared version and its number parameter."""
GUARDRAIL_LATEST_RESOURCES = 1
"""A guardrail with versions: the newest version's parameter."""
THROUGHPUT_RESOURCES = 2
"""A provisioned throughput's custom resource and its ARN parameter."""
CREATED_JOB_BUCKET_RESOURCES = 4
"""The job bucket the toolkit creates, its policy, its access log bucket and that bucket's policy."""
JOB_RESOURCES = 5
"""An evaluation or batch inference job: its role, the role's policy, its custom resource and its ARN
and output URI parameters."""
JOB_DATA_UPLOAD_RESOURCES = 2
"""A dataset or batch input the stack uploads from the repository: its deployment and its AWS CLI layer."""
JOB_DATA_UPLOADER_RESOURCES = 4
"""Once per stack with an upload: the upload function, its log group, role and policy."""


def knowledge_stack_of(name: str, count: int, pin: int | None = None) -> int:
    """The number, 1 to ``count``, of the knowledge stack that holds the knowledge base ``name``.

    ``pin`` (its ``stack``) wins. Otherwise ``1 + sha256(name) mod count``: a function of the
    knowledge base's own name and of ``count`` only, so adding or removing another knowledge base
    never moves it, while a new ``count`` moves most unpinned knowledge bases.
    """
    if pin is not None:
        return pin
    return 1 + int(hashlib.sha256(name.encode()).hexdigest(), 16) % count


def stack_name(environment: str, part: str) -> str:
    """``<env>-bedrock-<part>``: the name of each stack of an environment."""
    return f"{environment}-bedrock-{part}"


def knowledge_stack_name(environment: str, number: int) -> str:
    """``<env>-bedrock-knowledge`` for stack 1, ``<env>-bedrock-knowledge-<number>`` for the others."""
    base = stack_name(environment, "knowledge")
    return base if number == 1 else f"{base}-{number}"


@dataclass(frozen=True)
class KnowledgeBaseFootprint:
    """What one knowledge base brings to its stack."""

    vector_store: str
    stack: int
    """The number of the knowledge stack that holds it."""
    data_sources: int = 0
    created_buckets: int = 0
    """Data sources on a bucket the toolkit creates."""
    other_created_buckets: int = 0
    """Other buckets the toolkit creates for it: its multimodal storage."""
    intermediate_buckets: int = 0
    """Intermediate buckets the toolkit creates for its data sources' custom transformations."""
    ingested: int = 0
    """Data sources with ingest_on_deploy."""
    scheduled: int = 0
    """Data sources with a sync schedule."""
    log_destinations: frozenset[str] = frozenset()
    """Where its application logs are delivered: ``cloudwatch``, ``s3``, ``firehose``."""
    logs_own_key: bool = False
    """Whether its log group uses a key of the toolkit's (logged, without a kms_key_arn)."""
    log_bucket_keyed: bool = False
    """Whether its log bucket has no kms_key_arn (the stack's key encrypts it when there is one)."""

    @property
    def logged(self) -> bool:
        return bool(self.log_destinations)


@dataclass(frozen=True)
class StackSize:
    """Resources and outputs of one stack."""

    resources: int = 0
    outputs: int = 0

    def __add__(self, other: StackSize) -> StackSize:
        return StackSize(self.resources + other.resources, self.outputs + other.outputs)

    def times(self, count: int) -> StackSize:
        """This size ``count`` times."""
        return StackSize(self.resources * count, self.outputs * count)

    @property
    def within_quotas(self) -> bool:
        """Whether CloudFormation accepts a stack of this size."""
        return self.resources <= MAX_RESOURCES and self.outputs <= MAX_OUTPUTS


def _size(part: tuple[int, int], count: int = 1) -> StackSize:
    return StackSize(*part).times(count)


def knowledge_stack_sizes(
    vector_stores: Sequence[str],
    knowledge_bases: Iterable[KnowledgeBaseFootprint],
    *,
    keyed: bool = False,
    vector_buckets: Mapping[str, bool] | None = None,
    existing_collections: Collection[str] = (),
    tables: Collection[str] = (),
) -> dict[int, StackSize]:
    """The size of each knowledge stack that exists, by number (``keyed``: with Control Tower on, a
    stack that creates a bucket or ingests on deploy has a key of its own). ``vector_buckets`` names
    the S3 Vectors stores among ``vector_stores``, each with whether the toolkit creates its bucket:
    stack 1 holds them, and a stack k >= 2 reaches them by ARN, with nothing to import.
    ``existing_collections`` names the stores on an existing collection (stack 1 adds a data access
    policy to it instead of creating it), ``tables`` the Aurora stores (nothing created: a knowledge
    base on one has no index resource).

    Stack 1 exists when there is a vector store or a knowledge base; stack k >= 2 when a knowledge
    base is placed in it.
    """
    knowledge_bases = list(knowledge_bases)
    if not vector_stores and not knowledge_bases:
        return {}
    numbers = sorted({1, *(kb.stack for kb in knowledge_bases)})
    sizes = {}
    for number in numbers:
        held = [kb for kb in knowledge_bases if kb.stack == number]
        stores = {kb.vector_store for kb in held}
        size = StackSize()
        buckets = vector_buckets or {}
        collections = [store for store in vector_stores if store not in buckets and store not in tables]
        if number == 1:
            elsewhere = {kb.vector_store for kb in knowledge_bases if kb.stack != 1}
            size += _size(
                COLLECTION, len([store for store in collections if store not in existing_collections])
            )
            size += _size(
                EXISTING_COLLECTION, len([store for store in collections if store in existing_collections])
            )
            size += _size(PUBLISHED_COLLECTION, len([store for store in collections if store in elsewhere]))
            size += _size(VECTOR_BUCKET, sum(created for created in buckets.values()))
            size += _size(EXISTING_VECTOR_BUCKET, sum(not created for created in buckets.values()))
        else:
            size += _size(IMPORTED_COLLECTION, len(stores - set(buckets) - set(tables)))
        size += _size(KNOWLEDGE_BASE, len(held))
        size += _size(TABLE_KNOWLEDGE_BASE, len([kb for kb in held if kb.vector_store in tables]))
        size += _size(DATA_SOURCE, sum(kb.data_sources for kb in held))
        size += _size(CREATED_BUCKET, sum(kb.created_buckets for kb in held))
        size += _size(OTHER_CREATED_BUCKET, sum(kb.other_created_buckets for kb in held))
        size += _size(INTERMEDIATE_BUCKET, sum(kb.intermediate_buckets for kb in held))
        size += _size(INGESTION, sum(kb.ingested for kb in held))
        size += _size(SCHEDULED_SYNC, sum(kb.scheduled for kb in held))
        if any(
            kb.created_buckets
            or kb.other_created_buckets
            or kb.intermediate_buckets
            or "s3" in kb.log_destinations
            for kb in held
        ):
            size += _size(ACCESS_LOGS)
        if any(kb.ingested for kb in held):
            size += _size(INGESTION_PROVIDER)
        size += _size(LOGGED_KNOWLEDGE_BASE, sum(kb.logged for kb in held))
        for kind, footprint in (
            ("cloudwatch", LOG_GROUP_DELIVERY),
            ("s3", LOG_BUCKET_DELIVERY),
            ("firehose", LOG_STREAM_DELIVERY),
        ):
            size += _size(footprint, sum(kind in kb.log_destinations for kb in held))
        if any("cloudwatch" in kb.log_destinations for kb in held):
            size += _size(LOG_DELIVERY_POLICY)
        if keyed and any(
            kb.created_buckets
            or kb.other_created_buckets
            or kb.intermediate_buckets
            or kb.ingested
            or kb.logs_own_key
            or kb.log_bucket_keyed
            for kb in held
        ):
            size += _size(STACK_KEY)
        elif not keyed and any(kb.logs_own_key for kb in held):
            size += _size(KNOWLEDGE_BASE_LOGS_KEY)
        sizes[number] = size
    return sizes


MAX_ACCESS_POLICY_CHARACTERS = 20_480
"""OpenSearch Serverless's limit on a data access policy document (CreateAccessPolicy ``policy``)."""
MAX_ROLE_NAME = 64
"""IAM's longest role name. CloudFormation names the knowledge base roles (``<stack>-<logical
id>-<suffix>``, cut to this length) and the bootstrap's execution role is named at deploy time:
neither is known when the file is validated."""

_PARTITIONS: tuple[tuple[str, str], ...] = (
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-", "aws-eusc"),
    ("cn-", "aws-cn"),
)
"""Region prefix and partition, as botocore's partitions.json gives them (first match wins)."""
LONGEST_PARTITION = "aws-us-gov"


def partition_of(region: str | None) -> str:
    """The partition of ``region``: ``aws`` for a commercial Region; the longest partition name when
    the Region is unknown."""
    if region is None:
        return LONGEST_PARTITION
    return next((partition for prefix, partition in _PARTITIONS if region.startswith(prefix)), "aws")


def longest_role_arn(partition: str) -> str:
    """As long as the ARN of a role without a path can be in ``partition``: a 64-character name."""
    return f"arn:{partition}:iam::{'0' * 12}:role/{'r' * MAX_ROLE_NAME}"


def access_policy_statement(
    collection: str, index: str, index_permissions: Sequence[str], principal: str
) -> str:
    """One statement of a data access policy, serialized as the VectorCollection construct does
    (``Stack.to_json_string``: compact JSON, its key order)."""
    statement = {
        "Rules": [
            {
                "ResourceType": "collection",
                "Resource": [f"collection/{collection}"],
                "Permission": list(permissions.COLLECTION_DESCRIBE_PERMISSIONS),
            },
            {
                "ResourceType": "index",
                "Resource": [f"index/{collection}/{index}"],
                "Permission": list(index_permissions),
            },
        ],
        "Principal": [principal],
    }
    return json.dumps(statement, separators=(",", ":"))


@dataclass(frozen=True)
class AccessPolicyBound:
    """An upper bound of the length of one data access policy a knowledge stack synthesizes."""

    base: int
    """The document without its knowledge base statements: the CloudFormation execution role's
    statement and, in stack 1, those of ``data_access_principals``."""
    knowledge_bases: tuple[int, ...] = ()
    """What each knowledge base's statement adds to it (with the comma before it)."""
    principals: int = 0
    """How many ``data_access_principals`` it names."""

    @property
    def length(self) -> int:
        """The bound, in characters."""
        return self.base + sum(self.knowledge_bases)

    @property
    def within_limit(self) -> bool:
        """Whether OpenSearch Serverless accepts a document of this length."""
        return self.length <= MAX_ACCESS_POLICY_CHARACTERS

    @property
    def fitting(self) -> int:
        """How many of these knowledge bases, the shortest statements first, one policy can hold."""
        room, count = MAX_ACCESS_POLICY_CHARACTERS - self.base, 0
        for added in sorted(self.knowledge_bases):
            room -= added
            if room < 0:
                break
            count += 1
        return count


def access_policy_bound(
    collection: str, knowledge_bases: Iterable[str], *, principals: Sequence[str] = (), partition: str
) -> AccessPolicyBound:
    """An upper bound of the length of the data access policy a knowledge stack gives ``collection``.

    The policy is a JSON list of one statement per grant (``_DataAccessPolicy._render``): the
    CloudFormation execution role on every index, each of ``principals`` (``data_access_principals``,
    granted in stack 1 only) on every index, and the role of each of ``knowledge_bases`` (those of
    the stack on this collection) on its own index, named ``<knowledge base>-<6 hex digits>``
    (constructs/vector_index.py). The two kinds of role ARN are unknown until
    deployed and count as :func:`longest_role_arn`; everything else is known. So the length is
    ``2 + (statements - 1) + sum of the statements' lengths``, exact but for the role names.
    """
    role = longest_role_arn(partition)
    statements = [access_policy_statement(collection, "*", permissions.INDEX_ADMIN_PERMISSIONS, role)]
    statements += [
        access_policy_statement(collection, "*", permissions.INDEX_READ_WRITE_PERMISSIONS, principal)
        for principal in principals
    ]
    return AccessPolicyBound(
        base=len(statements) + 1 + sum(len(statement) for statement in statements),
        principals=len(principals),
        knowledge_bases=tuple(
            len(
                access_policy_statement(
                    collection,
                    f"{name}-{SAMPLE_SETTINGS_HASH}",
                    permissions.KNOWLEDGE_BASE_INDEX_PERMISSIONS,
                    role,
                )
            )
            + 1
            for name in knowledge_bases
        ),
    )


GUARDRAIL_RESOURCE_POLICY_RESOURCES = 1
"""A guardrail that is enforced or shared with an organization: its resource policy."""
ENFORCED_GUARDRAIL_RESOURCES = 1
"""The account-level enforced guardrail configuration."""


def guardrails_stack_size(
    versions: Sequence[int],
    *,
    with_policies: int = 0,
    enforced: bool = False,
    reasoning_versions: Sequence[int] = (),
) -> StackSize:
    """The guardrails stack of guardrails with these numbers of declared versions, ``with_policies`` of
    them with a resource policy, one of them ``enforced``, and Automated Reasoning policies with these
    numbers of versions (a policy and each version, no output)."""
    resources = sum(
        GUARDRAIL_RESOURCES
        + GUARDRAIL_VERSION_RESOURCES * count
        + (GUARDRAIL_LATEST_RESOURCES if count else 0)
        for count in versions
    )
    resources += GUARDRAIL_RESOURCE_POLICY_RESOURCES * with_policies
    resources += ENFORCED_GUARDRAIL_RESOURCES if enforced else 0
    resources += sum(1 + count for count in reasoning_versions)
    return StackSize(resources, sum(len(outputs.guardrail_outputs("", count)) for count in versions))


def throughput_stack_size(throughputs: int, *, keyed: bool = False) -> StackSize:
    """The throughput stack of this many provisioned throughputs (``keyed``: Control Tower on)."""
    if not throughputs:
        return StackSize()
    resources = HANDLER_PROVIDER[0] + THROUGHPUT_RESOURCES * throughputs + (STACK_KEY[0] if keyed else 0)
    return StackSize(resources, len(outputs.throughput_outputs("")) * throughputs)


INFERENCE_PROFILE_RESOURCES = 2
"""An application inference profile and its SSM parameter."""


def inference_stack_size(profiles: int) -> StackSize:
    """The inference stack of this many application inference profiles."""
    return StackSize(
        INFERENCE_PROFILE_RESOURCES * profiles, len(outputs.inference_profile_outputs("")) * profiles
    )


def evaluation_stack_size(jobs: int, uploads: int, *, creates_bucket: bool, keyed: bool = False) -> StackSize:
    """The evaluation stack of this many evaluation and batch inference jobs, with ``uploads``
    datasets and batch inputs shipped from the repository (``keyed``: Control Tower on)."""
    if not jobs:
        return StackSize()
    resources = (
        (CREATED_JOB_BUCKET_RESOURCES if creates_bucket else 0)
        + HANDLER_PROVIDER[0]
        + JOB_RESOURCES * jobs
        + (JOB_DATA_UPLOADER_RESOURCES + JOB_DATA_UPLOAD_RESOURCES * uploads if uploads else 0)
        + (STACK_KEY[0] if keyed else 0)
    )
    return StackSize(resources, len(outputs.JOB_BUCKET_OUTPUTS) + len(outputs.job_outputs("")) * jobs)


# The guardrails stack's template is the one whose size the config's own text drives (a guardrail's
# word list alone may hold 10,000 words of 100 characters: 1.3 MB). Its bound counts each scalar of
# a guardrail's entry (keys included) at its JSON length plus a fixed allowance for the template's
# keys and indentation around it; measured on synthesized templates (a test keeps it an upper bound
# and close for word lists).
GUARDRAILS_STACK_TEMPLATE_BYTES = 2_000
"""The guardrails stack's own part: its metadata, the bootstrap version rule and parameter."""
GUARDRAIL_TEMPLATE_BYTES = 4_000
"""A guardrail's fixed part: its resource, id parameter, outputs and their descriptions."""
GUARDRAIL_VERSION_TEMPLATE_BYTES = 2_500
"""A declared version's fixed part: its resource, number parameter, outputs (and the latest's)."""
NAME_TEMPLATE_OCCURRENCES = 40
"""How many times a guardrail's name appears (resource names, logical ids, parameter names,
descriptions), each version's description 3 times (the version, its parameter, its output)."""
SCALAR_TEMPLATE_BYTES = 80
"""The allowance around one scalar of a guardrail's entry: the template's key and indentation."""
WORD_TEMPLATE_BYTES = 34
"""The allowance around one word: ``{"Text": ...}`` and its indentation in WordsConfig."""


def json_bytes(text: str) -> int:
    """The bytes of ``text`` as a JSON string in a template (UTF-8, JSON's escapes)."""
    return len(json.dumps(text, ensure_ascii=False).encode())


def guardrail_template_bytes(
    name: str, scalars: Iterable[str], words: Iterable[str], versions: Iterable[str]
) -> int:
    """An upper bound of what one guardrail adds to the guardrails stack's template: its name, the
    scalars of its entry (keys and values, words and versions left out), its words (the inline ones
    and a words file's, each once) and its versions' descriptions."""
    return (
        GUARDRAIL_TEMPLATE_BYTES
        + NAME_TEMPLATE_OCCURRENCES * len(name.encode())
        + sum(json_bytes(scalar) + SCALAR_TEMPLATE_BYTES for scalar in scalars)
        + sum(json_bytes(word) + WORD_TEMPLATE_BYTES for word in dict.fromkeys(words))
        + sum(GUARDRAIL_VERSION_TEMPLATE_BYTES + 3 * json_bytes(description) for description in versions)
    )
