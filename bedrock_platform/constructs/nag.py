"""The scanners' packs, and every acknowledgment and skip the constructs write, each with why it is safe.

Two scanners read what the toolkit synthesizes:

- cdk-nag, at synthesis (:func:`add_checks`): its AwsSolutions, NIST 800-53 rev. 5 and HIPAA
  Security packs. An unacknowledged finding fails synthesis. cdk-nag 3 matches an acknowledgment
  by the exact finding id, ``<pack>::<rule>`` or ``<pack>::<rule>[<detail>]``, on the construct
  that holds the resource or on one of its parents.
- checkov, over the synthesized templates (``tests/test_scanners.py``). It reads skips from the
  resource's template metadata, ``checkov: {skip: [{id, comment}]}`` (:func:`skip_checkov`).

Each acknowledgment and skip is written by the construct that creates the resource, on that
resource (or its role or bucket), never app-wide; the reasons live here, once.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks
from constructs import IConstruct

from bedrock_platform.intrinsics import render
from bedrock_platform.nag import PACK_NAME, BedrockChecks, ControlTowerChecks
from bedrock_platform.spec import control_tower
from bedrock_platform.spec.control_tower import ACCESS_LOGS_BUCKET_ENCRYPTION, ACCESS_LOGS_BUCKET_LOGGING

AWS_SOLUTIONS = "AwsSolutions"
BEDROCK_PACK = PACK_NAME
"""The toolkit's own pack (:mod:`bedrock_platform.nag`): findings ``Bedrock::Bedrock-BR<n>``."""
COMPLIANCE_PACKS = ("NIST.800.53.R5", "HIPAA.Security")
"""The packs that share rule names (``<pack>-LambdaDLQ``): one acknowledgment is written for each."""

