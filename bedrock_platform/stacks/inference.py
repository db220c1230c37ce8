"""The inference stack: the application inference profiles teams and applications invoke through."""

from __future__ import annotations

from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs.inference_profile import ApplicationInferenceProfile
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id


class InferenceStack(PlatformStack):
    """``<env>-bedrock-inference``: one ApplicationInferenceProfile per config entry, tagged with the
    environment's tags and its own (which win), so Bedrock's cost allocation reports its spend by them.
    Outputs per profile: ``<Name>InferenceProfileArn``, what applications pass as ``modelId``; also in
    SSM."""

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="application inference profiles")
        self.profiles: dict[str, ApplicationInferenceProfile] = {}
        for spec in config.inference_profiles:
            with building("InferenceProfile", spec.name):
                profile = ApplicationInferenceProfile(
                    self,
                    item_id("InferenceProfile", spec.name),
                    inference_profile_name=config.prefixed(spec.name),
                    model_id=spec.model,
                    description=spec.description,
                    tags={**config.tags, **spec.tags},
                )
            self.profiles[spec.name] = profile
            self.output(
                outputs.inference_profile_outputs(spec.name)[0],
                profile.inference_profile_arn,
                f"ARN of inference profile {spec.name} (from {spec.model}); pass it as modelId",
            )
            discovery.publish(
                profile,
                "ArnParameter",
                discovery.inference_profile_arn(config.environment, spec.name),
                profile.inference_profile_arn,
                f"ARN of inference profile {spec.name} (bedrock-platform {config.environment})",
            )
