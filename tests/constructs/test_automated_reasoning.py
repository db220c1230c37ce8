"""Automated Reasoning policies (issue 23): the policy from its definition, its versions published one
after the other and retained, a guardrail checking against the newest, and what applying it needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from bedrock_platform.constructs import (
    AutomatedReasoningChecks,
    AutomatedReasoningPolicy,
    ConstructValidationError,
    Guardrail,
)
from bedrock_platform.spec import automated_reasoning as spec
from bedrock_platform.spec.automated_reasoning import PolicyVersion
from tests.constructs.conftest import new_stack
from tests.spec.cloudformation import resource_schema

DEFINITION: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "config" / "templates" / "policies" / "refunds.json").read_text()
)


def _policy(stack: Any, versions: int = 2) -> AutomatedReasoningPolicy:
    pinned = spec.definition_hash(DEFINITION)
    return AutomatedReasoningPolicy(
        stack,
        "Refunds",
        policy_name="dev-refunds",
        definition=DEFINITION,
        versions=[PolicyVersion(description=f"v{n}", definition=pinned) for n in range(1, versions + 1)],
    )


def test_the_definition_is_cloudformations_and_versions_are_chained_and_retained() -> None:
    stack = new_stack()
    _policy(stack)
    template = Template.from_stack(stack)
    (policy,) = template.find_resources(spec.POLICY_TYPE).values()
    definition = policy["Properties"]["PolicyDefinition"]
    schema = resource_schema(spec.POLICY_TYPE)["definitions"]
    assert set(definition) <= set(schema["PolicyDefinition"]["properties"])
    assert set(definition["Rules"][0]) <= set(schema["PolicyDefinitionRule"]["properties"])
    assert set(definition["Types"][0]["Values"][0]) <= set(schema["PolicyDefinitionTypeValue"]["properties"])
    assert set(definition["Variables"][0]) <= set(schema["PolicyDefinitionVariable"]["properties"])
    versions = template.find_resources(spec.VERSION_TYPE)
    assert len(versions) == 2
    assert all(v["DeletionPolicy"] == "RetainExceptOnCreate" for v in versions.values())
    first, second = sorted(versions)
    assert versions[second].get("DependsOn") == [first]
    assert all("Tags" not in v["Properties"] for v in versions.values())


def test_a_newest_version_pinning_another_definition_is_refused() -> None:
    with pytest.raises(ConstructValidationError, match="pins definition 0badf00d"):
        AutomatedReasoningPolicy(
            new_stack(),
            "Refunds",
            policy_name="dev-refunds",
            definition=DEFINITION,
            versions=[PolicyVersion(description="v1", definition="0badf00d")],
        )


def test_a_guardrail_checks_the_newest_version_and_grant_apply_may_invoke_it() -> None:
    """User guide, "Permissions for Automated Reasoning policies with ApplyGuardrail"."""
    stack = new_stack()
    policy = _policy(stack)
    assert policy.latest_version is not None
    guardrail = Guardrail(
        stack,
        "Answers",
        guardrail_name="dev-answers",
        blocked_input_message="No.",
        blocked_output_message="No.",
        words=["contoso"],
        automated_reasoning=AutomatedReasoningChecks(
            versions=[policy.latest_version], confidence_threshold=0.8
        ),
        cross_region_profile="us.guardrail.v1:0",
    )
    assert (
        guardrail.policy_hash
        != Guardrail(
            stack,
            "Plain",
            guardrail_name="dev-plain",
            blocked_input_message="No.",
            blocked_output_message="No.",
            words=["contoso"],
            cross_region_profile="us.guardrail.v1:0",
        ).policy_hash
    )
    role = iam.Role(stack, "App", assumed_by=iam.AccountRootPrincipal())
    guardrail.grant_apply(role)
    template = Template.from_stack(stack)
    config = template.find_resources("AWS::Bedrock::Guardrail")[stack.get_logical_id(guardrail.resource)][
        "Properties"
    ]["AutomatedReasoningPolicyConfig"]
    assert config["ConfidenceThreshold"] == 0.8
    (version_arn,) = config["Policies"]
    # The newest version's own ARN (``automated-reasoning-policy/<id>:<n>``), not the policy's.
    versions = template.find_resources(spec.VERSION_TYPE)
    newest = stack.get_logical_id(policy.latest_version.resource)
    (policy_id,) = template.find_resources(spec.POLICY_TYPE)
    assert newest in versions
    assert version_arn == {
        "Fn::Join": [":", [{"Fn::GetAtt": [policy_id, "PolicyArn"]}, {"Fn::GetAtt": [newest, "Version"]}]]
    }
    assert (
        "CrossRegionConfig"
        in template.find_resources("AWS::Bedrock::Guardrail")[stack.get_logical_id(guardrail.resource)][
            "Properties"
        ]
    )
    (policy_statement,) = [
        s
        for p in template.find_resources("AWS::IAM::Policy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Action"] == "bedrock:InvokeAutomatedReasoningPolicy"
    ]
    assert policy_statement["Resource"] == version_arn


def test_checks_need_a_guardrail_profile() -> None:
    """User guide, "Deploy your Automated Reasoning policy in your application": CreateGuardrail refuses
    Automated Reasoning checks without a cross-Region (guardrail) profile."""
    stack = new_stack()
    policy = _policy(stack)
    assert policy.latest_version is not None
    with pytest.raises(ConstructValidationError, match="automated_reasoning needs cross_region_profile"):
        Guardrail(
            stack,
            "Answers",
            guardrail_name="dev-answers",
            blocked_input_message="No.",
            blocked_output_message="No.",
            words=["contoso"],
            automated_reasoning=AutomatedReasoningChecks(versions=[policy.latest_version]),
        )


@pytest.mark.parametrize(("count", "threshold"), [(0, None), (3, None), (1, 1.5)])
def test_checks_take_one_or_two_versions_and_a_threshold_from_0_to_1(
    count: int, threshold: float | None
) -> None:
    stack = new_stack()
    policy = _policy(stack, versions=3)
    with pytest.raises(ConstructValidationError, match="automated_reasoning"):
        Guardrail(
            stack,
            "Answers",
            guardrail_name="dev-answers",
            blocked_input_message="No.",
            blocked_output_message="No.",
            words=["contoso"],
            automated_reasoning=AutomatedReasoningChecks(
                versions=policy.versions[:count], confidence_threshold=threshold
            ),
        )


def test_names_descriptions_and_limits_are_cloudformations() -> None:
    definitions = resource_schema(spec.POLICY_TYPE)["definitions"]
    assert definitions["Name"]["pattern"] == spec.NAME.pattern
    assert definitions["Name"]["maxLength"] == spec.NAME_MAX
    assert definitions["Description"]["maxLength"] == spec.DESCRIPTION_MAX
    checks = resource_schema("AWS::Bedrock::Guardrail")["definitions"]["AutomatedReasoningPolicyConfig"][
        "properties"
    ]
    assert checks["Policies"]["maxItems"] == spec.MAX_POLICIES_PER_GUARDRAIL
    assert (checks["ConfidenceThreshold"]["minimum"], checks["ConfidenceThreshold"]["maximum"]) == (
        spec.CONFIDENCE_MIN,
        spec.CONFIDENCE_MAX,
    )
    assert set(resource_schema(spec.VERSION_TYPE)["createOnlyProperties"]) >= {"/properties/Tags"}
