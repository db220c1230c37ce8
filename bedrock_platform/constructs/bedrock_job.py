"""Amazon Bedrock evaluation jobs and batch inference jobs, as custom resources, with their roles.

CloudFormation has no type for either; the handler ``bedrock_platform/handlers/bedrock_job.py``
starts them through the ``bedrock`` API under the CDK Provider framework (one provider per
stack). Each job gets its own service role, trusted by Bedrock only for jobs of this account and
Region, allowed only its own datasets or input, its own output prefix, its own models (and
knowledge base) and its keys.

The job's AWS name is ``<job_name_prefix>-<6 hex>``: the handler hashes the request as deployed,
so a changed spec starts a new job (a replacement) and an unchanged spec never runs again.
Removing a job stops it if it still runs; its results stay in the bucket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.data_source import DocumentBucket
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.handler_provider import HandlerProvider
from bedrock_platform.constructs.job_data import JobData
from bedrock_platform.constructs.knowledge_base import IKnowledgeBase
from bedrock_platform.constructs.nag import (
    BEDROCK_PACK,
    EVALUATION_ROLE_BATCH,
    acknowledge,
    acknowledge_wildcard,
    skip_checkov,
)
from bedrock_platform.constructs.provisioned_throughput import IProvisionedThroughput
from bedrock_platform.constructs.service_role import (
    bedrock_service_role,
    invoked_model_arns,
)
from bedrock_platform.spec import jobs as jobs_spec
from bedrock_platform.spec.jobs import EvaluationDataset

__all__ = [
    "BatchInferenceJob",
    "EvaluationDataset",
    "EvaluationJob",
    "JobBucket",
    "JobModel",
    "bedrock_service_role",
]

EVALUATION_JOB_TYPE = jobs_spec.EVALUATION_JOB_TYPE
BATCH_INFERENCE_JOB_TYPE = jobs_spec.BATCH_INFERENCE_JOB_TYPE
QUERY_INTERVAL = cdk.Duration.minutes(1)
TOTAL_TIMEOUT = cdk.Duration.hours(1)
"""The Provider framework's maximum: ``wait`` covers jobs that finish within an hour."""
_PREFIX = re.compile(r"^([!-.0-~]+/)*$")  # S3 key characters, ending in /
UNLISTED_MODEL_CREATE = (
    "CreateEvaluationJob for a job that names a provisioned throughput: the IAM reference authorizes "
    "it on models only, and the throughput's model is known only when deployed, so only on *. The "
    "handler passes only each job's own role (iam:PassRole), which invokes only that job's models."
)

CORS_FOR_CONSOLE = s3.CorsRule(
    allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.DELETE],
    allowed_origins=["*"],
    allowed_headers=["*"],
    exposed_headers=["Access-Control-Allow-Origin"],
)
"""The CORS rule the Bedrock console needs to show evaluation results from the bucket."""


class _InferenceProfile(Protocol):
    """What :meth:`JobModel.from_inference_profile` reads of an application inference profile."""

    @property
    def inference_profile_arn(self) -> str: ...

    @property
    def model(self) -> JobModel: ...


@dataclass(frozen=True)
class JobModel:
    """A model a job invokes: what the API is given, its ARN, and what IAM must allow.

    Build one with :meth:`of` (a base model id, an inference profile id or an ARN) or
    :meth:`from_throughput`.
    """

    identifier: str
    arn: str
    invoke_arns: tuple[str, ...]
    profile_arn: str | None = None
    throughput_arn: str | None = None

    @classmethod
    def of(cls, scope: Construct, model: str) -> JobModel:
        """A base model id (``anthropic.claude...``), inference profile id (``us.anthropic...``) or ARN."""
        arn, invoke_arns, profile = invoked_model_arns(scope, model)
        return cls(identifier=model, arn=arn, invoke_arns=invoke_arns, profile_arn=profile)

    @classmethod
    def from_inference_profile(cls, profile: _InferenceProfile) -> JobModel:
        """The models behind an application inference profile, invoked through its ARN: IAM checks
        the profile and what it routes to (user guide, "Prerequisites for inference profiles")."""
        arn = profile.inference_profile_arn
        return cls(
            identifier=arn,
            arn=arn,
            invoke_arns=tuple(dict.fromkeys((arn, *profile.model.invoke_arns))),
            profile_arn=arn,
        )

    @classmethod
    def from_throughput(cls, throughput: IProvisionedThroughput) -> JobModel:
        """The model behind a provisioned throughput, invoked through its ARN."""
        return cls(
            identifier=throughput.arn,
            arn=throughput.arn,
            invoke_arns=(throughput.arn,),
            throughput_arn=throughput.arn,
        )


