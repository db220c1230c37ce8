"""The delivery stack: a CDK Pipelines pipeline that deploys environments from the same config files.

``<env>-bedrock-pipeline`` runs in the account and Region of the config that declares
``pipeline``. On a push to the branch it synthesizes the repository (``make synth ENV=<env>``),
updates itself, then deploys each listed environment's stacks, in order, to that environment's
own account and Region, after a manual approval where the config asks for one. The stacks are
built by the same :func:`bedrock_platform.stacks.add_stacks` as a laptop's ``cdk deploy``, under
the same stack names, so either way deploys the same thing.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_iam as iam
from aws_cdk import pipelines
from constructs import Construct

from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import Pipeline
from bedrock_platform.constructs import nag
from bedrock_platform.constructs.handler_provider import depend_on_policy_only
from bedrock_platform.stacks.base import PlatformStack

StageBuilder = Callable[[cdk.Stage, PlatformConfig], object]
"""Adds one environment's stacks to a stage (:func:`bedrock_platform.stacks.add_stacks`)."""

SYNTH_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0
"""Ubuntu 22.04 with Python 3 and Node; `make setup` installs the pinned Node 22 and CDK CLI."""

_PIPELINE_ROLES = (
    "CDK Pipelines' own grants: each role reads and writes only the pipeline's artifact bucket "
    "and its KMS key, and the CodeBuild roles only their own log groups and report groups"
)
_SELF_MUTATION = (
    "the self-mutation step runs cdk deploy: it may assume only the CDK bootstrap roles "
    "(iam:ResourceTag/aws-cdk:bootstrap-role condition) and read any stack's outputs, as the CDK CLI needs"
)
_ASSET_PUBLISHING = (
    "CDK Pipelines' asset publishing project: it starts its own builds and writes CodeBuild logs "
    "and reports of the projects it creates (names not known until deploy)"
)
_ARTIFACT_BUCKET = (
    "the artifact buckets hold only build artifacts, which every pipeline run writes anew from the "
    "repository (versions, replicas and access logs would keep copies of nothing that is not in git); "
    "encrypted with the pipeline's rotated KMS key, SSL only, public access blocked; "
    "CloudTrail records access"
)
_REPLICATION_KEYS = (
    "CDK Pipelines refers to the artifact replication keys of the other Regions by alias, so the "
    "pipeline role's KMS grant cannot name them; the tooling account holds only the pipeline, and "
    "its own writes are scoped to the artifact buckets"
)
_CODEPIPELINE_SOURCE = (
    "the CodeBuild projects take their source from CodePipeline (type CODEPIPELINE), which fetches it "
    "through the CodeConnections connection: no repository URL or credentials are in the project"
)


