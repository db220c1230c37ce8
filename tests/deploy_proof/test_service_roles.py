"""Service roles vs the user guide: each role Amazon Bedrock assumes holds what the guide requires.

For every knowledge base, evaluation job, batch inference job and invocation logging setting of a
synthesized assembly, the tables below say which requests Bedrock makes with the role (or, for
a bucket policy, as the service itself), on which of the resources the template names, with
which request context, and where the Amazon Bedrock user guide requires it
(``shared/reference/guide/bedrock-user-guide.fr.txt``, section titles as written there, with the
English title). Each is then evaluated against the synthesized trust policy, identity policies,
bucket policies and OpenSearch Serverless data access policies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from bedrock_platform.geographies import GLOBAL_GEOGRAPHY, destination_regions, inference_profile_geography
from bedrock_platform.spec import knowledge_base as knowledge_base_spec
from tests.deploy_proof.assembly import Assembly, Stack
from tests.deploy_proof.conftest import ASSEMBLIES
from tests.deploy_proof.iam import Request, as_list, decide, statement_applies
from tests.deploy_proof.simulate import application_profiles, role_statements

KB_ROLE = "Création d'un rôle de service pour les bases de connaissances d'Amazon Bedrock"
KB_TRUST = f"{KB_ROLE} > Relation d'approbation (Knowledge base service role: trust relationship)"
KB_MODELS = f"{KB_ROLE} > Autorisations d'accès aux modèles Amazon Bedrock (access to Bedrock models)"
KB_S3 = f"{KB_ROLE} > Autorisations d'accès aux sources de données dans Amazon S3 (access to S3 data sources)"
KB_AOSS = (
    f"{KB_ROLE} > (Facultatif) Autorisations pour accéder à votre base de données vectorielle dans "
    "Amazon OpenSearch Service (access to the OpenSearch Serverless collection)"
)
KB_S3_VECTORS = (
    "Knowledge base service role, S3 Vectors: GetIndex when the knowledge base is created, PutVectors, "
    "GetVectors and DeleteVectors when it ingests, QueryVectors when it retrieves (the role's actions "
    "issue 21 names from the Bedrock user guide, whose local excerpt predates S3 Vectors)"
)
S3_VECTORS_ACTIONS = (
    "s3vectors:GetIndex",
    "s3vectors:PutVectors",
    "s3vectors:GetVectors",
    "s3vectors:DeleteVectors",
    "s3vectors:QueryVectors",
)
KB_AURORA = (
    f"{KB_ROLE} > (Facultatif) Autorisations d'accès à votre cluster de bases de données Amazon Aurora"
)
KB_SECRET = (
    f"{KB_ROLE} > (Facultatif) Autorisations d'accès à une base de données vectorielle configurée avec un "
    "AWS Secrets Manager secret"
)
KB_S3_KMS = (
    "Autorisations pour déchiffrer votre AWS KMS clé pour vos sources de données dans Amazon S3 "
    "(decrypt the KMS key of S3 data sources)"
)
KB_DATA_ACCESS = (
    "Définissez des politiques d'accès aux données pour votre base de connaissances > Amazon OpenSearch "
    "Serverless (data access policy for the knowledge base role)"
)
EVAL = "Exigences de fonction du service pour les tâches d'évaluation de modèle automatique"
EVAL_TRUST = f"{EVAL} > Exigences de principal du service (evaluation service role: trust)"
EVAL_S3 = (
    f"{EVAL} > Actions IAM Amazon S3 nécessaires (AllowAccessToCustomDatasets, AllowAccessToOutputBucket)"
)
EVAL_MODELS = f"{EVAL} > Actions IAM Amazon Bedrock nécessaires (AllowSpecificModels)"
EVAL_KMS = (
    "Chiffrement des données pour les tâches d'évaluation de modèle > Éléments de politique IAM requis "
    "(CustomKMSKeyProvidedToBedrock, CustomKMSDescribeKeyProvidedToBedrock)"
)
RAG = (
    "Autorisations pour discuter avec votre document (RetrieveAndGenerate on *, Retrieve on the knowledge "
    "base), as the English guide's knowledge base evaluation role requires"
)
BATCH = "Configuration des autorisations pour l'inférence par lots (batch inference permissions)"
LOGGING = "Journalisation des invocations de modèle"
LOGGING_S3 = f"{LOGGING} > Configuration d'une destination Amazon S3 (AmazonBedrockLogsWrite)"
LOGGING_CW = f"{LOGGING} > Configurer la destination CloudWatch des journaux"
LOGGING_S3_KMS = (
    f"{LOGGING} > Configuration d'une destination Amazon S3, étape 3 (SSE-KMS: kms:GenerateDataKey)"
)
S3_KMS = (
    "Amazon S3 user guide, 'Using server-side encryption with AWS KMS keys (SSE-KMS)': reading an object "
    "needs kms:Decrypt on its key, writing one kms:GenerateDataKey, a multipart upload both"
)
BEDROCK = "bedrock.amazonaws.com"
READ_KMS = ("kms:Decrypt",)
WRITE_KMS = ("kms:Decrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class Need:
    """One thing Bedrock must be able to do, the policy that must allow it, and the guide's section."""

    kind: str
    """``identity`` (the role's policies), ``trust`` (the role's trust policy), ``bucket`` (a bucket
    policy, as the service principal), ``key`` (a KMS key policy the assembly creates, as the service
    principal), ``data-access`` (an OpenSearch Serverless data access policy)."""
    stack: str
    principal: str
    request: Request
    section: str
    target: str = ""
    """The bucket name of a ``bucket`` need, the key ARN of a ``key`` need, the collection name of a
    ``data-access`` need, the vector bucket ARN of a ``vector-bucket`` need (its policy must not deny)."""
    permissions: tuple[str, ...] = field(default=())