class JobBucket(DocumentBucket):
    """Datasets, batch input and job results: SSL only, encrypted, public access blocked,
    versioned, access-logged, retained, with the CORS rule the Bedrock console needs."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        access_logs_bucket: s3.IBucket,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        """Create the bucket.

        :param access_logs_bucket: where server access logs go (prefix: the construct id).
        :param encryption_key: customer managed key. Default: S3 managed keys (SSE-S3).
        """
        super().__init__(
            scope,
            id,
            access_logs_bucket=access_logs_bucket,
            encryption_key=encryption_key,
            cors=[CORS_FOR_CONSOLE],
        )


class _BedrockJob(Construct):
    """What both job kinds share: the role, the custom resource, the bucket grants, the handler's grants."""

    resource_type: str
    noun: str
    source_resource: str
    owned_actions: tuple[str, ...]
    list_actions: tuple[str, ...]

    def __init__(self, scope: Construct, id: str, *, bucket: s3.IBucket, bucket_key: kms.IKey | None) -> None:
        super().__init__(scope, id)
        self.bucket = bucket
        self.bucket_key = bucket_key
        self.role = bedrock_service_role(
            self, "Role", source_resource=self.source_resource, description=f"bedrock-platform {self.noun}"
        )
        self.provider = HandlerProvider.of(
            self,
            module="bedrock_job",
            description="Amazon Bedrock evaluation and batch inference jobs",
            query_interval=QUERY_INTERVAL,
            total_timeout=TOTAL_TIMEOUT,
        )
        # The handler hands this job's role to Bedrock, and to nothing else.
        self.provider.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": permissions.BEDROCK_SERVICE}},
            )
        )

    @property
    def jobs_arn(self) -> str:
        """``arn:<partition>:bedrock:<region>:<account>:<evaluation-job|model-invocation-job>/*``.

        A job's ARN ends in an id the service assigns (not its name), so the jobs of this account
        and Region are as narrow as IAM can name them before they exist.
        """
        return cdk.Stack.of(self).format_arn(
            service="bedrock",
            resource=self.source_resource,
            resource_name="*",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )

    def add_input_dependency(self, construct: Construct) -> None:
        """Start the job only after ``construct`` is deployed (the upload of its dataset or input)."""
        self.resource.node.add_dependency(construct)

    def _grant_handler(
        self,
        *,
        create_actions: Sequence[str],
        create_resources: Sequence[str],
        tagged: bool,
        encryption_key: kms.IKey | None,
    ) -> None:
        """What the job handler (bedrock_platform/handlers/bedrock_job.py) calls for this job.

        Create on the resources the IAM reference authorizes it on; Get and Stop (and TagResource
        when the job has tags) on this kind's jobs of this account and Region; List on ``*`` (no
        resource type); the job's customer managed key as the user guide's caller needs it.
        """
        role = self.provider.role
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(create_actions), resources=list(dict.fromkeys(create_resources)))
        )
        for arn in dict.fromkeys(create_resources):
            if arn == "*":
                acknowledge_wildcard(role, "*", UNLISTED_MODEL_CREATE)
                policy = role.node.find_child("DefaultPolicy").node.default_child
                assert isinstance(policy, cdk.CfnResource)
                skip_checkov(policy, "CKV_AWS_111", UNLISTED_MODEL_CREATE)
            elif "*" in arn and arn != self.jobs_arn:
                acknowledge_wildcard(
                    role,
                    arn,
                    "The models a job may be started on: those an inference profile routes to, or, for a "
                    "provisioned throughput whose model is known only when deployed, the models of this "
                    "Region.",
                )
        owned = [*self.owned_actions, *(permissions.JOB_TAG_ACTIONS if tagged else ())]
        role.add_to_principal_policy(iam.PolicyStatement(actions=owned, resources=[self.jobs_arn]))
        role.add_to_principal_policy(iam.PolicyStatement(actions=list(self.list_actions), resources=["*"]))
        acknowledge_wildcard(
            role,
            self.jobs_arn,
            f"A {self.noun}'s ARN ends in an id the service assigns when the job starts: the handler "
            f"reads and stops only {self.noun}s of this account and Region.",
        )
        acknowledge_wildcard(
            role,
            "*",
            "ListEvaluationJobs and ListModelInvocationJobs have no resource type in the IAM reference: "
            "they are allowed on * only. Read-only: the handler finds a job it started by its name.",
        )
        if encryption_key is not None:
            _grant_caller_key(role, encryption_key)

    def _start(
        self, *, job_name_prefix: str, request: dict[str, Any], wait: bool, data: Sequence[JobData] = ()
    ) -> None:
        """The job's custom resource; with ``data`` (its uploads), it starts after them, and their
        fingerprint is part of its name, so changed data starts a new job."""
        properties: dict[str, Any] = {"JobNamePrefix": job_name_prefix, "Request": request, "Wait": wait}
        if data:
            properties["DataFingerprint"] = "-".join(upload.fingerprint for upload in data)
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=self.resource_type,
            properties=properties,
        )
        for upload in data:
            self.resource.node.add_dependency(upload)
        # The service checks the role's permissions when the job starts: the policy must exist first.
        # (Only the policy: the role itself is referenced, and a redundant DependsOn is cfn-lint W3005.)
        self.resource.node.add_dependency(self.role.node.find_child("DefaultPolicy"))
        self.job_arn = self.resource.ref
        self.job_name = self.resource.get_att_string("JobName")

    def _read(self, keys: Sequence[str], resource_account: str | None = None) -> None:
        """Read these objects (a key ending in ``/`` is a prefix) and list them."""
        arns = [self.bucket.arn_for_objects(f"{key}*" if key.endswith("/") else key) for key in keys]
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.S3_READ_ACTIONS),
                resources=arns,
                conditions=_in_account(resource_account),
            )
        )
        self._list([f"{key}*" if key.endswith("/") else key for key in keys], resource_account)
        for key, arn in zip(keys, arns, strict=True):
            if key.endswith("/"):
                acknowledge_wildcard(
                    self.role, arn, f"The wildcard is the objects under this {self.noun}'s input prefix."
                )

    def _write(self, prefix: str, resource_account: str | None = None) -> None:
        """Write (and read back) results under ``prefix`` only."""
        arn = self.bucket.arn_for_objects(f"{prefix}*")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[*permissions.S3_READ_ACTIONS, *permissions.S3_WRITE_ACTIONS],
                resources=[arn],
                conditions=_in_account(resource_account),
            )
        )
        acknowledge_wildcard(
            self.role, arn, f"The wildcard is the objects under this {self.noun}'s output prefix."
        )
        self._list([f"{prefix}*"], resource_account)

    def _list(self, prefixes: Sequence[str], resource_account: str | None = None) -> None:
        """ListBucket, only for listings of these prefixes (the only request that carries ``s3:prefix``)."""
        conditions: dict[str, Any] = {"StringLike": {"s3:prefix": list(prefixes)}}
        conditions.update(_in_account(resource_account) or {})
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.S3_LIST_ACTIONS),
                resources=[self.bucket.bucket_arn],
                conditions=conditions,
            )
        )

    def _keys(self, *keys: kms.IKey | None) -> None:
        """Keys that encrypt the objects the job reads and writes: used through S3 only."""
        region = cdk.Stack.of(self).region
        for key in dict.fromkeys(k for k in keys if k is not None):
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(permissions.KMS_ENCRYPT_DECRYPT_ACTIONS),
                    resources=[key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
                )
            )

    def _invoke(
        self, models: Sequence[JobModel], actions: Sequence[str] = permissions.MODEL_INVOKE_ACTIONS
    ) -> None:
        arns = list(dict.fromkeys(arn for model in models for arn in model.invoke_arns))
        if arns:
            extra = [self.model_invocation_jobs_arn] if "bedrock:StopModelInvocationJob" in actions else []
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=list(actions), resources=[*arns, *extra])
            )
            if extra:
                acknowledge_wildcard(
                    self.role,
                    self.model_invocation_jobs_arn,
                    "The evaluation runs its prompts as model invocation jobs that the service creates "
                    "and names (user guide, AllowSpecificModels); only Bedrock, for evaluation jobs of "
                    "this account and Region, can assume the role.",
                )
        for model in models:
            if model.profile_arn is not None:
                self.role.add_to_principal_policy(
                    iam.PolicyStatement(
                        actions=list(permissions.MODEL_METADATA_ACTIONS), resources=[model.profile_arn]
                    )
                )
                for arn in model.invoke_arns:
                    if "*" in arn:
                        acknowledge_wildcard(
                            self.role,
                            arn,
                            "An inference profile routes each request to this one model in any Region "
                            "of its geography, so the Region of the foundation-model ARN is a wildcard.",
                        )
            if model.throughput_arn is not None:
                self.role.add_to_principal_policy(
                    iam.PolicyStatement(
                        actions=list(permissions.THROUGHPUT_READ_ACTIONS), resources=[model.throughput_arn]
                    )
                )

    @property
    def model_invocation_jobs_arn(self) -> str:
        """The model invocation jobs of this account and Region (``model-invocation-job/*``)."""
        return cdk.Stack.of(self).format_arn(
            service="bedrock",
            resource="model-invocation-job",
            resource_name="*",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )


