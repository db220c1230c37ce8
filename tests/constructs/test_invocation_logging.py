"""InvocationLogging through the construct API: destinations, who may write, the handler's rights."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import ConstructValidationError
from bedrock_platform.constructs.invocation_logging import RESOURCE_TYPE, InvocationLogging
from tests.constructs.conftest import new_stack, render

SOURCE = {
    "StringEquals": {"aws:SourceAccount": "111111111111"},
    "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111111111111:*"},
}


def synth(**kwargs: Any) -> Template:
    stack = new_stack()
    bucket = s3.Bucket(stack, "Logs") if kwargs.pop("with_bucket", False) else None
    group = logs.LogGroup(stack, "Group") if kwargs.pop("with_group", False) else None
    InvocationLogging(stack, "Logging", bucket=bucket, log_group=group, **kwargs)
    return Template.from_stack(stack)


def only(template: Template, resource_type: str) -> dict[str, Any]:
    (resource,) = template.find_resources(resource_type).values()
    return resource


def test_s3_logging_lets_bedrock_write_only_under_its_prefix_for_this_account() -> None:
    template = synth(with_bucket=True, key_prefix="bedrock/", data=["text", "image"])

    (statement,) = only(template, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert statement["Action"] == "s3:PutObject" and statement["Condition"] == SOURCE
    assert render(statement["Resource"]).endswith(
        "/bedrock/AWSLogs/111111111111/BedrockModelInvocationLogs/*"
    )
    logging = only(template, RESOURCE_TYPE)
    config = logging["Properties"]["LoggingConfig"]
    assert config["s3Config"]["keyPrefix"] == "bedrock/"
    assert {flag: on for flag, on in config.items() if flag.endswith("Enabled")} == {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": True,
        "embeddingDataDeliveryEnabled": False,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }
    assert "cloudWatchConfig" not in config
    # The service checks its access when the configuration is set: the bucket policy comes first.
    (policy_id,) = template.find_resources("AWS::S3::BucketPolicy")
    assert logging["DependsOn"] == [policy_id]


def test_cloudwatch_logging_goes_through_a_role_bedrock_assumes_for_this_account_only() -> None:
    template = synth(with_group=True, with_bucket=True, large_data_key_prefix="large/")

    roles = template.find_resources(
        "AWS::IAM::Role",
        {
            "Properties": {
                "AssumeRolePolicyDocument": {"Statement": [Match.object_like({"Condition": SOURCE})]}
            }
        },
    )
    (role_id,) = roles
    config = only(template, RESOURCE_TYPE)["Properties"]["LoggingConfig"]
    assert config["cloudWatchConfig"]["roleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert config["cloudWatchConfig"]["largeDataDeliveryS3Config"]["keyPrefix"] == "large/"
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": role_id}],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [Match.string_like_regexp("^Group"), "Arn"]},
                    }
                ]
            },
        },
    )


def test_the_handler_may_set_logging_and_pass_only_the_delivery_role() -> None:
    template = synth(with_group=True)
    statements = [
        statement
        for policy in template.find_resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    logging = next(s for s in statements if "bedrock:PutModelInvocationLoggingConfiguration" in s["Action"])
    assert sorted(logging["Action"]) == [
        "bedrock:DeleteModelInvocationLoggingConfiguration",
        "bedrock:GetModelInvocationLoggingConfiguration",
        "bedrock:PutModelInvocationLoggingConfiguration",
    ]
    (pass_role,) = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert pass_role["Resource"]["Fn::GetAtt"][0].startswith("LoggingDeliveryRole")


def test_take_over_and_retention_are_properties_of_the_resource() -> None:
    template = synth(with_group=True, take_over_existing=True, removal_policy=cdk.RemovalPolicy.RETAIN)
    resource = only(template, RESOURCE_TYPE)
    assert resource["Properties"]["TakeOverExisting"] is True
    assert resource["DeletionPolicy"] == "Retain"
    plain = only(synth(with_group=True), RESOURCE_TYPE)
    assert "TakeOverExisting" not in plain["Properties"] and plain["DeletionPolicy"] == "Delete"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give a bucket, a log_group or both"),
        ({"with_bucket": True, "large_data_key_prefix": "x/"}, "large_data_key_prefix needs both"),
        ({"with_group": True, "data": ["text", "smell"]}, "data ['smell'] is not of"),
        ({"with_group": True, "data": []}, "data is empty"),
    ],
)
def test_bad_arguments_are_refused_with_the_reason(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        synth(**kwargs)
