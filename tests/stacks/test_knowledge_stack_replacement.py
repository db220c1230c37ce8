"""Replacements of the knowledge stack through the YAML path: what the review reports, the names they get.

A create-only change of a knowledge base (its embedding model, dimensions, vector store) replaces the
knowledge base and its index; the replacement is created before the old one is deleted, so it must
come under a new AWS name (issue 16, finding 4), and the pull-request review must call it data loss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from bedrock_platform.config import load_config
from bedrock_platform.review.compare import Change, Severity, compare_templates
from bedrock_platform.stacks import add_stacks, cdk_json_context

BASE = """\
environment: dev
account: "111111111111"
region: {region}
vector_stores:
  - name: docs
    network: {network}
    allow_public_network: {{reason: test}}
  - name: other
knowledge_bases:
  - name: manuals
    embedding_model: {model}
    dimensions: {dimensions}
    vector_store: {store}
"""
DEFAULTS = {
    "region": "us-east-1",
    "network": "public",
    "model": "amazon.titan-embed-text-v2:0",
    "dimensions": 1024,
    "store": "docs",
}


def template(tmp_path: Path, **change: Any) -> dict[str, Any]:
    """The knowledge stack's template of BASE with ``change`` applied."""
    import aws_cdk as cdk

    values = {**DEFAULTS, **change}
    if values["network"] != "public":
        base = BASE.replace("    allow_public_network: {{reason: test}}\n", "")
    else:
        base = BASE
    path = tmp_path / f"{abs(hash(tuple(sorted(values.items()))))}.yaml"
    path.write_text(base.format(**values))
    app = cdk.App(context=cdk_json_context())
    (stack,) = [s for s in add_stacks(app, load_config(str(path))) if s.stack_name == "dev-bedrock-knowledge"]
    rendered: dict[str, Any] = dict(Template.from_stack(stack).to_json())
    return rendered


def _names(resources: dict[str, Any], resource_type: str, key: str) -> set[str]:
    return {r["Properties"][key] for r in resources.values() if r["Type"] == resource_type}


@pytest.mark.parametrize(
    "change",
    [
        {"dimensions": 512},
        {"model": "cohere.embed-english-v3"},
        {"store": "other"},
        {"network": "{vpc_endpoints: [vpce-0a1b2c3d4e5f6a7b8]}"},
    ],
    ids=["dimensions", "embedding-model", "vector-store", "network"],
)
def test_a_create_only_change_is_reported_as_data_loss_and_deploys_under_new_names(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    old, new = template(tmp_path), template(tmp_path, **change)
    changes = compare_templates("dev-bedrock-knowledge", old, new)
    knowledge_bases = [c for c in changes if c.resource_type == "AWS::Bedrock::KnowledgeBase"]
    (knowledge_base,) = knowledge_bases
    assert knowledge_base.replacement and knowledge_base.severity is Severity.DATA_LOSS
    old_resources, new_resources = old["Resources"], new["Resources"]
    assert _names(old_resources, "AWS::Bedrock::KnowledgeBase", "Name").isdisjoint(
        _names(new_resources, "AWS::Bedrock::KnowledgeBase", "Name")
    )
    index_types = ("AWS::OpenSearchServerless::Index", "AWS::OpenSearchServerless::CollectionIndex")
    index_changes: list[Change] = [c for c in changes if c.resource_type in index_types]
    old_indexes = {n for t in index_types for n in _names(old_resources, t, "IndexName")}
    new_indexes = {n for t in index_types for n in _names(new_resources, t, "IndexName")}
    if "model" in change:  # same dimensions and fields: the index stays as it is
        assert index_changes == [] and old_indexes == new_indexes
        return
    # The old index goes with its vectors, replaced or removed: the review says data loss.
    assert [c.severity for c in index_changes if c.action != "added"] == [Severity.DATA_LOSS]
    if "store" in change:  # a new index in the other collection: names are per collection
        assert knowledge_base_storage(new)["CollectionArn"] != knowledge_base_storage(old)["CollectionArn"]
    else:
        assert old_indexes.isdisjoint(new_indexes)


def knowledge_base_storage(template: dict[str, Any]) -> dict[str, Any]:
    (kb,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Bedrock::KnowledgeBase"]
    storage: dict[str, Any] = kb["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]
    return storage


def test_a_description_change_replaces_nothing(tmp_path: Path) -> None:
    old = template(tmp_path)
    new = template(tmp_path)
    for resource in new["Resources"].values():
        if resource["Type"] == "AWS::Bedrock::KnowledgeBase":
            resource["Properties"]["Description"] = "changed"
    (change,) = compare_templates("dev-bedrock-knowledge", old, new)
    assert not change.replacement


def test_a_private_collections_index_replacement_is_data_loss_too(tmp_path: Path) -> None:
    private = "{vpc_endpoints: [vpce-0a1b2c3d4e5f6a7b8]}"
    old, new = template(tmp_path, network=private), template(tmp_path, network=private, dimensions=512)
    changes = compare_templates("dev-bedrock-knowledge", old, new)
    (index,) = [c for c in changes if c.resource_type == "AWS::OpenSearchServerless::CollectionIndex"]
    assert index.replacement and index.severity is Severity.DATA_LOSS
