"""Where a construct comes from in the config, so that a synthesis failure points at a line.

The stacks give each config item a construct id ``<Kind>-<name>`` (:func:`item_id`; ``Kind`` from
:data:`ITEM_KINDS`) and build it inside :func:`building`, which turns an exception raised while
building it into an :class:`ItemBuildError` naming the item. A failure found later, when the app
synthesizes (cdk-nag, CloudFormation schema validation), names construct paths in its text
(``/dev-bedrock-guardrails/Guardrail-default/Resource``): :func:`items_named` reads the item back
from the first one. :func:`synthesis_error_line` makes the user's error line, at the item's line
and column in the file when the item is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from bedrock_platform.config import ConfigError
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import printable
from bedrock_platform.config.loader import read_document

ITEM_KINDS: Mapping[str, str] = {
    "Collection": "vector_stores",
    "VectorBucket": "vector_stores",
    "KnowledgeBase": "knowledge_bases",
    "DataSource": "data_sources",
    "Guardrail": "guardrails",
    "AutomatedReasoningPolicy": "automated_reasoning_policies",
    "Throughput": "provisioned_throughputs",
    "InferenceProfile": "inference_profiles",
    "Evaluation": "evaluation_jobs",
    "Dataset": "datasets",
    "Batch": "batch_inference_jobs",
}
"""The construct id kind of each config item, and the config list it is an item of (data sources
are items of a knowledge base, datasets of an evaluation job)."""

STACK_SECTIONS: Mapping[str, str] = {
    "knowledge": "knowledge_bases",
    "guardrails": "guardrails",
    "throughput": "provisioned_throughputs",
    "evaluation": "evaluation_jobs",
    "logging": "invocation_logging",
}
"""The config section of each stack part (``<env>-bedrock-<part>``, knowledge stacks numbered): where
a failure of a construct the stack shares between items (a handler, a bucket) points."""

Chain = tuple[tuple[str, str | None], ...]
"""An item as (config list, name) pairs from the top:
``(("knowledge_bases", "docs"), ("data_sources", "manuals"))``; a name None is the section itself."""

_SEGMENT = re.compile(rf"^({'|'.join(ITEM_KINDS)})-([a-z0-9][a-z0-9-]*)$")
_STACK = re.compile(rf"^[a-z][a-z0-9-]*-bedrock-({'|'.join(STACK_SECTIONS)})(?:-[0-9]+)?$")
_CONSTRUCT_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)+")


def item_id(kind: str, name: str) -> str:
    """The construct id of the config item ``name`` of ``kind`` (a key of :data:`ITEM_KINDS`)."""
    return f"{kind}-{name}"


class ItemBuildError(Exception):
    """Building a config item's constructs failed: ``chain`` is the item, ``cause`` the failure."""

    def __init__(self, chain: Chain, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.chain = chain
        self.cause = cause


@contextmanager
def building(kind: str, name: str) -> Iterator[None]:
    """Build the item ``name`` of ``kind``: a failure inside names the item (and an inner item's)."""
    link = (ITEM_KINDS[kind], name)
    try:
        yield
    except ItemBuildError as error:
        raise ItemBuildError((link, *error.chain), error.cause) from error.cause
    except Exception as error:
        raise ItemBuildError((link,), error) from error


def items_named(text: str) -> Chain:
    """The item of the first construct path in ``text`` that passes through an item, else the section
    of the first one in a stack of the toolkit's; () if none."""
    section: Chain = ()
    for match in _CONSTRUCT_PATH.finditer(text):
        segments = match[0].split("/")
        chain = tuple(
            (ITEM_KINDS[found[1]], found[2]) for segment in segments if (found := _SEGMENT.match(segment))
        )
        if chain:
            return chain
        stack = _STACK.match(segments[0])
        if stack and not section:
            section = ((STACK_SECTIONS[stack[1]], None),)
    return section


def config_path(data: Any, chain: Chain) -> ConfigPath:
    """Where the item of ``chain`` is in a config's data, as far as it can be followed."""
    path: ConfigPath = ()
    node = data
    for section, name in chain:
        listed = node.get(section) if isinstance(node, dict) else None
        if name is None and listed is not None:
            return (*path, section)
        if not isinstance(listed, list):
            break
        index = next(
            (
                index
                for index, item in enumerate(listed)
                if isinstance(item, dict) and item.get("name") == name
            ),
            None,
        )
        if index is None:
            break
        path = (*path, section, index)
        node = listed[index]
    return path


def synthesis_error_line(file: str, error: BaseException) -> str:
    """``FILE:LINE:COL: error: <item>: synthesis failed: ...`` at the item the failure names, or
    ``FILE: error: synthesis failed: ...`` when it names none."""
    chain = error.chain if isinstance(error, ItemBuildError) else items_named(str(error))
    message = "synthesis failed: " + " ".join(str(error).split())
    if chain:
        try:
            document = read_document(file)
        except ConfigError:
            document = None
        path = config_path(document.data, chain) if document is not None else ()
        if document is not None and path:
            return str(document.issue(path, message))
    return f"{printable(file)}: error: {printable(message)}"
