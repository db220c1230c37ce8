"""The logging stack of each config: what prod keeps, what dev tears down, and where logs go."""

from __future__ import annotations

from typing import Any

from tests.conftest import Synthesized


def resources(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_prod_logs_to_a_retained_bucket_and_a_retained_encrypted_log_group(
    synthesized: dict[str, Synthesized],
) -> None:
    template = synthesized["prod"].templates["prod-bedrock-logging"]
    (logging,) = resources(template, "Custom::BedrockInvocationLogging")
    # Deleting the stack leaves logging on in prod; a failed first deploy turns it off again, so the
    # retry does not find "someone else's" configuration (issue 16, finding 3).
    assert logging["DeletionPolicy"] == "RetainExceptOnCreate"
    config = logging["Properties"]["LoggingConfig"]
    # Prefixes without their trailing slash: Bedrock writes under bedrock/AWSLogs/<account>/...
    assert config["s3Config"]["keyPrefix"] == "bedrock"
    assert config["cloudWatchConfig"]["largeDataDeliveryS3Config"]["keyPrefix"] == "bedrock/large-data"
    assert (config["textDataDeliveryEnabled"], config["embeddingDataDeliveryEnabled"]) == (True, True)
    assert all(on is True for flag, on in config.items() if flag.endswith("DataDeliveryEnabled"))
    (group,) = [g for g in resources(template, "AWS::Logs::LogGroup") if "LogGroupName" in g["Properties"]]
    assert group["Properties"]["LogGroupName"] == "/aws/bedrock/prod/model-invocations"
    # A fixed name: retained, but not through the rollback of the deployment that created it, or
    # the retry would fail with "already exists" (issue 16, finding 3).
    assert group["Properties"]["RetentionInDays"] == 731
    assert (group["DeletionPolicy"], group["UpdateReplacePolicy"]) == ("RetainExceptOnCreate", "Retain")
    assert group["Properties"]["KmsKeyId"].startswith("arn:aws:kms:eu-central-1:222222222222:key/")
    buckets = resources(template, "AWS::S3::Bucket")
    assert buckets and all(bucket["DeletionPolicy"] == "Retain" for bucket in buckets)


def test_dev_logs_to_cloudwatch_only_and_tears_down(synthesized: dict[str, Synthesized]) -> None:
    template = synthesized["dev"].templates["dev-bedrock-logging"]
    (logging,) = resources(template, "Custom::BedrockInvocationLogging")
    assert logging["DeletionPolicy"] == "Delete"
    assert "s3Config" not in logging["Properties"]["LoggingConfig"]
    assert not resources(template, "AWS::S3::Bucket")
    (group,) = [g for g in resources(template, "AWS::Logs::LogGroup") if "LogGroupName" in g["Properties"]]
    assert group["Properties"]["RetentionInDays"] == 30 and group["DeletionPolicy"] == "Delete"