def _in_account(account: str | None) -> dict[str, Any] | None:
    """The user guide's ``aws:ResourceAccount`` condition on a batch role's S3 statement."""
    return None if account is None else {"StringEquals": {"aws:ResourceAccount": account}}


def _grant_caller_key(role: iam.IRole, key: kms.IKey) -> None:
    """What the caller of CreateEvaluationJob / CreateModelInvocationJob needs on the job's key.

    User guide, "Chiffrement des données pour les tâches d'évaluation de modèle" > "Éléments de
    politique IAM requis": kms:Decrypt and kms:GenerateDataKey with ``kms:ViaService``
    ``s3.<region>.amazonaws.com`` (CustomKMSKeyProvidedToBedrock), kms:DescribeKey without
    (CustomKMSDescribeKeyProvidedToBedrock).
    """
    region = cdk.Stack.of(role).region
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(permissions.JOB_CALLER_KMS_ACTIONS),
            resources=[key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(permissions.JOB_KMS_DESCRIBE_ACTIONS), resources=[key.key_arn])
    )


def _creatable_model_arns(models: Sequence[JobModel], scope: Construct) -> list[str]:
    """The ARNs Create{Evaluation,ModelInvocation}Job is authorized on for these models.

    The IAM reference lists foundation-model and custom-model (not inference-profile or
    provisioned-model): a profile's foundation models, a model's own ARN; for a provisioned
    throughput, whose model is known only when deployed, the foundation and custom models of
    this Region and account.
    """
    arns: list[str] = []
    stack = cdk.Stack.of(scope)
    for model in models:
        if model.throughput_arn is not None:
            arns += [
                stack.format_arn(
                    service="bedrock",
                    account="",
                    resource="foundation-model",
                    resource_name="*",
                    arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
                ),
                stack.format_arn(
                    service="bedrock",
                    resource="custom-model",
                    resource_name="*",
                    arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
                ),
            ]
        else:
            arns += [arn for arn in model.invoke_arns if arn != model.profile_arn]
    return list(dict.fromkeys(arns))


