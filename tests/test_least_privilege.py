"""Least privilege, proven over every IAM, trust and collection policy of every stack of every config."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.config import load_config
from bedrock_platform.intrinsics import render
from bedrock_platform.permissions import UNSCOPED_ACTIONS
from bedrock_platform.templates import known_templates
from tests.conftest import CONFIG_DIR, ENVIRONMENT_CONFIGS, Synthesized


@dataclass(frozen=True)
class Case:
    """A config (an environment's, or a starter template's) and its synthesized stacks."""

    path: Path
    synthesized: Synthesized

    def declares(self, *sections: str) -> bool:
        """Whether the config declares any of ``sections`` (a guardrail-only environment, as the
        regulated-guardrail starter makes, has no service roles and no collections to check)."""
        config = load_config(str(self.path))
        return any(getattr(config, section) for section in sections)


CASES = [
    *(f"config/{path.stem}" for path in ENVIRONMENT_CONFIGS),
    *(f"template/{name}" for name in known_templates(CONFIG_DIR / "templates")),
]


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    """Every environment config and every starter template: a user's new environment starts as one."""
    kind, _, name = request.param.partition("/")
    if kind == "config":
        return Case(CONFIG_DIR / f"{name}.yaml", request.getfixturevalue("synthesized")[name])
    path = known_templates(CONFIG_DIR / "templates")[name]
    return Case(path, request.getfixturevalue("synthesized_templates")[name])


SERVICE_ROLE_SECTIONS = ("knowledge_bases", "evaluation_jobs", "batch_inference_jobs")
"""What makes a role Amazon Bedrock assumes (a guardrail, a throughput or logging makes none)."""
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


def test_no_action_is_a_wildcard(case: Case) -> None:
    wild = [
        (where, action)
        for where, statement in identity_statements(case.synthesized)
        for action in as_list(statement.get("Action", []))
        if "*" in action
    ]
    assert wild == []


def test_a_star_resource_holds_only_actions_that_cannot_be_scoped(case: Case) -> None:
    unscoped = [
        (where, action)
        for where, statement in identity_statements(case.synthesized)
        if "*" in as_list(statement.get("Resource", []))
        for action in as_list(statement["Action"])
        if action not in UNSCOPED_ACTIONS
    ]
    assert unscoped == []


def test_every_bedrock_service_role_trusts_bedrock_only_for_this_account_and_its_resources(
    case: Case,
) -> None:
    roles = bedrock_roles(case.synthesized)
    assert bool(roles) == case.declares(*SERVICE_ROLE_SECTIONS), "a service role for what is declared"
    for logical_id, role in roles.items():
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            condition = statement.get("Condition", {})
            assert "aws:SourceAccount" in condition.get("StringEquals", {}), logical_id
            source_arn = condition.get("ArnLike", {}).get("aws:SourceArn") or condition.get(
                "ArnEquals", {}
            ).get("aws:SourceArn")
            assert source_arn and str(source_arn).startswith("arn:aws:bedrock:"), logical_id


def test_no_bedrock_service_role_may_create_or_delete_bedrock_resources(case: Case) -> None:
    roles = bedrock_roles(case.synthesized)
    granted = [
        (logical_id, action)
        for _, logical_id, resource in resources(case.synthesized)
        if resource["Type"] == "AWS::IAM::Policy"
        for role in resource["Properties"].get("Roles", [])
        if role.get("Ref") in roles
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        for action in as_list(statement["Action"])
        if CONTROL_PLANE.match(action)
    ]
    assert granted == []


def test_collection_data_access_policies_name_their_principals(case: Case) -> None:
    policies = [
        json.loads(render(resource["Properties"]["Policy"]))
        for _, _, resource in resources(case.synthesized)
        if resource["Type"] == "AWS::OpenSearchServerless::AccessPolicy"
    ]
    principals = [principal for policy in policies for rule in policy for principal in rule["Principal"]]
    collections = [
        resource
        for _, _, resource in resources(case.synthesized)
        if resource["Type"] == "AWS::OpenSearchServerless::Collection"
    ]
    assert bool(principals) == bool(collections) and "*" not in principals
    named = re.compile(r"^(arn:(aws|<AWS::Partition>):(iam|sts)::\d{12}:.+|<[A-Za-z0-9]+\.Arn>)$")
    assert [principal for principal in principals if not named.match(principal)] == []


def test_resource_policies_allow_nobody_at_large(case: Case) -> None:
    open_to_all = [
        (logical_id, statement.get("Sid"))
        for _, logical_id, resource in resources(case.synthesized)
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
