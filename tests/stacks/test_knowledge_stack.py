"""The knowledge stack through the YAML path: dev.yaml and prod.yaml as synthesized once per session."""

from __future__ import annotations

import json
import re
from typing import Any

import aws_cdk as cdk
import pytest

from bedrock_platform.config import load_config
from bedrock_platform.config.model import PlatformConfig
from bedrock_platform.stacks import add_stacks, cdk_json_context
from tests.conftest import Synthesized


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def _manifest_properties(result: Synthesized, stack: str) -> dict[str, Any]:
    manifest = json.loads((result.outdir / "manifest.json").read_text())
    artifact = manifest["artifacts"][stack]
    return {"environment": artifact["environment"], **artifact["properties"]}


@pytest.fixture(scope="module")
def prod(synthesized: dict[str, Synthesized]) -> dict[str, Any]:
    return synthesized["prod"].templates["prod-bedrock-knowledge"]


@pytest.fixture(scope="module")
def dev(synthesized: dict[str, Synthesized]) -> dict[str, Any]:
    return synthesized["dev"].templates["dev-bedrock-knowledge"]


def test_stack_is_named_by_environment_and_deployed_to_the_configured_account_and_region(
    synthesized: dict[str, Synthesized],
) -> None:
    prod = _manifest_properties(synthesized["prod"], "prod-bedrock-knowledge")
    dev = _manifest_properties(synthesized["dev"], "dev-bedrock-knowledge")
    assert prod["environment"] == "aws://222222222222/eu-central-1"
    assert dev["environment"] == "aws://111111111111/us-east-1"
    assert prod["terminationProtection"] is True
    assert dev.get("terminationProtection") in (None, False)


def test_config_tags_reach_taggable_resources_but_never_a_collection(
    dev: dict[str, Any], prod: dict[str, Any]
) -> None:
    for template, tags in (
        (dev, {"team": "ml-platform", "cost-center": "4711"}),
        (prod, {"team": "ml-platform", "cost-center": "4711", "data-classification": "internal"}),
    ):
        for collection in _resources(template, "AWS::OpenSearchServerless::Collection").values():
            assert "Tags" not in collection["Properties"]
        for kb in _resources(template, "AWS::Bedrock::KnowledgeBase").values():
            assert kb["Properties"]["Tags"] == tags
        for resource_type in ("AWS::S3::Bucket", "AWS::IAM::Role"):
            for resource in _resources(template, resource_type).values():
                assert {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]} == tags


def test_prod_defaults_and_choices(
    prod: dict[str, Any], synthesized_templates: dict[str, Synthesized]
) -> None:
    """prod's collection against one outside prod (dev is on S3 Vectors: the minimal-rag starter's)."""
    starter = synthesized_templates["minimal-rag"].templates["example-bedrock-knowledge"]
    (prod_collection,) = _resources(prod, "AWS::OpenSearchServerless::Collection").values()
    (dev_collection,) = _resources(starter, "AWS::OpenSearchServerless::Collection").values()
    assert prod_collection["Properties"]["StandbyReplicas"] == "ENABLED"
    assert prod_collection["Properties"]["DeletionProtection"] == "ENABLED"
    assert prod_collection["DeletionPolicy"] == "RetainExceptOnCreate"
    assert dev_collection["Properties"]["StandbyReplicas"] == "DISABLED"
    assert dev_collection["Properties"]["DeletionProtection"] == "DISABLED"
    # <env>-<name>-<hash of standby replicas and key>: a change of either replaces it under a new name.
    assert re.fullmatch("prod-shared-[0-9a-f]{6}", prod_collection["Properties"]["Name"])
    assert re.fullmatch("example-docs-[0-9a-f]{6}", dev_collection["Properties"]["Name"])