class EvaluationJob(_BedrockJob):
    """A model evaluation (automated or model-as-judge) or a knowledge base (RAG) evaluation.

    :param job_name_prefix: the job's AWS name before its hash: ``[a-z0-9](-*[a-z0-9])*``, at most 56.
    :param kind: ``automated`` (algorithmic metrics), ``llm_judge`` (an evaluator model scores) or
        ``rag`` (a knowledge base, retrieve-only or retrieve-and-generate, scored by an evaluator).
    :param datasets: 1 to 5; a custom dataset's ``key`` is its JSONL object in ``bucket``; with a
        ``source`` (a file on this machine) the deployment uploads it there before the job starts.
    :param bucket: where custom datasets are read and results written (``output_prefix``).
    :param output_prefix: the key prefix of the results in ``bucket``, ending in ``/``.
    :param models: automated and llm_judge: the one model evaluated.
    :param evaluator_model: llm_judge and rag: the judge.
    :param knowledge_base: rag: the knowledge base evaluated; ``rag_type`` says how.
    :param rag_type: rag: ``retrieve`` (grade the passages) or ``retrieve_and_generate``.
    :param generator_model: rag retrieve_and_generate: the model that writes the answers.
    :param number_of_results: rag: passages retrieved per query, 1 to 100. Default: the service's.
    :param description: the job's description. Default: none.
    :param encryption_key: customer managed key for the job. Default: none (AWS owned).
    :param bucket_key: the key the bucket's objects are encrypted with, if any.
    :param wait: the deployment waits for the job to finish (within the Provider's hour).
    :param tags: tags of the job. Default: none.
    """

    resource_type = EVALUATION_JOB_TYPE
    noun = "evaluation job"
    source_resource = "evaluation-job"
    owned_actions = permissions.EVALUATION_JOB_OWNED_ACTIONS
    list_actions = permissions.EVALUATION_JOB_LIST_ACTIONS

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        job_name_prefix: str,
        kind: Literal["automated", "llm_judge", "rag"],
        datasets: Sequence[EvaluationDataset],
        bucket: s3.IBucket,
        output_prefix: str,
        models: Sequence[JobModel] = (),
        evaluator_model: JobModel | None = None,
        knowledge_base: IKnowledgeBase | None = None,
        rag_type: Literal["retrieve", "retrieve_and_generate"] | None = None,
        generator_model: JobModel | None = None,
        number_of_results: int | None = None,
        description: str | None = None,
        encryption_key: kms.IKey | None = None,
        bucket_key: kms.IKey | None = None,
        wait: bool = False,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        _validate_evaluation(
            id,
            kind,
            datasets,
            output_prefix,
            models,
            evaluator_model,
            knowledge_base,
            rag_type,
            generator_model,
        )
        super().__init__(scope, id, bucket=bucket, bucket_key=bucket_key)
        self.kind = kind
        self.output_uri = f"s3://{bucket.bucket_name}/{output_prefix}"

        custom_keys = [dataset.key for dataset in datasets if dataset.key]
        if custom_keys:
            self._read(custom_keys)
        uploads = [
            JobData(
                self,
                f"Dataset-{dataset.name}",
                bucket=bucket,
                source=dataset.source,
                key=dataset.key,
                bucket_key=bucket_key,
            )
            for dataset in datasets
            if dataset.source is not None and dataset.key
        ]
        self._write(output_prefix)
        # User guide, "Exigences de fonction du service pour les tâches d'évaluation de modèle
        # automatique" > "Actions IAM Amazon S3 nécessaires", AllowAccessToOutputBucket: these
        # requests name the bucket and carry no s3:prefix, so no prefix condition guards them.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.EVALUATION_BUCKET_ACTIONS), resources=[bucket.bucket_arn]
            )
        )
        self._keys(bucket_key)
        if encryption_key is not None:
            self._job_key(encryption_key)
        used = [*models, *(m for m in (evaluator_model, generator_model) if m is not None)]
        # AllowSpecificModels: InvokeModel, InvokeModelWithResponseStream, CreateModelInvocationJob
        # and StopModelInvocationJob on the models (and the model invocation jobs the service runs).
        self._invoke(used, permissions.EVALUATION_ROLE_MODEL_ACTIONS)
        acknowledge(self.role, f"{BEDROCK_PACK}::{BEDROCK_PACK}-BR9", EVALUATION_ROLE_BATCH)
        if knowledge_base is not None:
            # Retrieve on the knowledge base; RetrieveAndGenerate (no resource type: "*") only when
            # the evaluation generates answers.
            knowledge_base.grant_retrieve(self.role, generate=rag_type != "retrieve")

        automated: dict[str, Any] = {
            "datasetMetricConfigs": [self._dataset(dataset) for dataset in datasets],
        }
        if evaluator_model is not None:
            automated["evaluatorModelConfig"] = {
                "bedrockEvaluatorModels": [{"modelIdentifier": evaluator_model.identifier}]
            }
        request: dict[str, Any] = {
            "roleArn": self.role.role_arn,
            "applicationType": "RagEvaluation" if kind == "rag" else "ModelEvaluation",
            "evaluationConfig": {"automated": automated},
            "inferenceConfig": _inference_config(
                models, knowledge_base, rag_type, generator_model, number_of_results
            ),
            "outputDataConfig": {"s3Uri": self.output_uri},
        }
        if description:
            request["jobDescription"] = description
        if encryption_key is not None:
            request["customerEncryptionKeyId"] = encryption_key.key_arn
        if tags:
            request["jobTags"] = [{"key": key, "value": value} for key, value in sorted(tags.items())]
        # The IAM reference authorizes CreateEvaluationJob on foundation-model, custom-model and
        # prompt-router ARNs only: an inference profile is authorized as the models it routes to,
        # but a provisioned throughput's model is known only when deployed, so a job that names
        # one can be allowed on "*" only. The handler still passes only this job's role, which
        # invokes only the job's models.
        unlisted = any(model.throughput_arn for model in used)
        self._grant_handler(
            create_actions=permissions.EVALUATION_JOB_CREATE_ACTIONS,
            create_resources=["*"] if unlisted else _creatable_model_arns(used, self),
            tagged=bool(tags),
            encryption_key=encryption_key,
        )
        self._start(job_name_prefix=job_name_prefix, request=request, wait=wait, data=uploads)

    def _job_key(self, key: kms.IKey) -> None:
        """The job's customer managed key (``customerEncryptionKeyId``), for its role and its key policy.

        User guide, "Chiffrement des données pour les tâches d'évaluation de modèle": the role gets
        kms:Decrypt and kms:GenerateDataKey through S3 (where Bedrock keeps its temporary copy) or
        Bedrock, and kms:DescribeKey; a key this stack creates gets the guide's key policy statement
        for Bedrock ("Éléments de politique AWS KMS clés requis dans Amazon Bedrock"). Another key
        needs that statement in its own policy (see the README).
        """
        region = cdk.Stack.of(self).region
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.KMS_ENCRYPT_DECRYPT_ACTIONS),
                resources=[key.key_arn],
                conditions={
                    "StringEquals": {
                        "kms:ViaService": [f"s3.{region}.amazonaws.com", f"bedrock.{region}.amazonaws.com"]
                    }
                },
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.JOB_KMS_DESCRIBE_ACTIONS), resources=[key.key_arn])
        )
        if isinstance(key, kms.Key):
            for statement in evaluation_key_policy_statements(self):
                key.add_to_resource_policy(statement)

    def _dataset(self, dataset: EvaluationDataset) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": dataset.name}
        if dataset.key:
            entry["datasetLocation"] = {"s3Uri": f"s3://{self.bucket.bucket_name}/{dataset.key}"}
        return {"taskType": dataset.task_type, "dataset": entry, "metricNames": list(dataset.metrics)}


