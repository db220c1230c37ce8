"""DataSource of every kind, with parsing and a custom transformation, through the construct API (no
YAML): what CloudFormation is told, and what the knowledge base's role is allowed (issue 22)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from bedrock_platform.constructs import (
    AccessLogsBucket,
    Chunking,
    ConfluenceSource,
    ConnectorSettings,
    ConstructValidationError,
    CustomSource,
    CustomTransformation,
    DataSource,
    DocumentBucket,
    KnowledgeBase,
    ManagedStorage,
    ObjectFilter,
    Parsing,
    S3DataSource,
    S3Source,
    SalesforceSource,
    SharePointSource,
    VectorCollection,
    VectorIndex,
    WebSource,
)
from tests.constructs.conftest import new_stack, render

MODEL = "amazon.titan-embed-text-v2:0"
SECRET = "arn:aws:secretsmanager:us-east-1:111111111111:secret:bedrock/wiki-AbCdEf"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
FUNCTION = "arn:aws:lambda:us-east-1:111111111111:function:enrich"


def _knowledge_base(stack: cdk.Stack, multimodal_storage: s3.IBucket | None = None) -> KnowledgeBase:
    collection = VectorCollection(stack, "Store", collection_name="dev-docs")
    index = VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=512)
    return KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-manuals",
        vector_index=index,
        embedding_model_id=MODEL,
        multimodal_storage=multimodal_storage,
    )


def _with_knowledge_base(stack: cdk.Stack) -> cdk.Stack:
    _knowledge_base(stack)
    return stack


def _role_statements(stack: cdk.Stack) -> list[dict[str, Any]]:
    template = Template.from_stack(stack).to_json()
    return [
        statement
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::IAM::Policy" and "KBServiceRole" in logical_id
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]


def _allowed(statements: list[dict[str, Any]], action: str) -> list[str]:
    """Every resource the statements allow ``action`` on (as rendered text)."""
    found = []
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if action in actions:
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            found += [render(resource) for resource in resources]
    return found


def _data_source(stack: cdk.Stack) -> dict[str, Any]:
    (source,) = [
        resource["Properties"]
        for resource in Template.from_stack(stack).to_json()["Resources"].values()
        if resource["Type"] == "AWS::Bedrock::DataSource"
    ]
    return source


def test_confluence_with_oauth_may_read_and_write_back_its_secret_and_decrypt_through_secrets_manager() -> (
    None
):
    stack = new_stack()
    DataSource(
        stack,
        "Wiki",
        knowledge_base=_knowledge_base(stack),
        data_source_name="wiki",
        source=ConfluenceSource(
            host_url="https://example.atlassian.net",
            credentials_secret_arn=SECRET,
            auth_type="OAUTH2_CLIENT_CREDENTIALS",
            secret_key=kms.Key.from_key_arn(stack, "SecretKey", KEY),
            filters=[ObjectFilter("Space", inclusion_filters=["^ENG$"])],
        ),
    )
    configuration = _data_source(stack)["DataSourceConfiguration"]
    assert configuration["Type"] == "CONFLUENCE"
    source = configuration["ConfluenceConfiguration"]["SourceConfiguration"]
    assert source == {
        "HostUrl": "https://example.atlassian.net",
        "HostType": "SAAS",
        "AuthType": "OAUTH2_CLIENT_CREDENTIALS",
        "CredentialsSecretArn": SECRET,
    }
    statements = _role_statements(stack)
    assert _allowed(statements, "secretsmanager:GetSecretValue") == [SECRET]
    assert _allowed(statements, "secretsmanager:PutSecretValue") == [SECRET]
    (decrypt,) = [s for s in statements if s["Resource"] == KEY]
    assert render(decrypt["Condition"]["StringEquals"]["kms:ViaService"]).startswith(
        "secretsmanager.us-east-1."
    )
    # Secrets Manager user guide, "Secret encryption and decryption": PutSecretValue asks for a data key.
    assert sorted(decrypt["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_sharepoint_and_salesforce_only_read_their_secret() -> None:
    stack = new_stack()
    kb = _knowledge_base(stack)
    DataSource(
        stack,
        "Site",
        knowledge_base=kb,
        data_source_name="site",
        source=SharePointSource(
            domain="example",
            site_urls=["https://example.sharepoint.com/sites/docs"],
            credentials_secret_arn=SECRET,
            tenant_id="8a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
        ),
    )
    other = SECRET.replace("wiki", "crm")
    DataSource(
        stack,
        "Crm",
        knowledge_base=kb,
        data_source_name="crm",
        source=SalesforceSource(host_url="https://example.my.salesforce.com", credentials_secret_arn=other),
    )
    statements = _role_statements(stack)
    assert sorted(_allowed(statements, "secretsmanager:GetSecretValue")) == sorted([SECRET, other])
    assert _allowed(statements, "secretsmanager:PutSecretValue") == []


def test_a_web_crawler_and_a_custom_source_need_nothing_of_the_role() -> None:
    before = len(_role_statements(_with_knowledge_base(new_stack("Bare"))))
    stack = new_stack()
    kb = _knowledge_base(stack)
    DataSource(
        stack,
        "Site",
        knowledge_base=kb,
        data_source_name="site",
        source=WebSource(
            seed_urls=["https://docs.example.com/"],
            scope="HOST_ONLY",
            exclusion_filters=[".*/archive/.*"],
            rate_limit=60,
            max_pages=500,
        ),
    )
    DataSource(stack, "Pushed", knowledge_base=kb, data_source_name="pushed", source=CustomSource())
    assert len(_role_statements(stack)) == before
    template = Template.from_stack(stack).to_json()["Resources"]
    web = next(
        r["Properties"]
        for r in template.values()
        if r["Type"] == "AWS::Bedrock::DataSource"
        and r["Properties"]["DataSourceConfiguration"]["Type"] == "WEB"
    )["DataSourceConfiguration"]["WebConfiguration"]
    assert web["SourceConfiguration"] == {
        "UrlConfiguration": {"SeedUrls": [{"Url": "https://docs.example.com/"}]}
    }
    assert web["CrawlerConfiguration"]["CrawlerLimits"] == {"MaxPages": 500, "RateLimit": 60}
    assert "UserAgentHeader" not in web["CrawlerConfiguration"]  # read-only in CloudFormation


def test_a_foundation_model_parser_through_a_profile_may_be_invoked_in_each_region_it_routes_to() -> None:
    stack = new_stack()
    bucket = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    profile = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    S3DataSource(
        stack,
        "Scans",
        knowledge_base=_knowledge_base(
            stack, multimodal_storage=s3.Bucket.from_bucket_name(stack, "Media", "media")
        ),
        data_source_name="scans",
        bucket=bucket,
        parsing=Parsing.foundation_model(stack, profile, prompt="Transcribe.", multimodal=True),
    )
    parsing = _data_source(stack)["VectorIngestionConfiguration"]["ParsingConfiguration"]
    assert parsing["ParsingStrategy"] == "BEDROCK_FOUNDATION_MODEL"
    model = parsing["BedrockFoundationModelConfiguration"]
    assert model["ModelArn"] == f"arn:aws:bedrock:us-east-1:111111111111:inference-profile/{profile}"
    assert (model["ParsingPrompt"], model["ParsingModality"]) == (
        {"ParsingPromptText": "Transcribe."},
        "MULTIMODAL",
    )
    statements = _role_statements(stack)
    invoked = set(_allowed(statements, "bedrock:InvokeModel"))
    assert _allowed(statements, "bedrock:InvokeModelWithResponseStream") == []  # parsing does not stream
    base = profile.removeprefix("us.")
    assert {
        model["ModelArn"],
        *(
            f"arn:aws:bedrock:{region}::foundation-model/{base}"
            for region in ("us-east-1", "us-east-2", "us-west-2")
        ),
    } <= invoked


def test_data_automation_may_run_the_public_project_and_read_its_invocations() -> None:
    stack = new_stack()
    bucket = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    S3DataSource(
        stack,
        "Scans",
        knowledge_base=_knowledge_base(stack),
        data_source_name="scans",
        bucket=bucket,
        parsing=Parsing.data_automation(),
    )
    statements = _role_statements(stack)
    invoked = _allowed(statements, "bedrock:InvokeDataAutomationAsync")
    assert "arn:aws:bedrock:us-east-1:aws:data-automation-project/public-rag-default" in invoked
    # The US Data Automation profile routes over the US Regions: allowed in each (AWS's samples).
    for region in ("us-east-1", "us-east-2", "us-west-1", "us-west-2"):
        assert f"arn:aws:bedrock:{region}:111111111111:data-automation-profile/*" in invoked
    assert not any("eu-" in arn for arn in invoked)
    assert "arn:aws:bedrock:us-east-1:111111111111:data-automation-invocation/*" in _allowed(
        statements, "bedrock:GetDataAutomationStatus"
    )


def test_a_custom_transformation_may_invoke_exactly_its_function_and_use_its_bucket() -> None:
    stack = new_stack()
    docs = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    batches = s3.Bucket.from_bucket_name(stack, "Batches", "acme-batches")
    S3DataSource(
        stack,
        "Manuals",
        knowledge_base=_knowledge_base(stack),
        data_source_name="manuals",
        bucket=docs,
        custom_transformation=CustomTransformation(function_arn=FUNCTION, intermediate_bucket=batches),
    )
    transformation = _data_source(stack)["VectorIngestionConfiguration"]["CustomTransformationConfiguration"]
    assert transformation["IntermediateStorage"] == {"S3Location": {"URI": "s3://acme-batches"}}
    (step,) = transformation["Transformations"]
    assert step["StepToApply"] == "POST_CHUNKING"
    statements = _role_statements(stack)
    assert sorted(_allowed(statements, "lambda:InvokeFunction")) == [FUNCTION, f"{FUNCTION}:*"]
    assert "arn:aws:s3:::acme-batches/*" in _allowed(statements, "s3:PutObject")
    assert "arn:aws:s3:::acme-batches" in _allowed(statements, "s3:ListBucket")


def test_names_cover_every_create_only_setting_and_keep_the_s3_names_of_before() -> None:
    stack = new_stack()
    kb = _knowledge_base(stack)
    bucket = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    plain = S3DataSource(stack, "Plain", knowledge_base=kb, data_source_name="docs", bucket=bucket)
    assert plain.data_source_name == f"docs-{Chunking.fixed_size().fingerprint()}"  # as before issue 22
    parsed = S3DataSource(
        stack,
        "Parsed",
        knowledge_base=kb,
        data_source_name="docs",
        bucket=bucket,
        parsing=Parsing.data_automation(),
    )
    pushed = DataSource(stack, "Pushed", knowledge_base=kb, data_source_name="docs", source=CustomSource())
    prompted = S3DataSource(
        stack,
        "Prompted",
        knowledge_base=kb,
        data_source_name="docs",
        bucket=bucket,
        parsing=Parsing.foundation_model(stack, "amazon.nova-pro-v1:0", prompt="Read."),
    )
    names = {
        plain.data_source_name,
        parsed.data_source_name,
        pushed.data_source_name,
        prompted.data_source_name,
    }
    assert len(names) == 4


def test_multimodal_storage_is_the_knowledge_bases_and_part_of_its_name() -> None:
    stack = new_stack()
    media = s3.Bucket.from_bucket_name(stack, "Media", "acme-media")
    kb = _knowledge_base(stack, multimodal_storage=media)
    resource = next(
        r["Properties"]
        for r in Template.from_stack(stack).to_json()["Resources"].values()
        if r["Type"] == "AWS::Bedrock::KnowledgeBase"
    )
    vector = resource["KnowledgeBaseConfiguration"]["VectorKnowledgeBaseConfiguration"]
    assert vector["SupplementalDataStorageConfiguration"] == {
        "SupplementalDataStorageLocations": [
            {"SupplementalDataStorageLocationType": "S3", "S3Location": {"URI": "s3://acme-media"}}
        ]
    }
    statements = _role_statements(stack)
    assert "arn:aws:s3:::acme-media/*" in _allowed(statements, "s3:PutObject")
    assert kb.fingerprint != _knowledge_base(new_stack("Other")).fingerprint


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (WebSource(seed_urls=[]), "seed_urls has 0 entries, 1 to 100"),
        (WebSource(seed_urls=["https://a.example"], rate_limit=500), "rate_limit 500 must be 1 to 300"),
        (WebSource(seed_urls=["https://a.example"], inclusion_filters=["(?=x)"]), "look-ahead"),
        (
            ConfluenceSource(
                host_url="https://a.atlassian.net", credentials_secret_arn=SECRET, auth_type="NTLM"
            ),
            "auth_type 'NTLM' must be one of BASIC, OAUTH2_CLIENT_CREDENTIALS",
        ),
        (
            SalesforceSource(
                host_url="https://a.my.salesforce.com",
                credentials_secret_arn=SECRET,
                filters=[ObjectFilter("Page")],
            ),
            "object type 'Page' must be one of Account",
        ),
    ],
)
def test_a_source_the_service_would_refuse_is_refused(source: Any, message: str) -> None:
    stack = new_stack()
    with pytest.raises(ConstructValidationError, match=message):
        DataSource(stack, "Bad", knowledge_base=_knowledge_base(stack), data_source_name="bad", source=source)


def test_multimodal_parsing_of_a_crawler_is_refused() -> None:
    stack = new_stack()
    with pytest.raises(ConstructValidationError, match="multimodal parsing takes S3 and custom sources only"):
        DataSource(
            stack,
            "Bad",
            knowledge_base=_knowledge_base(stack),
            data_source_name="bad",
            source=WebSource(seed_urls=["https://a.example"]),
            parsing=Parsing.data_automation(multimodal=True),
        )


def test_data_automation_may_use_the_keys_of_the_documents_and_the_multimodal_storage_through_bedrock() -> (
    None
):
    """User guide, "Permissions for multimodal content": with customer managed keys, Data Automation
    needs GenerateDataKey, Decrypt, DescribeKey and CreateGrant on them through Bedrock. An existing
    bucket's key (``from_bucket_attributes``) counts as the bucket's."""
    stack = new_stack()
    documents_key = kms.Key.from_key_arn(stack, "DocsKey", KEY)
    media_key_arn = KEY.replace("1a2b3c4d", "9f8e7d6c")
    media = s3.Bucket.from_bucket_attributes(
        stack,
        "Media",
        bucket_arn="arn:aws:s3:::acme-media",
        encryption_key=kms.Key.from_key_arn(stack, "MediaKey", media_key_arn),
    )
    docs = s3.Bucket.from_bucket_attributes(
        stack, "Docs", bucket_arn="arn:aws:s3:::acme-docs", encryption_key=documents_key
    )
    S3DataSource(
        stack,
        "Scans",
        knowledge_base=_knowledge_base(stack, multimodal_storage=media),
        data_source_name="scans",
        bucket=docs,
        parsing=Parsing.data_automation(multimodal=True),
    )
    statements = _role_statements(stack)
    (automation,) = [s for s in statements if "kms:CreateGrant" in s["Action"]]
    assert sorted(automation["Resource"]) == sorted([KEY, media_key_arn])
    assert render(automation["Condition"]["StringEquals"]["kms:ViaService"]).startswith("bedrock.us-east-1.")
    # The multimodal storage's own key: the role writes the extracted images through S3.
    assert media_key_arn in _allowed(statements, "kms:GenerateDataKey")


def test_multimodal_parsing_needs_the_knowledge_bases_multimodal_storage() -> None:
    stack = new_stack()
    bucket = DocumentBucket(stack, "Docs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    with pytest.raises(ConstructValidationError, match="multimodal parsing keeps the images"):
        S3DataSource(
            stack,
            "Scans",
            knowledge_base=_knowledge_base(stack),
            data_source_name="scans",
            bucket=bucket,
            parsing=Parsing.data_automation(multimodal=True),
        )


def test_a_managed_knowledge_base_has_no_store_and_its_sources_are_managed_connectors() -> None:
    """Issue 21: ``ManagedStorage`` makes a MANAGED knowledge base; an S3 source becomes a managed
    connector naming its bucket, without ingestion settings (the service parses and chunks)."""
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-handbook",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id=MODEL,
    )
    bucket = s3.Bucket.from_bucket_name(stack, "PagesBucket", "acme-pages")
    S3DataSource(
        stack,
        "Pages",
        knowledge_base=kb,
        data_source_name="pages",
        bucket=bucket,
        inclusion_prefixes=["hb/"],
        parsing=Parsing.smart(),
    )
    resources = Template.from_stack(stack).to_json()["Resources"]
    (knowledge_base,) = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::Bedrock::KnowledgeBase"
    ]
    assert knowledge_base["KnowledgeBaseConfiguration"]["Type"] == "MANAGED"
    assert (
        knowledge_base["KnowledgeBaseConfiguration"]["ManagedKnowledgeBaseConfiguration"][
            "EmbeddingModelType"
        ]
        == "CUSTOM"
    )
    assert "StorageConfiguration" not in knowledge_base
    source = _data_source(stack)
    # The managed knowledge base's own parser, said explicitly; no chunking (the service refuses one).
    assert source["VectorIngestionConfiguration"] == {
        "ParsingConfiguration": {"ParsingStrategy": "SMART_PARSING"}
    }
    configuration = source["DataSourceConfiguration"]
    assert configuration["Type"] == "MANAGED_KNOWLEDGE_BASE_CONNECTOR"
    assert configuration["ManagedKnowledgeBaseConnectorConfiguration"]["ConnectorParameters"] == {
        "type": "S3",
        "version": "1",
        "connectionConfiguration": {"bucketName": "acme-pages", "bucketOwnerAccountId": "111111111111"},
        "filterConfiguration": {"inclusionPrefixes": ["hb/"]},
    }
    statements = _role_statements(stack)
    assert _allowed(statements, "aoss:APIAccessAll") == []
    assert "arn:aws:s3:::acme-pages/hb/*" in _allowed(statements, "s3:GetObject")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chunking": Chunking.none()}, "chunking does not apply to a managed knowledge base"),
        ({"data_deletion_policy": "RETAIN"}, "DELETE only"),
        (
            {
                "source": SalesforceSource(
                    host_url="https://acme.my.salesforce.com", credentials_secret_arn=SECRET
                )
            },
            "takes S3, web, SharePoint and custom sources, not SALESFORCE",
        ),
        (
            {"source": WebSource(seed_urls=["https://a.example"], max_pages=10)},
            "managed web crawler has no max_pages",
        ),
    ],
)
def test_a_managed_knowledge_base_refuses_what_the_service_owns(kwargs: dict[str, Any], message: str) -> None:
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-handbook",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id=MODEL,
    )
    arguments: dict[str, Any] = {"source": CustomSource(), **kwargs}
    with pytest.raises(ConstructValidationError, match=message):
        DataSource(stack, "Bad", knowledge_base=kb, data_source_name="bad", **arguments)


def test_a_managed_connectors_own_schedule_deletion_protection_and_media() -> None:
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-handbook",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id=MODEL,
    )
    S3DataSource(
        stack,
        "Pages",
        knowledge_base=kb,
        data_source_name="pages",
        bucket=s3.Bucket.from_bucket_name(stack, "PagesBucket", "acme-pages"),
        connector_settings=ConnectorSettings(
            schedule=("MONTHLY", "LAST"),
            deletion_protection_threshold=10,
            media_extraction=["image", "video"],
        ),
    )
    configuration = _data_source(stack)["DataSourceConfiguration"][
        "ManagedKnowledgeBaseConnectorConfiguration"
    ]
    assert configuration["SyncSchedule"] == {"Monthly": {"DayOfMonth": {"LastDayOfMonth": {}}}}
    assert configuration["DeletionProtectionConfiguration"] == {
        "DeletionProtectionStatus": "ENABLED",
        "DeletionProtectionThreshold": 10,
    }
    assert configuration["MediaExtractionConfiguration"] == {
        "ImageExtractionConfiguration": {"ImageExtractionStatus": "ENABLED"},
        "VideoExtractionConfiguration": {"VideoExtractionStatus": "ENABLED"},
    }
    with pytest.raises(ConstructValidationError, match="the custom connector takes no schedule"):
        DataSource(
            stack,
            "Pushed",
            knowledge_base=kb,
            data_source_name="pushed",
            source=CustomSource(),
            connector_settings=ConnectorSettings(schedule="DAILY"),
        )


MARENGO = "twelvelabs.marengo-embed-3-0-v1:0"


def _native(stack: cdk.Stack, **options: Any) -> KnowledgeBase:
    storage = s3.Bucket.from_bucket_name(stack, "Media", "acme-media-processing")
    return KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-media",
        vector_index=ManagedStorage(dimensions=512),
        embedding_model_id=options.pop("model", MARENGO),
        multimodal_storage=options.pop("multimodal_storage", storage),
        **options,
    )


def test_a_native_multimodal_knowledge_base_sends_whole_files_to_its_model() -> None:
    """Issue 22, parsing multimodal_embeddings (user guide, "Native multimodal processing"): Marengo on a
    managed knowledge base with its dimensions and float32, the segmentation given in modelConfiguration;
    its data sources parse with MULTI_MODAL_EMBEDDINGS without being told."""
    stack = new_stack()
    kb = _native(stack, segmentation={"video": ("fixed", 6)})
    DataSource(
        stack,
        "Talks",
        knowledge_base=kb,
        data_source_name="talks",
        source=S3Source(bucket=s3.Bucket.from_bucket_name(stack, "TalksBucket", "acme-talks")),
    )
    resources = Template.from_stack(stack).to_json()["Resources"]
    (knowledge_base,) = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::Bedrock::KnowledgeBase"
    ]
    managed = knowledge_base["KnowledgeBaseConfiguration"]["ManagedKnowledgeBaseConfiguration"]
    # The guide's custom embedding model: its dimensions and float32; the video segmentation given.
    assert managed["EmbeddingModelConfiguration"] == {
        "BedrockEmbeddingModelConfiguration": {
            "Dimensions": 512,
            "EmbeddingDataType": "FLOAT32",
            "ModelConfiguration": {
                "version": "1",
                "video": {"segmentation": {"method": "fixed", "fixed": {"durationSec": 6}}},
            },
        }
    }
    assert managed["SupplementalDataStorageConfiguration"]["SupplementalDataStorageLocations"] == [
        {"S3Location": {"URI": "s3://acme-media-processing"}, "SupplementalDataStorageLocationType": "S3"}
    ]
    assert _data_source(stack)["VectorIngestionConfiguration"] == {
        "ParsingConfiguration": {"ParsingStrategy": "MULTI_MODAL_EMBEDDINGS"}
    }
    # Another segmentation is another create-only configuration: another AWS name.
    other = new_stack("Other")
    assert _native(other).knowledge_base_name != kb.knowledge_base_name


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"multimodal_storage": None}, "needs multimodal_storage"),
        ({"segmentation": {"video": ("dynamic", 6)}}, "video segmentation dynamic takes 1 to 5 seconds"),
        ({"segmentation": {"audio": ("dynamic", 4)}}, "audio segmentation is fixed, not dynamic"),
        ({"model": MODEL, "segmentation": {"video": ("fixed", 6)}}, "segmentation applies to a native"),
    ],
)
def test_a_native_multimodal_knowledge_base_refuses_what_the_service_would(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        _native(new_stack(), **options)


def test_a_native_multimodal_model_needs_a_managed_knowledge_base() -> None:
    stack = new_stack()
    collection = VectorCollection(stack, "Store", collection_name="dev-media")
    index = VectorIndex(stack, "Index", collection=collection, index_name="media", dimensions=512)
    with pytest.raises(ConstructValidationError, match="for a managed knowledge base"):
        KnowledgeBase(
            stack,
            "KB",
            knowledge_base_name="dev-media",
            vector_index=index,
            embedding_model_id=MARENGO,
            configure_dimensions=False,
            multimodal_storage=s3.Bucket.from_bucket_name(stack, "Media", "acme-media"),
        )


def test_its_data_sources_parse_with_multimodal_embeddings_only_and_no_other_does() -> None:
    stack = new_stack()
    kb = _native(stack)
    source = S3Source(bucket=s3.Bucket.from_bucket_name(stack, "Talks", "acme-talks"))
    with pytest.raises(ConstructValidationError, match=r"parses with Parsing\.multimodal_embeddings"):
        DataSource(
            stack, "Smart", knowledge_base=kb, data_source_name="s", source=source, parsing=Parsing.smart()
        )
    other = new_stack("Text")
    text = _knowledge_base(other)
    with pytest.raises(ConstructValidationError, match="is for a knowledge base with a native multimodal"):
        DataSource(
            other,
            "Mm",
            knowledge_base=text,
            data_source_name="m",
            source=S3Source(bucket=s3.Bucket.from_bucket_name(other, "B", "acme-b")),
            parsing=Parsing.multimodal_embeddings(),
        )


def test_a_managed_web_crawler_is_the_services_connector_and_reads_its_secret() -> None:
    """Issue 22, the managed web crawler (user guide, managed knowledge bases, "Web Crawler"): its
    connectorParameters say where it starts, how it signs in, how far it crawls and which URLs; the
    role reads exactly its secret, through Secrets Manager for the key."""
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-intranet",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id=MODEL,
    )
    DataSource(
        stack,
        "Portal",
        knowledge_base=kb,
        data_source_name="portal",
        source=WebSource(
            seed_urls=["https://intranet.example.com/"],
            scope="SUBDOMAINS",
            exclusion_filters=[".*/archive/.*"],
            rate_limit=30,
            crawl_depth=0,
            auth_type="BASIC_AUTH",
            credentials_secret_arn=SECRET,
            secret_key=kms.Key.from_key_arn(stack, "SecretKey", KEY),
        ),
    )
    assert _data_source(stack)["DataSourceConfiguration"]["ManagedKnowledgeBaseConnectorConfiguration"] == {
        "ConnectorParameters": {
            "type": "WEB",
            "version": "1",
            "connectionConfiguration": {
                "seedUrls": ["https://intranet.example.com/"],
                "authType": "BASIC_AUTH",
                "secretArn": SECRET,
            },
            "crawlConfiguration": {
                "crawlDepth": 0,
                "maxCrawledUrlsPerMinute": 30,
                "syncScope": "SUB_DOMAINS",
            },
            "filterConfiguration": {"exclusionPatterns": [".*/archive/.*"]},
        }
    }
    statements = [
        statement
        for resource in Template.from_stack(stack).to_json()["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": SECRET} in statements
    assert any(s["Resource"] == KEY and s["Action"] == "kms:Decrypt" for s in statements)


@pytest.mark.parametrize(
    ("source", "managed", "message"),
    [
        (WebSource(seed_urls=[f"https://{n}.example.com/" for n in range(11)]), True, "at most 10 seed_urls"),
        (WebSource(seed_urls=["https://a.example/"], crawl_depth=11), True, "crawl_depth 11 must be 0 to 10"),
        (
            WebSource(seed_urls=["https://a.example/"], auth_type="FORM"),
            True,
            "credentials_secret_arn goes with",
        ),
        (
            WebSource(seed_urls=["https://a.example/"], crawl_depth=2),
            False,
            "for the web crawler of a managed",
        ),
    ],
)
def test_each_web_crawler_refuses_the_others_settings(source: WebSource, managed: bool, message: str) -> None:
    stack = new_stack()
    kb = (
        KnowledgeBase(
            stack,
            "KB",
            knowledge_base_name="dev-site",
            vector_index=ManagedStorage(dimensions=1024),
            embedding_model_id=MODEL,
        )
        if managed
        else _knowledge_base(stack)
    )
    with pytest.raises(ConstructValidationError, match=message):
        DataSource(stack, "Site", knowledge_base=kb, data_source_name="site", source=source)


def test_a_managed_knowledge_bases_text_model_embeds_1024_dimensions_in_float32() -> None:
    """User guide, "Create a managed knowledge base": with a custom embedding model "you must specify
    the model dimensions (1024) and float32 embedding data type"; other dimensions are refused."""
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-handbook",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id="cohere.embed-english-v3",
        configure_dimensions=False,  # a one-size model: still said for a managed knowledge base
    )
    managed = Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(kb.resource)][
        "Properties"
    ]["KnowledgeBaseConfiguration"]["ManagedKnowledgeBaseConfiguration"]
    assert managed["EmbeddingModelConfiguration"] == {
        "BedrockEmbeddingModelConfiguration": {"Dimensions": 1024, "EmbeddingDataType": "FLOAT32"}
    }
    with pytest.raises(ConstructValidationError, match="embeds 1024 dimensions, not 512"):
        KnowledgeBase(
            new_stack("Other"),
            "KB",
            knowledge_base_name="dev-handbook",
            vector_index=ManagedStorage(dimensions=512),
            embedding_model_id=MODEL,
        )


