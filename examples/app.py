"""A plain CDK app (no YAML) built from bedrock-platform's constructs.

Five stacks, each deployable on its own:

- ``ExampleRag``: a knowledge base on an OpenSearch Serverless collection that already exists,
  its S3 data source, a guardrail with a published version, and the application's IAM role,
  allowed to query the knowledge base and apply the guardrail (and nothing else);
- ``ExampleVectorStore``: a new collection reachable only through a VPC endpoint, encrypted with
  a customer managed key, and a knowledge base on an Amazon S3 vector bucket;
- ``ExampleThroughput``: provisioned throughput (deploying it buys model units, billed by the hour);
- ``ExampleJobs``: a bucket for job data, an automated model evaluation, a RAG evaluation of the
  knowledge base of ``ExampleRag``, and a batch inference job;
- ``ExampleLogging``: model invocation logging of the account and Region, to S3 and CloudWatch Logs
  (its log group encrypted with a customer managed key of its own).

Synthesize from the repository root (cdk.json there carries the feature flags):
``cdk synth --app "python3 examples/app.py"``. The account, Region and the existing collection
are placeholders: put yours in ``ACCOUNT``, ``REGION`` and ``EXISTING_COLLECTION_*``. The code
between the ``--8<--`` markers is what docs/constructs.md shows (a test keeps the two the same).
"""

from __future__ import annotations

# --8<-- [start:imports]
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from bedrock_platform.constructs import (
    AccessLogsBucket,
    ApplicationInferenceProfile,
    BatchInferenceJob,
    Chunking,
    ContentFilter,
    DeniedTopic,
    DocumentBucket,
    EvaluationDataset,
    EvaluationJob,
    Guardrail,
    IKnowledgeBase,
    InvocationLogging,
    JobBucket,
    JobModel,
    KnowledgeBase,
    PiiEntity,
    ProvisionedThroughput,
    RegexFilter,
    S3DataSource,
    S3VectorIndex,
    S3VectorStore,
    VectorCollection,
    VectorIndex,
    acknowledge_role_policy,
    add_checks,
    foundation_model_arn,
    log_group_key,
)
from bedrock_platform.nag import BedrockChecks

# --8<-- [end:imports]

# --8<-- [start:settings]
ACCOUNT = "111111111111"
REGION = "us-east-1"
# An existing collection: its name and id (aws opensearchserverless list-collections).
EXISTING_COLLECTION_NAME = "shared-vectors"
EXISTING_COLLECTION_ID = "a1b2c3d4e5f6g7h8i9j0"
EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0"
ANSWER_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
JUDGE_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
# --8<-- [end:settings]


