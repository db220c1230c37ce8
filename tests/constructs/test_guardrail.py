"""Guardrail through the construct API: every policy kind, versions, grants, import."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from bedrock_platform.config.model import (
    ContentFilter,
    DeniedTopic,
    GuardrailVersion,
    PiiEntity,
    RegexFilter,
)
from bedrock_platform.constructs import ConstructValidationError, Guardrail, GuardrailProps
from tests.constructs.conftest import new_stack, render

PROFILE_ARN = "arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0"
MINIMAL: dict[str, Any] = {
    "name": "default",
    "description": None,
    "blocked_input_message": "Sorry, I can't help with that.",
    "blocked_output_message": "Sorry, I can't answer that.",
    "kms_key_arn": None,
    "cross_region_profile": None,
    "content_filters": (),
    "content_filter_tier": "CLASSIC",
    "denied_topics": (),
    "topic_tier": "CLASSIC",
    "managed_word_lists": (),
    "words": (),
    "pii_entities": (),
    "regexes": (),
    "grounding_threshold": None,
    "relevance_threshold": None,
    "versions": (),
}


def props(**changes: Any) -> GuardrailProps:
    """Guardrail props with only the changes given (plus the required messages)."""
    return GuardrailProps(**{**MINIMAL, **changes})


FULL = props(
    description="Baseline for regulated data",
    kms_key_arn="arn:aws:kms:us-east-1:111111111111:key/abc",
    cross_region_profile="us.guardrail.v1:0",
    content_filters=(
        ContentFilter(
            type="HATE",
            input_strength="HIGH",
            output_strength="MEDIUM",
            input_modalities=("TEXT", "IMAGE"),
            output_modalities=("TEXT",),
            input_action="BLOCK",
            output_action="NONE",
        ),
        ContentFilter(
            type="PROMPT_ATTACK",
            input_strength="HIGH",
            output_strength="NONE",
            input_modalities=("TEXT",),
            output_modalities=("TEXT",),
            input_action="BLOCK",
            output_action="BLOCK",
        ),
    ),
    content_filter_tier="STANDARD",
    denied_topics=(
        DeniedTopic(
            name="investment-advice",
            definition="Advice on investing money.",
            examples=("Which stock should I buy?",),
        ),
    ),
    topic_tier="STANDARD",
    managed_word_lists=("PROFANITY",),
    words=("contoso", "fabrikam"),
    pii_entities=(
        PiiEntity(type="EMAIL", input_action="ANONYMIZE", output_action="ANONYMIZE"),
        PiiEntity(type="US_SOCIAL_SECURITY_NUMBER", input_action="BLOCK", output_action="BLOCK"),
    ),
    regexes=(
        RegexFilter(
            name="employee-id",
            description="Employee ids",
            pattern=r"EMP-\d{6}",
            input_action="NONE",
            output_action="ANONYMIZE",
        ),
    ),
    grounding_threshold=0.8,
    relevance_threshold=0.75,
)


@pytest.fixture(scope="module")
def full() -> Template:
    stack = new_stack()
    guardrail = Guardrail(stack, "Guardrail", props=FULL, guardrail_name="dev-default")
    guardrail.add_version("initial release")
    guardrail.grant_apply(
        iam.Role(stack, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    )
    return Template.from_stack(stack)


def test_every_policy_kind_renders_its_cloudformation(full: Template) -> None:
    full.has_resource_properties(
        "AWS::Bedrock::Guardrail",
        {
            "Name": "dev-default",
            "Description": "Baseline for regulated data",
            "BlockedInputMessaging": "Sorry, I can't help with that.",
            "BlockedOutputsMessaging": "Sorry, I can't answer that.",
            "KmsKeyArn": "arn:aws:kms:us-east-1:111111111111:key/abc",
            "CrossRegionConfig": {"GuardrailProfileArn": PROFILE_ARN},
            "ContentPolicyConfig": {
                "FiltersConfig": [
                    {
                        "Type": "HATE",
                        "InputStrength": "HIGH",
                        "OutputStrength": "MEDIUM",
                        "InputModalities": ["TEXT", "IMAGE"],
                        "OutputModalities": ["TEXT"],
                        "InputAction": "BLOCK",
                        "OutputAction": "NONE",
                    },
                    Match.object_like({"Type": "PROMPT_ATTACK", "OutputStrength": "NONE"}),
                ],
                "ContentFiltersTierConfig": {"TierName": "STANDARD"},
            },
            "TopicPolicyConfig": {
                "TopicsConfig": [
                    {
                        "Name": "investment-advice",
                        "Definition": "Advice on investing money.",
                        "Examples": ["Which stock should I buy?"],
                        "Type": "DENY",
                    }
                ],
                "TopicsTierConfig": {"TierName": "STANDARD"},
            },
            "WordPolicyConfig": {
                "ManagedWordListsConfig": [{"Type": "PROFANITY"}],
                "WordsConfig": [{"Text": "contoso"}, {"Text": "fabrikam"}],
            },
            "SensitiveInformationPolicyConfig": {
                "PiiEntitiesConfig": [
                    {
                        "Type": "EMAIL",
                        "Action": "ANONYMIZE",
                        "InputAction": "ANONYMIZE",
                        "OutputAction": "ANONYMIZE",
                    },
                    {
                        "Type": "US_SOCIAL_SECURITY_NUMBER",
                        "Action": "BLOCK",
                        "InputAction": "BLOCK",
                        "OutputAction": "BLOCK",
                    },
                ],
                "RegexesConfig": [
                    {
                        "Name": "employee-id",
                        "Description": "Employee ids",
                        "Pattern": r"EMP-\d{6}",
                        "Action": "ANONYMIZE",
                        "InputAction": "NONE",
                        "OutputAction": "ANONYMIZE",
                    }
                ],
            },
            "ContextualGroundingPolicyConfig": {
                "FiltersConfig": [
                    {"Type": "GROUNDING", "Threshold": 0.8},
                    {"Type": "RELEVANCE", "Threshold": 0.75},
                ]
            },
        },
    )


def test_absent_policies_are_absent() -> None:
    stack = new_stack()
    Guardrail(stack, "Guardrail", props=props(words=("contoso",)))
    Template.from_stack(stack).has_resource_properties(
        "AWS::Bedrock::Guardrail",
        {
            "Name": "default",
            "ContentPolicyConfig": Match.absent(),
            "TopicPolicyConfig": Match.absent(),
            "SensitiveInformationPolicyConfig": Match.absent(),
            "ContextualGroundingPolicyConfig": Match.absent(),
            "KmsKeyArn": Match.absent(),
            "CrossRegionConfig": Match.absent(),
            "WordPolicyConfig": {"WordsConfig": [{"Text": "contoso"}]},
        },
    )


def test_version_is_retained_references_the_guardrail_and_names_its_policy(full: Template) -> None:
    (guardrail,) = full.find_resources("AWS::Bedrock::Guardrail")
    full.has_resource(
        "AWS::Bedrock::GuardrailVersion",
        {
            "Properties": {
                "GuardrailIdentifier": {"Fn::GetAtt": [guardrail, "GuardrailId"]},
                "Description": f"initial release [policy {FULL.policy_hash}]",
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    assert list(full.find_resources("AWS::Bedrock::GuardrailVersion")) == [
        lid
        for lid in full.find_resources("AWS::Bedrock::GuardrailVersion")
        if lid.startswith("GuardrailVersion1")
    ]


def _templates(guardrail_props: GuardrailProps, extra_versions: tuple[str, ...] = ()) -> dict[str, Any]:
    stack = new_stack()
    guardrail = Guardrail(stack, "Guardrail", props=guardrail_props)
    for description in extra_versions:
        guardrail.add_version(description)
    resources: dict[str, Any] = Template.from_stack(stack).to_json()["Resources"]
    return resources


def test_appending_a_version_adds_exactly_one_resource_and_changes_none() -> None:
    first = props(words=("contoso",), versions=(GuardrailVersion(description="v1", policy="0123abcd"),))
    before = _templates(first)
    after = _templates(first, extra_versions=("v2",))
    added = set(after) - set(before)
    assert len(added) == 1 and after[added.pop()]["Type"] == "AWS::Bedrock::GuardrailVersion"
    assert {lid: after[lid] for lid in before} == before


def test_changing_the_guardrail_without_a_new_version_changes_no_version() -> None:
    versions = (
        GuardrailVersion(description="v1", policy="0123abcd"),
        GuardrailVersion(description="v2", policy="4567cdef"),
    )
    before = _templates(props(words=("contoso",), versions=versions))
    after = _templates(props(words=("contoso", "fabrikam"), blocked_input_message="No.", versions=versions))
    assert set(before) == set(after)
    changed = {lid for lid in before if before[lid] != after[lid]}
    assert {before[lid]["Type"] for lid in changed} == {"AWS::Bedrock::Guardrail"}


def test_add_version_defaults_to_the_current_policy_hash_and_latest_is_the_newest() -> None:
    stack = new_stack()
    guardrail = Guardrail(stack, "Guardrail", props=props(words=("contoso",)))
    assert guardrail.latest_version is None
    first = guardrail.add_version("first")
    second = guardrail.add_version("second", policy="89abcdef")
    assert guardrail.latest_version is second
    assert first.description == f"first [policy {guardrail.policy_hash}]"
    assert second.description == "second [policy 89abcdef]"
    assert re.fullmatch(
        r"<Guardrail[0-9A-F]{8}\.GuardrailArn>:<GuardrailVersion2[0-9A-F]{8}\.Version>",
        render(stack.resolve(second.version_arn)),
    )


def test_grant_apply_covers_the_guardrail_its_versions_and_its_key(full: Template) -> None:
    (guardrail,) = full.find_resources("AWS::Bedrock::Guardrail")
    (policy,) = full.find_resources("AWS::IAM::Policy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == "bedrock:ApplyGuardrail"
    assert [render(r) for r in statements[0]["Resource"]] == [
        f"<{guardrail}.GuardrailArn>",
        f"<{guardrail}.GuardrailArn>:*",
    ]
    assert {
        "Action": "kms:Decrypt",
        "Effect": "Allow",
        "Resource": "arn:aws:kms:us-east-1:111111111111:key/abc",
    } in statements


def test_imported_guardrail_can_grant_apply() -> None:
    stack = new_stack()
    guardrail = Guardrail.from_guardrail_attributes(stack, "Existing", guardrail_id="abc123def456")
    role = iam.Role(stack, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    guardrail.grant_apply(role)
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == [
        "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456",
        "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456:*",
    ]


@pytest.mark.parametrize(
    ("guardrail_props", "message"),
    [
        (props(), "declares no policy"),
        (props(words=("x",), blocked_input_message="x" * 501), "blocked_input_message is 501 characters"),
        (props(words=("x",), name="bad name"), "guardrail_name 'bad name' must be 1 to 50"),
        (
            props(words=("x",), versions=(GuardrailVersion(description="v1", policy="nothex!!"),)),
            "version 1: policy 'nothex!!' must be 8 lowercase hex digits",
        ),
    ],
)
def test_invalid_props_raise_naming_the_field(guardrail_props: GuardrailProps, message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        Guardrail(new_stack(), "Guardrail", props=guardrail_props)


def test_policy_hash_ignores_name_description_and_versions() -> None:
    assert replace(FULL, name="other", description="x", versions=()).policy_hash == FULL.policy_hash
    assert replace(FULL, words=("contoso",)).policy_hash != FULL.policy_hash
    assert cdk.Token.is_unresolved(FULL.policy_hash) is False