def test_a_managed_sharepoint_connector_signs_in_with_its_certificate() -> None:
    """Issue 22, the managed SharePoint connector (user guide, "Connect a SharePoint data source"):
    Entra ID App-Only names the certificate's bucket and key, which the role may read; the
    self-managed connector refuses the certificate, the managed one a domain."""
    stack = new_stack()
    kb = KnowledgeBase(
        stack,
        "KB",
        knowledge_base_name="dev-intranet",
        vector_index=ManagedStorage(dimensions=1024),
        embedding_model_id=MODEL,
    )
    certificates = s3.Bucket.from_bucket_name(stack, "Certs", "acme-certs")
    site = "https://acme.sharepoint.com/sites/hr"
    tenant = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
    DataSource(
        stack,
        "Sites",
        knowledge_base=kb,
        data_source_name="sites",
        source=SharePointSource(
            site_urls=[site],
            credentials_secret_arn=SECRET,
            tenant_id=tenant,
            auth_type="ENTRA_ID_APP_ONLY",
            certificate_bucket=certificates,
            certificate_key="sp/bedrock.p12",
        ),
    )
    parameters = _data_source(stack)["DataSourceConfiguration"]["ManagedKnowledgeBaseConnectorConfiguration"]
    assert parameters["ConnectorParameters"]["connectionConfiguration"] == {
        "secretArn": SECRET,
        "tenantId": tenant,
        "authType": "ENTRA_ID_APP_ONLY",
        "certificateS3Path": {"s3BucketName": "acme-certs", "s3KeyName": "sp/bedrock.p12"},
    }
    statements = [
        statement
        for resource in Template.from_stack(stack).to_json()["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]
    certificate = next(statement for statement in statements if statement["Action"] == "s3:GetObject")
    assert [render(resource) for resource in certificate["Resource"]] == [
        "arn:aws:s3:::acme-certs/sp/bedrock.p12",
        "arn:aws:s3:::acme-certs/sp/bedrock.p12.metadata.json",
    ]
    assert certificate["Condition"] == {"StringEquals": {"aws:ResourceAccount": "111111111111"}}
    with pytest.raises(ConstructValidationError, match="a managed SharePoint connector has no domain"):
        DataSource(
            stack,
            "Domain",
            knowledge_base=kb,
            data_source_name="domain",
            source=SharePointSource(
                site_urls=[site],
                credentials_secret_arn=SECRET,
                tenant_id=tenant,
                domain="acme",
                auth_type="OAUTH2_APP",
            ),
        )
    other = new_stack("Vector")
    with pytest.raises(
        ConstructValidationError, match="certificate_bucket is for the SharePoint connector of a managed"
    ):
        DataSource(
            other,
            "Sites",
            knowledge_base=_knowledge_base(other),
            data_source_name="sites",
            source=SharePointSource(
                site_urls=[site],
                credentials_secret_arn=SECRET,
                tenant_id=tenant,
                domain="acme",
                certificate_bucket=s3.Bucket.from_bucket_name(other, "Certs", "acme-certs"),
                certificate_key="sp/bedrock.p12",
            ),
        )
