"""ApplicationInferenceProfile (issue 23): its name, tags and model source, the grant that lets a
caller invoke through it, the importer, and a job invoking through one."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from bedrock_platform.constructs import (
    ApplicationInferenceProfile,
    ConstructValidationError,
    JobModel,
)
from bedrock_platform.geographies import destination_regions
from tests.constructs.conftest import new_stack

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
PROFILE_ARN = "arn:aws:bedrock:eu-central-1:111111111111:application-inference-profile/a1b2c3d4e5f6"


def _stack_in(region: str) -> cdk.Stack:
    app = new_stack().node.scope
    assert isinstance(app, cdk.App)
    return cdk.Stack(app, f"In-{region}", env=cdk.Environment(account="111111111111", region=region))


def test_a_profile_copies_its_model_with_its_tags_under_a_fingerprinted_name() -> None:
    stack = _stack_in("eu-central-1")
    ApplicationInferenceProfile(
        stack,
        "Support",
        inference_profile_name="dev-support",
        model_id=f"eu.{MODEL}",
        description="Support team",
        tags={"team": "support", "cost-center": "4242"},
    )
    (profile,) = (
        Template.from_stack(stack).find_resources("AWS::Bedrock::ApplicationInferenceProfile").values()
    )
    properties = profile["Properties"]
    assert properties["InferenceProfileName"].startswith("dev-support-")
    assert len(properties["InferenceProfileName"]) == len("dev-support-") + 6
    assert properties["ModelSource"] == {
        "CopyFrom": f"arn:aws:bedrock:eu-central-1:111111111111:inference-profile/eu.{MODEL}"
    }
    assert properties["Tags"] == [
        {"Key": "cost-center", "Value": "4242"},
        {"Key": "team", "Value": "support"},
    ]


def test_grant_invoke_covers_the_profile_the_system_profile_and_each_destination_region() -> None:
    """User guide, "Prerequisites for inference profiles": the application profile and what it
    routes to; for a copy of a system profile, that profile and the model in each of its Regions."""
    stack = _stack_in("eu-central-1")
    profile = ApplicationInferenceProfile(
        stack, "Support", inference_profile_name="dev-support", model_id=f"eu.{MODEL}"
    )
    role = iam.Role(stack, "App", assumed_by=iam.AccountRootPrincipal())
    profile.grant_invoke(role)
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    (logical_id,) = Template.from_stack(stack).find_resources("AWS::Bedrock::ApplicationInferenceProfile")
    assert statement["Action"] == ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    regions = dict.fromkeys(["eu-central-1", *destination_regions("eu", "eu-central-1")])
    assert sorted(statement["Resource"], key=str) == sorted(
        [
            {"Fn::GetAtt": [logical_id, "InferenceProfileArn"]},
            f"arn:aws:bedrock:eu-central-1:111111111111:inference-profile/eu.{MODEL}",
            *(f"arn:aws:bedrock:{region}::foundation-model/{MODEL}" for region in regions),
        ],
        key=str,
    )


def test_an_imported_profile_grants_and_feeds_a_job_model() -> None:
    stack = _stack_in("eu-central-1")
    imported = ApplicationInferenceProfile.from_inference_profile_attributes(
        stack, "Imported", inference_profile_arn=PROFILE_ARN, model_id=MODEL
    )
    job_model = JobModel.from_inference_profile(imported)
    assert job_model.identifier == PROFILE_ARN
    assert job_model.invoke_arns == (
        PROFILE_ARN,
        f"arn:aws:bedrock:eu-central-1::foundation-model/{MODEL}",
    )


@pytest.mark.parametrize(
    ("arn", "why"),
    [
        ("arn:aws:bedrock:eu-central-1:111111111111:inference-profile/eu.x", "not an application"),
        ("support", "not an application"),
    ],
)
def test_the_importer_refuses_what_is_not_an_application_profile_arn(arn: str, why: str) -> None:
    with pytest.raises(ConstructValidationError, match=why):
        ApplicationInferenceProfile.from_inference_profile_attributes(
            _stack_in("eu-central-1"), "Imported", inference_profile_arn=arn, model_id=MODEL
        )


def test_a_name_or_description_the_api_refuses_is_an_error_naming_the_construct() -> None:
    with pytest.raises(
        ConstructValidationError, match=r"ApplicationInferenceProfile 'Bad': name .* at most 64"
    ):
        ApplicationInferenceProfile(
            _stack_in("eu-central-1"), "Bad", inference_profile_name="x" * 60, model_id=MODEL
        )
    with pytest.raises(ConstructValidationError, match="description must match"):
        ApplicationInferenceProfile(
            _stack_in("eu-central-1"),
            "Bad",
            inference_profile_name="ok",
            model_id=MODEL,
            description="Support's!",
        )
