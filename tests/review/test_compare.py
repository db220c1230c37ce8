"""The template comparison: actions, replacement from the resource schemas, severity."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bedrock_platform.review import Severity, compare_templates, replacing_paths

DATA_SOURCE: dict[str, Any] = {
    "Type": "AWS::Bedrock::DataSource",
    "Properties": {
        "Name": "manuals-1a2b3c",
        "KnowledgeBaseId": {"Ref": "KnowledgeBase"},
        "DataSourceConfiguration": {"Type": "S3", "S3Configuration": {"BucketArn": "arn:aws:s3:::docs"}},
        "VectorIngestionConfiguration": {
            "ChunkingConfiguration": {
                "ChunkingStrategy": "FIXED_SIZE",
                "FixedSizeChunkingConfiguration": {"MaxTokens": 300, "OverlapPercentage": 20},
            }
        },
    },
    "Metadata": {"aws:cdk:path": "dev-bedrock-knowledge/DataSource/Resource"},
}
POLICY: dict[str, Any] = {
    "Type": "AWS::IAM::Policy",
    "Properties": {
        "PolicyName": "p",
        "Roles": [{"Ref": "Role"}],
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/manuals/*"}
            ],
        },
    },
}


def template(**resources: Any) -> dict[str, Any]:
    return {"Resources": copy.deepcopy(resources)}


def test_identical_templates_and_metadata_only_changes_report_nothing() -> None:
    before = template(DataSource=DATA_SOURCE)
    after = template(DataSource={**DATA_SOURCE, "Metadata": {"aws:cdk:path": "elsewhere"}})
    assert compare_templates("s", before, before) == []
    assert compare_templates("s", before, after) == []


def test_a_chunking_change_replaces_the_data_source_and_loses_data() -> None:
    after = template(DataSource=DATA_SOURCE)
    after["Resources"]["DataSource"]["Properties"]["VectorIngestionConfiguration"]["ChunkingConfiguration"][
        "FixedSizeChunkingConfiguration"
    ]["MaxTokens"] = 500

    (change,) = compare_templates("dev-bedrock-knowledge", template(DataSource=DATA_SOURCE), after)
    assert (change.action, change.replacement, change.severity) == ("modified", True, Severity.DATA_LOSS)
    (prop,) = change.properties
    assert prop.path == (
        "/Properties/VectorIngestionConfiguration/ChunkingConfiguration/FixedSizeChunkingConfiguration/MaxTokens"
    )
    assert (prop.old, prop.new) == (300, 500)


def test_an_in_place_change_is_routine() -> None:
    after = template(DataSource=DATA_SOURCE)
    after["Resources"]["DataSource"]["Properties"]["Description"] = "Manuals"

    (change,) = compare_templates("s", template(DataSource=DATA_SOURCE), after)
    assert (change.replacement, change.severity) == (False, Severity.ROUTINE)


def test_removing_a_bucket_loses_data_unless_it_is_retained() -> None:
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {}}
    (deleted,) = compare_templates("s", template(Bucket=bucket), template())
    (kept,) = compare_templates("s", template(Bucket={**bucket, "DeletionPolicy": "Retain"}), template())
    assert deleted.severity == Severity.DATA_LOSS
    assert kept.severity == Severity.ROUTINE and "retained" in kept.reasons[0]


def test_a_renamed_logical_id_is_a_removal_and_an_addition() -> None:
    changes = compare_templates("s", template(Old=DATA_SOURCE), template(New=DATA_SOURCE))
    assert [(c.logical_id, c.action) for c in changes] == [("New", "added"), ("Old", "removed")]
    assert changes[1].severity == Severity.DATA_LOSS


def test_more_model_units_replace_a_throughput_at_a_cost() -> None:
    throughput = {"Type": "Custom::BedrockProvisionedThroughput", "Properties": {"ModelUnits": 1, "Tags": {}}}
    more = {"Type": "Custom::BedrockProvisionedThroughput", "Properties": {"ModelUnits": 2, "Tags": {}}}
    retagged = {
        "Type": "Custom::BedrockProvisionedThroughput",
        "Properties": {"ModelUnits": 1, "Tags": {"a": "b"}},
    }
    (bigger,) = compare_templates("s", template(T=throughput), template(T=more))
    (tagged,) = compare_templates("s", template(T=throughput), template(T=retagged))
    (bought,) = compare_templates("s", template(), template(T=throughput))
    assert (bigger.replacement, bigger.severity) == (True, Severity.COST)
    assert (tagged.replacement, tagged.severity) == (False, Severity.ROUTINE)
    assert bought.severity == Severity.COST


def test_an_added_statement_widens_access_and_a_removed_one_narrows_it() -> None:
    wider = template(Policy=POLICY)
    wider["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::docs/*"}
    )
    (widened,) = compare_templates("s", template(Policy=POLICY), wider)
    (narrowed,) = compare_templates("s", wider, template(Policy=POLICY))
    assert widened.severity == Severity.ACCESS
    assert [(p.old, p.new is not None) for p in widened.properties] == [(None, True)]
    assert narrowed.severity == Severity.ROUTINE


def test_replacing_paths_come_from_the_cloudformation_schemas_shipped_with_cfn_lint() -> None:
    assert "/properties/VectorIngestionConfiguration/ChunkingConfiguration" in replacing_paths(
        "AWS::Bedrock::DataSource"
    )
    assert "/properties/StandbyReplicas" in replacing_paths("AWS::OpenSearchServerless::Collection")
    assert "/properties/Description" in replacing_paths("AWS::Bedrock::GuardrailVersion")
    assert replacing_paths("AWS::Not::AType") == ()


def test_the_report_puts_a_summary_per_severity_first_and_cuts_to_a_comment() -> None:
    from bedrock_platform.review.report import COMMENT_LIMIT, COMMENT_MARKER, fit_comment, render

    after = template(DataSource=DATA_SOURCE)
    after["Resources"]["DataSource"]["Properties"]["VectorIngestionConfiguration"]["ChunkingConfiguration"][
        "FixedSizeChunkingConfiguration"
    ]["MaxTokens"] = 500
    changes = compare_templates("dev-bedrock-knowledge", template(DataSource=DATA_SOURCE), after)
    changes += compare_templates("dev-bedrock-knowledge", template(), template(Policy=POLICY))

    report = render(changes)
    lines = report.splitlines()
    assert lines[:4] == [
        "## Bedrock infrastructure changes",
        "",
        "- data loss: 1 change",
        "- access: 1 change",
    ]
    assert "- [data loss] replaced `DataSource` (AWS::Bedrock::DataSource)" in report
    assert "300 -> 500" in report
    assert render([]) == "No changes.\n"
    long = report * (COMMENT_LIMIT // len(report) + 1)
    cut = fit_comment(long, "review.md")
    # The marker line the workflow finds its comment by counts against GitHub's limit (issue 24, 11).
    assert len(cut) <= COMMENT_LIMIT and cut.endswith("the full report is in review.md._\n")
    assert cut.startswith(COMMENT_MARKER + "\n")
    assert fit_comment(report, "review.md") == COMMENT_MARKER + "\n" + report
    just_over = "x" * (COMMENT_LIMIT - len(COMMENT_MARKER))
    assert len(fit_comment(just_over, "review.md")) <= COMMENT_LIMIT


FAMILY_TYPES = (
    "AWS::OpenSearchServerless::Collection",
    "AWS::OpenSearchServerless::Index",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::DataSource",
    "AWS::Bedrock::GuardrailVersion",
)


def _set_path(properties: dict[str, Any], pointer: str, value: Any) -> None:
    """Set ``/properties/A/B`` inside a template's ``Properties``."""
    *parents, leaf = pointer.removeprefix("/properties/").split("/")
    for part in parents:
        properties = properties.setdefault(part, {})
    properties[leaf] = value


