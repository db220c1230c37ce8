"""Encryption at rest through the YAML path: customer managed keys where data rests, and the defaults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, Synthesized, synthesize

DATA_KEY = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-00000000000a"
LOGS_KEY = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-00000000000b"


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def _skips(resource: dict[str, Any]) -> list[str]:
    return [skip["id"] for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])]


@pytest.fixture(scope="module")
def with_keys(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """dev.yaml with a key on every bucket it creates and on the handlers' log groups."""
    raw = yaml.safe_load((ROOT / "config" / "dev.yaml").read_text())
    keyed = {"create": True, "kms_key_arn": DATA_KEY}
    for knowledge_base in raw["knowledge_bases"]:
        if "multimodal_storage" in knowledge_base:
            knowledge_base["multimodal_storage"] = keyed
        for source in knowledge_base["data_sources"]:
            if "bucket" in source:
                source["bucket"] = keyed
            if "custom_transformation" in source:
                source["custom_transformation"]["intermediate_bucket"] = keyed
    raw["job_bucket"] = {"create": True, "kms_key_arn": DATA_KEY}
    raw["invocation_logging"]["s3"] = {"bucket": {"create": True, "kms_key_arn": DATA_KEY}}
    raw["handler_logs"] = {"kms_key_arn": LOGS_KEY}
    directory = tmp_path_factory.mktemp("with-keys")
    shutil.copytree(ROOT / "config" / "datasets", directory / "datasets")  # the job data dev.yaml ships
    path = directory / "dev.yaml"
    path.write_text(yaml.safe_dump(raw))
    return synthesize(path, directory / "cdk.out", validation=False)


