"""The throughput stack: provisioned model throughput, nothing else sharing its fate."""

from __future__ import annotations

import dataclasses

from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs import ProvisionedThroughput
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id


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
            tagged = dataclasses.replace(spec, tags={**config.tags, **spec.tags})
            with building("Throughput", spec.name):
                throughput = ProvisionedThroughput(
                    self,
                    item_id("Throughput", spec.name),
                    props=tagged,
                    provisioned_model_name=spec.aws_name_base(config.environment),
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