@pytest.mark.parametrize(
    ("resource_type", "pointer"),
    [
        (resource_type, pointer)
        for resource_type in FAMILY_TYPES
        for pointer in replacing_paths(resource_type)
    ],
)
def test_every_create_only_property_of_the_bedrock_and_collection_types_is_a_replacement(
    resource_type: str, pointer: str
) -> None:
    before: dict[str, Any] = {"Type": resource_type, "Properties": {}}
    after: dict[str, Any] = {"Type": resource_type, "Properties": {}}
    _set_path(before["Properties"], pointer, "old")
    _set_path(after["Properties"], pointer, "new")

    (change,) = compare_templates("s", template(R=before), template(R=after))
    assert change.replacement
    # A guardrail version replaced without UpdateReplacePolicy: Retain deletes the published number
    # applications pin (issue 24): data loss, like every other type of this family.
    assert change.severity == Severity.DATA_LOSS
    # A retained resource is replaced without losing the old one.
    kept = compare_templates("s", template(R={**before, "UpdateReplacePolicy": "Retain"}), template(R=after))
    assert kept[0].replacement and kept[0].severity == Severity.ROUTINE


def test_a_custom_model_throughput_moves_to_another_custom_model_in_place() -> None:
    """Issue 18: the review said a costly replacement; the handler updates desiredModelId in place.
    A base-model throughput cannot move (the handler replaces it)."""
    custom = "arn:aws:bedrock:us-east-1:111111111111:custom-model/amazon.titan-text-express-v1/{}"

    def throughput(model: str) -> dict[str, Any]:
        return {
            "Type": "Custom::BedrockProvisionedThroughput",
            "Properties": {"ModelId": model, "ModelUnits": 1},
        }

    (moved,) = compare_templates(
        "s",
        template(T=throughput(custom.format("aaaaaaaaaaaa"))),
        template(T=throughput(custom.format("bbbbbbbbbbbb"))),
    )
    assert (moved.replacement, moved.severity) == (False, Severity.ROUTINE)
    (bought,) = compare_templates(
        "s",
        template(T=throughput("amazon.nova-lite-v1:0:24k")),
        template(T=throughput("amazon.nova-pro-v1:0:24k")),
    )
    assert (bought.replacement, bought.severity) == (True, Severity.COST)


