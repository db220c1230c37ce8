"""VectorIndex, KnowledgeBase and S3DataSource through the construct API (no YAML)."""

from __future__ import annotations

import json
import re
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
from bedrock_platform.spec.vector_stores import collection_name
from tests.constructs.conftest import new_stack, render

MODEL = "amazon.titan-embed-text-v2:0"
DEV_DOCS = collection_name("dev-docs", standby_replicas=False, kms_key_arn=None)
PROD_SHARED = collection_name("prod-shared", standby_replicas=False, kms_key_arn=None)
INDEX = "manuals-4d010e"
"""The AWS name of the index ``_build`` makes: ``manuals`` and the fingerprint of 512 dimensions with
the default fields and method, through the collection's endpoint."""


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
            "IndexName": Match.string_like_regexp("^manuals-[0-9a-f]{6}$"),
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
            "Name": Match.string_like_regexp("^dev-manuals-[0-9a-f]{6}$"),
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
                    "VectorIndexName": Match.string_like_regexp("^manuals-[0-9a-f]{6}$"),
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
        # the guide's "Autorisations d'accès aux modèles Amazon Bedrock": listing takes no resource
        '["bedrock:ListCustomModels", "bedrock:ListFoundationModels"]': "*",
        '"aoss:APIAccessAll"': f"<{collection}.Arn>",
        '"s3:ListBucket"': f"<{bucket}.Arn>",
        '"s3:GetObject"': f"<{bucket}.Arn>/guides/*",
    }


def test_s3_reads_hold_only_while_the_bucket_is_this_accounts_as_the_guides_knowledge_base_role(
    template: Template,
) -> None:
    """User guide, "Autorisations requises pour le rôle de base de connaissances": S3ListBucketStatement
    and S3GetObjectStatement with "aws:ResourceAccount": "bucketOwnerAccountId"."""
    s3_statements = [
        s for s in _role_policy(template, "KBServiceRoleDefaultPolicy") if str(s["Action"]).startswith("s3:")
    ]
    assert len(s3_statements) == 2
    for statement in s3_statements:
        assert statement["Condition"] == {"StringEquals": {"aws:ResourceAccount": "111111111111"}}


def test_knowledge_base_role_may_only_use_its_own_index(template: Template) -> None:
    (policy,) = template.find_resources("AWS::OpenSearchServerless::AccessPolicy").values()
    statements = json.loads(render(policy["Properties"]["Policy"]))
    role = [s for s in statements if s["Principal"][0].startswith("<KBServiceRole")]
    assert role == [
        {
            "Rules": [
                {
                    "ResourceType": "collection",
                    "Resource": [f"collection/{DEV_DOCS}"],
                    "Permission": ["aoss:DescribeCollectionItems"],
                },
                {
                    "ResourceType": "index",
                    "Resource": [f"index/{DEV_DOCS}/{INDEX}"],
                    "Permission": ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"],
                },
            ],
            "Principal": [role[0]["Principal"][0]],
        }
    ]


def test_grant_retrieve_allows_retrieve_on_this_knowledge_base_and_retrieve_and_generate_on_star(
    template: Template,
) -> None:
    """The IAM reference gives RetrieveAndGenerate no resource type: granted on the knowledge base it
    would never be allowed. The guide ("Autorisations pour discuter avec votre document") grants it
    on *, with Retrieve on the knowledge base."""
    kb = _logical_id(template, "AWS::Bedrock::KnowledgeBase")
    assert _role_policy(template, "ApplicationDefaultPolicy") == [
        {
            "Action": "bedrock:Retrieve",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [kb, "KnowledgeBaseArn"]},
        },
        {"Action": "bedrock:RetrieveAndGenerate", "Effect": "Allow", "Resource": "*"},
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
    # The guide's KmsDecryptStatement: kms:Decrypt with "kms:ViaService": ["s3.region.amazonaws.com"].
    (decrypt,) = [s for s in statements if s["Action"] == "kms:Decrypt"]
    assert decrypt["Resource"] == "arn:aws:kms:us-east-1:111111111111:key/abc"
    assert render(decrypt["Condition"]) == render(
        {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["s3.us-east-1.", {"Ref": "AWS::URLSuffix"}]]}}}
    )
    (get_object,) = [s for s in statements if s["Action"] == "s3:GetObject"]
    assert "arn:aws:s3:::acme-exports/*" in get_object["Resource"]


