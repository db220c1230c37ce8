"""Replacement rehearsal: every replacement the review reports deploys, because it gets a new name.

CloudFormation replaces a resource by creating the new one first and deleting the old one after;
a replacement that keeps a fixed name fails with "already exists" (409). ``rehearsal/after.yaml``
changes, in ``rehearsal/before.yaml``, each create-only setting of a knowledge base, vector index,
collection and data source. Both are synthesized; the review engine's own comparison (the one the
pull-request diff shows) says what is replaced, replacements spread to the resources whose
create-only properties reference a replaced resource, and every replaced resource must then have
a name (each ``...Name`` property) other than before, and no added resource may take the name of
a removed one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.review.compare import compare_templates, references
from bedrock_platform.review.replacement import SCHEMAS, replacing_paths
from tests.conftest import Synthesized, synthesize

REHEARSAL = Path(__file__).parent / "rehearsal"
EXPECTED_REPLACEMENTS = {
    "AWS::Bedrock::KnowledgeBase": 4,
    "AWS::OpenSearchServerless::Collection": 1,
    "AWS::Bedrock::DataSource": 1,
}
"""What after.yaml must replace at least (so the rehearsal cannot pass by changing nothing): the
four knowledge bases (dimension, model, store, and the one whose collection is replaced), beta's
collection, and the data source whose chunking changed."""
INDEX_TYPES = ("AWS::OpenSearchServerless::Index", "AWS::OpenSearchServerless::CollectionIndex")
NAME_SCOPES = {
    "AWS::Bedrock::DataSource": "KnowledgeBaseId",
    "AWS::OpenSearchServerless::Index": "CollectionEndpoint",
    "AWS::OpenSearchServerless::CollectionIndex": "Id",
}
"""Names unique only within a parent (a data source's within its knowledge base, an index's within
its collection): under a new parent the same name does not collide."""
IMMUTABLE_IN_PLACE = {"AWS::OpenSearchServerless::Index": "/properties/Mappings"}
"""Properties CloudFormation would update in place but the service refuses to change: OpenSearch
cannot change an existing field's mapping (a knn_vector's dimension, method or engine), so such a
change must come as a replacement (a new index name)."""


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Synthesized, Synthesized]:
    return tuple(  # type: ignore[return-value]
        synthesize(REHEARSAL / f"{side}.yaml", tmp_path_factory.mktemp(side), validation=False)
        for side in ("before", "after")
    )


def _at(properties: dict[str, Any], pointer: str) -> Any:
    value: Any = properties
    for part in pointer.removeprefix("/properties/").split("/"):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def replaced(stack: str, before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Logical ids replaced from ``before`` to ``after``: the review's, and those whose create-only
    properties reference a replaced resource (its new id or endpoint is a new value at deploy time).
    The review follows those cascades itself; the loop below carries them on from the indexes that
    IMMUTABLE_IN_PLACE adds, which the review does not know of."""
    found = {change.logical_id for change in compare_templates(stack, before, after) if change.replacement}
    resources = after.get("Resources", {})
    old = before.get("Resources", {})
    for logical_id, resource in resources.items():
        immutable = IMMUTABLE_IN_PLACE.get(resource["Type"])
        if not immutable or logical_id not in old:
            continue
        if _at(resource.get("Properties", {}), immutable) != _at(
            old[logical_id].get("Properties", {}), immutable
        ):
            found.add(logical_id)
    while True:
        spread = {
            logical_id
            for logical_id, resource in resources.items()
            if logical_id not in found
            and logical_id in before.get("Resources", {})
            and any(
                reference in found
                for pointer in replacing_paths(resource["Type"])
                for reference in references(_at(resource.get("Properties", {}), pointer))
            )
        }
        if not spread:
            return found
        found |= spread


def names(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource's name properties (top-level properties whose key ends in ``Name``)."""
    return {key: value for key, value in resource.get("Properties", {}).items() if key.endswith("Name")}


def collisions(stack: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Replacements and added-for-removed resources that would be created under a name in use."""
    problems = []
    old, new = before.get("Resources", {}), after.get("Resources", {})
    moved = replaced(stack, before, after)
    for logical_id in sorted(moved):
        scope = NAME_SCOPES.get(new[logical_id]["Type"])
        if scope is not None:
            parent = new[logical_id].get("Properties", {}).get(scope)
            if parent != old[logical_id].get("Properties", {}).get(scope) or references(parent) & moved:
                continue  # a new parent: the name is free there
        kept = {
            key: value
            for key, value in names(new[logical_id]).items()
            if names(old[logical_id]).get(key) == value
        }
        if kept:
            problems.append(f"{stack}/{logical_id} ({new[logical_id]['Type']}) is replaced but keeps {kept}")
    removed = {
        (old[i]["Type"], repr(sorted(names(old[i]).items()))): i for i in set(old) - set(new) if names(old[i])
    }
    for logical_id in sorted(set(new) - set(old)):
        key = (new[logical_id]["Type"], repr(sorted(names(new[logical_id]).items())))
        if names(new[logical_id]) and key in removed:
            problems.append(
                f"{stack}/{logical_id} is created under the name of the removed {removed[key]}: {key[1]}"
            )
    return problems


def test_every_create_only_change_deploys_under_a_new_name(
    rehearsal: tuple[Synthesized, Synthesized],
) -> None:
    before, after = rehearsal
    problems: list[str] = []
    counted: dict[str, int] = {}
    for stack in sorted(set(before.templates) | set(after.templates)):
        old, new = before.templates.get(stack, {}), after.templates.get(stack, {})
        problems += collisions(stack, old, new)
        for logical_id in replaced(stack, old, new):
            kind = new["Resources"][logical_id]["Type"]
            counted[kind] = counted.get(kind, 0) + 1
    assert not problems, "\n".join(problems)
    for kind, least in EXPECTED_REPLACEMENTS.items():
        assert counted.get(kind, 0) >= least, (
            f"the rehearsal replaced {counted.get(kind, 0)} {kind}, expected {least}"
        )
    assert sum(counted.get(kind, 0) for kind in INDEX_TYPES) >= 3, counted


def test_the_rehearsal_finds_a_replacement_under_the_same_name() -> None:
    """The check itself: a knowledge base replaced (new storage) under its old name is reported."""
    template = {
        "Resources": {
            "Kb": {
                "Type": "AWS::Bedrock::KnowledgeBase",
                "Properties": {
                    "Name": "docs",
                    "StorageConfiguration": {"Type": "OPENSEARCH_SERVERLESS", "X": 1},
                },
            }
        }
    }
    changed = {
        "Resources": {
            "Kb": {
                "Type": "AWS::Bedrock::KnowledgeBase",
                "Properties": {
                    "Name": "docs",
                    "StorageConfiguration": {"Type": "OPENSEARCH_SERVERLESS", "X": 2},
                },
            }
        }
    }
    assert collisions("s", template, changed) == [
        "s/Kb (AWS::Bedrock::KnowledgeBase) is replaced but keeps {'Name': 'docs'}"
    ]


def test_guardrail_versions_have_no_name_to_collide() -> None:
    """A guardrail version's number is assigned by the service: a replacement is always a new one."""
    import json

    index = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema = json.loads(
        (SCHEMAS / "resources" / f"{index['AWS::Bedrock::GuardrailVersion']}.json").read_text()
    )
    assert not [name for name in schema["properties"] if name.endswith("Name")]
    assert "/properties/Version" not in schema.get("createOnlyProperties", [])