class BatchInferenceJob(_BedrockJob):
    """A batch inference job: ``model`` over the JSONL records at ``input_key``, results at ``output_prefix``.

    :param job_name_prefix: the job's AWS name before its hash: ``[a-z0-9](-*[a-z0-9])*``, at most 56.
    :param model: the model run over the records (:meth:`JobModel.of` or :meth:`JobModel.from_throughput`).
    :param bucket: where the input is read and the results written.
    :param input_key: a JSONL object, or a prefix ending in ``/``, in ``bucket``.
    :param output_prefix: the key prefix of the results in ``bucket``, ending in ``/``.
    :param input_source: a JSON Lines file, or a folder of them, on this machine that the deployment
        uploads to ``input_key`` (:class:`~bedrock_platform.constructs.job_data.JobData`) before the
        job starts. Default: none (the input is in the bucket already).
    :param timeout_hours: 24 to 168. Default: the service's (168).
    :param invocation_type: ``InvokeModel`` or ``Converse`` record format. Default: the service's.
    :param subnet_ids: with ``security_group_ids``, run the job in these subnets of your VPC.
    :param security_group_ids: the security groups of the job's network interfaces in the VPC.
    :param encryption_key: customer managed key for the output. Default: the bucket's encryption.
    :param bucket_key: the key the bucket's objects are encrypted with, if any.
    :param wait: the deployment waits for the job to finish (within the Provider's hour).
    :param tags: tags of the job. Default: none.
    """

    resource_type = BATCH_INFERENCE_JOB_TYPE
    noun = "batch inference job"
    source_resource = "model-invocation-job"
    owned_actions = permissions.BATCH_JOB_OWNED_ACTIONS
    list_actions = permissions.BATCH_JOB_LIST_ACTIONS

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        job_name_prefix: str,
        model: JobModel,
        bucket: s3.IBucket,
        input_key: str,
        output_prefix: str,
        input_source: str | None = None,
        timeout_hours: int | None = None,
        invocation_type: Literal["InvokeModel", "Converse"] | None = None,
        subnet_ids: Sequence[str] = (),
        security_group_ids: Sequence[str] = (),
        encryption_key: kms.IKey | None = None,
        bucket_key: kms.IKey | None = None,
        wait: bool = False,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        _validate_batch(id, output_prefix, timeout_hours, subnet_ids, security_group_ids)
        super().__init__(scope, id, bucket=bucket, bucket_key=bucket_key)
        self.output_uri = f"s3://{bucket.bucket_name}/{output_prefix}"
        # User guide, "Configuration des autorisations pour l'inférence par lots": the S3 statement
        # holds for buckets of the bucket owner's account only (aws:ResourceAccount).
        owner = bucket.env.account
        self._read([input_key], owner)
        self._write(output_prefix, owner)
        self._keys(encryption_key, bucket_key)
        self._invoke([model])
        if subnet_ids:
            self._attach_to_vpc(subnet_ids, security_group_ids)

        output: dict[str, Any] = {"s3Uri": self.output_uri}
        if encryption_key is not None:
            output["s3EncryptionKeyId"] = encryption_key.key_arn
        request: dict[str, Any] = {
            "roleArn": self.role.role_arn,
            "modelId": model.identifier,
            "inputDataConfig": {
                "s3InputDataConfig": {
                    "s3Uri": f"s3://{bucket.bucket_name}/{input_key}",
                    "s3InputFormat": "JSONL",
                }
            },
            "outputDataConfig": {"s3OutputDataConfig": output},
        }
        if timeout_hours is not None:
            request["timeoutDurationInHours"] = timeout_hours
        if invocation_type is not None:
            request["modelInvocationType"] = invocation_type
        if subnet_ids:
            request["vpcConfig"] = {
                "subnetIds": list(subnet_ids),
                "securityGroupIds": list(security_group_ids),
            }
        if tags:
            request["tags"] = [{"key": key, "value": value} for key, value in sorted(tags.items())]
        self._grant_handler(
            create_actions=permissions.BATCH_JOB_CREATE_ACTIONS,
            create_resources=[*_creatable_model_arns([model], self), self.jobs_arn],
            tagged=bool(tags),
            encryption_key=encryption_key,
        )
        uploads = (
            [JobData(self, "Input", bucket=bucket, source=input_source, key=input_key, bucket_key=bucket_key)]
            if input_source is not None
            else []
        )
        self._start(job_name_prefix=job_name_prefix, request=request, wait=wait, data=uploads)

    def _attach_to_vpc(self, subnet_ids: Sequence[str], security_group_ids: Sequence[str]) -> None:
        """Let the job create and remove its network interfaces in these subnets only."""
        stack = cdk.Stack.of(self)

        def ec2(resource: str, name: str) -> str:
            return stack.format_arn(
                service="ec2",
                resource=resource,
                resource_name=name,
                arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
            )

        interfaces = ec2("network-interface", "*")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.VPC_DESCRIBE_ACTIONS), resources=["*"])
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.VPC_INTERFACE_ACTIONS),
                resources=[
                    interfaces,
                    *(ec2("subnet", subnet) for subnet in subnet_ids),
                    *(ec2("security-group", group) for group in security_group_ids),
                ],
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ec2:CreateTags"],
                resources=[interfaces],
                conditions={"StringEquals": {"ec2:CreateAction": "CreateNetworkInterface"}},
            )
        )
        acknowledge_wildcard(
            self.role,
            "*",
            "EC2 Describe actions (DescribeSubnets, DescribeSecurityGroups and kin) support no "
            "resource-level permissions; the statement holds only those read-only actions.",
        )
        acknowledge_wildcard(
            self.role,
            interfaces,
            "The job's network interfaces are created by the service with ids it assigns; creation is "
            "limited to the declared subnets and security groups.",
        )


