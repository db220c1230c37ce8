"""A knowledge base's application logs (the status of each file of its ingestion jobs), delivered as
vended logs to a CloudWatch Logs log group, an S3 bucket or a Firehose stream."""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.knowledge_base import IKnowledgeBase
from bedrock_platform.spec import logging as spec

DELIVERY_NAME = re.compile(r"^[\w-]+$")
DELIVERY_POLICY_ID = "KnowledgeBaseLogDeliveryPolicy"


class KnowledgeBaseLogs(Construct):
    """Deliver ``knowledge_base``'s ``APPLICATION_LOGS`` (user guide, "Monitor knowledge bases using
    CloudWatch Logs") to a CloudWatch Logs log group, an S3 bucket and/or a Firehose stream: one
    ``AWS::Logs::DeliverySource`` on the knowledge base, and per destination an
    ``AWS::Logs::DeliveryDestination`` (JSON events) and the ``AWS::Logs::Delivery`` pairing them,
    the deliveries created one after another (concurrent ones on a source fail with
    ConflictException).

    CloudWatch Logs writes as ``delivery.logs.amazonaws.com``, for deliveries of this account only
    (``aws:SourceAccount``, ``aws:SourceArn``), as the CloudWatch Logs user guide's "Enable logging
    from AWS services" has it:

    - to a log group: the stack gets one CloudWatch Logs resource policy (``AWS::Logs::ResourcePolicy``,
      at most 10 per account and Region) that lets it create streams and put events in these log
      groups only. Without it, CloudWatch Logs would try to write such a policy itself with the
      deploying role's permissions.
    - to a bucket: the bucket's policy lets it put objects with the bucket-owner-full-control ACL and
      read the bucket's ACL; a key the app creates lets it encrypt with it (an imported key's policy
      is its owner's).
    - to a Firehose stream: CloudWatch Logs tags the stream ``LogDeliveryEnabled: true`` and writes
      with its service-linked role ``AWSServiceRoleForLogDelivery``, both with the deploying role's
      permissions (``firehose:TagDeliveryStream``, ``iam:CreateServiceLinkedRole``), which the
      bootstrap's execution role holds. The stream's encryption and retention are its own.

    :param knowledge_base: the knowledge base whose logs are delivered.
    :param delivery_name: the name of its destinations: letters, digits, underscores and hyphens, at
        most 60 (``spec.logging.delivery_name`` fits any); the S3 and Firehose ones add a suffix.
    :param source_name: the delivery source's name. Default: ``delivery_name`` of the knowledge base's
        AWS name, when the knowledge base is a :class:`KnowledgeBase` (a replaced knowledge base gets
        a new source: a source's resource cannot change in place), else ``delivery_name``.
    :param log_group: a log group to deliver to; its encryption key, if any, must let CloudWatch Logs
        use it. Default: none.
    :param bucket: a bucket to deliver to, whose policy this adds to (the delivery service may put
        objects anywhere in it, for this account's delivery sources): one kept for these logs.
        Default: none.
    :param delivery_stream_arn: a Firehose stream of this account and Region to deliver to.
        Default: none. At least one destination is needed.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base: IKnowledgeBase,
        delivery_name: str,
        source_name: str | None = None,
        log_group: logs.ILogGroup | None = None,
        bucket: s3.IBucket | None = None,
        delivery_stream_arn: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        if source_name is None:
            aws_name = getattr(knowledge_base, "knowledge_base_name", None)
            source_name = spec.delivery_name(aws_name) if isinstance(aws_name, str) else delivery_name
        for argument, name in (("delivery_name", delivery_name), ("source_name", source_name)):
            if not cdk.Token.is_unresolved(name) and (
                len(name) > spec.DELIVERY_NAME_MAX or not DELIVERY_NAME.match(name)
            ):
                raise ConstructValidationError(
                    f"KnowledgeBaseLogs {id!r}: {argument} {name!r} must be letters, digits, "
                    f"underscores and hyphens, at most {spec.DELIVERY_NAME_MAX}"
                )
        if log_group is None and bucket is None and delivery_stream_arn is None:
            raise ConstructValidationError(
                f"KnowledgeBaseLogs {id!r}: give at least one of log_group, bucket and delivery_stream_arn"
            )
        if delivery_stream_arn is not None and not cdk.Token.is_unresolved(delivery_stream_arn):
            _check_stream(id, delivery_stream_arn, cdk.Stack.of(self))
        self.source = logs.CfnDeliverySource(
            self,
            "Source",
            name=source_name,
            log_type=spec.KNOWLEDGE_BASE_LOG_TYPE,
            resource_arn=knowledge_base.knowledge_base_arn,
        )
        self.deliveries: list[logs.CfnDelivery] = []
        self.log_group = log_group
        self.bucket = bucket
        if log_group is not None:
            policy = _delivery_policy(self)
            policy.log_groups.append(log_group.log_group_name)
            # The first events can arrive as soon as the delivery exists.
            self._deliver("cloudwatch", "", log_group.log_group_arn, delivery_name).node.add_dependency(
                policy.resource
            )
        if bucket is not None:
            writer = self._let_delivery_write(bucket)
            delivery = self._deliver("s3", "S3", bucket.bucket_arn, delivery_name)
            if writer is not None:
                delivery.node.add_dependency(writer)
        if delivery_stream_arn is not None:
            # A new stream is a new destination (its name and resource are create-only).
            named_by = "" if cdk.Token.is_unresolved(delivery_stream_arn) else delivery_stream_arn
            self._deliver("firehose", "Firehose", delivery_stream_arn, delivery_name, named_by=named_by)
        self.delivery = self.deliveries[0]
        """The first delivery (the log group's when there is one)."""

    def _deliver(
        self, kind: str, prefix: str, resource_arn: str, delivery_name: str, *, named_by: str = ""
    ) -> logs.CfnDelivery:
        """A destination of ``kind`` on ``resource_arn`` (named with 6 hex digits of ``named_by`` when
        given) and its delivery, after the previous one."""
        destination = logs.CfnDeliveryDestination(
            self,
            f"{prefix}Destination",
            name=spec.destination_name(delivery_name, kind, named_by),
            destination_resource_arn=resource_arn,
            output_format=spec.DELIVERY_OUTPUT_FORMAT,
        )
        delivery = logs.CfnDelivery(
            self,
            f"{prefix}Delivery",
            delivery_source_name=self.source.ref,
            delivery_destination_arn=destination.attr_arn,
        )
        if self.deliveries:
            delivery.node.add_dependency(self.deliveries[-1])
        self.deliveries.append(delivery)
        return delivery

    def _let_delivery_write(self, bucket: s3.IBucket) -> Construct | None:
        """The bucket policy (and the key policy of a key this app creates) that let the delivery
        service write; the bucket policy resource, to create the delivery after."""
        stack = cdk.Stack.of(self)
        conditions = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": _delivery_sources(stack)},
        }
        service = iam.ServicePrincipal(spec.DELIVERY_PRINCIPAL)
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="KnowledgeBaseLogDeliveryWrite",
                principals=[service],
                actions=list(spec.DELIVERY_S3_ACTIONS),
                # The object key's layout is the delivery's (its suffix path): any key of the bucket.
                resources=[bucket.arn_for_objects("*")],
                conditions={
                    "StringEquals": {
                        "aws:SourceAccount": stack.account,
                        "s3:x-amz-acl": spec.DELIVERY_S3_ACL,
                    },
                    "ArnLike": {"aws:SourceArn": _delivery_sources(stack)},
                },
            )
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="KnowledgeBaseLogDeliveryAclCheck",
                principals=[service],
                actions=list(spec.DELIVERY_S3_ACL_ACTIONS),
                resources=[bucket.bucket_arn],
                conditions=conditions,
            )
        )
        key = bucket.encryption_key
        if isinstance(key, kms.Key) and key.node.try_find_child(DELIVERY_KEY_STATEMENT_MARK) is None:
            Construct(key, DELIVERY_KEY_STATEMENT_MARK)
            key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="KnowledgeBaseLogDelivery",
                    principals=[service],
                    actions=list(spec.DELIVERY_KEY_ACTIONS),
                    resources=["*"],
                    conditions=conditions,
                )
            )
        return bucket.policy


