"""What every stack of an environment shares."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs.encryption import use_stack_key
from bedrock_platform.constructs.handler_provider import use_handler_logs_key, use_handler_vpc
from bedrock_platform.constructs.nag import BEDROCK_PACK, acknowledge, acknowledge_control_tower


class PlatformStack(cdk.Stack):
    """A stack deployed to the config's account and Region, with termination protection in prod.

    No version-reporting resource: templates depend only on the config and the toolkit.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig, purpose: str) -> None:
        super().__init__(
            scope,
            id,
            # The id, also inside a pipeline's stage (which would prefix it): a pipeline and a
            # laptop deploy the same CloudFormation stacks.
            stack_name=id,
            env=cdk.Environment(account=config.account, region=config.region),
            description=f"bedrock-platform {config.environment}: {purpose}",
            termination_protection=config.is_prod,
            analytics_reporting=False,
        )
        self.config = config
        if config.handler_logs_kms_key_arn:
            # For the log groups of every custom-resource provider of this stack.
            use_handler_logs_key(self, config.handler_logs_kms_key_arn)
        if config.handler_vpc is not None:
            use_handler_vpc(self, config.handler_vpc.subnet_ids, config.handler_vpc.security_group_ids)
        if config.control_tower:
            # Control Tower wants KMS on buckets and log groups: a key of the stack's where the
            # config names none.
            use_stack_key(self)
        for rule, reason in config.control_tower_exemptions.items():
            acknowledge_control_tower(self, rule, reason)
        if config.invocation_logging_elsewhere:
            acknowledge(
                self,
                f"{BEDROCK_PACK}::{BEDROCK_PACK}-BR12",
                f"Invocation logging is configured elsewhere: {config.invocation_logging_elsewhere}",
            )

    def output(self, id: str, value: str, description: str) -> cdk.CfnOutput:
        """A stack output (what applications and the status command read)."""
        return cdk.CfnOutput(self, id, value=value, description=description)
