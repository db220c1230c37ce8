"""The evaluation stack: the job bucket, evaluation jobs and batch inference jobs."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import ExistingBucket, ModelRef
from bedrock_platform.constructs import (
    AccessLogsBucket,
    ApplicationInferenceProfile,
    BatchInferenceJob,
    EvaluationJob,
    IKnowledgeBase,
    JobBucket,
    JobModel,
    KnowledgeBase,
    ProvisionedThroughput,
)
from bedrock_platform.constructs.encryption import stack_key
from bedrock_platform.constructs.guardrail_governance import allow_enforced_guardrail
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id


class EvaluationStack(PlatformStack):
    """``<env>-bedrock-evaluation``: one job bucket, then one custom resource and role per job.

    Knowledge bases and provisioned throughputs of the same config are read from the SSM
    parameters their stacks publish (see :mod:`bedrock_platform.stacks.discovery`), so this stack
    deploys after them and never pins them with an export.

    Outputs: ``JobBucketName``, and per job ``<Name>JobArn``, ``<Name>JobName`` and
    ``<Name>OutputUri`` (where its results land).
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="evaluation and batch inference jobs")
        self.knowledge_bases_read: list[str] = []
        """The knowledge bases of the config whose ids this stack reads from SSM, in the order first read."""
        self.uses_throughputs = False
        self.uses_inference_profiles = False
        self._models: dict[str, JobModel] = {}
        self._knowledge_bases: dict[str, IKnowledgeBase] = {}
        self._keys: dict[str, kms.IKey] = {}
        self.bucket, self.bucket_key = self._bucket(config)
        (bucket_output,) = outputs.JOB_BUCKET_OUTPUTS
        self.output(
            bucket_output, self.bucket.bucket_name, "Bucket for datasets, batch input and job results"
        )
        self.evaluation_jobs: dict[str, EvaluationJob] = {}
        self.batch_inference_jobs: dict[str, BatchInferenceJob] = {}
        for spec in config.evaluation_jobs:
            with building("Evaluation", spec.name):
                job = EvaluationJob(
                    self,
                    item_id("Evaluation", spec.name),
                    job_name_prefix=config.prefixed(spec.name),
                    kind=spec.kind,
                    datasets=spec.datasets,
                    bucket=self.bucket,
                    output_prefix=spec.output_prefix,
                    models=[self._model(model) for model in spec.models],
                    evaluator_model=self._model(ModelRef(model_id=spec.evaluator_model))
                    if spec.evaluator_model
                    else None,
                    knowledge_base=self._knowledge_base(spec.knowledge_base) if spec.knowledge_base else None,
                    rag_type=spec.rag_type,
                    generator_model=self._model(spec.generator_model) if spec.generator_model else None,
                    number_of_results=spec.number_of_results,
                    description=spec.description,
                    encryption_key=self._key(spec.kms_key_arn),
                    bucket_key=self.bucket_key,
                    wait=spec.wait,
                    tags={**config.tags, **spec.tags},
                )
            self.evaluation_jobs[spec.name] = job
            if config.enforced_guardrail is not None:
                allow_enforced_guardrail(job.role)
            self._job_outputs(job, spec.name, "evaluation job", job.job_arn, job.job_name, job.output_uri)
        for batch in config.batch_inference_jobs:
            vpc = batch.vpc
            with building("Batch", batch.name):
                batch_job = BatchInferenceJob(
                    self,
                    item_id("Batch", batch.name),
                    job_name_prefix=config.prefixed(batch.name),
                    model=self._model(batch.model),
                    bucket=self.bucket,
                    input_key=batch.input_key,
                    input_source=batch.input_source,
                    output_prefix=batch.output_prefix,
                    timeout_hours=batch.timeout_hours,
                    invocation_type=batch.invocation_type,
                    subnet_ids=vpc.subnet_ids if vpc else (),
                    security_group_ids=vpc.security_group_ids if vpc else (),
                    encryption_key=self._key(batch.kms_key_arn),
                    bucket_key=self.bucket_key,
                    wait=batch.wait,
                    tags={**config.tags, **batch.tags},
                )
            self.batch_inference_jobs[batch.name] = batch_job
            if config.enforced_guardrail is not None:
                allow_enforced_guardrail(batch_job.role)
            self._job_outputs(
                batch_job,
                batch.name,
                "batch inference job",
                batch_job.job_arn,
                batch_job.job_name,
                batch_job.output_uri,
            )

    @property
    def uses_knowledge_bases(self) -> bool:
        """Whether a job reads a knowledge base of the config (so this stack deploys after its stack)."""
        return bool(self.knowledge_bases_read)

    def _bucket(self, config: PlatformConfig) -> tuple[s3.IBucket, kms.IKey | None]:
        if isinstance(config.job_bucket, ExistingBucket):
            existing = config.job_bucket
            return s3.Bucket.from_bucket_arn(self, "JobBucket", existing.arn), self._key(existing.kms_key_arn)
        logs = AccessLogsBucket(self, "AccessLogs")
        key = self._key(config.job_bucket.kms_key_arn if config.job_bucket else None) or stack_key(self)
        return JobBucket(self, "JobBucket", access_logs_bucket=logs, encryption_key=key), key

    def _model(self, ref: ModelRef) -> JobModel:
        """The model of a reference; a provisioned throughput's or an application inference
        profile's ARN comes from its SSM parameter."""
        key = ref.provisioned_throughput or ref.model_id or f"profile {ref.inference_profile}"
        if key not in self._models:
            if ref.inference_profile:
                self.uses_inference_profiles = True
                name = ref.inference_profile
                arn = discovery.lookup(self, discovery.inference_profile_arn(self.config.environment, name))
                profile = ApplicationInferenceProfile.from_inference_profile_attributes(
                    self,
                    f"InferenceProfile-{name}",
                    inference_profile_arn=arn,
                    model_id=self.config.inference_profile(name).model,
                )
                self._models[key] = JobModel.from_inference_profile(profile)
            elif ref.provisioned_throughput:
                self.uses_throughputs = True
                name = ref.provisioned_throughput
                arn = discovery.lookup(self, discovery.provisioned_model_arn(self.config.environment, name))
                throughput = ProvisionedThroughput.from_provisioned_model_arn(self, f"Throughput-{name}", arn)
                self._models[key] = JobModel.from_throughput(throughput)
            else:
                self._models[key] = JobModel.of(self, key)
        return self._models[key]

    def _knowledge_base(self, name: str) -> IKnowledgeBase:
        """A knowledge base of this config, by the id its stack publishes."""
        if name not in self._knowledge_bases:
            self.knowledge_bases_read.append(name)
            parameter = discovery.knowledge_base_id(self.config.environment, name)
            self._knowledge_bases[name] = KnowledgeBase.from_knowledge_base_attributes(
                self, f"KnowledgeBase-{name}", knowledge_base_id=discovery.lookup(self, parameter)
            )
        return self._knowledge_bases[name]

    def _key(self, arn: str | None) -> kms.IKey | None:
        if arn is None:
            return None
        if arn not in self._keys:
            self._keys[arn] = kms.Key.from_key_arn(self, f"Key{len(self._keys) + 1}", arn)
        return self._keys[arn]

    def _job_outputs(
        self, scope: Construct, name: str, noun: str, arn: str, job_name: str, output_uri: str
    ) -> None:
        """Outputs of a job; its ARN and output URI in SSM too (``/bedrock-platform/<env>/<kind>/<name>``)."""
        arn_output, name_output, uri_output = outputs.job_outputs(name)
        self.output(arn_output, arn, f"ARN of the current {noun} {name}")
        self.output(name_output, job_name, f"AWS name of the current {noun} {name}")
        self.output(uri_output, output_uri, f"Where the results of {noun} {name} land")
        kind = noun.replace(" ", "-") + "s"  # evaluation-jobs, batch-inference-jobs
        environment = self.config.environment
        discovery.publish(
            scope,
            "ArnParameter",
            discovery.job_arn(environment, kind, name),
            arn,
            f"ARN of the current {noun} {name} (bedrock-platform {environment})",
        )
        discovery.publish(
            scope,
            "OutputUriParameter",
            discovery.job_output_uri(environment, kind, name),
            output_uri,
            f"Where the results of {noun} {name} land (bedrock-platform {environment})",
        )