S3_VECTORS_INDEX: dict[str, Any] = {
    "Type": "AWS::S3Vectors::Index",
    "Properties": {
        "VectorBucketArn": {"Fn::GetAtt": ["VectorBucket", "VectorBucketArn"]},
        "IndexName": "docs-0a1b2c",
        "DataType": "float32",
        "Dimension": 1024,
        "DistanceMetric": "cosine",
    },
}


@pytest.mark.parametrize(("path", "value"), [("Dimension", 512), ("DistanceMetric", "euclidean")])
def test_an_s3_vectors_index_change_replaces_it_and_loses_its_vectors(path: str, value: Any) -> None:
    """Every property of an S3 Vectors index but its tags is create-only (its resource schema): under a
    new name (the toolkit's fingerprint) the change loses the vectors; under the same name the
    replacement cannot even be created."""
    renamed = template(Index=S3_VECTORS_INDEX)
    renamed["Resources"]["Index"]["Properties"][path] = value
    same_name = copy.deepcopy(renamed)
    renamed["Resources"]["Index"]["Properties"]["IndexName"] = "docs-3d4e5f"

    (change,) = compare_templates("dev-bedrock-knowledge", template(Index=S3_VECTORS_INDEX), renamed)
    assert (change.action, change.replacement, change.severity) == ("modified", True, Severity.DATA_LOSS)
    (collision,) = compare_templates("dev-bedrock-knowledge", template(Index=S3_VECTORS_INDEX), same_name)
    assert collision.severity == Severity.DEPLOY_FAILURE


def test_removing_an_s3_vectors_index_loses_its_vectors_unless_it_is_retained() -> None:
    (removed,) = compare_templates("s", template(Index=S3_VECTORS_INDEX), template())
    assert removed.severity == Severity.DATA_LOSS
    retained = template(Index={**S3_VECTORS_INDEX, "DeletionPolicy": "Retain"})
    (kept,) = compare_templates("s", retained, template())
    assert kept.severity != Severity.DATA_LOSS


INFERENCE_PROFILE: dict[str, Any] = {
    "Type": "AWS::Bedrock::ApplicationInferenceProfile",
    "Properties": {
        "InferenceProfileName": "dev-support-0a1b2c",
        "ModelSource": {
            "CopyFrom": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
        },
        "Tags": [{"Key": "team", "Value": "support"}],
    },
}


def test_a_new_model_source_makes_a_new_inference_profile_arn_and_a_tag_change_does_not() -> None:
    """ModelSource is create-only (issue 23): under the toolkit's new name the profile is replaced, and
    the review says that callers of the old ARN fail; its tags change in place."""
    moved = template(Profile=INFERENCE_PROFILE)
    properties = moved["Resources"]["Profile"]["Properties"]
    properties["ModelSource"]["CopyFrom"] = (
        "arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"
    )
    properties["InferenceProfileName"] = "dev-support-3d4e5f"
    (change,) = compare_templates("dev-bedrock-inference", template(Profile=INFERENCE_PROFILE), moved)
    assert (change.replacement, change.severity) == (True, Severity.DATA_LOSS)
    assert "callers of the old one fail" in " ".join(change.reasons)

    retagged = template(Profile=INFERENCE_PROFILE)
    retagged["Resources"]["Profile"]["Properties"]["Tags"] = [{"Key": "team", "Value": "care"}]
    (tagged,) = compare_templates("dev-bedrock-inference", template(Profile=INFERENCE_PROFILE), retagged)
    assert (tagged.replacement, tagged.severity) == (False, Severity.ROUTINE)


KNOWLEDGE_BASE: dict[str, Any] = {
    "Type": "AWS::Bedrock::KnowledgeBase",
    "Properties": {
        "Name": "dev-docs-1a2b3c",
        "RoleArn": "arn:aws:iam::111111111111:role/kb",
        "KnowledgeBaseConfiguration": {
            "Type": "VECTOR",
            "VectorKnowledgeBaseConfiguration": {
                "EmbeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2"
            },
        },
    },
}
DELIVERY_SOURCE: dict[str, Any] = {
    "Type": "AWS::Logs::DeliverySource",
    "Properties": {
        "Name": "dev-docs-1a2b3c",
        "LogType": "APPLICATION_LOGS",
        "ResourceArn": {"Fn::GetAtt": ["KnowledgeBase", "KnowledgeBaseArn"]},
    },
}


