"""Encryption and scanner acknowledgments through the construct API: keys, buckets, handler log groups."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import AccessLogsBucket, DocumentBucket, HandlerProvider, log_group_key
from bedrock_platform.constructs.handler_provider import use_handler_logs_key
from bedrock_platform.constructs.nag import skip_checkov
from bedrock_platform.spec import control_tower
from tests.constructs.conftest import new_stack

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000001"


def _provider(stack: cdk.Stack, key: kms.IKey | None = None) -> HandlerProvider:
    return HandlerProvider(
        stack,
        "Provider",
        module="bedrock_job",
        description="jobs",
        query_interval=cdk.Duration.seconds(30),
        total_timeout=cdk.Duration.minutes(10),
        encryption_key=key,
    )


def _acknowledged(construct: Any) -> dict[str, str]:
    return {
        rule: reason
        for entry in construct.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
    }


def _log_group_skips(template: Template) -> list[list[dict[str, str]]]:
    return [
        group.get("Metadata", {}).get("checkov", {}).get("skip", [])
        for group in template.find_resources("AWS::Logs::LogGroup").values()
    ]


def test_log_group_key_rotates_is_retained_and_admits_cloudwatch_logs_for_that_log_group_only() -> None:
    stack = new_stack()
    key = log_group_key(stack, "Key", log_group_name="/app/logs", description="app logs")
    logs.LogGroup(stack, "Logs", log_group_name="/app/logs", encryption_key=key)
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::KMS::Key",
        {"DeletionPolicy": "Retain", "Properties": {"EnableKeyRotation": True, "Description": "app logs"}},
    )
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
                                "Condition": {
                                    "ArnEquals": {
                                        "kms:EncryptionContext:aws:logs:arn": (
                                            "arn:aws:logs:us-east-1:111111111111:log-group:/app/logs"
                                        )
                                    }
                                },
                            }
                        )
                    ]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::Logs::LogGroup", {"KmsKeyId": Match.object_like({"Fn::GetAtt": Match.any_value()})}
    )


def test_handler_provider_encrypts_both_log_groups_with_the_given_key() -> None:
    stack = new_stack()
    _provider(stack, kms.Key.from_key_arn(stack, "Key", KEY_ARN))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Logs::LogGroup", 2)
    template.all_resources_properties("AWS::Logs::LogGroup", {"KmsKeyId": KEY_ARN})
    assert _log_group_skips(template) == [[], []]


def test_handler_provider_of_uses_the_key_named_for_the_stack() -> None:
    """Issue 18: the key was passed through a context value; it is named by a public call now."""
    stack = new_stack()
    assert (
        use_handler_logs_key(stack, KEY_ARN).key_arn
        == use_handler_logs_key(stack, KEY_ARN).key_arn
        == KEY_ARN
    )
    HandlerProvider.of(
        stack,
        module="bedrock_job",
        description="jobs",
        query_interval=cdk.Duration.seconds(30),
        total_timeout=cdk.Duration.minutes(10),
    )
    Template.from_stack(stack).all_resources_properties("AWS::Logs::LogGroup", {"KmsKeyId": KEY_ARN})


def test_without_a_key_the_log_groups_and_functions_say_why_in_both_scanners() -> None:
    stack = new_stack()
    provider = _provider(stack)
    template = Template.from_stack(stack)
    assert [[skip["id"] for skip in skips] for skips in _log_group_skips(template)] == [["CKV_AWS_158"]] * 2
    for function in template.find_resources("AWS::Lambda::Function").values():
        skipped = [skip["id"] for skip in function["Metadata"]["checkov"]["skip"]]
        assert skipped[:3] == ["CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117"]
    acknowledged = _acknowledged(provider.log_group)
    assert set(acknowledged) == {
        "NIST.800.53.R5::NIST.800.53.R5-CloudWatchLogGroupEncrypted",
        "HIPAA.Security::HIPAA.Security-CloudWatchLogGroupEncrypted",
    }
    on_event = _acknowledged(provider.provider.node.find_child("framework-onEvent"))
    assert "asynchronously" in on_event["HIPAA.Security::HIPAA.Security-LambdaDLQ"]


def test_buckets_say_why_they_are_in_one_region_and_what_they_are_encrypted_with() -> None:
    stack = new_stack()
    access_logs = AccessLogsBucket(stack, "AccessLogs")
    plain = DocumentBucket(stack, "Plain", access_logs_bucket=access_logs)
    keyed = DocumentBucket(
        stack,
        "Keyed",
        access_logs_bucket=access_logs,
        encryption_key=kms.Key.from_key_arn(stack, "Key", KEY_ARN),
    )
    rules = {
        name: set(_acknowledged(bucket))
        for name, bucket in (("logs", access_logs), ("plain", plain), ("keyed", keyed))
    }
    replication = {
        f"{pack}::{pack}-S3BucketReplicationEnabled" for pack in ("NIST.800.53.R5", "HIPAA.Security")
    }
    sse_kms = {f"{pack}::{pack}-S3DefaultEncryptionKMS" for pack in ("NIST.800.53.R5", "HIPAA.Security")}
    assert rules == {
        "logs": replication
        | sse_kms
        | {"AwsSolutions::AwsSolutions-S1"}
        | {f"{control_tower.PLUGIN_NAME}::{rule}" for rule in control_tower.ACCESS_LOG_BUCKET_EXEMPTIONS},
        "plain": replication | sse_kms,
        "keyed": replication,
    }
    bucket = Template.from_stack(stack).find_resources("AWS::S3::Bucket")
    skips = {lid: r.get("Metadata", {}).get("checkov", {}).get("skip", []) for lid, r in bucket.items()}
    assert [[s["id"] for s in v] for k, v in sorted(skips.items()) if k.startswith("AccessLogs")] == [
        ["CKV_AWS_18"]
    ]


def test_skip_checkov_keeps_one_skip_per_check_sorted() -> None:
    stack = new_stack()
    group = logs.CfnLogGroup(stack, "Group")
    skip_checkov(group, "CKV_AWS_66", "the second reason, long enough to say why it is safe")
    skip_checkov(group, "CKV_AWS_158", "the first reason, long enough to say why it is safe")
    skip_checkov(group, "CKV_AWS_66", "the second reason, replaced by a later call for the check")
    assert group.get_metadata("checkov") == {
        "skip": [
            {"id": "CKV_AWS_158", "comment": "the first reason, long enough to say why it is safe"},
            {"id": "CKV_AWS_66", "comment": "the second reason, replaced by a later call for the check"},
        ]
    }
