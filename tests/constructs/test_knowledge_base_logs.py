"""KnowledgeBaseLogs through the construct API: a knowledge base's application logs to a log group, a
bucket and a Firehose stream."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Template

from bedrock_platform.constructs import (
    AccessLogsBucket,
    ConstructValidationError,
    DocumentBucket,
    KnowledgeBase,
    KnowledgeBaseLogs,
    VectorCollection,
    VectorIndex,
)
from bedrock_platform.spec import logging as spec
from tests.constructs.conftest import new_stack, render

MODEL = "amazon.titan-embed-text-v2:0"
STREAM = "arn:aws:firehose:us-east-1:111111111111:deliverystream/kb-logs"


def _knowledge_base(stack: cdk.Stack, dimensions: int = 512) -> KnowledgeBase:
    collection = VectorCollection(stack, "Store", collection_name="dev-docs")
    index = VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=dimensions)
    return KnowledgeBase(
        stack, "KB", knowledge_base_name="dev-manuals", vector_index=index, embedding_model_id=MODEL
    )


def _everywhere(stack: cdk.Stack, dimensions: int = 512) -> KnowledgeBaseLogs:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    return KnowledgeBaseLogs(
        stack,
        "Logs",
        knowledge_base=_knowledge_base(stack, dimensions),
        delivery_name="dev-manuals",
        log_group=logs.LogGroup(stack, "Group", log_group_name="/aws/vendedlogs/kb/dev-manuals"),
        bucket=DocumentBucket(
            stack, "LogBucket", access_logs_bucket=AccessLogsBucket(stack, "Access"), encryption_key=key
        ),
        delivery_stream_arn=STREAM,
    )


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    stack = new_stack()
    _everywhere(stack)
    return Template.from_stack(stack).to_json()["Resources"]  # type: ignore[no-any-return]


def _of_type(resources: dict[str, Any], resource_type: str) -> dict[str, Any]:
    return {key: resource for key, resource in resources.items() if resource["Type"] == resource_type}


def test_one_source_named_after_the_knowledge_bases_aws_name(template: dict[str, Any]) -> None:
    """A source's ResourceArn cannot change in place, and a resource has one source: a replaced
    knowledge base (a new AWS name) must come with a new source."""
    (source,) = _of_type(template, "AWS::Logs::DeliverySource").values()
    (kb,) = _of_type(template, "AWS::Bedrock::KnowledgeBase").values()
    assert source["Properties"]["Name"] == kb["Properties"]["Name"]
    assert source["Properties"]["Name"].startswith("dev-manuals-")
    assert source["Properties"]["LogType"] == "APPLICATION_LOGS"

    other = new_stack("Other")
    replaced = _everywhere(other, dimensions=1024)  # a create-only change: a new knowledge base
    resources = Template.from_stack(other).to_json()["Resources"]
    (renamed,) = _of_type(resources, "AWS::Logs::DeliverySource").values()
    assert renamed["Properties"]["Name"] != source["Properties"]["Name"]
    # The destinations stay: their name and resource are create-only and did not change.
    names = sorted(
        d["Properties"]["Name"] for d in _of_type(resources, "AWS::Logs::DeliveryDestination").values()
    )
    assert names == sorted(
        d["Properties"]["Name"] for d in _of_type(template, "AWS::Logs::DeliveryDestination").values()
    )
    assert replaced.delivery is replaced.deliveries[0]


def test_each_destination_has_its_name_and_the_deliveries_are_created_one_after_another(
    template: dict[str, Any],
) -> None:
    destinations = _of_type(template, "AWS::Logs::DeliveryDestination")

    def kind(properties: dict[str, Any]) -> str:
        arn = render(properties["DestinationResourceArn"])
        return "firehose" if arn == STREAM else "s3" if "LogBucket" in arn else "logs"

    by_kind = {kind(d["Properties"]): d["Properties"] for d in destinations.values()}
    assert "Group" in render(by_kind["logs"]["DestinationResourceArn"])
    assert by_kind["logs"]["Name"] == "dev-manuals"
    assert by_kind["s3"]["Name"] == "dev-manuals-s3"
    assert by_kind["firehose"]["Name"] == spec.destination_name("dev-manuals", "firehose", STREAM)
    assert by_kind["firehose"]["Name"].startswith("dev-manuals-firehose-")
    assert by_kind["firehose"]["DestinationResourceArn"] == STREAM
    assert {d["OutputFormat"] for d in by_kind.values()} == {"json"}

    deliveries = _of_type(template, "AWS::Logs::Delivery")
    assert len(deliveries) == 3
    chained = [
        key for key, delivery in deliveries.items() if set(delivery.get("DependsOn", [])) & set(deliveries)
    ]
    assert len(chained) == 2  # concurrent CreateDelivery calls on one source fail with ConflictException
    firsts = [key for key in deliveries if key not in chained]
    assert len(firsts) == 1


def test_the_bucket_lets_the_delivery_service_write_for_this_accounts_sources_only(
    template: dict[str, Any],
) -> None:
    ((policy_id, policy),) = [
        (logical_id, resource)
        for logical_id, resource in _of_type(template, "AWS::S3::BucketPolicy").items()
        if "LogBucket" in render(resource["Properties"]["Bucket"])
    ]
    statements = {
        s.get("Sid"): s for s in json.loads(render(policy["Properties"]["PolicyDocument"]))["Statement"]
    }
    write = statements["KnowledgeBaseLogDeliveryWrite"]
    assert write["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert write["Action"] == "s3:PutObject"
    assert write["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111111111111", "s3:x-amz-acl": "bucket-owner-full-control"},
        "ArnLike": {"aws:SourceArn": "arn:aws:logs:us-east-1:111111111111:delivery-source:*"},
    }
    acl = statements["KnowledgeBaseLogDeliveryAclCheck"]
    assert sorted(acl["Action"]) == ["s3:GetBucketAcl", "s3:ListBucket"]
    assert "Condition" in acl

    (key,) = _of_type(template, "AWS::KMS::Key").values()
    key_statements = {
        s.get("Sid"): s for s in json.loads(render(key["Properties"]["KeyPolicy"]))["Statement"]
    }
    assert key_statements["KnowledgeBaseLogDelivery"]["Principal"] == {
        "Service": "delivery.logs.amazonaws.com"
    }
    assert "kms:GenerateDataKey*" in key_statements["KnowledgeBaseLogDelivery"]["Action"]

    # The bucket's delivery waits for the policy that lets it write.
    s3_delivery = next(
        delivery
        for delivery in _of_type(template, "AWS::Logs::Delivery").values()
        if "S3Destination" in render(delivery["Properties"]["DeliveryDestinationArn"])
    )
    assert policy_id in s3_delivery["DependsOn"]


def test_only_the_log_group_kind_adds_a_logs_resource_policy() -> None:
    stack = new_stack()
    KnowledgeBaseLogs(
        stack,
        "Logs",
        knowledge_base=_knowledge_base(stack),
        delivery_name="dev-manuals",
        delivery_stream_arn=STREAM,
    )
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert _of_type(resources, "AWS::Logs::ResourcePolicy") == {}
    assert len(_of_type(resources, "AWS::Logs::Delivery")) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give at least one of log_group, bucket and delivery_stream_arn"),
        (
            {"delivery_stream_arn": "arn:aws:kinesis:us-east-1:111111111111:stream/x"},
            "is not a Firehose stream ARN",
        ),
        (
            {"delivery_stream_arn": "arn:aws:firehose:eu-west-1:111111111111:deliverystream/x"},
            "delivery_stream_arn is in region 'eu-west-1', not the stack's 'us-east-1'",
        ),
        (
            {"delivery_stream_arn": "arn:aws:firehose:us-east-1:222222222222:deliverystream/x"},
            "delivery_stream_arn is in account '222222222222', not the stack's '111111111111'",
        ),
        (
            {"delivery_stream_arn": STREAM, "source_name": "bad name"},
            "source_name 'bad name' must be letters",
        ),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    with pytest.raises(ConstructValidationError, match=message):
        KnowledgeBaseLogs(
            stack, "Logs", knowledge_base=_knowledge_base(stack), delivery_name="dev-manuals", **kwargs
        )


def test_destination_names_fit_and_a_new_stream_is_a_new_destination() -> None:
    long = spec.delivery_name("staging-" + "k" * 80)
    for kind in spec.DESTINATION_KINDS:
        name = spec.destination_name(long, kind, STREAM if kind == "firehose" else "")
        assert len(name) <= spec.DELIVERY_NAME_MAX
    assert spec.destination_name("dev-a", "firehose", STREAM) != spec.destination_name(
        "dev-a", "firehose", STREAM + "2"
    )
    assert spec.destination_name("dev-a", "s3") != spec.destination_name("dev-a", "cloudwatch")