def _check_stream(id: str, arn: str, stack: cdk.Stack) -> None:
    """A Firehose stream ARN of the stack's account and Region (a stream elsewhere would need a
    delivery destination policy in its own account)."""
    if spec.FIREHOSE_STREAM_ARN.match(arn) is None:
        raise ConstructValidationError(
            f"KnowledgeBaseLogs {id!r}: delivery_stream_arn {arn!r} is not a Firehose stream ARN "
            "(arn:aws:firehose:<region>:<account>:deliverystream/<name>)"
        )
    for part, actual in zip(("account", "region"), spec.stream_place(arn), strict=True):
        expected = getattr(stack, part)
        if not cdk.Token.is_unresolved(expected) and actual != expected:
            raise ConstructValidationError(
                f"KnowledgeBaseLogs {id!r}: delivery_stream_arn is in {part} {actual!r}, not the "
                f"stack's {expected!r}"
            )


def _delivery_sources(stack: cdk.Stack) -> str:
    """The ARNs of this account's delivery sources in the stack's Region."""
    return stack.format_arn(
        service="logs",
        resource="delivery-source",
        resource_name="*",
        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
    )


DELIVERY_KEY_STATEMENT_MARK = "KnowledgeBaseLogDeliveryAllowed"
"""A child construct marking a key whose policy already lets the delivery service use it."""


class _DeliveryPolicy(Construct):
    """The stack's CloudWatch Logs resource policy for log delivery into its knowledge base log groups."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.log_groups: list[str] = []
        stack = cdk.Stack.of(self)
        self.resource = logs.CfnResourcePolicy(
            self,
            "Resource",
            policy_name=f"{stack.stack_name}-kb-log-delivery",
            policy_document=cdk.Lazy.string(_DocumentOf(self)),
        )

    def _document(self) -> dict[str, Any]:
        stack = cdk.Stack.of(self)
        streams = [
            stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=f"{name}:log-stream:*",
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )
            for name in self.log_groups
        ]
        return {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "KnowledgeBaseLogDelivery",
                    "Effect": "Allow",
                    "Principal": {"Service": spec.DELIVERY_PRINCIPAL},
                    "Action": list(spec.DELIVERY_ACTIONS),
                    "Resource": streams,
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": stack.account},
                        "ArnLike": {"aws:SourceArn": stack.format_arn(service="logs", resource="*")},
                    },
                }
            ],
        }


@jsii.implements(cdk.IStableStringProducer)
class _DocumentOf:
    """The policy document, rendered when the template is (every knowledge base has added its log group)."""

    def __init__(self, policy: _DeliveryPolicy) -> None:
        self.policy = policy

    def produce(self) -> str:
        return cdk.Stack.of(self.policy).to_json_string(self.policy._document())


def _delivery_policy(scope: Construct) -> _DeliveryPolicy:
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(DELIVERY_POLICY_ID)
    if isinstance(existing, _DeliveryPolicy):
        return existing
    return _DeliveryPolicy(stack, DELIVERY_POLICY_ID)
