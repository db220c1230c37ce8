"""The Lambda functions and the CDK Provider framework around one module of ``bedrock_platform.handlers``.

The handlers folder is deployed as is, as the package ``handlers`` (no bundling: the runtime
has boto3). One provider per handler module and stack, shared by every resource of that kind.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from bedrock_platform import permissions
from bedrock_platform.constructs.encryption import stack_key
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.nag import (
    BEDROCK_PACK,
    HANDLER_CONTROL_PLANE,
    HANDLER_LOGS,
    LAMBDA_VPC_WILDCARD,
    LOG_DELIVERY_WILDCARD,
    WAITER_LOGS,
    XRAY_WILDCARD,
    acknowledge,
    acknowledge_custom_resource_function,
    acknowledge_role_policy,
    acknowledge_unencrypted_log_group,
    acknowledge_wildcard,
    checkov_skips,
    skip_checkov,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
HANDLER_ASSET_EXCLUDE = ["*", "!handlers", "!handlers/*.py"]
"""Only ``handlers/*.py`` of the package goes into the asset (no caches, nothing else)."""
HANDLER_TIMEOUT = cdk.Duration.minutes(2)
LOG_RETENTION = logs.RetentionDays.ONE_YEAR
FRAMEWORK_FUNCTIONS = ("framework-onEvent", "framework-isComplete", "framework-onTimeout")
"""The Provider framework's own functions, by construct id."""
LOGS_KEY_ID = "HandlerLogsKey"
"""The construct id, in a stack, of the key :func:`use_handler_logs_key` names."""


@functools.cache
def latest_python_runtime() -> lambda_.Runtime:
    """The newest Python runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 wants it).

    Cached: reading every runtime's family and name is some 60 jsii calls per provider.
    """
    pythons = [runtime for runtime in lambda_.Runtime.ALL if runtime.family == lambda_.RuntimeFamily.PYTHON]
    return max(
        pythons, key=lambda runtime: tuple(int(part) for part in runtime.name[len("python") :].split("."))
    )


def _describe_from_the_stack(function: lambda_.Function, kind: str) -> None:
    """The framework's own description of ``function``, with its construct path from the stack down.

    The framework writes the whole construct path, which a pipeline's stage lengthens
    (``delivery-bedrock-pipeline/Deploy-dev/...``); from the stack down, a stage deploys the same
    template as ``cdk deploy`` of the environment.
    """
    stack = cdk.Stack.of(function)
    provider_path = function.node.scope.node.path if function.node.scope else function.node.path
    relative = provider_path[len(stack.node.path) + 1 :]
    resource = function.node.default_child
    assert isinstance(resource, cdk.CfnResource)
    resource.add_property_override(
        "Description", f"AWS CDK resource provider framework - {kind} ({stack.stack_name}/{relative})"
    )


def depend_on_policy_only(owner: IConstruct, role: IConstruct) -> None:
    """Make ``owner``'s resource depend on its role's default policy, not also on the role.

    CDK adds both, but the resource already references the role (``GetAtt``), so the role in
    ``DependsOn`` is redundant and cfn-lint warns (W3005). The policy must stay: the function
    may not run before its permissions exist.
    """
    resource = owner.node.default_child
    policy = role.node.find_child("DefaultPolicy").node.default_child
    assert isinstance(resource, cdk.CfnResource) and isinstance(policy, cdk.CfnElement)
    stack = cdk.Stack.of(owner)
    resource.add_override("DependsOn", [stack.resolve(stack.get_logical_id(policy))])


class HandlerProvider(Construct):
    """``on_event`` and ``is_complete`` of one handler module, their role and log group, and the Provider.

    :param module: the module in ``bedrock_platform/handlers/`` (``provisioned_throughput``).
    :param description: what the handlers do; in the role's and the functions' descriptions.
    :param query_interval: time between ``is_complete`` polls.
    :param total_timeout: how long the framework waits for ``is_complete`` (at most 1 hour).
    :param encryption_key: customer managed key of the log groups; its key policy must let the
        CloudWatch Logs service principal of the Region use it. Default: CloudWatch Logs' own keys.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        module: str,
        description: str,
        query_interval: cdk.Duration,
        total_timeout: cdk.Duration,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=LOG_RETENTION,
            removal_policy=cdk.RemovalPolicy.DESTROY,
            encryption_key=encryption_key,
        )
        waiter_logs = logs.LogGroup(
            self,
            "WaiterLogs",
            retention=LOG_RETENTION,
            removal_policy=cdk.RemovalPolicy.DESTROY,
            encryption_key=encryption_key,
        )
        if encryption_key is None:
            acknowledge_unencrypted_log_group(self.log_group, HANDLER_LOGS)
            acknowledge_unencrypted_log_group(waiter_logs, WAITER_LOGS)
        self.role = self._lambda_role("Role", f"bedrock-platform custom resource handler: {description}")
        # The handler is the deployment's hand in Bedrock: it buys, starts, sets and deletes what the
        # stack declares (Bedrock pack BR9), scoped by the statements each construct adds to it.
        acknowledge(self.role, f"{BEDROCK_PACK}::{BEDROCK_PACK}-BR9", HANDLER_CONTROL_PLANE)
        code = lambda_.Code.from_asset(str(PACKAGE_DIR), exclude=HANDLER_ASSET_EXCLUDE)
        functions = {
            name: lambda_.Function(
                self,
                name,
                runtime=latest_python_runtime(),
                code=code,
                handler=f"handlers.{module}.{entry}",
                role=self.role,
                timeout=HANDLER_TIMEOUT,
                log_group=self.log_group,
                description=f"bedrock-platform: {description} ({entry})",
            )
            for name, entry in (("OnEvent", "on_event"), ("IsComplete", "is_complete"))
        }
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=functions["OnEvent"],
            is_complete_handler=functions["IsComplete"],
            query_interval=query_interval,
            total_timeout=total_timeout,
            log_group=self.log_group,
            framework_on_event_role=self._lambda_role("FrameworkOnEventRole", "Provider framework: onEvent"),
            framework_complete_and_timeout_role=self._lambda_role(
                "FrameworkCompleteRole", "Provider framework: isComplete and onTimeout"
            ),
            disable_waiter_state_machine_logging=False,
            waiter_state_machine_log_options=cr.LogOptions(
                destination=waiter_logs,
                level=sfn.LogLevel.ALL,
                include_execution_data=False,
            ),
        )
        framework = {name: self._framework_function(name) for name in FRAMEWORK_FUNCTIONS}
        for name, function in framework.items():
            _describe_from_the_stack(function, name.removeprefix("framework-"))
        network = handler_vpc(self)
        if network is not None:
            for function in (*functions.values(), *framework.values()):
                network.place(function)

        waiter = self.provider.node.find_child("waiter-state-machine")
        _trace(waiter)
        self._acknowledge_framework(list(functions.values()), framework, waiter)
        for function in (*functions.values(), *framework.values()):
            assert function.role is not None
            depend_on_policy_only(function, function.role)
        depend_on_policy_only(waiter, waiter.node.find_child("Role"))

    def _framework_function(self, name: str) -> lambda_.Function:
        """One of the Provider framework's own functions."""
        function = self.provider.node.find_child(name)
        assert isinstance(function, lambda_.Function)
        return function

    def _lambda_role(self, id: str, description: str) -> iam.Role:
        """A Lambda role that may write only to this provider's log group (no managed policy)."""
        role = iam.Role(
            self, id, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=description
        )
        self.log_group.grant_write(role)
        acknowledge_role_policy(role)
        acknowledge_wildcard(
            role,
            self.log_group.log_group_arn,
            "The wildcard is the log streams of this provider's own log group, which Lambda names.",
        )
        return role

    def _acknowledge_framework(
        self, handlers: list[lambda_.Function], framework: dict[str, lambda_.Function], waiter: IConstruct
    ) -> None:
        """What cdk-nag and checkov find in the CDK Provider framework itself, and why each is safe."""
        for function in handlers:
            acknowledge_custom_resource_function(function)
            acknowledge_wildcard(
                self,
                f"{function.function_arn}:*",
                "The framework may invoke this one handler function; the wildcard is its version qualifier.",
            )
        for name, function in framework.items():
            acknowledge_custom_resource_function(
                function, framework=True, asynchronous=name == "framework-onEvent"
            )
        for name in ("framework-isComplete", "framework-onTimeout"):
            acknowledge_wildcard(
                waiter,
                f"{framework[name].function_arn}:*",
                "The waiter may invoke this one framework function; the wildcard is its version qualifier.",
            )
        acknowledge_wildcard(waiter, "*", f"{LOG_DELIVERY_WILDCARD} {XRAY_WILDCARD}")
        waiter_role = waiter.node.find_child("Role")
        assert isinstance(waiter_role, iam.Role)
        acknowledge_role_policy(waiter_role)
        policy = waiter_role.node.find_child("DefaultPolicy").node.default_child
        assert isinstance(policy, cdk.CfnResource)
        skip_checkov(policy, "CKV_AWS_111", LOG_DELIVERY_WILDCARD)

    @property
    def service_token(self) -> str:
        """What a ``CustomResource`` passes as its service token."""
        return self.provider.service_token

    @classmethod
    def of(
        cls,
        scope: Construct,
        *,
        module: str,
        description: str,
        query_interval: cdk.Duration,
        total_timeout: cdk.Duration,
    ) -> HandlerProvider:
        """The stack's provider for ``module``, created on first use.

        Its log groups are encrypted with the key :func:`use_handler_logs_key` named for the stack,
        when one was.
        """
        stack = cdk.Stack.of(scope)
        id = "".join(part.capitalize() for part in module.split("_")) + "Provider"
        existing = stack.node.try_find_child(id)
        if isinstance(existing, HandlerProvider):
            return existing
        return cls(
            stack,
            id,
            module=module,
            description=description,
            query_interval=query_interval,
            total_timeout=total_timeout,
            encryption_key=_logs_key(stack),
        )


def _trace(waiter: IConstruct) -> None:
    """X-Ray tracing on the Provider framework's waiter state machine (AWS Control Tower's
    CT.STEPFUNCTIONS.PR.2; cdk-nag's AwsSolutions-SF2), with what its role needs to send traces."""
    resource = waiter.node.default_child
    assert isinstance(resource, sfn.CfnStateMachine)
    resource.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(enabled=True)
    role = waiter.node.find_child("Role")
    assert isinstance(role, iam.Role)
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(permissions.XRAY_TRACING_ACTIONS), resources=["*"])
    )


class HandlerVpc:
    """The subnets and security groups the toolkit's Lambda functions of a stack run in."""

    def __init__(self, subnet_ids: Sequence[str], security_group_ids: Sequence[str]) -> None:
        self.subnet_ids = tuple(subnet_ids)
        self.security_group_ids = tuple(security_group_ids)

    def place(self, function: lambda_.IFunction, role: iam.IRole | None = None) -> None:
        """Run ``function`` in these subnets, and let ``role`` (default: the function's) attach it.
        Lambda checks the role when it creates the function, so the function must depend on that
        policy: it does, on its role's default policy. Placing a function twice changes nothing."""
        resource = function.node.default_child
        assert isinstance(resource, lambda_.CfnFunction)
        if resource.vpc_config is not None:
            return
        resource.vpc_config = lambda_.CfnFunction.VpcConfigProperty(
            subnet_ids=list(self.subnet_ids), security_group_ids=list(self.security_group_ids)
        )
        attaching = role or function.role
        assert attaching is not None
        attaching.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.LAMBDA_VPC_ACTIONS), resources=["*"])
        )
        acknowledge_wildcard(attaching, "*", LAMBDA_VPC_WILDCARD)
        policy = attaching.node.try_find_child("DefaultPolicy")
        if policy is not None and isinstance(policy.node.default_child, cdk.CfnResource):
            resource = policy.node.default_child
            earlier = checkov_skips(resource).get("CKV_AWS_111")
            reason = LAMBDA_VPC_WILDCARD if earlier is None else f"{earlier} {LAMBDA_VPC_WILDCARD}"
            skip_checkov(resource, "CKV_AWS_111", reason)


def use_handler_vpc(scope: Construct, subnet_ids: Sequence[str], security_group_ids: Sequence[str]) -> None:
    """Run the Lambda functions of every custom-resource provider in ``scope``'s stack (and its job data
    upload) in these subnets with these security groups; call it before adding those constructs. The
    subnets need a route to the AWS APIs the handlers call (NAT, or VPC endpoints)."""
    _VPCS[cdk.Stack.of(scope)] = HandlerVpc(subnet_ids, security_group_ids)


def handler_vpc(scope: IConstruct) -> HandlerVpc | None:
    """Where :func:`use_handler_vpc` placed the Lambda functions of ``scope``'s stack, if it did."""
    return _VPCS.get(cdk.Stack.of(scope))


_VPCS: weakref.WeakKeyDictionary[cdk.Stack, HandlerVpc] = weakref.WeakKeyDictionary()


def use_handler_logs_key(scope: Construct, key_arn: str) -> kms.IKey:
    """Encrypt the log groups of every custom-resource provider in ``scope``'s stack (throughput,
    jobs, invocation logging, ingestion) with the customer managed key ``key_arn``; call it before
    adding those constructs. The key's policy must let CloudWatch Logs use it (the README says how).
    Calling it again with the same ARN returns the same key."""
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(LOGS_KEY_ID)
    if existing is None:
        return kms.Key.from_key_arn(stack, LOGS_KEY_ID, key_arn)
    key = cast(kms.IKey, existing)
    if not cdk.Token.is_unresolved(key_arn) and key.key_arn != key_arn:
        raise ConstructValidationError(
            f"the handler logs key of stack {stack.node.id} is already {key.key_arn}, not {key_arn}"
        )
    return key


def _logs_key(stack: cdk.Stack) -> kms.IKey | None:
    """The key :func:`use_handler_logs_key` named for ``stack``, if one was; else the stack's own key
    (:func:`~bedrock_platform.constructs.encryption.stack_key`), if it has one."""
    existing = stack.node.try_find_child(LOGS_KEY_ID)
    return cast(kms.IKey, existing) if existing is not None else stack_key(stack)
