"""VectorIndex, KnowledgeBase and S3DataSource through the construct API (no YAML)."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import (
    AccessLogsBucket,
    Chunking,
    ConstructValidationError,
    DocumentBucket,
    KnowledgeBase,
    S3DataSource,
    VectorCollection,
    VectorIndex,
)
from tests.constructs.conftest import new_stack, render

MODEL = "amazon.titan-embed-text-v2:0"


def _build(stack: cdk.Stack) -> dict[str, Any]:
    collection = VectorCollection(stack, "Store", collection_name="dev-docs")
    index = VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=512)
    kb = KnowledgeBase(
        stack, "KB", knowledge_base_name="dev-manuals", vector_index=index, embedding_model_id=MODEL
    )
    bucket = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    source = S3DataSource(
        stack,
        "Source",
        knowledge_base=kb,
        data_source_name="manuals",
        bucket=bucket,
        inclusion_prefixes=["guides/"],
    )
    application = iam.Role(stack, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    kb.grant_retrieve(application)
    return {"kb": kb, "source": source, "index": index}


@pytest.fixture(scope="module")
def template() -> Template:
    stack = new_stack()
    _build(stack)
    return Template.from_stack(stack)


def _logical_id(template: Template, resource_type: str) -> str:
    (logical_id,) = template.find_resources(resource_type).keys()
    return logical_id


def _role_policy(template: Template, role_prefix: str) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::Policy")
    (policy,) = [p for lid, p in policies.items() if lid.startswith(role_prefix)]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def test_index_has_a_faiss_hnsw_vector_field_of_the_dimensions_and_the_bedrock_fields(
    template: Template,
) -> None:
    template.has_resource_properties(
        "AWS::OpenSearchServerless::Index",
        {
            "IndexName": "manuals",
            "CollectionEndpoint": {"Fn::GetAtt": [Match.string_like_regexp("^Store"), "CollectionEndpoint"]},
            "Settings": {"Index": {"Knn": True, "KnnAlgoParamEfSearch": 512}},
            "Mappings": {
                "Properties": {
                    "bedrock-knowledge-base-default-vector": {
                        "Type": "knn_vector",
                        "Dimension": 512,
                        "Method": {"Name": "hnsw", "Engine": "faiss", "SpaceType": "l2"},
                    },
                    "AMAZON_BEDROCK_TEXT_CHUNK": {"Type": "text", "Index": True},
                    "AMAZON_BEDROCK_METADATA": {"Type": "text", "Index": False},
                }
            },
        },
    )


def test_dependency_order_is_access_policy_index_knowledge_base_data_source(template: Template) -> None:
    resources = template.to_json()["Resources"]
    policy = _logical_id(template, "AWS::OpenSearchServerless::AccessPolicy")
    index = _logical_id(template, "AWS::OpenSearchServerless::Index")
    kb = _logical_id(template, "AWS::Bedrock::KnowledgeBase")
    source = _logical_id(template, "AWS::Bedrock::DataSource")
    assert policy in resources[index]["DependsOn"]
    assert index in resources[kb]["DependsOn"]
    assert any(dep.startswith("KBServiceRoleDefaultPolicy") for dep in resources[kb]["DependsOn"])
    assert resources[source]["Properties"]["KnowledgeBaseId"] == {"Fn::GetAtt": [kb, "KnowledgeBaseId"]}


def test_knowledge_base_is_vector_on_opensearch_serverless_with_the_field_mapping(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Bedrock::KnowledgeBase",
        {
            "Name": "dev-manuals",
            "KnowledgeBaseConfiguration": {
                "Type": "VECTOR",
                "VectorKnowledgeBaseConfiguration": {
                    "EmbeddingModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
                    "EmbeddingModelConfiguration": {
                        "BedrockEmbeddingModelConfiguration": {"Dimensions": 512}
                    },
                },
            },
            "StorageConfiguration": {
                "Type": "OPENSEARCH_SERVERLESS",
                "OpensearchServerlessConfiguration": {
                    "CollectionArn": {"Fn::GetAtt": [Match.string_like_regexp("^Store"), "Arn"]},
                    "VectorIndexName": "manuals",
                    "FieldMapping": {
                        "VectorField": "bedrock-knowledge-base-default-vector",
                        "TextField": "AMAZON_BEDROCK_TEXT_CHUNK",
                        "MetadataField": "AMAZON_BEDROCK_METADATA",
                    },
                },
            },
        },
    )


def test_service_role_trusts_bedrock_only_for_this_account_and_its_knowledge_bases(
    template: Template,
) -> None:
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "bedrock.amazonaws.com"},
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": "111111111111"},
                            "ArnLike": {
                                "aws:SourceArn": "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/*"
                            },
                        },
                    }
                ]
            }
        },
    )


def test_service_role_policy_is_least_privilege(template: Template) -> None:
    statements = {
        json.dumps(s["Action"]): render(s["Resource"])
        if not isinstance(s["Resource"], list)
        else [render(r) for r in s["Resource"]]
        for s in _role_policy(template, "KBServiceRoleDefaultPolicy")
    }
    collection = _logical_id(template, "AWS::OpenSearchServerless::Collection")
    bucket = next(lid for lid in template.find_resources("AWS::S3::Bucket") if lid.startswith("Docs"))
    assert statements == {
        '"bedrock:InvokeModel"': f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        '"aoss:APIAccessAll"': f"<{collection}.Arn>",
        '"s3:ListBucket"': f"<{bucket}.Arn>",
        '"s3:GetObject"': f"<{bucket}.Arn>/guides/*",
    }


def test_knowledge_base_role_may_only_use_its_own_index(template: Template) -> None:
    (policy,) = template.find_resources("AWS::OpenSearchServerless::AccessPolicy").values()
    statements = json.loads(render(policy["Properties"]["Policy"]))
    role = [s for s in statements if s["Principal"][0].startswith("<KBServiceRole")]
    assert role == [
        {
            "Rules": [
                {
                    "ResourceType": "collection",
                    "Resource": ["collection/dev-docs"],
                    "Permission": ["aoss:DescribeCollectionItems"],
                },
                {
                    "ResourceType": "index",
                    "Resource": ["index/dev-docs/manuals"],
                    "Permission": ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"],
                },
            ],
            "Principal": [role[0]["Principal"][0]],
        }
    ]


def test_grant_retrieve_allows_retrieve_and_generate_on_this_knowledge_base_only(template: Template) -> None:
    kb = _logical_id(template, "AWS::Bedrock::KnowledgeBase")
    assert _role_policy(template, "ApplicationDefaultPolicy") == [
        {
            "Action": ["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [kb, "KnowledgeBaseArn"]},
        }
    ]


def test_data_source_is_s3_with_prefix_chunking_and_deletion_policy(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Bedrock::DataSource",
        {
            "Name": Match.string_like_regexp("^manuals-[0-9a-f]{6}$"),
            "DataDeletionPolicy": "DELETE",
            "DataSourceConfiguration": {
                "Type": "S3",
                "S3Configuration": {"InclusionPrefixes": ["guides/"]},
            },
            "VectorIngestionConfiguration": {
                "ChunkingConfiguration": {
                    "ChunkingStrategy": "FIXED_SIZE",
                    "FixedSizeChunkingConfiguration": {"MaxTokens": 300, "OverlapPercentage": 20},
                }
            },
        },
    )


def test_document_bucket_is_ssl_only_private_encrypted_versioned_logged_and_retained(
    template: Template,
) -> None:
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "VersioningConfiguration": {"Status": "Enabled"},
                "LoggingConfiguration": {"DestinationBucketName": {"Ref": Match.string_like_regexp("^Logs")}},
            },
            "DeletionPolicy": "Retain",
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": Match.string_like_regexp("^Docs")},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                        )
                    ]
                )
            },
        },
    )


@pytest.mark.parametrize(
    ("chunking", "expected"),
    [
        (Chunking.none(), {"ChunkingStrategy": "NONE"}),
        (
            Chunking.hierarchical(parent_max_tokens=1000, child_max_tokens=200, overlap_tokens=50),
            {
                "ChunkingStrategy": "HIERARCHICAL",
                "HierarchicalChunkingConfiguration": {
                    "LevelConfigurations": [{"MaxTokens": 1000}, {"MaxTokens": 200}],
                    "OverlapTokens": 50,
                },
            },
        ),
        (
            Chunking.semantic(max_tokens=400, buffer_size=1, breakpoint_percentile_threshold=90),
            {
                "ChunkingStrategy": "SEMANTIC",
                "SemanticChunkingConfiguration": {
                    "MaxTokens": 400,
                    "BufferSize": 1,
                    "BreakpointPercentileThreshold": 90,
                },
            },
        ),
    ],
)
def test_each_chunking_strategy_renders_its_cloudformation(
    chunking: Chunking, expected: dict[str, Any]
) -> None:
    stack = new_stack()
    built = _build(stack)
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "docs-bucket")
    S3DataSource(
        stack, "Other", knowledge_base=built["kb"], data_source_name="other", bucket=bucket, chunking=chunking
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Bedrock::DataSource",
        {
            "Name": f"other-{chunking.fingerprint()}",
            "VectorIngestionConfiguration": {"ChunkingConfiguration": expected},
        },
    )


def test_chunking_change_gives_a_new_data_source_name_and_the_same_chunking_the_same_name() -> None:
    assert Chunking.fixed_size().fingerprint() == Chunking.fixed_size(max_tokens=300).fingerprint()
    names = {
        Chunking.fixed_size().fingerprint(),
        Chunking.fixed_size(max_tokens=301).fingerprint(),
        Chunking.semantic().fingerprint(),
        Chunking.hierarchical().fingerprint(),
        Chunking.none().fingerprint(),
    }
    assert len(names) == 5


def test_existing_bucket_with_a_customer_key_gets_decrypt_and_no_prefix_wildcard_beyond_it() -> None:
    stack = new_stack()
    built = _build(stack)
    bucket = s3.Bucket.from_bucket_arn(stack, "Existing", "arn:aws:s3:::acme-exports")
    key = kms.Key.from_key_arn(stack, "Key", "arn:aws:kms:us-east-1:111111111111:key/abc")
    S3DataSource(
        stack,
        "Tickets",
        knowledge_base=built["kb"],
        data_source_name="tickets",
        bucket=bucket,
        kms_key=key,
        chunking=Chunking.none(),
        data_deletion_policy="RETAIN",
    )
    statements = _role_policy(Template.from_stack(stack), "KBServiceRoleDefaultPolicy")
    assert {
        "Action": "kms:Decrypt",
        "Effect": "Allow",
        "Resource": "arn:aws:kms:us-east-1:111111111111:key/abc",
    } in statements
    (get_object,) = [s for s in statements if s["Action"] == "s3:GetObject"]
    assert "arn:aws:s3:::acme-exports/*" in get_object["Resource"]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Chunking.fixed_size(overlap_percentage=0),
            "Chunking: overlap_percentage is 0, must be 1 to 99",
        ),
        (lambda: Chunking.semantic(buffer_size=2), "Chunking: buffer_size is 2, must be 0 to 1"),
        (
            lambda: Chunking.hierarchical(parent_max_tokens=100, child_max_tokens=200),
            "Chunking: child_max_tokens is 200, must be 1 to 100",
        ),
    ],
)
def test_invalid_chunking_raises_naming_the_parameter(build: Any, message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        build()


def test_invalid_knowledge_base_and_data_source_arguments_raise() -> None:
    stack = new_stack()
    built = _build(stack)
    with pytest.raises(ConstructValidationError, match="knowledge_base_name 'bad--name' must match"):
        KnowledgeBase(
            stack,
            "Bad",
            knowledge_base_name="bad--name",
            vector_index=built["index"],
            embedding_model_id=MODEL,
        )
    with pytest.raises(ConstructValidationError, match="inclusion_prefixes has 2 entries, at most 1"):
        S3DataSource(
            stack,
            "Two",
            knowledge_base=built["kb"],
            data_source_name="two",
            bucket=s3.Bucket.from_bucket_name(stack, "B", "docs-bucket"),
            inclusion_prefixes=["a/", "b/"],
        )
    with pytest.raises(ConstructValidationError, match="dimensions is 0, must be 1 to 4096"):
        VectorIndex(stack, "Zero", collection=built["index"].collection, index_name="zero", dimensions=0)


def test_imported_knowledge_base_can_grant_retrieve() -> None:
    stack = new_stack()
    kb = KnowledgeBase.from_knowledge_base_attributes(stack, "Existing", knowledge_base_id="ABCDEFGHIJ")
    role = iam.Role(stack, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    kb.grant_retrieve(role)
    (statement,) = _role_policy(Template.from_stack(stack), "ApplicationDefaultPolicy")
    assert render(statement["Resource"]) == "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/ABCDEFGHIJ"