def test_two_knowledge_bases_share_one_collection_each_with_its_own_index(prod: dict[str, Any]) -> None:
    (collection,) = _resources(prod, "AWS::OpenSearchServerless::Collection")
    # prod's collection is private: its indexes are created through the control plane.
    indexes = _resources(prod, "AWS::OpenSearchServerless::CollectionIndex").values()
    assert sorted(re.sub("-[0-9a-f]{6}$", "", i["Properties"]["IndexName"]) for i in indexes) == [
        "product-docs",
        "support-tickets",
    ]
    kbs = _resources(prod, "AWS::Bedrock::KnowledgeBase").values()
    assert sorted(re.sub("-[0-9a-f]{6}$", "", kb["Properties"]["Name"]) for kb in kbs) == [
        "prod-product-docs",
        "prod-support-tickets",
    ]
    for kb in kbs:
        storage = kb["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]
        assert storage["CollectionArn"] == {"Fn::GetAtt": [collection, "Arn"]}


def test_cohere_knowledge_base_does_not_set_dimensions_and_titan_does(prod: dict[str, Any]) -> None:
    configs = {
        re.sub("-[0-9a-f]{6}$", "", kb["Properties"]["Name"]): kb["Properties"]["KnowledgeBaseConfiguration"][
            "VectorKnowledgeBaseConfiguration"
        ]
        for kb in _resources(prod, "AWS::Bedrock::KnowledgeBase").values()
    }
    assert configs["prod-product-docs"]["EmbeddingModelConfiguration"] == {
        "BedrockEmbeddingModelConfiguration": {"Dimensions": 1024}
    }
    assert "EmbeddingModelConfiguration" not in configs["prod-support-tickets"]
    assert configs["prod-support-tickets"]["EmbeddingModelArn"] == (
        "arn:aws:bedrock:eu-central-1::foundation-model/cohere.embed-multilingual-v3"
    )


def test_existing_bucket_is_read_under_its_prefix_with_its_key(prod: dict[str, Any]) -> None:
    policies = _resources(prod, "AWS::IAM::Policy")
    (tickets,) = [p for lid, p in policies.items() if lid.startswith("KnowledgeBasesupporttickets")]
    statements = tickets["Properties"]["PolicyDocument"]["Statement"]
    owner = {"StringEquals": {"aws:ResourceAccount": "222222222222"}}
    assert {
        "Action": "s3:GetObject",
        "Condition": owner,
        "Effect": "Allow",
        "Resource": "arn:aws:s3:::acme-support-exports-prod/resolved/*",
    } in statements
    assert {
        "Action": "s3:ListBucket",
        "Condition": owner,
        "Effect": "Allow",
        "Resource": "arn:aws:s3:::acme-support-exports-prod",
    } in statements
    assert {
        "Action": "kms:Decrypt",
        "Condition": {
            "StringEquals": {
                "kms:ViaService": {"Fn::Join": ["", ["s3.eu-central-1.", {"Ref": "AWS::URLSuffix"}]]}
            }
        },
        "Effect": "Allow",
        "Resource": "arn:aws:kms:eu-central-1:222222222222:key/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4",
    } in statements
    assert _resources(prod, "AWS::S3::Bucket").keys().isdisjoint({"acme-support-exports-prod"})
    (source,) = [
        s
        for s in _resources(prod, "AWS::Bedrock::DataSource").values()
        if s["Properties"]["Name"].startswith("tickets-")
    ]
    assert source["Properties"]["DataDeletionPolicy"] == "RETAIN"
    assert source["Properties"]["DataSourceConfiguration"]["S3Configuration"] == {
        "BucketArn": "arn:aws:s3:::acme-support-exports-prod",
        "InclusionPrefixes": ["resolved/"],
    }


def test_ingest_on_deploy_starts_an_ingestion_of_that_data_source_only(
    dev: dict[str, Any], prod: dict[str, Any]
) -> None:
    data_source = next(
        lid
        for lid, resource in _resources(dev, "AWS::Bedrock::DataSource").items()
        if resource["Properties"]["Name"].startswith("manuals-")
    )
    knowledge_base = next(
        lid
        for lid, resource in _resources(dev, "AWS::Bedrock::KnowledgeBase").items()
        if resource["Properties"]["Name"].startswith("dev-product-docs-")
    )
    (ingestion,) = _resources(dev, "Custom::BedrockDataSourceIngestion").values()
    assert ingestion["Properties"]["KnowledgeBaseId"] == {"Fn::GetAtt": [knowledge_base, "KnowledgeBaseId"]}
    assert ingestion["Properties"]["DataSourceId"] == {"Fn::GetAtt": [data_source, "DataSourceId"]}
    handlers = [f["Properties"].get("Handler") for f in _resources(dev, "AWS::Lambda::Function").values()]
    assert handlers.count("handlers.ingestion.on_event") == 1
    # prod.yaml leaves ingest_on_deploy at its default: no ingestion, no provider.
    assert _resources(prod, "Custom::BedrockDataSourceIngestion") == {}
    assert not any("Ingestion" in lid for lid in prod["Resources"])


def test_private_collection_policies_and_extra_principal(prod: dict[str, Any]) -> None:
    policies = {
        p["Properties"]["Type"]: p["Properties"]["Policy"]
        for p in _resources(prod, "AWS::OpenSearchServerless::SecurityPolicy").values()
    }
    (network,) = json.loads(policies["network"])
    assert network["AllowFromPublic"] is False and network["SourceVPCEs"] == ["vpce-0a1b2c3d4e5f6a7b8"]
    assert json.loads(policies["encryption"])["KmsARN"].endswith("key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")
    (access,) = _resources(prod, "AWS::OpenSearchServerless::AccessPolicy").values()
    assert "arn:aws:iam::222222222222:role/search-operators" in json.dumps(access["Properties"]["Policy"])


def test_outputs_give_every_identifier_an_application_needs(prod: dict[str, Any]) -> None:
    assert sorted(prod["Outputs"]) == [
        "ProductDocsFaqBucketName",
        "ProductDocsFaqDataSourceId",
        "ProductDocsKnowledgeArticlesDataSourceId",
        "ProductDocsKnowledgeBaseId",
        "ProductDocsManualsBucketName",
        "ProductDocsManualsDataSourceId",
        "ProductDocsProductSiteDataSourceId",
        "SharedCollectionEndpoint",
        "SupportTicketsKnowledgeBaseId",
        "SupportTicketsTicketsDataSourceId",
    ]


def test_a_config_with_nothing_declared_creates_no_stack() -> None:
    app = cdk.App(context=cdk_json_context())
    config = PlatformConfig(environment="empty", account="111111111111", region="us-east-1")
    assert add_stacks(app, config) == []
    assert load_config("config/dev.yaml").environment == "dev"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_index_is_created_by_a_path_its_collections_network_policy_admits(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    """Finding 2: AWS::OpenSearchServerless::Index is written through the collection's endpoint from
    CloudFormation's side, so only a collection whose network policy allows public access admits it; a
    private one (prod: its VPC endpoint and Bedrock) gets AWS::OpenSearchServerless::CollectionIndex,
    through the control-plane CreateIndex API, on the collection's id, after its data access policy."""
    for name, template in synthesized[env].templates.items():
        if "-bedrock-knowledge" not in name:
            continue
        collections = _resources(template, "AWS::OpenSearchServerless::Collection")
        public = {}
        for policy in _resources(template, "AWS::OpenSearchServerless::SecurityPolicy").values():
            if policy["Properties"]["Type"] == "network":
                (rule,) = json.loads(policy["Properties"]["Policy"])
                public[rule["Rules"][0]["Resource"][0].removeprefix("collection/")] = rule["AllowFromPublic"]
        by_id = {lid: c["Properties"]["Name"] for lid, c in collections.items()}
        for index in _resources(template, "AWS::OpenSearchServerless::Index").values():
            (collection,) = [
                lid for lid in by_id if lid in json.dumps(index["Properties"]["CollectionEndpoint"])
            ]
            assert public[by_id[collection]] is True
        for index in _resources(template, "AWS::OpenSearchServerless::CollectionIndex").values():
            collection = index["Properties"]["Id"]["Fn::GetAtt"][0]
            assert public[by_id[collection]] is False
            assert any(lid.startswith(collection.rstrip("0123456789ABCDEF")) for lid in index["DependsOn"])
    private = _resources(
        synthesized["prod"].templates["prod-bedrock-knowledge"], "AWS::OpenSearchServerless::CollectionIndex"
    )
    assert len(private) == 2
