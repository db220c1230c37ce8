"""What AWS services other than Bedrock do with the toolkit's resources when they are created and run,
and whether the synthesized policies allow it: Lambda attaching a function to its VPC, Step Functions
sending a state machine's X-Ray traces, CloudWatch Logs encrypting a log group with a key the stack
creates. Each need is written here from the service's own guide (not read from the toolkit's
``permissions.py``), and evaluated against the synthesized role and key policies of every assembly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bedrock_platform.spec import sync
from tests.deploy_proof.assembly import Assembly
from tests.deploy_proof.conftest import ASSEMBLIES
from tests.deploy_proof.iam import Request, as_list, decide
from tests.deploy_proof.simulate import role_statements
from tests.deploy_proof.test_service_roles import _bucket_key, _created_key, _service_statements

LAMBDA_VPC = (
    "Lambda developer guide, 'Giving Lambda functions access to resources in an Amazon VPC': the "
    "execution role needs these to create and manage the function's network interfaces; Lambda "
    "checks them when it creates the function"
)
LAMBDA_VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
XRAY = (
    "Step Functions developer guide, 'IAM policies for using AWS X-Ray in Step Functions': a state "
    "machine with tracing sends its traces with its own role"
)
XRAY_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)
LOGS_KMS = (
    "CloudWatch Logs user guide, 'Encrypt log data in CloudWatch Logs using AWS KMS': the key policy lets "
    "logs.<region>.amazonaws.com use the key, with the log group's ARN as encryption context"
)
LOGS_KMS_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom")


@dataclass(frozen=True)
class Need:
    """One request a service makes, where it must be allowed, and the guide that says so."""

    where: str
    """``<stack>/<logical id>`` of the resource that needs it."""
    policy: str
    """``role`` (the role's identity policies), ``key`` (the key policy, as the service principal),
    ``logs`` (the CloudWatch Logs resource policies of the account and Region) or ``bucket`` (the
    bucket policy, as the service principal)."""
    principal: str
    """The role ARN, or the service principal."""
    request: Request
    section: str
    key: str = ""
    """The ARN of the key whose policy must allow a ``key`` need; the bucket's name for a ``bucket``
    need."""


def lambda_vpc_needs(assembly: Assembly) -> Iterator[Need]:
    """A function with a VpcConfig: its role may create, describe and delete network interfaces."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Lambda::Function" or "VpcConfig" not in resource["Properties"]:
            continue
        role = assembly.resolve(stack.name, resource["Properties"]["Role"])
        for action in LAMBDA_VPC_ACTIONS:
            yield Need(f"{stack.name}/{logical_id}", "role", role, Request(action, "*"), LAMBDA_VPC)


def xray_needs(assembly: Assembly) -> Iterator[Need]:
    """A state machine with tracing on: its role may send traces and read sampling rules."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::StepFunctions::StateMachine":
            continue
        tracing = assembly.resolve(stack.name, resource["Properties"].get("TracingConfiguration", {}))
        if not tracing.get("Enabled"):
            continue
        role = assembly.resolve(stack.name, resource["Properties"]["RoleArn"])
        for action in XRAY_ACTIONS:
            yield Need(f"{stack.name}/{logical_id}", "role", role, Request(action, "*"), XRAY)


def log_group_key_needs(assembly: Assembly) -> Iterator[Need]:
    """A log group encrypted with a key the assembly creates: the key policy lets CloudWatch Logs of the
    Region use it for that log group."""
    keys = {
        assembly.get_att(stack, logical_id, "Arn"): (stack, logical_id)
        for stack, logical_id, resource in assembly.resources()
        if resource["Type"] == "AWS::KMS::Key"
    }
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Logs::LogGroup" or "KmsKeyId" not in resource["Properties"]:
            continue
        key = assembly.resolve(stack.name, resource["Properties"]["KmsKeyId"])
        if key not in keys:
            continue  # a key of the config: its policy is its owner's (the README says what it needs)
        log_group = f"arn:aws:logs:{stack.region}:{stack.account}:log-group:{assembly.ref(stack, logical_id)}"
        context = {"kms:EncryptionContext:aws:logs:arn": log_group}
        principal = f"logs.{stack.region}.amazonaws.com"
        for action in LOGS_KMS_ACTIONS:
            yield Need(
                f"{stack.name}/{logical_id}",
                "key",
                principal,
                Request(action, key, context),
                LOGS_KMS,
                key=key,
            )


LOG_DELIVERY = (
    "CloudWatch Logs user guide, 'Enable logging from AWS services' > 'Logs sent to CloudWatch Logs': "
    "delivery.logs.amazonaws.com creates the log streams and puts the events of a delivery, as the "
    "log group's resource policy allows, with aws:SourceAccount and aws:SourceArn (the delivery source); "
    "Bedrock user guide, 'Monitor knowledge bases using CloudWatch Logs'"
)
LOG_DELIVERY_S3 = (
    "CloudWatch Logs user guide, 'Enable logging from AWS services' > 'Logs sent to Amazon S3': "
    "delivery.logs.amazonaws.com puts objects with the bucket-owner-full-control ACL and reads the "
    "bucket's ACL, as the bucket policy allows, with aws:SourceAccount and aws:SourceArn; with SSE-KMS, "
    "the key policy lets it generate data keys ('Amazon S3 bucket server-side encryption')"
)


def log_delivery_needs(assembly: Assembly) -> Iterator[Need]:
    """A vended log delivery: to a log group, CloudWatch Logs' delivery service may create streams and
    put events in it; to a bucket, it may put objects and read the bucket's ACL, and use the bucket's
    key when the assembly creates it; for that delivery source of this account. (To a Firehose stream
    it writes with its service-linked role, which no template holds.)"""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Logs::Delivery":
            continue
        properties = assembly.resolve(stack.name, resource["Properties"])
        destination = next(
            assembly.resolve(stack.name, candidate["Properties"])
            for other, candidate_id, candidate in assembly.resources()
            if candidate["Type"] == "AWS::Logs::DeliveryDestination"
            and assembly.get_att(other, candidate_id, "Arn") == properties["DeliveryDestinationArn"]
        )
        target = str(destination["DestinationResourceArn"])
        source = (
            f"arn:aws:logs:{stack.region}:{stack.account}:delivery-source:{properties['DeliverySourceName']}"
        )
        context = {"aws:SourceAccount": stack.account, "aws:SourceArn": source}
        where = f"{stack.name}/{logical_id}"
        if target.startswith("arn:aws:logs:"):
            log_group = target.removesuffix(":*")
            for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
                request = Request(action, f"{log_group}:log-stream:ingestion", context)
                yield Need(where, "logs", DELIVERY_SERVICE, request, LOG_DELIVERY)
        elif target.startswith("arn:aws:s3:::"):
            bucket = target.removeprefix("arn:aws:s3:::")
            put = {**context, "s3:x-amz-acl": "bucket-owner-full-control"}
            key_name = f"AWSLogs/{stack.account}/bedrock/{properties['DeliverySourceName']}/log.json.gz"
            yield Need(
                where,
                "bucket",
                DELIVERY_SERVICE,
                Request("s3:PutObject", f"{target}/{key_name}", put),
                LOG_DELIVERY_S3,
                key=bucket,
            )
            yield Need(
                where,
                "bucket",
                DELIVERY_SERVICE,
                Request("s3:GetBucketAcl", target, context),
                LOG_DELIVERY_S3,
                key=bucket,
            )
            key = _bucket_key(assembly, bucket)
            if key is not None and _created_key(assembly, key) is not None:
                request = Request("kms:GenerateDataKey", key, context)
                yield Need(where, "key", DELIVERY_SERVICE, request, LOG_DELIVERY_S3, key=key)


DELIVERY_SERVICE = "delivery.logs.amazonaws.com"
ENFORCEMENT = (
    "Bedrock user guide, 'Apply cross-account safeguards with Amazon Bedrock Guardrails enforcements' and "
    "'Using resource-based policies for guardrails': with account-level enforcement every model invocation "
    "of the account applies the guardrail, and a caller without bedrock:ApplyGuardrail on it is refused; a "
    "resource policy naming the account delegates to IAM, so each role that invokes models needs it itself"
)


def _model_invoking_roles(assembly: Assembly) -> Iterator[tuple[str, str]]:
    """(stack, role ARN) of every role the assembly gives Bedrock to invoke models with: knowledge
    bases (their embedding model), evaluation and batch inference jobs."""
    for stack, _, resource in assembly.resources():
        if resource["Type"] == "AWS::Bedrock::KnowledgeBase":
            yield stack.name, assembly.resolve(stack.name, resource["Properties"]["RoleArn"])
        elif resource["Type"] in ("Custom::BedrockEvaluationJob", "Custom::BedrockBatchInferenceJob"):
            yield stack.name, assembly.resolve(stack.name, resource["Properties"]["Request"]["roleArn"])


def enforcement_needs(assembly: Assembly) -> Iterator[Need]:
    """An enforced guardrail: every role the assembly invokes models with may apply it."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Bedrock::EnforcedGuardrailConfiguration":
            continue
        guardrail = assembly.resolve(stack.name, resource["Properties"]["GuardrailIdentifier"])
        for role_stack, role in _model_invoking_roles(assembly):
            request = Request("bedrock:ApplyGuardrail", guardrail)
            yield Need(f"{role_stack}/{logical_id}", "role", role, request, ENFORCEMENT)


NEEDS = (lambda_vpc_needs, xray_needs, log_group_key_needs, log_delivery_needs, enforcement_needs)


def _key_policy(assembly: Assembly, key_arn: str) -> list[dict[str, Any]]:
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] == "AWS::KMS::Key" and assembly.get_att(stack, logical_id, "Arn") == key_arn:
            return as_list(assembly.resolve(stack.name, resource["Properties"]["KeyPolicy"])["Statement"])
    raise AssertionError(f"no key {key_arn} in the assembly")