def _s3_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def _object(key: str, example: str) -> str:
    return f"{key}{example}" if key.endswith("/") or not key else key


def _model_arns(identifier: str, stack: Stack, profiles: Mapping[str, str] | None = None) -> list[str]:
    """What IAM checks when Bedrock invokes ``identifier`` for a job: a foundation model, the ARN
    given, or a system-defined inference profile and the model in each Region it routes to from
    the stack's Region (``bedrock_platform/geographies.py``, from the guide's cross-Region
    inference pages; a global profile: the source Region and the Region-less model ARN). An
    application inference profile of the assembly (``profiles``: its ARN to what it copies): the
    profile and everything its source stands for (the guide's "Prerequisites for inference
    profiles": permissions on the application profile and on the models it routes to)."""
    copied = (profiles or {}).get(identifier)
    if copied is not None:
        return [identifier, *_model_arns(copied.rpartition("/")[2], stack)]
    if identifier.startswith("arn:"):
        return [identifier]
    geography = inference_profile_geography(identifier)
    if geography is None:
        return [f"arn:aws:bedrock:{stack.region}::foundation-model/{identifier}"]
    base = identifier.split(".", 1)[1]
    regions = (
        [stack.region, ""]
        if geography == GLOBAL_GEOGRAPHY
        else [stack.region, *destination_regions(geography, stack.region)]
    )
    return [
        f"arn:aws:bedrock:{stack.region}:{stack.account}:inference-profile/{identifier}",
        *(f"arn:aws:bedrock:{region}::foundation-model/{base}" for region in dict.fromkeys(regions)),
    ]


def _s3_reads(stack: Stack, role: str, bucket: str, key: str, section: str, owner: str) -> Iterator[Need]:
    context = {"aws:ResourceAccount": owner}
    yield Need(
        "identity",
        stack.name,
        role,
        Request("s3:GetObject", f"arn:aws:s3:::{bucket}/{_object(key, 'doc.jsonl')}", context),
        section,
    )
    yield Need(
        "identity",
        stack.name,
        role,
        Request("s3:ListBucket", f"arn:aws:s3:::{bucket}", {**context, "s3:prefix": key}),
        section,
    )