def test_buckets_the_toolkit_creates_use_the_configured_key(with_keys: Synthesized) -> None:
    encrypted = {}
    for stack, template in with_keys.templates.items():
        for logical_id, bucket in _resources(template, "AWS::S3::Bucket").items():
            (rule,) = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            encrypted[f"{stack}/{logical_id}"] = (
                rule["ServerSideEncryptionByDefault"],
                rule.get("BucketKeyEnabled", False),
            )
    kms = ({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": DATA_KEY}, True)
    sse_s3 = ({"SSEAlgorithm": "AES256"}, False)
    data = {where: value for where, value in encrypted.items() if "AccessLogs" not in where}
    # The data source buckets (four), a custom transformation's intermediate bucket, two multimodal
    # storages, the job bucket and the invocation log bucket.
    assert all(value == kms for value in data.values())
    assert sorted(where.split("/")[0].removeprefix("dev-bedrock-") for where in data) == [
        "evaluation",
        *["knowledge"] * 7,
        "logging",
    ]
    # S3 delivers server access logs only to SSE-S3 buckets.
    assert [value for where, value in encrypted.items() if "AccessLogs" in where] == [sse_s3] * 3


def test_the_roles_that_read_and_write_those_buckets_may_use_the_key(with_keys: Synthesized) -> None:
    def actions_on_key(template: dict[str, Any]) -> set[str]:
        return {
            action
            for policy in _resources(template, "AWS::IAM::Policy").values()
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            if statement["Resource"] == DATA_KEY
            for action in (
                [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
            )
        }

    knowledge = with_keys.templates["dev-bedrock-knowledge"]
    # product-docs only reads its documents; field-guides also writes its multimodal storage and the
    # transformation's batches.
    by_role = {
        logical_id: {
            action
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            if statement["Resource"] == DATA_KEY
            for action in (
                [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
            )
        }
        for logical_id, policy in _resources(knowledge, "AWS::IAM::Policy").items()
        if "ServiceRole" in logical_id
    }
    assert {
        next(name for name in ("productdocs", "fieldguides", "handbook", "media") if name in lid): actions
        for lid, actions in by_role.items()
        if actions
    } == {
        "productdocs": {"kms:Decrypt"},
        "fieldguides": {"kms:Decrypt", "kms:GenerateDataKey"},
        "handbook": {"kms:Decrypt"},  # a managed knowledge base: it reads its S3 source
        # native multimodal: it reads its recordings and writes its multimodal storage
        "media": {"kms:Decrypt", "kms:GenerateDataKey"},
    }
    assert actions_on_key(with_keys.templates["dev-bedrock-evaluation"]) == {
        "kms:Decrypt",
        "kms:GenerateDataKey",
    }


def test_handler_logs_key_encrypts_every_handler_log_group(with_keys: Synthesized) -> None:
    groups = {
        f"{stack}/{logical_id}": group
        for stack, template in with_keys.templates.items()
        for logical_id, group in _resources(template, "AWS::Logs::LogGroup").items()
        if "LogGroupName" not in group["Properties"]  # not the invocation log group
    }
    # Logs and WaiterLogs of each provider: at least the jobs' and the invocation logging's; and the
    # log group of the job data upload function.
    uploads = [where for where in groups if "/JobDataUploaderLogs" in where]
    assert len(uploads) == 1, sorted(groups)
    providers = len(groups) - len(uploads)
    assert providers >= 4 and providers % 2 == 0, sorted(groups)
    for where, group in groups.items():
        assert group["Properties"]["KmsKeyId"] == LOGS_KEY, where
        assert "CKV_AWS_158" not in _skips(group), where


def test_invocation_log_group_gets_a_rotated_key_of_its_own_by_default(
    synthesized: dict[str, Synthesized],
) -> None:
    template = synthesized["dev"].templates["dev-bedrock-logging"]
    ((key_id, key),) = _resources(template, "AWS::KMS::Key").items()
    assert key["Properties"]["EnableKeyRotation"] is True
    (group,) = [
        g for g in _resources(template, "AWS::Logs::LogGroup").values() if "LogGroupName" in g["Properties"]
    ]
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    # Deleted in dev with the log group it encrypts (prod retains both; it brings its own key).
    assert key["DeletionPolicy"] == group["DeletionPolicy"] == "Delete"
    (logs,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": (
                "arn:aws:logs:us-east-1:111111111111:log-group:/aws/bedrock/dev/model-invocations"
            )
        }
    }
    assert not [action for action in logs["Action"] if "*" in action]


def test_a_configured_log_group_key_is_used_and_none_is_created(synthesized: dict[str, Synthesized]) -> None:
    """prod's log group has the config's key; the one key the stack creates is its own key, for the log
    bucket the config names no key for (Control Tower is on in prod)."""
    template = synthesized["prod"].templates["prod-bedrock-logging"]
    (key_id,) = _resources(template, "AWS::KMS::Key")
    assert key_id.startswith("StackKey")
    groups = _resources(template, "AWS::Logs::LogGroup")
    configured = [group for group in groups.values() if group["Properties"].get("LogGroupName")]
    assert [group["Properties"]["KmsKeyId"] for group in configured] == [
        "arn:aws:kms:eu-central-1:222222222222:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    ]


def test_without_keys_buckets_use_sse_s3_and_handler_logs_say_why(
    synthesized: dict[str, Synthesized],
) -> None:
    template = synthesized["dev"].templates["dev-bedrock-evaluation"]
    for logical_id, bucket in _resources(template, "AWS::S3::Bucket").items():
        (rule,) = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}, logical_id
    groups = _resources(template, "AWS::Logs::LogGroup")
    assert groups and all("KmsKeyId" not in group["Properties"] for group in groups.values())
    assert all(_skips(group) == ["CKV_AWS_158"] for group in groups.values())


def test_new_keys_are_in_the_schema_and_the_reference() -> None:
    schema = json.loads((ROOT / "config" / "schema.json").read_text())
    created = schema["$defs"]["bucket"]["oneOf"][0]["properties"]
    assert created["kms_key_arn"]["$ref"] == "#/$defs/kms_key_arn"
    assert schema["properties"]["handler_logs"]["properties"]["kms_key_arn"]["$ref"] == "#/$defs/kms_key_arn"
    assert "handler_logs" in Path(ROOT / "README.md").read_text()
