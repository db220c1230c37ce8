"""A knowledge base's application logs (the status of each file of its ingestion jobs), delivered to
a CloudWatch Logs log group as vended logs."""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_logs as logs
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.knowledge_base import IKnowledgeBase
from bedrock_platform.spec import logging as spec

DELIVERY_NAME = re.compile(r"^[\w-]+$")
DELIVERY_POLICY_ID = "KnowledgeBaseLogDeliveryPolicy"


class KnowledgeBaseLogs(Construct):
    """Deliver ``knowledge_base``'s ``APPLICATION_LOGS`` to ``log_group`` (user guide, "Monitor
    knowledge bases using CloudWatch Logs"): an ``AWS::Logs::DeliverySource`` on the knowledge
    base, an ``AWS::Logs::DeliveryDestination`` on the log group (JSON events) and the
    ``AWS::Logs::Delivery`` pairing them, created after both.

    CloudWatch Logs writes the events as ``delivery.logs.amazonaws.com``: the stack gets one
    CloudWatch Logs resource policy (``AWS::Logs::ResourcePolicy``, at most 10 per account and
    Region) that lets it create streams and put events in these log groups only, for deliveries of
    this account only (``aws:SourceAccount``, ``aws:SourceArn``), as the CloudWatch Logs user
    guide's "Logs sent to CloudWatch Logs" policy does. Without it, CloudWatch Logs would try to
    write such a policy itself with the deploying role's permissions.

    :param knowledge_base: the knowledge base whose logs are delivered.
    :param log_group: where they go; its encryption key, if any, must let CloudWatch Logs use it.
    :param delivery_name: the delivery source's and destination's name: letters, digits,
        underscores and hyphens, at most 60 (``spec.logging.delivery_name`` fits any).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base: IKnowledgeBase,
        log_group: logs.ILogGroup,
        delivery_name: str,
    ) -> None:
        super().__init__(scope, id)
        if not cdk.Token.is_unresolved(delivery_name) and (
            len(delivery_name) > spec.DELIVERY_NAME_MAX or not DELIVERY_NAME.match(delivery_name)
        ):
            raise ConstructValidationError(
                f"KnowledgeBaseLogs {id!r}: delivery_name {delivery_name!r} must be letters, digits, "
                f"underscores and hyphens, at most {spec.DELIVERY_NAME_MAX}"
            )
        source = logs.CfnDeliverySource(
            self,
            "Source",
            name=delivery_name,
            log_type=spec.KNOWLEDGE_BASE_LOG_TYPE,
            resource_arn=knowledge_base.knowledge_base_arn,
        )
        destination = logs.CfnDeliveryDestination(
            self,
            "Destination",
            name=delivery_name,
            destination_resource_arn=log_group.log_group_arn,
            output_format=spec.DELIVERY_OUTPUT_FORMAT,
        )
        self.delivery = logs.CfnDelivery(
            self,
            "Delivery",
            delivery_source_name=source.ref,
            delivery_destination_arn=destination.attr_arn,
        )
        policy = _delivery_policy(self)
        policy.log_groups.append(log_group.log_group_name)
        # The first events can arrive as soon as the delivery exists.
        self.delivery.node.add_dependency(policy.resource)
        self.log_group = log_group


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