class RagStack(cdk.Stack):
    """A knowledge base on an existing collection, a guardrail, and the application role using both."""

    def __init__(self, scope: Construct, id: str, *, env: cdk.Environment) -> None:
        super().__init__(scope, id, env=env)
        # --8<-- [start:existing-collection]
        # An existing collection: grants on it go into a data access policy of this stack.
        collection = VectorCollection.from_collection_attributes(
            self,
            "SharedVectors",
            collection_name=EXISTING_COLLECTION_NAME,
            collection_id=EXISTING_COLLECTION_ID,
        )
        # The knowledge base's own index in it, created by CloudFormation (no Lambda, no Docker).
        index = VectorIndex(self, "Index", collection=collection, index_name="support-docs", dimensions=1024)
        knowledge_base = KnowledgeBase(
            self,
            "KnowledgeBase",
            knowledge_base_name="support-docs",
            vector_index=index,
            embedding_model_id=EMBEDDING_MODEL,
            description="Support articles for the assistant",
        )
        # --8<-- [end:existing-collection]

        # --8<-- [start:data-source]
        # A bucket for the documents (SSL only, encrypted, versioned, access-logged, retained).
        documents = DocumentBucket(self, "Documents", access_logs_bucket=AccessLogsBucket(self, "AccessLogs"))
        S3DataSource(
            self,
            "Articles",
            knowledge_base=knowledge_base,
            data_source_name="articles",
            bucket=documents,
            inclusion_prefixes=["articles/"],
            chunking=Chunking.fixed_size(max_tokens=300, overlap_percentage=20),
        )
        # --8<-- [end:data-source]

        # --8<-- [start:guardrail]
        # Its policies in CloudFormation spellings, as keyword arguments.
        guardrail = Guardrail(
            self,
            "Guardrail",
            guardrail_name="support-assistant",
            blocked_input_message="Sorry, I can't help with that.",
            blocked_output_message="Sorry, I can't answer that.",
            content_filters=(
                ContentFilter(type="HATE", input_strength="HIGH", output_strength="HIGH"),
                ContentFilter(type="INSULTS", input_strength="MEDIUM", output_strength="MEDIUM"),
                ContentFilter(type="PROMPT_ATTACK", input_strength="HIGH", output_strength="NONE"),
            ),
            denied_topics=(
                DeniedTopic(
                    name="investment-advice",
                    definition="Recommendations on which stocks, funds or other assets to buy or sell.",
                    examples=("Which stocks should I buy this year?",),
                ),
            ),
            pii_entities=(
                PiiEntity(type="EMAIL", input_action="ANONYMIZE", output_action="ANONYMIZE"),
                PiiEntity(type="US_SOCIAL_SECURITY_NUMBER", input_action="BLOCK", output_action="BLOCK"),
            ),
            regexes=(
                RegexFilter(
                    name="ticket-id",
                    pattern=r"TICKET-\d{6}",
                    input_action="NONE",
                    output_action="ANONYMIZE",
                ),
            ),
            grounding_threshold=0.75,
            relevance_threshold=0.75,
        )
        # Publish the current policy as version 1 (an immutable snapshot, retained on removal).
        # Append later versions after it; never remove or reorder one.
        version = guardrail.add_version("Initial release")
        # --8<-- [end:guardrail]

        # --8<-- [start:application-role]
        # The application's role: query this knowledge base, apply this guardrail (any of its
        # versions), and invoke the model that writes the answers (RetrieveAndGenerate needs it).
        application = iam.Role(self, "Application", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        knowledge_base.grant_retrieve(application)
        guardrail.grant_apply(application)
        application.add_to_policy(
            iam.PolicyStatement(
                actions=["bedrock:InvokeModel"], resources=[foundation_model_arn(self, ANSWER_MODEL)]
            )
        )
        acknowledge_role_policy(application)  # its grants are one policy CDK attaches to it alone
        # --8<-- [end:application-role]

        cdk.CfnOutput(self, "KnowledgeBaseId", value=knowledge_base.knowledge_base_id)
        cdk.CfnOutput(self, "GuardrailId", value=guardrail.guardrail_id)
        cdk.CfnOutput(self, "GuardrailVersion", value=version.version)
        cdk.CfnOutput(self, "ApplicationRoleArn", value=application.role_arn)
        self.knowledge_base = knowledge_base
        self.application = application


class VectorStoreStack(cdk.Stack):
    """A new collection, private to a VPC endpoint and encrypted with a customer managed key; and a
    knowledge base on an S3 vector bucket."""

    def __init__(self, scope: Construct, id: str, *, env: cdk.Environment) -> None:
        super().__init__(scope, id, env=env)
        # --8<-- [start:new-collection]
        key = kms.Key(self, "VectorKey", enable_key_rotation=True, description="Vector store encryption")
        collection = VectorCollection(
            self,
            "Vectors",
            collection_name="private-vectors",
            kms_key_arn=key.key_arn,
            vpc_endpoints=["vpce-0123456789abcdef0"],  # an OpenSearch Serverless VPC endpoint
            standby_replicas=True,
            deletion_protection=True,  # also retained when it leaves the stack
        )
        # People and tools that may read and write every index (named principals, never *).
        collection.grant_data_access(f"arn:aws:iam::{ACCOUNT}:role/search-operators")
        # --8<-- [end:new-collection]
        cdk.CfnOutput(self, "CollectionEndpoint", value=collection.collection_endpoint)

        # --8<-- [start:s3-vectors]
        # The cheapest store: an S3 vector bucket (SSE-S3 here), one index per knowledge base.
        vector_bucket = S3VectorStore(self, "VectorBucket", vector_bucket_name="example-vectors")
        index = S3VectorIndex(
            self,
            "HandbookIndex",
            store=vector_bucket,
            index_name="handbook",
            dimensions=1024,  # Titan Text Embeddings V2's largest
            distance_metric="cosine",
        )
        handbook = KnowledgeBase(
            self,
            "Handbook",
            knowledge_base_name="handbook",
            vector_index=index,  # its role may use this one index, nothing else in the bucket
            embedding_model_id=EMBEDDING_MODEL,
        )
        # --8<-- [end:s3-vectors]
        cdk.CfnOutput(self, "HandbookKnowledgeBaseId", value=handbook.knowledge_base_id)


class ThroughputStack(cdk.Stack):
    """Provisioned throughput, bought when deployed (billed per model unit and hour until deleted), and
    an application inference profile for a team."""

    def __init__(self, scope: Construct, id: str, *, env: cdk.Environment) -> None:
        super().__init__(scope, id, env=env)
        # --8<-- [start:throughput]
        throughput = ProvisionedThroughput(
            self,
            "Assistant",
            provisioned_model_name="assistant",
            model="amazon.nova-lite-v1:0:300k",  # base model id with its context variant
            model_units=1,
            # Default: by the hour. CommitmentDuration.ONE_MONTH or SIX_MONTHS buys a term: a lower
            # rate, billed for the whole term, and it cannot be deleted before the term ends.
            commitment=None,
        )
        # An application role created elsewhere: the grant is a policy of this stack attached to it.
        application = iam.Role.from_role_name(self, "Application", "support-assistant")
        throughput.grant_invoke(application)  # InvokeModel through the provisioned model ARN
        # One bought elsewhere, by its ARN:
        existing = ProvisionedThroughput.from_provisioned_model_arn(
            self, "Existing", f"arn:aws:bedrock:{REGION}:{ACCOUNT}:provisioned-model/abcdefghijkl"
        )
        existing.grant_invoke(application)
        # --8<-- [end:throughput]
        cdk.CfnOutput(self, "ProvisionedModelArn", value=throughput.arn)
        # --8<-- [start:inference-profile]
        # The support team's own handle on a model: Bedrock reports the spend of every call through
        # it by its tags (once they are cost allocation tags in Billing).
        support = ApplicationInferenceProfile(
            self,
            "Support",
            inference_profile_name="support-assistant",
            model_id="us.anthropic.claude-3-5-haiku-20241022-v1:0",  # a system cross-Region profile
            description="Support team assistant",
            tags={"team": "support", "cost-center": "4242"},
        )
        # InvokeModel on the profile, the system profile and the model in each Region it routes to:
        support.grant_invoke(application)
        # --8<-- [end:inference-profile]
        acknowledge_role_policy(application)  # the grants are one policy of this stack, for it alone
        cdk.CfnOutput(self, "InferenceProfileArn", value=support.inference_profile_arn)


class JobsStack(cdk.Stack):
    """An automated evaluation, a RAG evaluation and a batch inference job, with their bucket."""

    def __init__(
        self, scope: Construct, id: str, *, knowledge_base: IKnowledgeBase, env: cdk.Environment
    ) -> None:
        super().__init__(scope, id, env=env)
        # --8<-- [start:jobs]
        # Datasets, batch input and results, with the CORS rule the Bedrock console needs.
        bucket = JobBucket(self, "JobData", access_logs_bucket=AccessLogsBucket(self, "AccessLogs"))
        # Job data shipped beside this file: each job starts after its data is uploaded.
        data = Path(__file__).resolve().parent / "data"
        # Datasets and metrics use the API's names (Builtin.<Name>); the YAML path maps them for you.
        EvaluationJob(
            self,
            "Summarization",
            job_name_prefix="summarization-baseline",
            kind="automated",
            models=[JobModel.of(self, ANSWER_MODEL)],
            datasets=[
                EvaluationDataset(
                    name="Builtin.Gigaword",
                    task_type="Summarization",
                    metrics=("Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"),
                )
            ],
            bucket=bucket,
            output_prefix="evaluations/summarization-baseline/",
        )
        EvaluationJob(
            self,
            "Retrieval",
            job_name_prefix="support-docs-retrieval",
            kind="rag",
            knowledge_base=knowledge_base,
            rag_type="retrieve",
            evaluator_model=JobModel.of(self, JUDGE_MODEL),
            datasets=[
                EvaluationDataset(
                    name="support-questions",
                    task_type="General",
                    metrics=("Builtin.ContextRelevance", "Builtin.ContextCoverage"),
                    key="datasets/support-questions.jsonl",
                    source=str(data / "support-questions.jsonl"),  # uploaded to key by the deployment
                )
            ],
            bucket=bucket,
            output_prefix="evaluations/support-docs-retrieval/",
        )
        BatchInferenceJob(
            self,
            "TicketSummaries",
            job_name_prefix="ticket-summaries",
            model=JobModel.of(self, ANSWER_MODEL),
            bucket=bucket,
            input_key="batch/tickets/",
            input_source=str(data / "tickets"),  # 100 records (Bedrock's minimum), uploaded under it
            output_prefix="batch/ticket-summaries/",
            timeout_hours=72,
        )
        # --8<-- [end:jobs]


class LoggingStack(cdk.Stack):
    """Model invocation logging of the account and Region: one setting, so one stack declares it."""

    def __init__(self, scope: Construct, id: str, *, env: cdk.Environment) -> None:
        super().__init__(scope, id, env=env)
        # --8<-- [start:invocation-logging]
        logs_bucket = DocumentBucket(self, "Logs", access_logs_bucket=AccessLogsBucket(self, "AccessLogs"))
        # Prompts and responses rest here: a customer managed key of its own (rotated, retained).
        # A fixed name: retained, but not by the rollback of a failed first deploy (or its retry
        # would fail with "already exists").
        name = "/aws/bedrock/example/model-invocations"
        retain = cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        log_group = logs.LogGroup(
            self,
            "Invocations",
            log_group_name=name,
            retention=logs.RetentionDays.ONE_YEAR,
            encryption_key=log_group_key(
                self, "InvocationsKey", log_group_name=name, description=name, removal_policy=retain
            ),
            removal_policy=retain,
        )
        InvocationLogging(
            self,
            "InvocationLogging",
            bucket=logs_bucket,  # the construct adds the bucket policy Bedrock needs
            key_prefix="invocations/",
            log_group=log_group,  # and the role Bedrock writes to it with
            large_data_key_prefix="invocations/large-data/",  # payloads over 100 KB
            data=("text", "image"),
        )
        # --8<-- [end:invocation-logging]


# --8<-- [start:app]
def add_example_stacks(app: cdk.App) -> list[cdk.Stack]:
    """The five example stacks, checked by cdk-nag's AwsSolutions, NIST 800-53 and HIPAA packs and
    by the Bedrock rule pack."""
    add_checks(app)  # an unacknowledged finding of any of them fails synthesis
    cdk.Validations.of(app).add_plugins(BedrockChecks(app))  # and the Bedrock rule pack's
    env = cdk.Environment(account=ACCOUNT, region=REGION)
    rag = RagStack(app, "ExampleRag", env=env)
    return [
        rag,
        VectorStoreStack(app, "ExampleVectorStore", env=env),
        ThroughputStack(app, "ExampleThroughput", env=env),
        JobsStack(app, "ExampleJobs", knowledge_base=rag.knowledge_base, env=env),
        LoggingStack(app, "ExampleLogging", env=env),
    ]


if __name__ == "__main__":
    app = cdk.App()
    add_example_stacks(app)
    app.synth()
# --8<-- [end:app]