def test_a_bucket_of_another_account_is_read_only_while_that_account_owns_it() -> None:
    """User guide, "(Facultatif) Autorisations AWS permettant de gérer une source de données à partir du
    AWS compte d'un autre utilisateur": "aws:ResourceAccount": "bucketOwnerAccountId"."""
    stack = new_stack()
    built = _build(stack)
    S3DataSource(
        stack,
        "Partner",
        knowledge_base=built["kb"],
        data_source_name="partner",
        bucket=s3.Bucket.from_bucket_arn(stack, "PartnerBucket", "arn:aws:s3:::partner-exports"),
        bucket_owner_account="333333333333",
    )
    statements = _role_policy(Template.from_stack(stack), "KBServiceRoleDefaultPolicy")
    partner = [s for s in statements if "partner-exports" in json.dumps(s["Resource"])]
    assert {s["Action"] for s in partner} == {"s3:ListBucket", "s3:GetObject"}
    for statement in partner:
        assert statement["Condition"] == {"StringEquals": {"aws:ResourceAccount": "333333333333"}}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Chunking.fixed_size(overlap_percentage=0),
            "Chunking: overlap_percentage must be between 1 and 99, got 0",
        ),
        (lambda: Chunking.semantic(buffer_size=2), "Chunking: buffer_size must be between 0 and 1, got 2"),
        (
            lambda: Chunking.hierarchical(parent_max_tokens=100, child_max_tokens=200),
            "Chunking: child_max_tokens 200 must be at most parent_max_tokens 100",
        ),
        # The config rules refused an overlap not under the child; the construct capped it at 8,192
        # (issue 18): both read bedrock_platform/spec/chunking.py now.
        (
            lambda: Chunking.hierarchical(child_max_tokens=300, overlap_tokens=300),
            "Chunking: overlap_tokens 300 must be less than child_max_tokens 300",
        ),
    ],
)
def test_invalid_chunking_raises_naming_the_parameter(build: Any, message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        build()


def test_invalid_knowledge_base_and_data_source_arguments_raise() -> None:
    stack = new_stack()
    built = _build(stack)
    with pytest.raises(ConstructValidationError, match=r"knowledge base name 'bad--name-[0-9a-f]{6}' must"):
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
    kb.grant_retrieve(role, generate=False)
    (statement,) = _role_policy(Template.from_stack(stack), "ApplicationDefaultPolicy")
    assert statement["Action"] == "bedrock:Retrieve"
    assert render(statement["Resource"]) == "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/ABCDEFGHIJ"


def _private_template() -> Template:
    stack = new_stack()
    collection = VectorCollection(
        stack,
        "Store",
        collection_name="prod-shared",
        vpc_endpoints=["vpce-0123456789abcdef0"],
        deployment_principal_arn="arn:aws:iam::111111111111:role/deployer",
    )
    index = VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=1024)
    KnowledgeBase(
        stack, "KB", knowledge_base_name="prod-manuals", vector_index=index, embedding_model_id=MODEL
    )
    return Template.from_stack(stack)