def evaluation_key_policy_statements(scope: Construct) -> list[iam.PolicyStatement]:
    """The key policy statements Bedrock needs on an evaluation job's customer managed key.

    User guide, "Chiffrement des données pour les tâches d'évaluation de modèle" > "Éléments de
    politique AWS KMS clés requis dans Amazon Bedrock": kms:GenerateDataKey, kms:Decrypt and
    kms:DescribeKey for ``bedrock.amazonaws.com``, only for evaluation jobs of this account and
    Region (``kms:EncryptionContext:evaluationJobArn`` and ``aws:SourceArn``). The guide puts the
    three in one statement; DescribeKey carries no encryption context, so it gets its own statement
    with ``aws:SourceArn`` alone (under the guide's statement it would never be allowed).
    """
    jobs = cdk.Stack.of(scope).format_arn(
        service="bedrock",
        resource="evaluation-job",
        resource_name="*",
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )
    bedrock = iam.ServicePrincipal(permissions.BEDROCK_SERVICE)
    this_account = {"kms:EncryptionContext:evaluationJobArn": jobs, "aws:SourceArn": jobs}
    return [
        iam.PolicyStatement(
            sid="AllowBedrockEvaluationJobs",
            principals=[bedrock],
            actions=list(permissions.BEDROCK_KEY_POLICY_ACTIONS),
            resources=["*"],
            conditions={"StringLike": this_account},
        ),
        iam.PolicyStatement(
            sid="AllowBedrockEvaluationJobsDescribeKey",
            principals=[bedrock],
            actions=list(permissions.BEDROCK_KEY_POLICY_DESCRIBE_ACTIONS),
            resources=["*"],
            conditions={"StringLike": {"aws:SourceArn": jobs}},
        ),
    ]