def _bucket_policy(assembly: Assembly, bucket: str) -> list[dict[str, Any]]:
    """The statements of the policy of the bucket named ``bucket``; none when it has none."""
    for stack, _, resource in assembly.resources():
        if (
            resource["Type"] == "AWS::S3::BucketPolicy"
            and assembly.resolve(stack.name, resource["Properties"]["Bucket"]) == bucket
        ):
            document = assembly.resolve(stack.name, resource["Properties"]["PolicyDocument"])
            return as_list(document["Statement"])
    return []


def _logs_resource_policies(assembly: Assembly, stack_name: str) -> list[dict[str, Any]]:
    """Every CloudWatch Logs resource policy statement in the account and Region of ``stack_name``."""
    where = assembly.stacks[stack_name]
    statements: list[dict[str, Any]] = []
    for stack, _, resource in assembly.resources():
        if resource["Type"] == "AWS::Logs::ResourcePolicy" and (stack.account, stack.region) == (
            where.account,
            where.region,
        ):
            document = assembly.resolve_string(stack.name, resource["Properties"]["PolicyDocument"])
            statements += as_list(json.loads(document)["Statement"])
    return statements


def allowed(assembly: Assembly, need: Need) -> bool:
    stack = need.where.split("/", 1)[0]
    if need.policy == "role":
        return decide(role_statements(assembly, stack, need.principal), need.request)
    if need.policy == "bucket":
        return decide(_service_statements(_bucket_policy(assembly, need.key), need.principal), need.request)
    if need.policy == "logs":
        return decide(
            _service_statements(_logs_resource_policies(assembly, stack), need.principal), need.request
        )
    return decide(_service_statements(_key_policy(assembly, need.key), need.principal), need.request)


