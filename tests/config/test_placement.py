"""Which knowledge stack holds each knowledge base: pinned or hashed by its own name, so adding or
removing one knowledge base never moves another; and how big each knowledge stack is."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_platform.config import build_config
from bedrock_platform.config.checks import RuleContext
from bedrock_platform.config.document import parse_document
from bedrock_platform.config.placement import (
    MAX_KNOWLEDGE_STACKS,
    KnowledgeBaseFootprint,
    StackSize,
    knowledge_stack_name,
    knowledge_stack_of,
    knowledge_stack_sizes,
)
from bedrock_platform.config.stack_rules import (
    access_policy_bounds_of,
    knowledge_stack_access_policies,
    knowledge_stack_pins,
    knowledge_stack_quotas,
    knowledge_stack_sizes_of,
)

MODEL = "amazon.titan-embed-text-v2:0"
PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

names = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,30}", fullmatch=True), min_size=1, max_size=25, unique=True)


def _raw(knowledge_bases: dict[str, int | None], count: int) -> dict[str, Any]:
    """A valid config mapping of these knowledge bases (name: pin or None) over ``count`` stacks."""
    return {
        "environment": "dev",
        "account": "111111111111",
        "region": "us-east-1",
        "knowledge_stacks": count,
        "vector_stores": [{"name": "docs"}],
        "knowledge_bases": [
            {
                "name": name,
                "embedding_model": MODEL,
                "vector_store": "docs",
                **({"stack": pin} if pin else {}),
            }
            for name, pin in knowledge_bases.items()
        ],
    }


def _stacks(knowledge_bases: dict[str, int | None], count: int) -> dict[str, int]:
    """Each knowledge base's stack, as the typed config resolves it."""
    config = build_config(_raw(knowledge_bases, count))
    return {kb.name: kb.stack for kb in config.knowledge_bases}


@PROPERTY
@given(
    names=names,
    count=st.integers(1, MAX_KNOWLEDGE_STACKS),
    extra=st.from_regex(r"[a-z][a-z0-9-]{0,30}", fullmatch=True),
    data=st.data(),
)
def test_adding_or_removing_a_knowledge_base_never_moves_another(
    names: list[str], count: int, extra: str, data: st.DataObject
) -> None:
    pins = {name: data.draw(st.none() | st.integers(1, count), label=f"pin of {name}") for name in names}
    before = _stacks(pins, count)

    assert all(1 <= stack <= count for stack in before.values())
    assert all(before[name] == pin for name, pin in pins.items() if pin is not None)  # pins win
    if extra not in pins:
        extra_pin = data.draw(st.none() | st.integers(1, count), label="pin of the added one")
        added = _stacks({**pins, extra: extra_pin}, count)
        assert {name: added[name] for name in before} == before
    removed = data.draw(st.sampled_from(names), label="removed")
    after = _stacks({name: pin for name, pin in pins.items() if name != removed}, count)
    assert after == {name: stack for name, stack in before.items() if name != removed}
    # File order does not matter either.
    assert _stacks(dict(reversed(list(pins.items()))), count) == before


@pytest.mark.parametrize(
    ("name", "stacks"),
    [
        ("product-docs", [1, 1, 1, 3, 15]),
        ("support-tickets", [1, 1, 3, 5, 17]),
        ("kb00", [1, 2, 2, 2, 18]),
        ("kb07", [1, 2, 2, 6, 6]),
    ],
)
def test_placement_never_changes_between_versions(name: str, stacks: list[int]) -> None:
    """A changed placement function would move deployed knowledge bases (and lose their vectors)."""
    assert [knowledge_stack_of(name, count) for count in (1, 2, 3, 8, 20)] == stacks
    digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    assert [1 + digest % count for count in (1, 2, 3, 8, 20)] == stacks


def test_a_pin_wins_and_stack_names_are_numbered_after_the_first() -> None:
    assert knowledge_stack_of("kb00", 3, pin=3) == 3
    assert knowledge_stack_name("dev", 1) == "dev-bedrock-knowledge"
    assert knowledge_stack_name("dev", 12) == "dev-bedrock-knowledge-12"


def test_the_typed_config_resolves_stacks_and_knows_which_exist() -> None:
    config = build_config(_raw({"kb00": None, "kb07": None, "product-docs": 3}, 3))
    assert config.knowledge_stacks == 3
    assert [(kb.name, kb.stack) for kb in config.knowledge_bases] == [
        ("kb00", 2),
        ("kb07", 2),
        ("product-docs", 3),
    ]
    assert config.knowledge_stack_numbers == (1, 2, 3)  # stack 1 holds the collection
    default = build_config(
        {key: value for key, value in _raw({"kb00": None}, 1).items() if key != "knowledge_stacks"}
    )
    assert default.knowledge_stacks == 1 and default.knowledge_bases[0].stack == 1
    assert default.knowledge_stack_numbers == (1,)


def test_stack_sizes_count_collections_in_stack_one_and_their_policies_where_they_are_read() -> None:
    footprints = [
        KnowledgeBaseFootprint(vector_store="docs", stack=1, data_sources=1, created_buckets=1, ingested=1),
        KnowledgeBaseFootprint(vector_store="docs", stack=2, data_sources=2),
        KnowledgeBaseFootprint(vector_store="docs", stack=2),
    ]
    assert knowledge_stack_sizes(["docs", "unused"], footprints) == {
        # 2 collections (4 each), 2 published parameters of docs, a knowledge base (5), its data
        # source (2), created bucket (2), ingestion (1), access logs (2) and ingestion provider (16).
        1: StackSize(resources=8 + 2 + 5 + 2 + 2 + 1 + 2 + 16, outputs=2 + 1 + 1 + 1),
        # docs' data access policy, 2 knowledge bases, 2 data sources.
        2: StackSize(resources=1 + 10 + 4, outputs=2 + 2),
    }
    assert knowledge_stack_sizes([], []) == {}


@pytest.mark.parametrize(
    "text",
    [
        "knowledge_stacks: 0\nknowledge_bases: [{name: a, vector_store: d, stack: 1}]\n",
        "knowledge_stacks: -3\nknowledge_bases: [{name: a, vector_store: d}]\n",
        "knowledge_stacks: [2]\nknowledge_bases: [{name: a, vector_store: d, stack: x}]\n",
        "knowledge_stacks: true\nknowledge_bases: 5\n",
        "knowledge_bases: [1, null, {name: 5}, {name: a, vector_store: d, stack: 0}]\n",
        "knowledge_bases: [{name: a, vector_store: d, stack: -1, data_sources: [1, {bucket: 3}]}]\n",
        "environment: 5\nvector_stores: [{name: [x]}]\nknowledge_bases: [{name: a, vector_store: d}]\n",
        "environment: e\nvector_stores: 3\nknowledge_bases: [{name: a, vector_store: d, data_sources: x}]\n",
        "environment: e\nvector_stores: [{name: [d]}, {name: d, data_access_principals: 5}]\n"
        "knowledge_bases: [{name: a, vector_store: d}]\n",
        "environment: e\nregion: [x]\nknowledge_bases: [{name: a, vector_store: [d]}]\n"
        "vector_stores: [{name: d, data_access_principals: [1, null]}, {name: d}]\n",
    ],
)
def test_the_stack_rules_never_raise_on_malformed_input(text: str) -> None:
    document = parse_document(text, "f.yaml")
    context = RuleContext(document)
    for rule in (knowledge_stack_pins, knowledge_stack_quotas, knowledge_stack_access_policies):
        assert isinstance(rule(document.data, context), list)
    knowledge_stack_sizes_of(document.data, context)
    access_policy_bounds_of(document.data, context)