def knowledge_base_needs(assembly: Assembly) -> Iterator[Need]:
    """What a knowledge base's role must allow (the guide's knowledge base service role)."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Bedrock::KnowledgeBase":
            continue
        properties = assembly.resolve(stack.name, resource["Properties"])
        role = properties["RoleArn"]
        kb_arn = assembly.get_att(stack, logical_id, "KnowledgeBaseArn")
        trust = {"aws:SourceAccount": stack.account, "aws:SourceArn": kb_arn}
        yield Need("trust", stack.name, role, Request("sts:AssumeRole", role, trust), KB_TRUST)
        configuration = properties["KnowledgeBaseConfiguration"]
        managed = "ManagedKnowledgeBaseConfiguration" in configuration
        vector = configuration.get("VectorKnowledgeBaseConfiguration") or configuration.get(
            "ManagedKnowledgeBaseConfiguration", {}
        )
        if "EmbeddingModelArn" in vector:
            yield from _embedding_model_needs(stack, role, vector["EmbeddingModelArn"])
        yield from _multimodal_storage_needs(assembly, stack, role, vector, delete=managed)
        storage = properties.get("StorageConfiguration", {})
        vectors = storage.get("S3VectorsConfiguration")
        if vectors:
            index = vectors.get("IndexArn") or f"{vectors['VectorBucketArn']}/index/{vectors['IndexName']}"
            bucket = index.split("/index/")[0]
            # The role's own account calls, not as an AWS service: what the bucket's policy sees.
            caller = {"aws:PrincipalAccount": stack.account, "aws:PrincipalIsAWSService": "false"}
            for action in S3_VECTORS_ACTIONS:
                yield Need("identity", stack.name, role, Request(action, index), KB_S3_VECTORS)
                request = Request(action, index, caller)
                yield Need("vector-bucket", stack.name, role, request, KB_S3_VECTORS, target=bucket)
        rds = storage.get("RdsConfiguration")
        if rds:
            cluster = rds["ResourceArn"]
            for action in (
                "rds:DescribeDBClusters",
                "rds-data:BatchExecuteStatement",
                "rds-data:ExecuteStatement",
            ):
                yield Need("identity", stack.name, role, Request(action, cluster), KB_AURORA)
            secret = rds["CredentialsSecretArn"]
            yield Need(
                "identity", stack.name, role, Request("secretsmanager:GetSecretValue", secret), KB_SECRET
            )
        serverless = storage.get("OpensearchServerlessConfiguration")
        if serverless:
            collection = serverless["CollectionArn"]
            yield Need("identity", stack.name, role, Request("aoss:APIAccessAll", collection), KB_AOSS)
            name = _collection_name(assembly, collection)
            if name is not None:
                yield Need(
                    "data-access",
                    stack.name,
                    role,
                    Request("aoss:index", f"index/{name}/{serverless['VectorIndexName']}"),
                    KB_DATA_ACCESS,
                    target=name,
                    permissions=("aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"),
                )
        kb_id = assembly.get_att(stack, logical_id, "KnowledgeBaseId")
        for source_stack, _, source in assembly.resources():
            if source["Type"] != "AWS::Bedrock::DataSource":
                continue
            source_properties = assembly.resolve(source_stack.name, source["Properties"])
            if source_properties["KnowledgeBaseId"] != kb_id:
                continue
            yield from _data_source_needs(assembly, stack, role, source_properties)
            configuration = source_properties["DataSourceConfiguration"]
            s3 = configuration.get("S3Configuration")
            connector = configuration.get("ManagedKnowledgeBaseConnectorConfiguration", {}).get(
                "ConnectorParameters", {}
            )
            if connector.get("type") == "S3":
                # A managed knowledge base's S3 connector (user guide, managed knowledge bases,
                # "Permissions to access your Amazon S3 data source": the same statements).
                connection = connector["connectionConfiguration"]
                prefixes = connector.get("filterConfiguration", {}).get("inclusionPrefixes")
                s3 = {
                    "BucketArn": f"arn:aws:s3:::{connection['bucketName']}",
                    "BucketOwnerAccountId": connection.get("bucketOwnerAccountId", stack.account),
                    "InclusionPrefixes": prefixes,
                }
            if s3 is None:
                continue
            bucket = s3["BucketArn"].removeprefix("arn:aws:s3:::")
            owner = s3.get("BucketOwnerAccountId", stack.account)
            for prefix in s3.get("InclusionPrefixes") or [""]:
                yield from _s3_reads(stack, role, bucket, prefix, KB_S3, owner)
            key = _bucket_key(assembly, bucket)
            if key is not None:
                yield Need(
                    "identity",
                    stack.name,
                    role,
                    Request("kms:Decrypt", key, {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}),
                    KB_S3_KMS,
                )


KB_CONNECTOR_SECRET = (
    "Bedrock user guide, 'Permissions to access your data sources' (Confluence, SharePoint, Salesforce): "
    "secretsmanager:GetSecretValue on the connector's secret, and PutSecretValue for Confluence with "
    "OAuth 2.0, whose refreshed tokens the service writes back"
)
KB_PARSING_MODEL = (
    "Bedrock user guide, 'Parsing options for your data source' and 'Prerequisites for inference profiles': "
    "the knowledge base invokes the parsing model with its role, through a profile the profile and the model "
    "in each Region it routes to"
)
KB_DATA_AUTOMATION = (
    "Bedrock user guide, 'Permissions for multimodal content' (Bedrock Data Automation): "
    "InvokeDataAutomationAsync on the public RAG project and a data automation profile, "
    "GetDataAutomationStatus on its invocations"
)
KB_TRANSFORMATION = (
    "Bedrock user guide, 'Use a custom transformation Lambda function': the knowledge base invokes the "
    "function and exchanges the batches through the intermediate S3 location, with its role"
)
KB_MULTIMODAL_STORAGE = (
    "Bedrock user guide, 'Prerequisites for multimodal knowledge bases' (multimodal storage permissions): "
    "the role reads and writes the extracted images in the supplemental storage bucket"
)
US_DATA_AUTOMATION_REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2")
CONNECTOR_CONFIGURATIONS = ("ConfluenceConfiguration", "SharePointConfiguration", "SalesforceConfiguration")


def _data_source_needs(
    assembly: Assembly, stack: Stack, role: str, properties: Mapping[str, Any]
) -> Iterator[Need]:
    """What a data source's kind, parsing and custom transformation need of its knowledge base's role."""
    configuration = properties["DataSourceConfiguration"]
    for kind in CONNECTOR_CONFIGURATIONS:
        if kind in configuration:
            source = configuration[kind]["SourceConfiguration"]
            secret = source["CredentialsSecretArn"]
            actions = ["secretsmanager:GetSecretValue"]
            if kind == "ConfluenceConfiguration" and source["AuthType"] == "OAUTH2_CLIENT_CREDENTIALS":
                actions.append("secretsmanager:PutSecretValue")
            for action in actions:
                yield Need("identity", stack.name, role, Request(action, secret), KB_CONNECTOR_SECRET)
    managed = configuration.get("ManagedKnowledgeBaseConnectorConfiguration", {}).get(
        "ConnectorParameters", {}
    )
    secret = managed.get("connectionConfiguration", {}).get("secretArn")
    if secret:
        # User guide, managed knowledge bases, "Permissions to access your ... data source".
        request = Request("secretsmanager:GetSecretValue", secret)
        yield Need("identity", stack.name, role, request, KB_MANAGED_CONNECTOR_SECRET)
    certificate = managed.get("connectionConfiguration", {}).get("certificateS3Path")
    if certificate:
        # "Set up Microsoft Entra ID App-Only authentication for SharePoint", Step 8.
        bucket, key = certificate["s3BucketName"], certificate["s3KeyName"]
        own = {"aws:ResourceAccount": stack.account}
        for request in (
            Request("s3:ListBucket", f"arn:aws:s3:::{bucket}", {**own, "s3:prefix": key}),
            Request("s3:GetObject", f"arn:aws:s3:::{bucket}/{key}", own),
            Request("s3:GetObject", f"arn:aws:s3:::{bucket}/{key}.metadata.json", own),
        ):
            yield Need("identity", stack.name, role, request, KB_MANAGED_CERTIFICATE)
    ingestion = properties.get("VectorIngestionConfiguration", {})
    parsing = ingestion.get("ParsingConfiguration")
    if parsing and parsing["ParsingStrategy"] == "BEDROCK_FOUNDATION_MODEL":
        arn = parsing["BedrockFoundationModelConfiguration"]["ModelArn"]
        identifier = arn.rpartition("/")[2]
        for model in _model_arns(identifier, stack):
            yield Need("identity", stack.name, role, Request("bedrock:InvokeModel", model), KB_PARSING_MODEL)
    if parsing and parsing["ParsingStrategy"] == "BEDROCK_DATA_AUTOMATION":
        where = f"arn:aws:bedrock:{stack.region}"
        requests = [
            Request(
                "bedrock:InvokeDataAutomationAsync", f"{where}:aws:data-automation-project/public-rag-default"
            ),
            Request(
                "bedrock:GetDataAutomationStatus",
                f"{where}:{stack.account}:data-automation-invocation/abc123",
            ),
        ]
        # AWS's sample knowledge base role (amazon-bedrock-samples, kb_role_stack.py) allows the US
        # Data Automation profile in each US Region it routes to.
        regions = US_DATA_AUTOMATION_REGIONS if stack.region.startswith("us-") else (stack.region,)
        requests += [
            Request(
                "bedrock:InvokeDataAutomationAsync",
                f"arn:aws:bedrock:{region}:{stack.account}:data-automation-profile/us.data-automation-v1",
            )
            for region in regions
        ]
        for request in requests:
            yield Need("identity", stack.name, role, request, KB_DATA_AUTOMATION)
    transformation = ingestion.get("CustomTransformationConfiguration")
    if transformation:
        for step in transformation["Transformations"]:
            function = step["TransformationFunction"]["TransformationLambdaConfiguration"]["LambdaArn"]
            yield Need(
                "identity", stack.name, role, Request("lambda:InvokeFunction", function), KB_TRANSFORMATION
            )
        uri = transformation["IntermediateStorage"]["S3Location"]["URI"]
        bucket = uri.removeprefix("s3://").split("/", 1)[0]
        for request in (
            Request("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
            Request("s3:GetObject", f"arn:aws:s3:::{bucket}/batch/input.json"),
            Request("s3:PutObject", f"arn:aws:s3:::{bucket}/batch/output.json"),
        ):
            yield Need("identity", stack.name, role, request, KB_TRANSFORMATION)
        yield from _key_needs(assembly, stack, role, bucket, WRITE_KMS)


KB_MANAGED_CONNECTOR_SECRET = (
    "Bedrock user guide, 'Create a service role for managed Amazon Bedrock Knowledge Bases' > 'Permissions "
    "to access your Web Crawler / Microsoft SharePoint data source' (secretsmanager:GetSecretValue on the "
    "sign-in secret)"
)
KB_MANAGED_CERTIFICATE = (
    "Bedrock user guide, 'Create a service role for managed Amazon Bedrock Knowledge Bases' > 'Permissions "
    "to access your Microsoft SharePoint data source' and 'Set up Microsoft Entra ID App-Only authentication "
    "for SharePoint', Step 8 (s3:ListBucket on the bucket, s3:GetObject on the certificate and its "
    "optional .metadata.json)"
)
KB_NATIVE_MULTIMODAL = (
    "Bedrock user guide, 'Create a service role for managed Amazon Bedrock Knowledge Bases' > 'Permissions "
    "to access Amazon Bedrock models' (TwelveLabs Marengo Embed 3.0, invoked synchronously for queries, "
    "through the inference profile where the knowledge base names one, and asynchronously to ingest: "
    "InvokeModel on the model, the profile and async-invoke/*, GetAsyncInvoke on async-invoke/*)"
)
KB_MANAGED_MULTIMODAL_STORAGE = (
    "Bedrock user guide, 'Create a service role for managed Amazon Bedrock Knowledge Bases' > 'Permissions "
    "for your multimodal storage destination' (ListBucket, GetObject, PutObject, DeleteObject)"
)


def _embedding_model_needs(stack: Stack, role: str, model_arn: str) -> Iterator[Need]:
    """The knowledge base invokes what it names: the model, or a system profile and the model in each
    Region the profile routes to. A native multimodal model is also invoked asynchronously, on demand
    in the knowledge base's Region, and the invocations are read back."""
    resource = model_arn.rpartition("/")[2]
    if ":inference-profile/" in model_arn:
        models = _model_arns(resource, stack)
        section = KB_NATIVE_MULTIMODAL
    else:
        models = [model_arn]
        section = KB_MODELS
    if not knowledge_base_spec.is_native_multimodal(resource):
        for arn in models:
            yield Need("identity", stack.name, role, Request("bedrock:InvokeModel", arn), section)
        return
    base = resource.split(".", 1)[1] if ":inference-profile/" in model_arn else resource
    on_demand = f"arn:aws:bedrock:{stack.region}::foundation-model/{base}"
    invocation = f"arn:aws:bedrock:{stack.region}:{stack.account}:async-invoke/a1b2c3d4e5f6"
    for request in (
        *(Request("bedrock:InvokeModel", arn) for arn in dict.fromkeys([*models, on_demand])),
        Request("bedrock:InvokeModel", invocation),
        Request("bedrock:GetAsyncInvoke", invocation),
    ):
        yield Need("identity", stack.name, role, request, KB_NATIVE_MULTIMODAL)