@pytest.mark.parametrize("name", ASSEMBLIES)
def test_every_service_need_is_allowed(name: str, assemblies: dict[str, Assembly]) -> None:
    assembly = assemblies[name]
    missing = sorted(
        {
            f"{need.where}: {need.principal}: {need.request.describe()}\n    required by: {need.section}"
            for needs in NEEDS
            for need in needs(assembly)
            if not allowed(assembly, need)
        }
    )
    assert not missing, f"{len(missing)} requests the services make are not allowed:\n" + "\n".join(missing)


def test_prod_has_each_kind_of_need(assemblies: dict[str, Assembly]) -> None:
    """prod puts its handlers in a VPC and its handler log groups on the stack key, every waiter
    traces, and its knowledge base logs are delivered: the test above has something to check for each
    kind; the governed-account starter enforces a guardrail."""
    prod = assemblies["config/prod"]
    assert all(any(needs(prod)) for needs in NEEDS if needs is not enforcement_needs)
    assert any(enforcement_needs(assemblies["template/governed-account"]))


def test_prod_delivers_knowledge_base_logs_to_a_keyed_bucket_and_another_source_is_refused(
    assemblies: dict[str, Assembly],
) -> None:
    """prod archives product-docs' logs in a bucket under its stack key: the bucket and key needs are
    checked, and the check refuses a request from another account's delivery source."""
    prod = assemblies["config/prod"]
    needs = [need for need in log_delivery_needs(prod) if need.policy in ("bucket", "key")]
    assert {need.request.action for need in needs} == {
        "s3:PutObject",
        "s3:GetBucketAcl",
        "kms:GenerateDataKey",
    }
    for need in needs:
        assert allowed(prod, need)
        elsewhere = {**need.request.context, "aws:SourceAccount": "999999999999"}
        request = Request(need.request.action, need.request.resource, elsewhere)
        assert not allowed(
            prod, Need(need.where, need.policy, need.principal, request, need.section, need.key)
        )
    put = next(need for need in needs if need.request.action == "s3:PutObject")
    without_acl = {k: v for k, v in put.request.context.items() if k != "s3:x-amz-acl"}
    request = Request(put.request.action, put.request.resource, without_acl)
    assert not allowed(prod, Need(put.where, put.policy, put.principal, request, put.section, put.key))


