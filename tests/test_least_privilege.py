"""Least privilege, proven over every IAM, trust and collection policy of every stack of every config."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bedrock_platform.intrinsics import render
from bedrock_platform.permissions import UNSCOPED_ACTIONS
from tests.conftest import ENVIRONMENT_CONFIGS, Synthesized

ENVIRONMENTS = [path.stem for path in ENVIRONMENT_CONFIGS]
PIPELINE_ONLY = {"delivery"}
"""Configs that declare nothing but a pipeline (no Bedrock resources of their own)."""
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


PIPELINE_STACK = re.compile(r"-bedrock-pipeline(-support-[a-z0-9-]+)?$")
"""The delivery pipeline and its cross-Region support stacks: CDK Pipelines' own roles, held to
the rules of the pipeline tests below instead."""
CDK_GRANT_WILDCARDS = {
    "s3:Abort*",
    "s3:DeleteObject*",
    "s3:GetBucket*",
    "s3:GetObject*",
    "s3:List*",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
}
"""The wildcard actions of CDK's bucket and key grants (grant_read_write), which CDK Pipelines uses."""
PIPELINE_UNSCOPED_ACTIONS = {
    "cloudformation:DescribeStacks": "self-mutation runs cdk deploy, which reads stacks by name",
    "s3:ListBucket": "cdk deploy lists the bootstrap bucket of the target, unknown to this stack",
    "codebuild:BatchGetBuilds": "asset publishing follows the builds of its own projects",
    "codebuild:StartBuild": "asset publishing starts its own projects",
    "codebuild:StopBuild": "asset publishing stops its own projects",
    **dict.fromkeys(
        ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
        "the cross-Region replication keys are referenced by alias; their key policies decide",
    ),
}
"""What CDK Pipelines grants on ``*``, with why it cannot name the resource."""


def identity_statements(
    synthesized: Synthesized, *, pipeline: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every identity policy: (what grants it, the statement).

    Of the Bedrock stacks, or with ``pipeline`` of the delivery pipeline stacks only.
    """
    for stack, logical_id, resource in resources(synthesized):
        if bool(PIPELINE_STACK.search(stack)) != pipeline:
            continue
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
    assert roles or env in PIPELINE_ONLY, "each config has Bedrock service roles"
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
    assert (principals or env in PIPELINE_ONLY) and "*" not in principals
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


def test_the_pipeline_grants_only_cdk_pipelines_own_scoped_access(
    synthesized: dict[str, Synthesized],
) -> None:
    statements = list(identity_statements(synthesized["delivery"], pipeline=True))
    assert statements, "the delivery config has a pipeline"
    wildcard_actions = {
        action for _, statement in statements for action in as_list(statement["Action"]) if "*" in action
    }
    assert wildcard_actions <= CDK_GRANT_WILDCARDS
    unscoped = {
        action
        for _, statement in statements
        if "*" in as_list(statement["Resource"])
        for action in as_list(statement["Action"])
    }
    assert unscoped <= set(PIPELINE_UNSCOPED_ACTIONS)
    for where, statement in statements:
        wildcard_roles = [
            resource
            for resource in as_list(statement["Resource"])
            if isinstance(resource, str) and re.fullmatch(r"arn:[^:]+:iam::\d{12}:role/\*", resource)
        ]
        if wildcard_roles:  # self-mutation may assume only the CDK bootstrap roles
            condition = statement["Condition"]["ForAnyValue:StringEquals"]
            tags = condition["iam:ResourceTag/aws-cdk:bootstrap-role"]
            assert set(tags) <= {"deploy", "file-publishing", "image-publishing", "lookup"}, where
