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
    # Issue 16, finding 10: the prefix without its trailing slash, so that Bedrock writes under
    # bedrock/AWSLogs/... (the policy's path), and only the true flags (an older botocore in the
    # Lambda runtime may not know video or audio).
    assert config["s3Config"]["keyPrefix"] == "bedrock"
    assert {flag: on for flag, on in config.items() if flag.endswith("Enabled")} == {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": True,
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
    assert config["cloudWatchConfig"]["largeDataDeliveryS3Config"]["keyPrefix"] == "large"
    # User guide, "Set up a CloudWatch Logs destination": CreateLogStream and PutLogEvents on
    # log-group:<name>:log-stream:aws/bedrock/modelinvocations.
    (policy,) = (
        p
        for p in template.find_resources("AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
    )
    (statement,) = (
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    )
    (group_id,) = (lid for lid in template.find_resources("AWS::Logs::LogGroup") if lid.startswith("Group"))
    assert render(statement["Resource"]) == (
        f"arn:aws:logs:us-east-1:111111111111:log-group:<{group_id}>:log-stream:aws/bedrock/modelinvocations"
    )
    bucket_statements = only(template, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(render(statement["Resource"]).split("/", 1)[1] for statement in bucket_statements) == [
        "AWSLogs/111111111111/BedrockModelInvocationLogs/*",
        "large/AWSLogs/111111111111/BedrockModelInvocationLogs/*",
    ]


@pytest.mark.parametrize("prefix", ["bedrock", "bedrock/", "/bedrock/"])
def test_the_prefix_sent_and_the_bucket_policy_name_the_same_object_path(prefix: str) -> None:
    """Issue 16, finding 10: Bedrock writes <keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/
    (user guide, "Set up an Amazon S3 destination"); the policy allows exactly that path."""
    template = synth(with_bucket=True, key_prefix=prefix)
    config = only(template, RESOURCE_TYPE)["Properties"]["LoggingConfig"]
    (statement,) = only(template, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]["Statement"]
    written = f"{config['s3Config']['keyPrefix']}/AWSLogs/111111111111/BedrockModelInvocationLogs/*"
    assert render(statement["Resource"]).endswith(f"/{written}")
    assert "//" not in render(statement["Resource"])


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
