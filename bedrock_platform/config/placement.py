"""Which numbered knowledge stack holds each knowledge base, and how much each knowledge stack holds.

Knowledge bases are spread over ``knowledge_stacks`` numbered stacks: ``<env>-bedrock-knowledge``
(stack 1, which also holds every vector store's collection) and ``<env>-bedrock-knowledge-<k>``.
A knowledge base pinned with ``stack: k`` is in stack k; an unpinned one is in the stack its
own name hashes to (:func:`knowledge_stack_of`). Moving a knowledge base to another stack deletes
and re-creates it (and its vectors), so the placement of one never depends on the others.

:func:`knowledge_stack_sizes` counts the resources and outputs each knowledge stack synthesizes,
mirroring ``bedrock_platform/stacks/knowledge.py`` (a test compares it with synthesized
templates), so that validation can refuse a config that CloudFormation would refuse.
Pure functions: nothing here imports aws_cdk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_KNOWLEDGE_STACKS = 1
MAX_KNOWLEDGE_STACKS = 20
"""The largest ``knowledge_stacks`` (the schema's maximum)."""

MAX_RESOURCES = 500
MAX_OUTPUTS = 200
"""CloudFormation's quotas of one stack."""

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
ACCESS_LOGS = (2, 0)
"""Once per stack with a created bucket: the access log bucket and its bucket policy."""
INGESTION = (1, 0)
"""A data source with ingest_on_deploy: its custom resource."""
INGESTION_PROVIDER = (16, 0)
"""Once per stack with an ingested data source: the handler's two functions, the Provider framework's
three, four roles with their policies, two log groups and the waiter state machine."""


def knowledge_stack_of(name: str, count: int, pin: int | None = None) -> int:
    """The number, 1 to ``count``, of the knowledge stack that holds the knowledge base ``name``.

    ``pin`` (its ``stack``) wins. Otherwise ``1 + sha256(name) mod count``: a function of the
    knowledge base's own name and of ``count`` only, so adding or removing another knowledge base
    never moves it, while a new ``count`` moves most unpinned knowledge bases.
    """
    if pin is not None:
        return pin
    return 1 + int(hashlib.sha256(name.encode()).hexdigest(), 16) % count


def knowledge_stack_name(environment: str, number: int) -> str:
    """``<env>-bedrock-knowledge`` for stack 1, ``<env>-bedrock-knowledge-<number>`` for the others."""
    base = f"{environment}-bedrock-knowledge"
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
    ingested: int = 0
    """Data sources with ingest_on_deploy."""


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
    vector_stores: Sequence[str], knowledge_bases: Iterable[KnowledgeBaseFootprint]
) -> dict[int, StackSize]:
    """The size of each knowledge stack that exists, by number.

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
        if number == 1:
            elsewhere = {kb.vector_store for kb in knowledge_bases if kb.stack != 1}
            size += _size(COLLECTION, len(vector_stores))
            size += _size(PUBLISHED_COLLECTION, len([store for store in vector_stores if store in elsewhere]))
        else:
            size += _size(IMPORTED_COLLECTION, len(stores))
        size += _size(KNOWLEDGE_BASE, len(held))
        size += _size(DATA_SOURCE, sum(kb.data_sources for kb in held))
        size += _size(CREATED_BUCKET, sum(kb.created_buckets for kb in held))
        size += _size(INGESTION, sum(kb.ingested for kb in held))
        if any(kb.created_buckets for kb in held):
            size += _size(ACCESS_LOGS)
        if any(kb.ingested for kb in held):
            size += _size(INGESTION_PROVIDER)
        sizes[number] = size
    return sizes
