"""The guardrails stack: guardrails and their published versions."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs import Guardrail
from bedrock_platform.stacks.outputs import output_id


class GuardrailsStack(cdk.Stack):
    """``<env>-bedrock-guardrails``: one Guardrail construct per config entry.

    Outputs per guardrail: its id and ARN, the number and ARN of each declared version, and
    ``...LatestVersion``/``...LatestVersionArn`` for the newest declared one.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(
            scope,
            id,
            env=cdk.Environment(account=config.account, region=config.region),
            description=f"bedrock-platform {config.environment}: guardrails and their published versions",
            termination_protection=config.is_prod,
            analytics_reporting=False,
        )
        self.guardrails: dict[str, Guardrail] = {}
        for spec in config.guardrails:
            guardrail = Guardrail(
                self, f"Guardrail-{spec.name}", props=spec, guardrail_name=config.prefixed(spec.name)
            )
            self.guardrails[spec.name] = guardrail
            prefix = output_id(spec.name)
            cdk.CfnOutput(
                self,
                f"{prefix}GuardrailId",
                value=guardrail.guardrail_id,
                description=f"Id of guardrail {spec.name}",
            )
            cdk.CfnOutput(
                self,
                f"{prefix}GuardrailArn",
                value=guardrail.guardrail_arn,
                description=f"ARN of guardrail {spec.name}",
            )
            for number, version in enumerate(guardrail.versions, start=1):
                cdk.CfnOutput(
                    self,
                    f"{prefix}Version{number}",
                    value=version.version,
                    description=f"Guardrail {spec.name}, declared version {number}: {version.description}",
                )
                cdk.CfnOutput(
                    self,
                    f"{prefix}Version{number}Arn",
                    value=version.version_arn,
                    description=f"ARN of guardrail {spec.name}, declared version {number}",
                )
            latest = guardrail.latest_version
            if latest is not None:
                cdk.CfnOutput(
                    self,
                    f"{prefix}LatestVersion",
                    value=latest.version,
                    description=f"Newest declared version of guardrail {spec.name}",
                )
                cdk.CfnOutput(
                    self,
                    f"{prefix}LatestVersionArn",
                    value=latest.version_arn,
                    description=f"ARN of the newest declared version of guardrail {spec.name}",
                )
