"""Semantic checks of the knowledge stacks: pins that exist, and stacks within CloudFormation's quotas.

Where each knowledge base goes is :mod:`.placement`'s to say; these rules read the same values
from the file as written (so they run before the typed config exists) and skip a file whose
placement cannot be known yet (an unreadable name, vector store or pin: the schema or another
rule reports it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, integer, items, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.placement import (
    DEFAULT_KNOWLEDGE_STACKS,
    MAX_KNOWLEDGE_STACKS,
    MAX_OUTPUTS,
    MAX_RESOURCES,
    KnowledgeBaseFootprint,
    StackSize,
    knowledge_stack_name,
    knowledge_stack_of,
    knowledge_stack_sizes,
)

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


def _footprints(
    config: Mapping[str, Any], context: RuleContext, count: int
) -> list[KnowledgeBaseFootprint] | None:
    """What each knowledge base brings to its stack; None when one cannot be placed or counted."""
    found = []
    for knowledge_base_path, knowledge_base in items(config, ("knowledge_bases",)):
        name = string(config, context, (*knowledge_base_path, "name"))
        store = string(config, context, (*knowledge_base_path, "vector_store"))
        pin = integer(config, context, (*knowledge_base_path, "stack"))
        if name is None or store is None or not context.valid((*knowledge_base_path, "data_sources")):
            return None
        if "stack" in knowledge_base and (pin is None or not 1 <= pin <= count):
            return None  # the schema or knowledge_stack_pins reports it
        sources = items(config, (*knowledge_base_path, "data_sources"))
        created = 0
        for source_path, _ in sources:
            bucket = value(config, (*source_path, "bucket"))
            if not isinstance(bucket, dict) or not context.valid((*source_path, "bucket")):
                return None
            created += "create" in bucket
        found.append(
            KnowledgeBaseFootprint(
                vector_store=store,
                stack=knowledge_stack_of(name, count, pin),
                data_sources=len(sources),
                created_buckets=created,
                ingested=sum(value(config, (*path, "ingest_on_deploy")) is True for path, _ in sources),
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
    return knowledge_stack_sizes(stores, footprints)


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
        amounts = [
            f"{amount} {what} (at most {limit})"
            for amount, limit, what in (
                (size.resources, MAX_RESOURCES, "resources"),
                (size.outputs, MAX_OUTPUTS, "outputs"),
            )
            if amount > limit
        ]
        message = OVER_QUOTAS.format(
            stack=knowledge_stack_name(environment, number), amounts=" and ".join(amounts), advice=advice
        )
        issues.append(context.issue(where, message))
    return issues


def _smallest_fitting_count(config: Mapping[str, Any], context: RuleContext, *, above: int) -> int | None:
    """The smallest knowledge_stacks over ``above`` whose stacks all fit, with the file's pins; None
    when none does."""
    for count in range(above + 1, MAX_KNOWLEDGE_STACKS + 1):
        sizes = knowledge_stack_sizes_of(config, context, count)
        if sizes is not None and all(size.within_quotas for size in sizes.values()):
            return count
    return None