def test_a_private_collection_gets_its_index_through_the_control_plane_with_what_it_needs() -> None:
    """Finding 2: a collection whose network policy admits only its VPC endpoints and Bedrock cannot be
    reached by AWS::OpenSearchServerless::Index (CloudFormation writes it through the collection's
    endpoint). AWS::OpenSearchServerless::CollectionIndex calls the control-plane CreateIndex API, which
    the network policy does not gate; the data access policy must still let the deployer create and
    describe the index, and the knowledge base must wait for it."""
    template = _private_template()
    assert template.find_resources("AWS::OpenSearchServerless::Index") == {}
    (network,) = template.find_resources(
        "AWS::OpenSearchServerless::SecurityPolicy", {"Properties": {"Type": "network"}}
    ).values()
    (rule,) = json.loads(network["Properties"]["Policy"])
    assert rule["AllowFromPublic"] is False  # the data-plane path is closed to CloudFormation
    ((index_id, index),) = template.find_resources("AWS::OpenSearchServerless::CollectionIndex").items()
    collection = _logical_id(template, "AWS::OpenSearchServerless::Collection")
    access_policy = _logical_id(template, "AWS::OpenSearchServerless::AccessPolicy")
    assert index["Properties"]["Id"] == {"Fn::GetAtt": [collection, "Id"]}
    assert re.fullmatch(r"manuals-[0-9a-f]{6}", index["Properties"]["IndexName"])
    assert access_policy in index["DependsOn"]
    schema = index["Properties"]["IndexSchema"]
    assert len(schema) <= 2480  # the type's IndexSchema maxLength
    vector = json.loads(schema)["mappings"]["properties"]["bedrock-knowledge-base-default-vector"]
    assert vector == {
        "type": "knn_vector",
        "dimension": 1024,
        "method": {
            "name": "hnsw",
            "engine": "faiss",
            "space_type": "l2",
            "parameters": {"ef_construction": 512, "m": 16},
        },
    }
    statements = json.loads(
        render(
            template.find_resources("AWS::OpenSearchServerless::AccessPolicy")[access_policy]["Properties"][
                "Policy"
            ]
        )
    )
    deployer = next(s for s in statements if s["Principal"] == ["arn:aws:iam::111111111111:role/deployer"])
    index_rule = next(r for r in deployer["Rules"] if r["ResourceType"] == "index")
    assert index_rule["Resource"] == [f"index/{PROD_SHARED}/*"]
    assert {"aoss:CreateIndex", "aoss:DescribeIndex"} <= set(index_rule["Permission"])
    (kb,) = template.find_resources("AWS::Bedrock::KnowledgeBase").values()
    assert index_id in kb["DependsOn"]
    storage = kb["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]
    assert storage["VectorIndexName"] == index["Properties"]["IndexName"]


def _names(**change: Any) -> tuple[str, str]:
    """The (index, knowledge base) AWS names of one knowledge base, built with ``change`` applied."""
    arguments: dict[str, Any] = {
        "store": "dev-docs",
        "dimensions": 512,
        "model": MODEL,
        "configure_dimensions": True,
        "vpc_endpoints": [],
        "index": {},
        "description": None,
        **change,
    }
    stack = new_stack()
    collection = VectorCollection(
        stack,
        "Store",
        collection_name=arguments["store"],
        vpc_endpoints=arguments["vpc_endpoints"],
        deployment_principal_arn="arn:aws:iam::111111111111:role/deployer",
    )
    index = VectorIndex(
        stack,
        "Index",
        collection=collection,
        index_name="manuals",
        dimensions=arguments["dimensions"],
        **arguments["index"],
    )
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-manuals",
        vector_index=index,
        embedding_model_id=arguments["model"],
        configure_dimensions=arguments["configure_dimensions"],
        description=arguments["description"],
    )
    return index.index_name, kb.knowledge_base_name


@pytest.mark.parametrize(
    ("change", "index_replaced"),
    [
        ({"dimensions": 1024}, True),
        ({"model": "amazon.titan-embed-text-v1"}, False),
        ({"configure_dimensions": False}, False),
        ({"store": "dev-other"}, False),
        ({"vpc_endpoints": ["vpce-0123456789abcdef0"]}, True),
        ({"index": {"space_type": "innerproduct"}}, True),
        ({"index": {"m": 32}}, True),
        ({"index": {"ef_construction": 256}}, True),
        ({"index": {"vector_field": "embedding"}}, True),
        ({"index": {"text_field": "chunk"}}, True),
        ({"index": {"metadata_field": "metadata"}}, True),
    ],
)
def test_every_create_only_change_gives_the_knowledge_base_and_its_index_new_names(
    change: dict[str, Any], index_replaced: bool
) -> None:
    """Finding 4: the embedding model, its dimensions, the store (collection ARN), the index name and the
    field mapping are create-only in AWS::Bedrock::KnowledgeBase, and IndexName/CollectionEndpoint in the
    index (whose knn dimension and method OpenSearch cannot change in place): each change must come
    with a new name, or the replacement fails with "already exists"."""
    index, knowledge_base = _names()
    new_index, new_knowledge_base = _names(**change)
    assert new_knowledge_base != knowledge_base
    assert (new_index != index) is index_replaced


@pytest.mark.parametrize("change", [{"description": "Manuals"}, {"index": {"ef_search": 256}}])
def test_changes_made_in_place_keep_the_names(change: dict[str, Any]) -> None:
    assert _names(**change) == _names()


def test_a_data_source_name_known_at_deploy_time_only_is_not_checked_at_synth() -> None:
    """Issue 18: S3DataSource matched a token's text against the name pattern and refused it."""
    stack = new_stack()
    built = _build(stack)
    name = cdk.Fn.import_value("data-source-name")
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "docs-bucket")
    S3DataSource(stack, "Imported", knowledge_base=built["kb"], data_source_name=name, bucket=bucket)
    names = [
        r["Properties"]["Name"]
        for r in Template.from_stack(stack).find_resources("AWS::Bedrock::DataSource").values()
    ]
    assert any(isinstance(found, dict) for found in names)
