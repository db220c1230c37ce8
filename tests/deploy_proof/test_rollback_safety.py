"""Rollback safety: a first deploy that fails can be deployed again.

CloudFormation keeps a resource whose DeletionPolicy is ``Retain`` when the create of its stack
rolls back; if that resource has a fixed name, the next deploy fails with "already exists". So a
retained resource with a fixed name must use ``RetainExceptOnCreate`` (CDK's
``RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE``), which deletes it on a failed create only. A
retained custom resource with a fixed name is safe only if its handler adopts what an earlier
create left behind: that is proven by running its create twice against the same simulated AWS.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bedrock_platform.review.replacement import SCHEMAS
from tests.deploy_proof.assembly import Assembly
from tests.deploy_proof.conftest import ASSEMBLIES
from tests.deploy_proof.simulate import handlers, run_create_twice


@cache
def fixed_name_properties(resource_type: str) -> tuple[str, ...]:
    """The create-only properties of a type that name the resource (``BucketName``, ``Name``, ...)."""
    index = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    if resource_type not in index:
        return ()
    schema = json.loads((SCHEMAS / "resources" / f"{index[resource_type]}.json").read_text())
    created = schema.get("createOnlyProperties", []) + schema.get("primaryIdentifier", [])
    return tuple(
        sorted(
            {
                pointer.rsplit("/", 1)[-1]
                for pointer in created
                if pointer.count("/") == 2 and pointer.endswith("Name")
            }
        )
    )


def fixed_names(resource: dict[str, Any]) -> dict[str, Any]:
    """The fixed-name properties a resource sets."""
    properties = resource.get("Properties", {})
    if resource["Type"].startswith("Custom::"):
        return {key: value for key, value in properties.items() if key.endswith("Name")}
    return {key: properties[key] for key in fixed_name_properties(resource["Type"]) if key in properties}


@pytest.mark.parametrize("name", ASSEMBLIES)
def test_no_fixed_name_resource_is_retained_when_its_create_fails(
    name: str, assemblies: dict[str, Assembly]
) -> None:
    assembly = assemblies[name]
    custom = {(handler.stack, handler.resource): handler for handler in handlers(assembly)}
    problems = []
    for stack, logical_id, resource in assembly.resources():
        if resource.get("DeletionPolicy") != "Retain" or not fixed_names(resource):
            continue
        handler = custom.get((stack.name, logical_id))
        if handler is not None:
            retry = run_create_twice(assembly, handler)
            if retry is not None:
                problems.append(f"{stack.name}/{logical_id}: {retry}")
            continue
        problems.append(
            f"{stack.name}/{logical_id} ({resource['Type']}) has the fixed name {fixed_names(resource)} and "
            "DeletionPolicy Retain: a failed first deploy leaves it behind and the retry fails; use "
            "RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE"
        )
    assert not problems, "\n".join(problems)


def test_the_names_of_the_retained_types_are_known() -> None:
    """The check reads the names from the resource schemas; these are the ones the toolkit retains."""
    assert fixed_name_properties("AWS::OpenSearchServerless::Collection") == ("CollectionGroupName", "Name")
    assert fixed_name_properties("AWS::Logs::LogGroup") == ("LogGroupName",)
    assert fixed_name_properties("AWS::S3::Bucket") == ("BucketName",)
    assert fixed_name_properties("AWS::Bedrock::GuardrailVersion") == ()