# Why each acknowledged finding is safe, by what it is about.
CUSTOM_RESOURCE_FUNCTION_DLQ = (
    "The function is invoked synchronously (by the Provider framework's onEvent function or its waiter "
    "state machine, which wait for the result and report a failure to CloudFormation); a dead-letter "
    "queue receives only events of asynchronous invocations."
)
FRAMEWORK_ON_EVENT_DLQ = (
    "CloudFormation invokes this Provider framework function asynchronously, and the function reports "
    "each failure to CloudFormation itself (FAILED, with the reason); an event it never answers fails "
    "the stack operation at CloudFormation's timeout. Nothing is lost silently, and a queued event "
    "(a pre-signed response URL) could not usefully be replayed."
)
HANDLER_CONTROL_PLANE = (
    "This is the role of a custom-resource handler of the toolkit: creating, updating, starting and "
    "deleting the Bedrock resources the stack declares (provisioned throughputs, evaluation and batch "
    "inference jobs, invocation logging, ingestion jobs) is its job. Each statement is scoped to the "
    "models, jobs or data sources of this stack (and throughputs to the stack's tag)."
)
EVALUATION_ROLE_BATCH = (
    'The user guide\'s evaluation service role ("Required Amazon Bedrock IAM actions", statement '
    "AllowSpecificModels) grants CreateModelInvocationJob and StopModelInvocationJob: Bedrock runs the "
    "evaluated models' inference as batch jobs under this role. They are granted on the models the job "
    "names and this account's model invocation jobs only."
)
SELF_MUTATION_LIST_BUCKET = (
    "CDK Pipelines gives its self-mutation step s3:ListBucket on * so that cdk deploy can find the "
    "bootstrap buckets of the target accounts, whose names it does not know in advance; the step reads "
    "no object with it (no s3:GetObject on *) and runs only this repository's cdk deploy."
)
CUSTOM_RESOURCE_FUNCTION_VPC = (
    "The function calls only AWS APIs (Amazon Bedrock, AWS Lambda, AWS Step Functions and "
    "CloudFormation's pre-signed S3 response URL) over TLS with IAM authentication, and reaches "
    "nothing on a private network; in a VPC it would need a NAT gateway or an endpoint for each."
)
CUSTOM_RESOURCE_FUNCTION_CONCURRENCY = (
    "The function runs only when CloudFormation creates, updates or deletes one of the stack's custom "
    "resources, a few invocations per deployment; reserved concurrency would take capacity from the "
    "account's unreserved pool, and cannot be set where the quota leaves less than 100 unreserved."
)
FRAMEWORK_ENVIRONMENT = (
    "The environment holds only the ARNs of the handler functions and of the waiter state machine, "
    "no secret; Lambda encrypts environment variables at rest with its own key."
)
FRAMEWORK_ENVIRONMENT_SECRETS = (
    "The environment holds only references (Fn::GetAtt, Ref) to the ARNs of the handler functions "
    "and of the waiter state machine: no literal value, so no secret. checkov 3.3.30 scanning many "
    "templates at once has flagged its own bookkeeping key (__file__) there."
)
ROLE_POLICY = (
    "The role's grants are one AWS::IAM::Policy that CDK attaches to this role alone and creates, "
    "changes and deletes with the stack; a managed policy would be a separately attachable copy "
    "of the same statements and would scope nothing more."
)
SSE_S3_BUCKET = (
    "Objects are encrypted at rest with SSE-S3 (AES-256, keys S3 manages and rotates) and reached "
    "over TLS only. A customer managed key is opt-in (kms_key_arn of the bucket), because every "
    "writer and reader then also needs kms:GenerateDataKey or kms:Decrypt on it."
)
SINGLE_REGION_BUCKET = (
    "Versioning keeps every overwritten or deleted object recoverable, the bucket is retained when it "
    "leaves the stack, and S3 stores objects across the Region's availability zones; a replica in a "
    "second Region is a data-residency choice left to the platform team."
)
LOG_DELIVERY_WILDCARD = (
    "Step Functions log delivery (logs:CreateLogDelivery and its kin) does not support "
    "resource-level permissions; the statement holds only those logging actions."
)
XRAY_WILDCARD = "X-Ray trace and sampling actions (xray:PutTraceSegments and its kin) take no resource."
LAMBDA_VPC_WILDCARD = (
    "Lambda attaches the function to its VPC with these EC2 actions, on network interfaces whose ids "
    "are not known in advance; DescribeNetworkInterfaces works only on * (Lambda developer guide, VPC "
    "access; the same as the AWS managed policy AWSLambdaVPCAccessExecutionRole)."
)
SCHEDULED_INGESTION = (
    "The schedule's role exists to start ingestion jobs: bedrock:StartIngestionJob on its one knowledge "
    "base, assumed by EventBridge Scheduler for this one schedule only."
)
HANDLER_LOGS = (
    "The log group holds only the custom-resource handlers' own lines (request type, logical id, "
    "physical id, error text; never resource properties), which CloudWatch Logs encrypts at rest "
    "with its own keys. A customer managed key is opt-in: handler_logs.kms_key_arn in the config."
)
WAITER_LOGS = (
    "The log group holds only the waiter state machine's state transitions, without execution data "
    "(include_execution_data is off); CloudWatch Logs encrypts it at rest with its own keys. A "
    "customer managed key is opt-in: handler_logs.kms_key_arn in the config."
)


def add_checks(scope: IConstruct) -> None:
    """Run cdk-nag's AwsSolutions, NIST 800-53 rev. 5 and HIPAA Security packs on the app of ``scope``.

    They are registered once, on the root (an app), and cover every stage under it (a pipeline's
    stages included): an unacknowledged finding of any of them fails synthesis.
    """
    root = scope.node.root
    if root in _CHECKED_APPS:
        return
    cdk.Validations.of(root).add_plugins(
        AwsSolutionsChecks(root), NIST80053R5Checks(root), HIPAASecurityChecks(root)
    )
    _CHECKED_APPS.add(root)


_CHECKED_APPS: weakref.WeakSet[IConstruct] = weakref.WeakSet()
"""Apps whose packs are registered (a second registration would run every check twice)."""


def add_bedrock_checks(scope: IConstruct) -> None:
    """Run the toolkit's Bedrock pack (:mod:`bedrock_platform.nag`) on the app of ``scope``, once;
    its production rules apply where the context ``bedrock-platform:production`` is true."""
    root = scope.node.root
    if root in _BEDROCK_CHECKED_APPS:
        return
    cdk.Validations.of(root).add_plugins(BedrockChecks(root))
    _BEDROCK_CHECKED_APPS.add(root)


_BEDROCK_CHECKED_APPS: weakref.WeakSet[IConstruct] = weakref.WeakSet()