def _multimodal_storage_needs(
    assembly: Assembly, stack: Stack, role: str, vector: Mapping[str, Any], *, delete: bool = False
) -> Iterator[Need]:
    storage = vector.get("SupplementalDataStorageConfiguration")
    if not storage:
        return
    section = KB_MANAGED_MULTIMODAL_STORAGE if delete else KB_MULTIMODAL_STORAGE
    for location in storage["SupplementalDataStorageLocations"]:
        bucket = location["S3Location"]["URI"].removeprefix("s3://").split("/", 1)[0]
        objects = ("s3:GetObject", "s3:PutObject", *(("s3:DeleteObject",) if delete else ()))
        for request in (
            Request("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
            *(Request(action, f"arn:aws:s3:::{bucket}/aws/bedrock/image.png") for action in objects),
        ):
            yield Need("identity", stack.name, role, request, section)
        yield from _key_needs(assembly, stack, role, bucket, WRITE_KMS)


def _key_needs(
    assembly: Assembly, stack: Stack, role: str, bucket: str, actions: tuple[str, ...]
) -> Iterator[Need]:
    """What reading or writing objects of ``bucket`` needs on its key, when the assembly creates the
    bucket with one (the toolkit's stack key, or a key of the config)."""
    key = _bucket_key(assembly, bucket)
    if key is None:
        return
    via = {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}
    for action in actions:
        yield Need("identity", stack.name, role, Request(action, key, via), S3_KMS)


def _collection_name(assembly: Assembly, collection_arn: str) -> str | None:
    for stack, logical_id, resource in assembly.resources():
        if (
            resource["Type"] == "AWS::OpenSearchServerless::Collection"
            and assembly.get_att(stack, logical_id, "Arn") == collection_arn
        ):
            return str(assembly.resolve(stack.name, resource["Properties"]["Name"]))
    return None


def _bucket_key(assembly: Assembly, bucket: str) -> str | None:
    """The customer managed key of a bucket the assembly creates, if it has one."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] == "AWS::S3::Bucket" and assembly.ref(stack, logical_id) == bucket:
            encryption = assembly.resolve(stack.name, resource["Properties"].get("BucketEncryption", {}))
            for rule in encryption.get("ServerSideEncryptionConfiguration", []):
                default = rule.get("ServerSideEncryptionByDefault", {})
                if default.get("SSEAlgorithm") == "aws:kms" and default.get("KMSMasterKeyID"):
                    key = str(default["KMSMasterKeyID"])
                    return key if key.startswith("arn:") else None
    return None


def _strings_at(value: Any, key: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for name, item in value.items():
            if name == key and isinstance(item, str):
                yield item
            else:
                yield from _strings_at(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_at(item, key)


def _jobs(
    assembly: Assembly, resource_type: str, section: str
) -> Iterator[tuple[Stack, dict[str, Any], str, Need]]:
    """Each job of a type: its stack, its create request, its role, and the role's trust need
    (Bedrock assumes it for this job: ``aws:SourceAccount``, ``aws:SourceArn`` the job's ARN)."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != resource_type:
            continue
        request = assembly.resolve(stack.name, resource["Properties"])["Request"]
        role = request["roleArn"]
        trust = {"aws:SourceAccount": stack.account, "aws:SourceArn": assembly.ref(stack, logical_id)}
        yield (
            stack,
            request,
            role,
            Need("trust", stack.name, role, Request("sts:AssumeRole", role, trust), section),
        )


def evaluation_needs(assembly: Assembly) -> Iterator[Need]:
    """What an evaluation job's role must allow (the guide's evaluation service role)."""
    profiles = application_profiles(assembly)
    for stack, request, role, trust in _jobs(assembly, "Custom::BedrockEvaluationJob", EVAL_TRUST):
        yield trust
        models = [*_strings_at(request, "modelIdentifier"), *_strings_at(request, "modelArn")]
        for model in dict.fromkeys(models):
            for arn in _model_arns(model, stack, profiles):
                for action in (
                    "bedrock:InvokeModel",
                    "bedrock:InvokeModelWithResponseStream",
                    "bedrock:CreateModelInvocationJob",
                    "bedrock:StopModelInvocationJob",
                ):
                    yield Need("identity", stack.name, role, Request(action, arn), EVAL_MODELS)
        for uri in _strings_at(request.get("evaluationConfig", {}), "s3Uri"):
            bucket, key = _s3_uri(uri)
            yield from _s3_reads(stack, role, bucket, key, EVAL_S3, stack.account)
            yield from _key_needs(assembly, stack, role, bucket, READ_KMS)
        yield from _output_needs(stack, role, request["outputDataConfig"]["s3Uri"], EVAL_S3)
        output_bucket, _ = _s3_uri(request["outputDataConfig"]["s3Uri"])
        yield from _key_needs(assembly, stack, role, output_bucket, WRITE_KMS)
        for kb_id in dict.fromkeys(_strings_at(request.get("inferenceConfig", {}), "knowledgeBaseId")):
            kb = f"arn:aws:bedrock:{stack.region}:{stack.account}:knowledge-base/{kb_id}"
            yield Need("identity", stack.name, role, Request("bedrock:Retrieve", kb), RAG)
        if "retrieveAndGenerateConfig" in json.dumps(request):
            yield Need("identity", stack.name, role, Request("bedrock:RetrieveAndGenerate", "*"), RAG)
        key = request.get("customerEncryptionKeyId")
        if key:
            via = {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}
            for action in ("kms:Decrypt", "kms:GenerateDataKey"):
                yield Need("identity", stack.name, role, Request(action, key, via), EVAL_KMS)
            yield Need("identity", stack.name, role, Request("kms:DescribeKey", key), EVAL_KMS)


def _output_needs(stack: Stack, role: str, uri: str, section: str) -> Iterator[Need]:
    bucket, prefix = _s3_uri(uri)
    context = {"aws:ResourceAccount": stack.account}
    for action in ("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"):
        yield Need(
            "identity",
            stack.name,
            role,
            Request(action, f"arn:aws:s3:::{bucket}/{prefix}out.jsonl", context),
            section,
        )
    yield Need(
        "identity",
        stack.name,
        role,
        Request("s3:ListBucket", f"arn:aws:s3:::{bucket}", {**context, "s3:prefix": prefix}),
        section,
    )
    for action in ("s3:GetBucketLocation", "s3:ListBucketMultipartUploads"):
        yield Need("identity", stack.name, role, Request(action, f"arn:aws:s3:::{bucket}", context), section)


def batch_needs(assembly: Assembly) -> Iterator[Need]:
    """What a batch inference job's role must allow (the guide's batch inference permissions)."""
    profiles = application_profiles(assembly)
    for stack, request, role, trust in _jobs(assembly, "Custom::BedrockBatchInferenceJob", BATCH):
        yield trust
        bucket, key = _s3_uri(request["inputDataConfig"]["s3InputDataConfig"]["s3Uri"])
        yield from _s3_reads(stack, role, bucket, key, BATCH, stack.account)
        yield from _key_needs(assembly, stack, role, bucket, READ_KMS)
        output = request["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
        bucket, prefix = _s3_uri(output)
        yield from _key_needs(assembly, stack, role, bucket, WRITE_KMS)
        context = {"aws:ResourceAccount": stack.account}
        yield Need(
            "identity",
            stack.name,
            role,
            Request("s3:PutObject", f"arn:aws:s3:::{bucket}/{prefix}x.jsonl.out", context),
            BATCH,
        )
        yield Need(
            "identity",
            stack.name,
            role,
            Request("s3:ListBucket", f"arn:aws:s3:::{bucket}", {**context, "s3:prefix": prefix}),
            BATCH,
        )
        for arn in _model_arns(request["modelId"], stack, profiles):
            yield Need("identity", stack.name, role, Request("bedrock:InvokeModel", arn), BATCH)


def logging_needs(assembly: Assembly) -> Iterator[Need]:
    """What invocation logging's delivery role and log bucket policy must allow."""
    for stack, _, resource in assembly.resources():
        if resource["Type"] != "Custom::BedrockInvocationLogging":
            continue
        config = assembly.resolve(stack.name, resource["Properties"])["LoggingConfig"]
        source = {
            "aws:SourceAccount": stack.account,
            "aws:SourceArn": f"arn:aws:bedrock:{stack.region}:{stack.account}:*",
        }
        cloudwatch = config.get("cloudWatchConfig")
        if cloudwatch:
            role = cloudwatch["roleArn"]
            yield Need("trust", stack.name, role, Request("sts:AssumeRole", role, source), LOGGING_CW)
            stream = (
                f"arn:aws:logs:{stack.region}:{stack.account}:log-group:{cloudwatch['logGroupName']}"
                ":log-stream:aws/bedrock/modelinvocations"
            )
            for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
                yield Need("identity", stack.name, role, Request(action, stream), LOGGING_CW)
        destinations = [config.get("s3Config"), (cloudwatch or {}).get("largeDataDeliveryS3Config")]
        for destination in filter(None, destinations):
            bucket = destination["bucketName"]
            prefix = destination.get("keyPrefix", "")
            key = f"{prefix}/" if prefix else ""
            obj = f"arn:aws:s3:::{bucket}/{key}AWSLogs/{stack.account}/BedrockModelInvocationLogs/log.json.gz"
            yield Need(
                "bucket", stack.name, BEDROCK, Request("s3:PutObject", obj, source), LOGGING_S3, target=bucket
            )
            key_arn = _bucket_key(assembly, bucket)
            if key_arn is not None and _created_key(assembly, key_arn) is not None:
                # A key the assembly creates: its policy is the toolkit's to write (an imported
                # key's is its owner's, and the README says what to add).
                request = Request("kms:GenerateDataKey", key_arn, source)
                yield Need("key", stack.name, BEDROCK, request, LOGGING_S3_KMS, target=key_arn)


NEEDS = (knowledge_base_needs, evaluation_needs, batch_needs, logging_needs)


def _role(assembly: Assembly, stack: str, role_arn: str) -> dict[str, Any] | None:
    found = assembly.stacks[stack]
    for logical_id, resource in found.resources.items():
        if resource["Type"] == "AWS::IAM::Role" and assembly.get_att(found, logical_id, "Arn") == role_arn:
            return resource
    return None


def _principal_is(statement: Mapping[str, Any], service: str) -> bool:
    principal = statement.get("Principal", {})
    return isinstance(principal, Mapping) and service in as_list(principal.get("Service"))


def _service_statements(statements: list[dict[str, Any]], service: str) -> list[dict[str, Any]]:
    return [
        statement
        for statement in statements
        if _principal_is(statement, service) or statement.get("Effect") == "Deny"
    ]


def _created_key(assembly: Assembly, key_arn: str) -> tuple[Stack, dict[str, Any]] | None:
    """The AWS::KMS::Key of the assembly whose ARN is ``key_arn``, with its stack."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] == "AWS::KMS::Key" and assembly.get_att(stack, logical_id, "Arn") == key_arn:
            return stack, resource
    return None


def allowed(assembly: Assembly, need: Need) -> bool:
    """Whether the synthesized policies allow the need."""
    if need.kind == "vector-bucket":
        # Not denied by the bucket's policy (identity policies allow it: the need beside it).
        for stack, _, resource in assembly.resources():
            if resource["Type"] != "AWS::S3Vectors::VectorBucketPolicy":
                continue
            properties = assembly.resolve(stack.name, resource["Properties"])
            if properties.get("VectorBucketArn") != need.target:
                continue
            denies = [s for s in as_list(properties["Policy"]["Statement"]) if s.get("Effect") == "Deny"]
            if any(statement_applies(statement, need.request) for statement in denies):
                return False
        return True
    if need.kind == "key":
        created = _created_key(assembly, need.target)
        if created is None:
            return False
        stack, key = created
        document = assembly.resolve(stack.name, key["Properties"]["KeyPolicy"])
        return decide(_service_statements(as_list(document["Statement"]), need.principal), need.request)
    if need.kind == "identity":
        return decide(role_statements(assembly, need.stack, need.principal), need.request)
    if need.kind == "trust":
        role = _role(assembly, need.stack, need.principal)
        if role is None:
            return False
        document = assembly.resolve(need.stack, role["Properties"]["AssumeRolePolicyDocument"])
        return decide(_service_statements(as_list(document["Statement"]), BEDROCK), need.request)
    if need.kind == "bucket":
        for stack, _, resource in assembly.resources():
            if resource["Type"] != "AWS::S3::BucketPolicy":
                continue
            if assembly.resolve(stack.name, resource["Properties"]["Bucket"]) != need.target:
                continue
            document = assembly.resolve(stack.name, resource["Properties"]["PolicyDocument"])
            return decide(_service_statements(as_list(document["Statement"]), need.principal), need.request)
        return False
    if need.kind == "data-access":
        granted: set[str] = set()
        for stack, _, resource in assembly.resources():
            if resource["Type"] != "AWS::OpenSearchServerless::AccessPolicy":
                continue
            for policy in json.loads(assembly.resolve_string(stack.name, resource["Properties"]["Policy"])):
                if need.principal not in policy.get("Principal", []):
                    continue
                for rule in policy["Rules"]:
                    if rule["ResourceType"] == "index" and any(
                        statement_applies({"Action": "*", "Resource": pattern}, need.request)
                        for pattern in rule["Resource"]
                    ):
                        granted.update(rule["Permission"])
        return set(need.permissions) <= granted or "aoss:*" in granted
    raise ValueError(need.kind)


@pytest.mark.parametrize("name", ASSEMBLIES)
def test_every_service_role_holds_what_the_user_guide_requires(
    name: str, assemblies: dict[str, Assembly]
) -> None:
    assembly = assemblies[name]
    missing = sorted(
        {
            f"{need.kind} {need.principal}: {need.request.describe()}\n    required by: {need.section}"
            for needs in NEEDS
            for need in needs(assembly)
            if not allowed(assembly, need)
        }
    )
    assert not missing, f"{len(missing)} requirements of the user guide are not allowed:\n" + "\n".join(
        missing
    )


def test_the_tables_cover_every_role_bedrock_assumes(assemblies: dict[str, Assembly]) -> None:
    """Every role trusted by bedrock.amazonaws.com in any assembly is one the tables check."""
    checked = {
        (need.stack, need.principal)
        for assembly in assemblies.values()
        for needs in NEEDS
        for need in needs(assembly)
        if need.kind == "trust"
    }
    unchecked = []
    for name, assembly in assemblies.items():
        for stack, logical_id, resource in assembly.resources():
            if resource["Type"] != "AWS::IAM::Role":
                continue
            document = assembly.resolve(stack.name, resource["Properties"]["AssumeRolePolicyDocument"])
            trusted = any(_principal_is(statement, BEDROCK) for statement in as_list(document["Statement"]))
            if trusted and (stack.name, assembly.get_att(stack, logical_id, "Arn")) not in checked:
                unchecked.append(f"{name}: {stack.name}/{logical_id}")
    assert not unchecked, "roles Bedrock assumes that no table of the user guide checks: " + ", ".join(
        unchecked
    )


def test_a_missing_requirement_is_reported(assemblies: dict[str, Assembly]) -> None:
    """The check itself: a knowledge base role without its embedding model grant is found."""
    assembly = assemblies["config/dev"]
    needs = [need for need in knowledge_base_needs(assembly) if need.request.action == "bedrock:InvokeModel"]
    assert needs and all(allowed(assembly, need) for need in needs)
    other = Need(
        "identity",
        needs[0].stack,
        needs[0].principal,
        Request("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/some.other-model"),
        KB_MODELS,
    )
    assert not allowed(assembly, other)


def test_bedrock_may_encrypt_invocation_logs_with_a_key_the_stack_creates(
    assemblies: dict[str, Assembly],
) -> None:
    """prod's log bucket is encrypted with its stack's key: the key policy lets Bedrock generate data
    keys for this account's logging only (the check itself: another account is refused)."""
    prod = assemblies["config/prod"]
    needs = [need for need in logging_needs(prod) if need.kind == "key"]
    assert needs and all(allowed(prod, need) for need in needs)  # text and large data, one bucket
    need = needs[0]
    other = {**need.request.context, "aws:SourceAccount": "999999999999"}
    foreign = Need(
        "key",
        need.stack,
        BEDROCK,
        Request(need.request.action, need.request.resource, other),
        need.section,
        target=need.target,
    )
    assert not allowed(prod, foreign)


def test_a_vector_bucket_admits_its_knowledge_bases_and_no_other_account(
    assemblies: dict[str, Assembly],
) -> None:
    """dev's vector bucket policy denies nothing its knowledge base role does, and denies the same
    requests from another account (the check itself)."""
    dev = assemblies["config/dev"]
    needs = [need for need in knowledge_base_needs(dev) if need.kind == "vector-bucket"]
    assert needs and all(allowed(dev, need) for need in needs)
    need = needs[0]
    foreign = {**need.request.context, "aws:PrincipalAccount": "999999999999"}
    other = Need(
        "vector-bucket",
        need.stack,
        need.principal,
        Request(need.request.action, need.request.resource, foreign),
        need.section,
        target=need.target,
    )
    assert not allowed(dev, other)


def test_each_kind_of_data_source_need_is_checked_and_another_secret_is_refused(
    assemblies: dict[str, Assembly],
) -> None:
    """Issue 22: the shipped configs, starters and the proof's sources config hold a connector secret
    (one written back), a parsing model, Data Automation, a custom transformation and a multimodal
    storage, so the test above checks each; and a role's grant on one secret does not pass for another."""
    needs = [need for assembly in assemblies.values() for need in knowledge_base_needs(assembly)]
    sections = {need.section for need in needs}
    assert {
        KB_CONNECTOR_SECRET,
        KB_PARSING_MODEL,
        KB_DATA_AUTOMATION,
        KB_TRANSFORMATION,
        KB_MULTIMODAL_STORAGE,
    } <= sections
    sources = assemblies["proof/sources"]
    written = [
        need
        for need in knowledge_base_needs(sources)
        if need.request.action == "secretsmanager:PutSecretValue"
    ]
    assert len(written) == 1
    need = written[0]
    other = Request("secretsmanager:GetSecretValue", need.request.resource.replace("confluence", "other"))
    statements = role_statements(sources, need.stack, need.principal)
    assert decide(statements, need.request)
    assert not decide(statements, other)


def test_a_managed_knowledge_bases_s3_connector_is_checked_like_an_s3_source(
    assemblies: dict[str, Assembly],
) -> None:
    """Issue 21: dev's handbook is a managed knowledge base whose S3 source is a managed connector;
    the role's reads of its bucket are checked, and another bucket's are refused."""
    dev = assemblies["config/dev"]
    needs = [
        need
        for need in knowledge_base_needs(dev)
        if need.section == KB_S3 and "handbook" in need.request.resource
    ]
    assert {need.request.action for need in needs} == {"s3:GetObject", "s3:ListBucket"}
    need = next(n for n in needs if n.request.action == "s3:GetObject")
    statements = role_statements(dev, need.stack, need.principal)
    assert decide(statements, need.request)
    other = Request(
        need.request.action, need.request.resource.replace("handbook/", "private/"), need.request.context
    )
    assert not decide(statements, other)


@pytest.mark.parametrize(
    ("assembly_name", "profile"), [("config/dev", False), ("proof/native-multimodal", True)]
)
def test_a_native_multimodal_knowledge_base_reaches_its_model_both_ways(
    assemblies: dict[str, Assembly], assembly_name: str, profile: bool
) -> None:
    """Issue 22, native multimodal processing: a knowledge base embedding with TwelveLabs Marengo
    invokes it synchronously (through the eu. profile in eu-west-1, the guide's "specify an inference
    profile") and asynchronously on demand, and reads its invocations back; the proof asks for each,
    the role allows them, and neither another account's invocations nor another model."""
    assembly = assemblies[assembly_name]
    needs = [need for need in knowledge_base_needs(assembly) if need.section == KB_NATIVE_MULTIMODAL]
    actions = {(need.request.action, need.request.resource.split(":")[5].split("/")[0]) for need in needs}
    expected = {
        ("bedrock:InvokeModel", "foundation-model"),
        ("bedrock:InvokeModel", "async-invoke"),
        ("bedrock:GetAsyncInvoke", "async-invoke"),
    }
    assert actions == expected | ({("bedrock:InvokeModel", "inference-profile")} if profile else set())
    assert all(allowed(assembly, need) for need in needs)
    need = next(n for n in needs if n.request.action == "bedrock:GetAsyncInvoke")
    statements = role_statements(assembly, need.stack, need.principal)
    elsewhere = need.request.resource.replace(":111111111111:", ":999999999999:")
    assert not decide(statements, Request("bedrock:GetAsyncInvoke", elsewhere))
    model = next(n for n in needs if "foundation-model" in n.request.resource).request.resource
    other = model.replace("twelvelabs.marengo-embed-3-0-v1:0", "twelvelabs.pegasus-1-2-v1:0")
    assert not decide(statements, Request("bedrock:InvokeModel", other))
    storage = {
        need.request.action
        for need in knowledge_base_needs(assembly)
        if need.section == KB_MANAGED_MULTIMODAL_STORAGE and need.principal == need_principal(needs)
    }
    assert storage == {"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}


def need_principal(needs: list[Need]) -> str:
    (principal,) = {need.principal for need in needs}
    return principal


def test_a_managed_web_crawler_reads_exactly_its_sign_in_secret(assemblies: dict[str, Assembly]) -> None:
    """Issue 22, the managed web crawler connector: a crawler that signs in (form, in the proof's
    managed-web config) reads its secret with the knowledge base's role; another secret is refused,
    and dev's crawler of a public site needs none."""
    assembly = assemblies["proof/managed-web"]
    need = next(
        n
        for n in knowledge_base_needs(assembly)
        if n.section == KB_MANAGED_CONNECTOR_SECRET and "intranet" in n.request.resource
    )
    assert need.request.resource.endswith(":secret:bedrock/intranet-Qw3rTy")
    assert allowed(assembly, need)
    statements = role_statements(assembly, need.stack, need.principal)
    other = need.request.resource.replace("intranet-Qw3rTy", "payroll-Qw3rTy")
    assert not decide(statements, Request(need.request.action, other))
    dev = assemblies["config/dev"]
    assert not [n for n in knowledge_base_needs(dev) if n.section == KB_MANAGED_CONNECTOR_SECRET]


def test_a_managed_sharepoint_connector_reads_its_certificate_and_secret(
    assemblies: dict[str, Assembly],
) -> None:
    """Issue 22, the managed SharePoint connector with Microsoft Entra ID App-Only: the role reads its
    secret, lists the certificate's bucket and reads exactly the certificate and its metadata file (user
    guide, "Set up Microsoft Entra ID App-Only authentication for SharePoint", Step 8); another object
    of the bucket is refused."""
    assembly = assemblies["proof/managed-web"]
    needs = [
        n
        for n in knowledge_base_needs(assembly)
        if n.section == KB_MANAGED_CERTIFICATE
        or (n.section == KB_MANAGED_CONNECTOR_SECRET and "sharepoint" in n.request.resource)
    ]
    assert {(n.request.action, n.request.resource) for n in needs} == {
        ("s3:ListBucket", "arn:aws:s3:::acme-connector-certs"),
        ("s3:GetObject", "arn:aws:s3:::acme-connector-certs/sharepoint/bedrock.p12"),
        ("s3:GetObject", "arn:aws:s3:::acme-connector-certs/sharepoint/bedrock.p12.metadata.json"),
        (
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:bedrock/sharepoint-Zx8cVb",
        ),
    }
    assert all(allowed(assembly, n) for n in needs)
    statements = role_statements(assembly, needs[0].stack, needs[0].principal)
    assert not decide(statements, Request("s3:GetObject", "arn:aws:s3:::acme-connector-certs/other.p12"))