def _inference_config(
    models: Sequence[JobModel],
    knowledge_base: IKnowledgeBase | None,
    rag_type: str | None,
    generator_model: JobModel | None,
    number_of_results: int | None,
) -> dict[str, Any]:
    if knowledge_base is None:
        return {"models": [{"bedrockModel": {"modelIdentifier": model.identifier}} for model in models]}
    search: dict[str, Any] = {} if number_of_results is None else {"numberOfResults": number_of_results}
    retrieval = {"vectorSearchConfiguration": search}
    if rag_type == "retrieve":
        config: dict[str, Any] = {
            "retrieveConfig": {
                "knowledgeBaseId": knowledge_base.knowledge_base_id,
                "knowledgeBaseRetrievalConfiguration": retrieval,
            }
        }
    else:
        assert generator_model is not None
        config = {
            "retrieveAndGenerateConfig": {
                "type": "KNOWLEDGE_BASE",
                "knowledgeBaseConfiguration": {
                    "knowledgeBaseId": knowledge_base.knowledge_base_id,
                    "modelArn": generator_model.arn,
                    "retrievalConfiguration": retrieval,
                },
            }
        }
    return {"ragConfigs": [{"knowledgeBaseConfig": config}]}


def _validate_evaluation(
    id: str,
    kind: str,
    datasets: Sequence[EvaluationDataset],
    output_prefix: str,
    models: Sequence[JobModel],
    evaluator_model: JobModel | None,
    knowledge_base: IKnowledgeBase | None,
    rag_type: str | None,
    generator_model: JobModel | None,
) -> None:
    """Every problem at once, naming the job, the argument and the rule."""
    problems = _prefix_problems(output_prefix)
    low, high = jobs_spec.DATASETS_PER_JOB
    if not low <= len(datasets) <= high:
        problems.append(f"datasets has {len(datasets)} entries, {low} to {high}")
    given = {
        "models": bool(models),
        "evaluator_model": evaluator_model is not None,
        "knowledge_base": knowledge_base is not None,
        "rag_type": rag_type is not None,
        "generator_model": generator_model is not None,
    }
    problems += jobs_spec.evaluation_problems(kind, given, rag_type, len(models))
    if problems:
        raise ConstructValidationError(f"evaluation job {id!r}: " + "; ".join(problems))


def _validate_batch(
    id: str,
    output_prefix: str,
    timeout_hours: int | None,
    subnet_ids: Sequence[str],
    security_group_ids: Sequence[str],
) -> None:
    problems = _prefix_problems(output_prefix)
    low, high = jobs_spec.BATCH_TIMEOUT_HOURS
    if timeout_hours is not None and not low <= timeout_hours <= high:
        problems.append(f"timeout_hours is {timeout_hours}, {low} to {high}")
    if bool(subnet_ids) != bool(security_group_ids):
        problems.append("subnet_ids and security_group_ids go together")
    if problems:
        raise ConstructValidationError(f"batch inference job {id!r}: " + "; ".join(problems))


def _prefix_problems(output_prefix: str) -> list[str]:
    if cdk.Token.is_unresolved(output_prefix) or _PREFIX.match(output_prefix):
        return []
    return [f"output_prefix {output_prefix!r} must be S3 key characters ending in /"]
