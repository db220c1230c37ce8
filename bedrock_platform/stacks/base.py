"""What every stack of an environment shares."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from bedrock_platform.config import PlatformConfig


class PlatformStack(cdk.Stack):
    """A stack deployed to the config's account and Region, with termination protection in prod.

    No version-reporting resource: templates depend only on the config and the toolkit.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig, purpose: str) -> None:
        super().__init__(
            scope,
            id,
            env=cdk.Environment(account=config.account, region=config.region),
            description=f"bedrock-platform {config.environment}: {purpose}",
            termination_protection=config.is_prod,
            analytics_reporting=False,
        )
        self.config = config

    def output(self, id: str, value: str, description: str) -> cdk.CfnOutput:
        """A stack output (what applications and the status command read)."""
        return cdk.CfnOutput(self, id, value=value, description=description)