def add_control_tower_checks(scope: IConstruct) -> None:
    """Run the AWS Control Tower proactive controls on the stacks of ``scope``'s stage (an app, or a
    pipeline's stage), once: :class:`~bedrock_platform.nag.ControlTowerChecks`, the rules of
    :data:`~bedrock_platform.spec.control_tower.PLATFORM_EXEMPTIONS` turned off.
    A finding fails synthesis; one resource's is acknowledged with :func:`acknowledge_control_tower`.
    """
    stage = scope if cdk.Stage.is_stage(scope) else cdk.Stage.of(scope)
    assert stage is not None, "a construct in an app has a stage"
    if stage in _CONTROL_TOWER_STAGES:
        return
    cdk.Validations.of(stage).add_plugins(ControlTowerChecks())
    _CONTROL_TOWER_STAGES.add(stage)


_CONTROL_TOWER_STAGES: weakref.WeakSet[IConstruct] = weakref.WeakSet()


def acknowledge_control_tower(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge the Control Tower rule ``rule`` (``lambda_inside_vpc_check``) for ``scope`` and
    everything in it."""
    acknowledge(scope, f"{control_tower.PLUGIN_NAME}::{rule}", reason)


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding of ``scope`` and its children: ``<pack>::<rule>[<detail>]``."""
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))


