"""Least privilege, proven over every IAM, trust and collection policy of every stack of every config."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bedrock_platform.constructs.permissions import UNSCOPED_ACTIONS
from bedrock_platform.intrinsics import render
from tests.conftest import ENVIRONMENT_CONFIGS, Synthesized

ENVIRONMENTS = [path.stem for path in ENVIRONMENT_CONFIGS]
CONTROL_PLANE = re.compile(
    r"^bedrock:(Create|Delete|Update)(KnowledgeBase|DataSource|Guardrail|ProvisionedModelThroughput)"
)
"""Bedrock control-plane actions that no role Bedrock itself assumes may hold."""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def resources(synthesized: Synthesized) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for stack, template in sorted(synthesized.templates.items()):
        for logical_id, resource in sorted(template["Resources"].items()):
            yield stack, logical_id, resource


def identity_statements(synthesized: Synthesized) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every identity policy: (what grants it, the statement)."""
    for stack, logical_id, resource in resources(synthesized):
        properties = resource.get("Properties", {})
        documents = []
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents.append(properties["PolicyDocument"])
        if resource["Type"] == "AWS::IAM::Role":
            documents += [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for document in documents:
            for statement in document["Statement"]:
                yield f"{stack}/{logical_id}", statement


def bedrock_roles(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    """Roles Amazon Bedrock assumes (service roles), by logical id."""
    return {
        logical_id: resource
        for _, logical_id, resource in resources(synthesized)
        if resource["Type"] == "AWS::IAM::Role"
        and any(
            "bedrock.amazonaws.com" in as_list(statement.get("Principal", {}).get("Service", []))
            for statement in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        )
    }


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_action_is_a_wildcard(synthesized: dict[str, Synthesized], env: str) -> None:
    wild = [
        (where, action)
        for where, statement in identity_statements(synthesized[env])
        for action in as_list(statement.get("Action", []))
        if "*" in action
    ]
    assert wild == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_a_star_resource_holds_only_actions_that_cannot_be_scoped(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    unscoped = [
        (where, action)
        for where, statement in identity_statements(synthesized[env])
        if "*" in as_list(statement.get("Resource", []))
        for action in as_list(statement["Action"])
        if action not in UNSCOPED_ACTIONS
    ]
    assert unscoped == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_bedrock_service_role_trusts_bedrock_only_for_this_account_and_its_resources(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    roles = bedrock_roles(synthesized[env])
    assert roles, "each config has Bedrock service roles"
    for logical_id, role in roles.items():
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            condition = statement.get("Condition", {})
            assert "aws:SourceAccount" in condition.get("StringEquals", {}), logical_id
            source_arn = condition.get("ArnLike", {}).get("aws:SourceArn") or condition.get(
                "ArnEquals", {}
            ).get("aws:SourceArn")
            assert source_arn and str(source_arn).startswith("arn:aws:bedrock:"), logical_id


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_bedrock_service_role_may_create_or_delete_bedrock_resources(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    roles = bedrock_roles(synthesized[env])
    granted = [
        (logical_id, action)
        for _, logical_id, resource in resources(synthesized[env])
        if resource["Type"] == "AWS::IAM::Policy"
        for role in resource["Properties"].get("Roles", [])
        if role.get("Ref") in roles
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        for action in as_list(statement["Action"])
        if CONTROL_PLANE.match(action)
    ]
    assert granted == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_collection_data_access_policies_name_their_principals(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    policies = [
        json.loads(render(resource["Properties"]["Policy"]))
        for _, _, resource in resources(synthesized[env])
        if resource["Type"] == "AWS::OpenSearchServerless::AccessPolicy"
    ]
    principals = [principal for policy in policies for rule in policy for principal in rule["Principal"]]
    assert principals and "*" not in principals
    named = re.compile(r"^(arn:(aws|<AWS::Partition>):(iam|sts)::\d{12}:.+|<[A-Za-z0-9]+\.Arn>)$")
    assert [principal for principal in principals if not named.match(principal)] == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_resource_policies_allow_nobody_at_large(synthesized: dict[str, Synthesized], env: str) -> None:
    open_to_all = [
        (logical_id, statement.get("Sid"))
        for _, logical_id, resource in resources(synthesized[env])
        if resource["Type"] == "AWS::S3::BucketPolicy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow" and statement.get("Principal") in ("*", {"AWS": "*"})
    ]
    assert open_to_all == []


def test_the_checks_can_fail() -> None:
    """The walkers see what they look for: a made-up template with each fault."""
    fault = Synthesized(
        outdir=ENVIRONMENT_CONFIGS[0].parent,
        templates={
            "s": {
                "Resources": {
                    "P": {
                        "Type": "AWS::IAM::Policy",
                        "Properties": {
                            "Roles": [{"Ref": "R"}],
                            "PolicyDocument": {
                                "Statement": [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}]
                            },
                        },
                    },
                    "R": {
                        "Type": "AWS::IAM::Role",
                        "Properties": {
                            "AssumeRolePolicyDocument": {
                                "Statement": [{"Principal": {"Service": "bedrock.amazonaws.com"}}]
                            }
                        },
                    },
                }
            }
        },
        template_files={},
    )
    statements = list(identity_statements(fault))
    assert [action for _, s in statements for action in as_list(s["Action"]) if "*" in action] == [
        "bedrock:*"
    ]
    assert "bedrock:*" not in UNSCOPED_ACTIONS
    assert list(bedrock_roles(fault)) == ["R"]
