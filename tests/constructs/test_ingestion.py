"""DataSourceIngestion through the construct API: what starts a job, the handler's only right, the order."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import (
    Chunking,
    DataSourceIngestion,
    KnowledgeBase,
    S3DataSource,
    VectorCollection,
    VectorIndex,
)
from bedrock_platform.constructs.ingestion import RESOURCE_TYPE, settings_hash
from tests.constructs.conftest import new_stack

MODEL = "amazon.titan-embed-text-v2:0"


def build(stack: cdk.Stack, **source: Any) -> S3DataSource:
    """A knowledge base with the data source ``Source`` (``source`` overrides its arguments)."""
    collection = VectorCollection(stack, "Store", collection_name="dev-docs")
    index = VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=512)
    kb = KnowledgeBase(
        stack, "KB", knowledge_base_name="dev-manuals", vector_index=index, embedding_model_id=MODEL
    )
    arguments: dict[str, Any] = {
        "knowledge_base": kb,
        "data_source_name": "manuals",
        "bucket": s3.Bucket.from_bucket_name(stack, "Docs", "dev-docs"),
        "inclusion_prefixes": ["guides/"],
        **source,
    }
    return S3DataSource(stack, "Source", **arguments)


def settings(**source: Any) -> str:
    """The settings hash of ``Source`` built with ``source``."""
    return settings_hash(build(new_stack(), **source))


def logical_id(template: Template, resource_type: str, pattern: str = "") -> str:
    (found,) = [lid for lid in template.find_resources(resource_type) if pattern in lid]
    return found


def test_the_resource_names_the_knowledge_base_the_data_source_and_the_settings() -> None:
    stack = new_stack()
    source = build(stack)
    ingestion = DataSourceIngestion(stack, "Ingestion", data_source=source)
    template = Template.from_stack(stack)

    kb, data_source = (
        logical_id(template, "AWS::Bedrock::KnowledgeBase"),
        logical_id(template, "AWS::Bedrock::DataSource"),
    )
    template.has_resource(
        RESOURCE_TYPE,
        {
            "Properties": {
                "KnowledgeBaseId": {"Fn::GetAtt": [kb, "KnowledgeBaseId"]},
                "DataSourceId": {"Fn::GetAtt": [data_source, "DataSourceId"]},
                "Settings": Match.string_like_regexp("^[0-9a-f]{6}$"),
            },
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Function", {"Handler": "handlers.ingestion.on_event", "Timeout": 120}
    )
    resolved = stack.resolve(ingestion.ingestion_job_id)
    assert resolved == {"Fn::GetAtt": [logical_id(template, RESOURCE_TYPE), "IngestionJobId"]}


def test_the_handler_may_only_start_ingestion_jobs_of_this_knowledge_base() -> None:
    stack = new_stack()
    DataSourceIngestion(stack, "Ingestion", data_source=build(stack))
    template = Template.from_stack(stack)

    role = logical_id(template, "AWS::IAM::Role", "IngestionProviderRole")
    (policy,) = template.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role}]}}
    ).values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    bedrock = [s for s in statements if "logs:" not in str(s["Action"])]
    kb = logical_id(template, "AWS::Bedrock::KnowledgeBase")
    assert bedrock == [
        {
            "Action": "bedrock:StartIngestionJob",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [kb, "KnowledgeBaseArn"]},
        }
    ]


def test_what_is_ingested_changes_the_settings_and_nothing_else_does() -> None:
    base = settings()
    assert settings() == base
    assert settings(inclusion_prefixes=["faq/"]) != base
    assert settings(inclusion_prefixes=[]) != base
    assert settings(chunking=Chunking.semantic()) != base
    assert settings(data_source_name="handbooks") != base
    assert settings(description="Manuals, now described") == base
    assert settings(data_deletion_policy="RETAIN") == base

    stack = new_stack()
    other_bucket = settings_hash(build(stack, bucket=s3.Bucket.from_bucket_name(stack, "Other", "dev-other")))
    assert other_bucket != base


def test_a_bucket_of_the_stack_is_hashed_by_its_logical_id() -> None:
    def with_bucket(bucket_id: str) -> str:
        stack = new_stack()
        return settings_hash(build(stack, bucket=s3.Bucket(stack, bucket_id)))

    assert with_bucket("Created") == with_bucket("Created")
    assert with_bucket("Created") != with_bucket("Renamed")


def test_the_job_starts_after_the_data_source_and_so_after_the_role_policy_that_lets_it_read() -> None:
    stack = new_stack()
    DataSourceIngestion(stack, "Ingestion", data_source=build(stack))
    template = Template.from_stack(stack).to_json()["Resources"]

    def depends_on(logical_id: str) -> set[str]:
        """Every resource ``logical_id`` depends on, through references and DependsOn."""
        found: set[str] = set()
        pending = [logical_id]
        while pending:
            resource = template[pending.pop()]
            text = str(resource.get("Properties", {}))
            direct = {other for other in template if f"'{other}'" in text} | set(
                resource.get("DependsOn", [])
            )
            pending += list(direct - found)
            found |= direct
        return found

    (ingestion,) = [lid for lid, r in template.items() if r["Type"] == RESOURCE_TYPE]
    (data_source,) = [lid for lid, r in template.items() if r["Type"] == "AWS::Bedrock::DataSource"]
    (kb_policy,) = [lid for lid in template if lid.startswith("KBServiceRoleDefaultPolicy")]
    assert {data_source, kb_policy} <= depends_on(ingestion)


def test_the_job_depends_on_the_role_policy_itself_for_a_source_added_to_an_existing_knowledge_base() -> None:
    """Finding 12: adding a data source to a deployed knowledge base updates the role's policy (its new
    S3 grant) and leaves the knowledge base as it is, so the knowledge base's own DependsOn orders
    nothing in that deploy: the ingestion must name the policy in its own DependsOn."""
    stack = new_stack()
    DataSourceIngestion(stack, "Ingestion", data_source=build(stack))
    template = Template.from_stack(stack).to_json()["Resources"]
    (ingestion,) = [r for r in template.values() if r["Type"] == RESOURCE_TYPE]
    (kb_policy,) = [lid for lid in template if lid.startswith("KBServiceRoleDefaultPolicy")]
    statements = template[kb_policy]["Properties"]["PolicyDocument"]["Statement"]
    assert any("s3:GetObject" in str(statement["Action"]) for statement in statements)
    assert kb_policy in ingestion.get("DependsOn", [])


def test_data_sources_of_a_stack_share_one_provider() -> None:
    stack = new_stack()
    source = build(stack)
    other = S3DataSource(
        stack,
        "Other",
        knowledge_base=source.knowledge_base,
        data_source_name="faq",
        bucket=source.bucket,
    )
    DataSourceIngestion(stack, "Ingestion", data_source=source)
    DataSourceIngestion(stack, "OtherIngestion", data_source=other)
    template = Template.from_stack(stack)

    template.resource_count_is(RESOURCE_TYPE, 2)
    template.resource_count_is("AWS::StepFunctions::StateMachine", 1)
    (policy,) = template.find_resources(
        "AWS::IAM::Policy",
        {"Properties": {"Roles": [{"Ref": logical_id(template, "AWS::IAM::Role", "IngestionProviderRole")}]}},
    ).values()
    starts = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if "bedrock:" in str(s["Action"])
    ]
    assert len(starts) == 1  # both on the same knowledge base: one statement