def acknowledge_compliance(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (``LambdaDLQ``) of both NIST 800-53 rev. 5 and HIPAA Security."""
    cdk.Validations.of(scope).acknowledge(
        *(cdk.Acknowledgment(id=f"{pack}::{pack}-{rule}", reason=reason) for pack in COMPLIANCE_PACKS)
    )


def acknowledge_wildcard(scope: IConstruct, resource_arn: str, reason: str) -> None:
    """Acknowledge AwsSolutions-IAM5 for one wildcard resource ARN in a policy under ``scope``.

    cdk-nag 3 matches acknowledgments by the exact finding, which names the resource as it appears
    in the template (``<LogicalId.Arn>/prefix/*``), so the finding text is built from the resolved ARN.
    """
    acknowledge(
        scope,
        f"{AWS_SOLUTIONS}::{AWS_SOLUTIONS}-IAM5[Resource::{nag_resource(scope, resource_arn)}]",
        reason,
    )


def nag_resource(scope: IConstruct, value: str) -> str:
    """How cdk-nag names a resource ARN in a finding: ``<LogicalId.Arn>/prefix/*`` or the literal ARN."""
    resolved = cdk.Stack.of(scope).resolve(value)
    return render(resolved)


def acknowledge_policy_wildcards(scope: IConstruct, reason: str) -> None:
    """Acknowledge AwsSolutions-IAM5 for each wildcard action and resource of the policies under ``scope``.

    For what a library generates (CDK Pipelines): cdk-nag 3 matches exact findings, which name
    each wildcard as it appears in the template, so they are read from the policies as built.
    Call it after the library has built them.
    """
    for construct in scope.node.find_all():
        if not isinstance(construct, iam.CfnPolicy):
            continue
        document = cdk.Stack.of(construct).resolve(construct.policy_document)
        for statement in document["Statement"]:
            actions = statement.get("Action", [])
            resources = statement.get("Resource", [])
            for action in [actions] if isinstance(actions, str) else actions:
                if "*" in action:
                    acknowledge(construct, f"{AWS_SOLUTIONS}::{AWS_SOLUTIONS}-IAM5[Action::{action}]", reason)
            for resource in [resources] if isinstance(resources, str | dict) else resources:
                text = render(resource)
                if "*" in text:
                    acknowledge(construct, f"{AWS_SOLUTIONS}::{AWS_SOLUTIONS}-IAM5[Resource::{text}]", reason)


def skip_checkov(resource: cdk.CfnResource, check_id: str, reason: str) -> None:
    """Skip checkov's ``check_id`` (``CKV_AWS_117``) on ``resource``, in its template metadata.

    Skips are kept sorted by id, one per check, so templates stay deterministic.
    """
    skip_checkov_checks(resource, {check_id: reason})


def skip_checkov_checks(resource: cdk.CfnResource, reasons: Mapping[str, str]) -> None:
    """Skip several of checkov's checks on ``resource`` at once: ``{check id: reason}``."""
    skips = checkov_skips(resource)
    skips.update(reasons)
    resource.add_metadata("checkov", {"skip": [{"id": id, "comment": skips[id]} for id in sorted(skips)]})


def checkov_skips(resource: cdk.CfnResource) -> dict[str, str]:
    """The checkov checks skipped on ``resource`` so far, with their reasons."""
    existing: Any = resource.get_metadata("checkov") or {}
    return {skip["id"]: skip["comment"] for skip in existing.get("skip", [])}


def l1(construct: IConstruct) -> cdk.CfnResource:
    """The L1 resource of an L2 construct (its ``Resource`` child)."""
    resource = construct.node.default_child
    assert isinstance(resource, cdk.CfnResource), f"{construct.node.path} has no L1 resource"
    return resource


def acknowledge_custom_resource_function(
    function: lambda_.Function, *, framework: bool = False, asynchronous: bool = False
) -> None:
    """A Lambda function of a custom-resource provider: no DLQ, VPC or reserved concurrency, and why.

    :param framework: one of the Provider framework's own functions, whose environment holds the
        ARNs of the handler functions and of the waiter state machine.
    :param asynchronous: CloudFormation invokes it (the Provider framework's onEvent function);
        otherwise the framework invokes it and waits for the result.
    """
    dlq = FRAMEWORK_ON_EVENT_DLQ if asynchronous else CUSTOM_RESOURCE_FUNCTION_DLQ
    acknowledge_compliance(function, "LambdaDLQ", dlq)
    acknowledge_compliance(function, "LambdaInsideVPC", CUSTOM_RESOURCE_FUNCTION_VPC)
    acknowledge_compliance(function, "LambdaConcurrency", CUSTOM_RESOURCE_FUNCTION_CONCURRENCY)
    skips = {
        "CKV_AWS_115": CUSTOM_RESOURCE_FUNCTION_CONCURRENCY,
        "CKV_AWS_116": dlq,
        "CKV_AWS_117": CUSTOM_RESOURCE_FUNCTION_VPC,
    }
    if framework:
        skips |= {"CKV_AWS_45": FRAMEWORK_ENVIRONMENT_SECRETS, "CKV_AWS_173": FRAMEWORK_ENVIRONMENT}
    skip_checkov_checks(l1(function), skips)


def acknowledge_role_policy(role: iam.IRole) -> None:
    """Acknowledge that ``role``'s grants are a policy of the stack attached to it alone.

    NIST 800-53 and HIPAA find that policy (CDK's ``DefaultPolicy``, an AWS::IAM::Policy) an
    inline policy, and ask for a managed one.
    """
    acknowledge_compliance(role, "IAMNoInlinePolicy", ROLE_POLICY)


def acknowledge_unencrypted_log_group(log_group: logs.ILogGroup, reason: str) -> None:
    """A log group that CloudWatch Logs encrypts with its own keys, not a customer managed key."""
    acknowledge_compliance(log_group, "CloudWatchLogGroupEncrypted", reason)
    skip_checkov(l1(log_group), "CKV_AWS_158", reason)


def acknowledge_bucket(bucket: s3.IBucket, *, access_logs: bool = False, sse_s3: bool = False) -> None:
    """What cdk-nag and checkov find in a bucket the toolkit creates, and why it is safe.

    Every such bucket is in one Region only. ``access_logs``: it is a server access log target
    (SSE-S3, no access logs of its own). ``sse_s3``: it has no customer managed key.
    """
    acknowledge_compliance(bucket, "S3BucketReplicationEnabled", SINGLE_REGION_BUCKET)
    if access_logs:
        for rule, reason in control_tower.ACCESS_LOG_BUCKET_EXEMPTIONS.items():
            acknowledge_control_tower(bucket, rule, reason)
        acknowledge_compliance(bucket, "S3DefaultEncryptionKMS", ACCESS_LOGS_BUCKET_ENCRYPTION)
        acknowledge(bucket, f"{AWS_SOLUTIONS}::{AWS_SOLUTIONS}-S1", ACCESS_LOGS_BUCKET_LOGGING)
        skip_checkov(l1(bucket), "CKV_AWS_18", ACCESS_LOGS_BUCKET_LOGGING)
    elif sse_s3:
        acknowledge_compliance(bucket, "S3DefaultEncryptionKMS", SSE_S3_BUCKET)