def test_a_delivery_source_renamed_on_the_same_knowledge_base_cannot_deploy() -> None:
    """CloudWatch Logs takes one delivery source per resource, and CloudFormation creates the renamed
    one before it deletes the old: the review says the deploy fails (issue 23's review found it)."""
    after = template(KnowledgeBase=KNOWLEDGE_BASE, Source=DELIVERY_SOURCE)
    after["Resources"]["Source"]["Properties"]["Name"] = "dev-docs"
    (change,) = compare_templates(
        "dev-bedrock-knowledge", template(KnowledgeBase=KNOWLEDGE_BASE, Source=DELIVERY_SOURCE), after
    )
    assert (change.replacement, change.severity) == (True, Severity.DEPLOY_FAILURE)
    assert "one delivery source per resource" in change.reasons[0]


def test_a_source_kept_while_its_knowledge_base_is_replaced_cannot_deploy_and_a_renamed_one_can() -> None:
    before = template(KnowledgeBase=KNOWLEDGE_BASE, Source=DELIVERY_SOURCE)
    after = template(KnowledgeBase=KNOWLEDGE_BASE, Source=DELIVERY_SOURCE)
    after["Resources"]["KnowledgeBase"]["Properties"]["Name"] = "dev-docs-4d5e6f"
    embedding = after["Resources"]["KnowledgeBase"]["Properties"]["KnowledgeBaseConfiguration"]
    embedding["VectorKnowledgeBaseConfiguration"]["EmbeddingModelArn"] += "-other"
    changes = {
        change.logical_id: change for change in compare_templates("dev-bedrock-knowledge", before, after)
    }
    assert changes["KnowledgeBase"].replacement
    assert changes["Source"].severity == Severity.DEPLOY_FAILURE
    assert "move to another resource in place" in changes["Source"].reasons[0]

    after["Resources"]["Source"]["Properties"]["Name"] = "dev-docs-4d5e6f"  # what the toolkit names it
    changes = {
        change.logical_id: change for change in compare_templates("dev-bedrock-knowledge", before, after)
    }
    assert changes["Source"].replacement
    assert changes["Source"].severity != Severity.DEPLOY_FAILURE


def test_a_parsing_change_replaces_the_data_source_and_loses_data_like_chunking() -> None:
    """Issue 22: ParsingConfiguration is create-only (cfn-lint's schema): a new parser means a new data
    source and a re-ingestion; the data source's new name (its fingerprint covers parsing) lets it."""
    before = template(DataSource=DATA_SOURCE)
    after = template(DataSource=DATA_SOURCE)
    after["Resources"]["DataSource"]["Properties"]["Name"] = "manuals-4d5e6f"
    after["Resources"]["DataSource"]["Properties"]["VectorIngestionConfiguration"]["ParsingConfiguration"] = {
        "ParsingStrategy": "BEDROCK_DATA_AUTOMATION"
    }
    (change,) = compare_templates("dev-bedrock-knowledge", before, after)
    assert (change.replacement, change.severity) == (True, Severity.DATA_LOSS)
    assert any(prop.path.endswith("/ParsingConfiguration") and prop.replaces for prop in change.properties)


def test_replacing_a_data_source_of_a_full_knowledge_base_cannot_deploy() -> None:
    """A knowledge base takes at most 5 data sources, and CloudFormation creates a replacement before
    it deletes the old one: with 5, a replaced data source would be the sixth (found by a review)."""
    sources = {f"Source{n}": copy.deepcopy(DATA_SOURCE) for n in range(5)}
    for n, source in enumerate(sources.values()):
        source["Properties"]["Name"] = f"docs{n}-1a2b3c"
    before = template(**sources)
    after = template(**sources)
    changed = after["Resources"]["Source0"]["Properties"]
    changed["Name"] = "docs0-4d5e6f"
    changed["VectorIngestionConfiguration"]["ChunkingConfiguration"]["FixedSizeChunkingConfiguration"][
        "MaxTokens"
    ] = 500
    (change,) = compare_templates("dev-bedrock-knowledge", before, after)
    assert change.severity == Severity.DEPLOY_FAILURE
    assert "has 5 data sources" in change.reasons[0]

    del before["Resources"]["Source4"], after["Resources"]["Source4"]
    (change,) = compare_templates("dev-bedrock-knowledge", before, after)
    assert change.severity == Severity.DATA_LOSS  # room for the replacement