def test_a_role_without_apply_guardrail_would_be_refused(assemblies: dict[str, Assembly]) -> None:
    """The check itself: the governed-account starter's roles are checked, and a role's policy that
    does not name the guardrail does not pass."""
    governed = assemblies["template/governed-account"]
    needs = list(enforcement_needs(governed))
    assert {need.principal for need in needs} == {role for _, role in _model_invoking_roles(governed)}
    assert len(needs) >= 2  # the knowledge base's role and the evaluation job's
    need = needs[0]
    elsewhere = Request(
        need.request.action, need.request.resource.replace(":guardrail/", ":guardrail-profile/")
    )
    assert allowed(governed, need)
    assert not allowed(governed, Need(need.where, "role", need.principal, elsewhere, need.section))


def test_a_key_policy_for_another_log_group_or_service_is_refused(assemblies: dict[str, Assembly]) -> None:
    """The check itself: the key allows CloudWatch Logs of its own Region only, and not Lambda."""
    prod = assemblies["config/prod"]
    need = next(log_group_key_needs(prod))
    assert allowed(prod, need)
    elsewhere = Need(
        need.where, "key", "logs.us-east-1.amazonaws.com", need.request, need.section, key=need.key
    )
    assert not allowed(prod, elsewhere)
    other_service = Need(need.where, "key", "lambda.amazonaws.com", need.request, need.section, key=need.key)
    assert not allowed(prod, other_service)


SCHEDULER = (
    "EventBridge Scheduler user guide, 'Set up the execution role' and 'Using universal targets': "
    "the schedule assumes its role (scheduler.amazonaws.com, confused-deputy keys aws:SourceAccount and "
    "aws:SourceArn) and calls the target API with it: here bedrock:StartIngestionJob on the knowledge base"
)


def schedule_needs(assembly: Assembly) -> Iterator[Need]:
    """A schedule whose target is StartIngestionJob: its role trusts Scheduler for this schedule, and
    may start ingestion jobs of the knowledge base its input names."""
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] != "AWS::Scheduler::Schedule":
            continue
        properties = assembly.resolve(stack.name, resource["Properties"])
        target = properties["Target"]
        if target["Arn"] != sync.TARGET_ARN:
            continue
        role = target["RoleArn"]
        arguments = json.loads(target["Input"])
        knowledge_base = (
            f"arn:aws:bedrock:{stack.region}:{stack.account}:knowledge-base/{arguments['knowledgeBaseId']}"
        )
        where = f"{stack.name}/{logical_id}"
        yield Need(where, "role", role, Request("bedrock:StartIngestionJob", knowledge_base), SCHEDULER)
        schedule = f"arn:aws:scheduler:{stack.region}:{stack.account}:schedule/default/{properties['Name']}"
        trust = {"aws:SourceAccount": stack.account, "aws:SourceArn": schedule}
        yield Need(where, "trust", role, Request("sts:AssumeRole", role, trust), SCHEDULER)


def _trusts(assembly: Assembly, need: Need) -> bool:
    stack = assembly.stacks[need.where.split("/", 1)[0]]
    for logical_id, resource in stack.resources.items():
        if (
            resource["Type"] == "AWS::IAM::Role"
            and assembly.get_att(stack, logical_id, "Arn") == need.principal
        ):
            document = assembly.resolve(stack.name, resource["Properties"]["AssumeRolePolicyDocument"])
            return decide(
                _service_statements(as_list(document["Statement"]), sync.SCHEDULER_SERVICE), need.request
            )
    return False


def test_every_schedule_may_start_its_ingestion(assemblies: dict[str, Assembly]) -> None:
    """The proof config syncs a data source daily: its schedule's role holds what Scheduler needs."""
    needs = [need for need in schedule_needs(assemblies["proof/existing-stores"])]
    assert needs
    for need in needs:
        assert (_trusts if need.policy == "trust" else allowed)(assemblies["proof/existing-stores"], need), (
            need
        )
    other = needs[0]
    elsewhere = Need(
        other.where,
        other.policy,
        other.principal,
        Request("bedrock:StartIngestionJob", "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/OTHER"),
        other.section,
    )
    assert not allowed(assemblies["proof/existing-stores"], elsewhere)


def test_the_schedule_input_is_start_ingestion_jobs_request() -> None:
    """The universal target's input is the API's request: StartIngestionJob's required members, by
    botocore's model (the service's own)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("bedrock-agent")
    assert tuple(model.operation_model("StartIngestionJob").input_shape.required_members) == sync.INPUT_KEYS
