"""The throughput stack: provisioned model throughput, nothing else sharing its fate."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs import ProvisionedThroughput
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id

REMOVAL_POLICIES = {"retain": cdk.RemovalPolicy.RETAIN, "destroy": cdk.RemovalPolicy.DESTROY}
"""A config's removal_policy as the construct takes it."""


class ThroughputStack(PlatformStack):
    """``<env>-bedrock-throughput``: one ProvisionedThroughput per config entry.

    The environment's tags are passed to each throughput as properties (a custom resource is
    not taggable by CloudFormation), the throughput's own tags win. Outputs per throughput:
    ``<Name>ProvisionedModelArn``, what applications pass as ``modelId``.
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="provisioned model throughput")
        self.throughputs: dict[str, ProvisionedThroughput] = {}
        for spec in config.provisioned_throughputs:
            with building("Throughput", spec.name):
                throughput = ProvisionedThroughput(
                    self,
                    item_id("Throughput", spec.name),
                    model=spec.model,
                    model_units=spec.model_units,
                    provisioned_model_name=spec.aws_name_base(config.environment),
                    commitment=spec.commitment_duration,
                    removal_policy=REMOVAL_POLICIES[spec.removal_policy],
                    tags={**config.tags, **spec.tags},
                )
            self.throughputs[spec.name] = throughput
            self.output(
                outputs.throughput_outputs(spec.name)[0],
                throughput.arn,
                f"ARN of provisioned throughput {spec.name} "
                f"({spec.model_units} model units of {spec.model}); "
                "pass it as modelId",
            )
            discovery.publish(
                throughput,
                "ArnParameter",
                discovery.provisioned_model_arn(config.environment, spec.name),
                throughput.arn,
                f"ARN of provisioned throughput {spec.name} (bedrock-platform {config.environment})",
            )