class PipelineStack(PlatformStack):
    """``<env>-bedrock-pipeline``: the CodePipeline, its self-mutation, and one stage per environment.

    :param build_stage: adds an environment's stacks to its stage (``add_stacks``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: PlatformConfig,
        pipeline: Pipeline,
        build_stage: StageBuilder,
    ) -> None:
        super().__init__(scope, id, config=config, purpose="CDK Pipelines delivery of the environments")
        source = pipelines.CodePipelineSource.connection(
            pipeline.repository,
            pipeline.branch,
            connection_arn=pipeline.connection_arn,
            trigger_on_push=True,
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            pipeline_name=f"{config.environment}-bedrock-platform",
            cross_account_keys=True,
            enable_key_rotation=True,
            docker_enabled_for_synth=False,
            code_build_defaults=pipelines.CodeBuildOptions(
                build_environment=codebuild.BuildEnvironment(build_image=SYNTH_IMAGE)
            ),
            synth=pipelines.ShellStep(
                "Synth",
                input=source,
                commands=[f"make synth ENV={config.environment}"],
                primary_output_directory="cdk.out",
            ),
        )
        self.stages: dict[str, cdk.Stage] = {}
        for environment in pipeline.stages:
            target = environment.config
            stage = cdk.Stage(
                self,
                f"Deploy-{environment.name}",
                env=cdk.Environment(account=target.account, region=target.region),
            )
            build_stage(stage, target)
            approval = (
                [
                    pipelines.ManualApprovalStep(
                        f"Approve-{environment.name}",
                        comment=f"Deploy bedrock-platform {environment.name} "
                        f"to {target.account} {target.region}?",
                    )
                ]
                if environment.approval
                else []
            )
            self.pipeline.add_stage(stage, pre=approval)
            self.stages[environment.name] = stage
        # Build now, so that the acknowledgments below find the constructs CDK Pipelines creates.
        self.pipeline.build_pipeline()
        depend_on_policy_only(self.pipeline.pipeline, self.pipeline.pipeline.role)  # cfn-lint W3005
        self._allow_connection(pipeline.connection_arn)
        self._acknowledge(scope)

    def _allow_connection(self, connection_arn: str) -> None:
        """Let the source action use a connection whose ARN has the ``codeconnections`` prefix.

        CDK grants only ``codestar-connections:UseConnection``, and IAM matches the action's service
        prefix against the resource's: a connection created since the service was renamed
        (``arn:aws:codeconnections:...``) also needs ``codeconnections:UseConnection``.
        """
        if ":codeconnections:" not in connection_arn:
            return
        source_stage = self.pipeline.pipeline.node.find_child("Source")
        (action,) = [
            child
            for child in source_stage.node.children
            if child.node.try_find_child("CodePipelineActionRole")
        ]
        role = action.node.find_child("CodePipelineActionRole")
        assert isinstance(role, iam.Role)
        role.add_to_policy(
            iam.PolicyStatement(actions=["codeconnections:UseConnection"], resources=[connection_arn])
        )

    def _acknowledge(self, scope: Construct) -> None:
        """cdk-nag findings and checkov checks on what CDK Pipelines generates, each with why it is safe."""
        inner = self.pipeline.node.find_child("Pipeline")
        for part in ("Role", "Source", "Build"):
            nag.acknowledge_policy_wildcards(inner.node.find_child(part), _PIPELINE_ROLES)
        nag.acknowledge_policy_wildcards(self.pipeline.node.find_child("UpdatePipeline"), _SELF_MUTATION)
        nag.acknowledge(
            self.pipeline.node.find_child("UpdatePipeline"),
            f"{nag.BEDROCK_PACK}::{nag.BEDROCK_PACK}-BR11",
            nag.SELF_MUTATION_LIST_BUCKET,
        )
        assets = self.pipeline.node.find_child("Assets")
        nag.acknowledge_policy_wildcards(assets, _ASSET_PUBLISHING)
        nag.acknowledge_compliance(self.pipeline, "IAMNoInlinePolicy", nag.ROLE_POLICY)
        nag.acknowledge_compliance(self.pipeline, "CodeBuildProjectSourceRepoUrl", _CODEPIPELINE_SOURCE)
        for policy, reason in (
            (inner.node.find_child("Role").node.find_child("DefaultPolicy"), _REPLICATION_KEYS),
            (assets.node.find_child("FileRole").node.find_child("DefaultPolicy"), _ASSET_PUBLISHING),
        ):
            nag.skip_checkov(nag.l1(policy), "CKV_AWS_111", reason)
        # Cross-region deploys put a replication bucket in a support stack per target Region.
        support = [
            child.node.find_child("Default").node.find_child("CrossRegionCodePipelineReplicationBucket")
            for child in scope.node.children
            if isinstance(child, cdk.Stack) and child.node.id.startswith("cross-region-stack-")
        ]
        for bucket in support:
            # CDK names the replication bucket and retains it: a failed first deploy of the support
            # stack would keep it and block the retry ("already exists"). Kept on update or delete
            # (it holds the artifacts in flight), deleted when its own create rolls back.
            nag.l1(bucket).apply_removal_policy(cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        for bucket in [inner.node.find_child("ArtifactsBucket"), *support]:
            nag.acknowledge(bucket, f"{nag.AWS_SOLUTIONS}::{nag.AWS_SOLUTIONS}-S1", _ARTIFACT_BUCKET)
            for rule in ("S3BucketLoggingEnabled", "S3BucketReplicationEnabled", "S3BucketVersioningEnabled"):
                nag.acknowledge_compliance(bucket, rule, _ARTIFACT_BUCKET)
            for check in ("CKV_AWS_18", "CKV_AWS_21"):  # access logging, versioning
                nag.skip_checkov(nag.l1(bucket), check, _ARTIFACT_BUCKET)
