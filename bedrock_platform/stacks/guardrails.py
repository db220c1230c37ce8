"""The guardrails stack: guardrails and their published versions."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from constructs import Construct

from bedrock_platform import outputs
from bedrock_platform.config import PlatformConfig
from bedrock_platform.constructs import Guardrail
from bedrock_platform.constructs.automated_reasoning import AutomatedReasoningChecks, AutomatedReasoningPolicy
from bedrock_platform.constructs.guardrail_governance import EnforcedGuardrail, GuardrailResourcePolicy
from bedrock_platform.stacks import discovery
from bedrock_platform.stacks.base import PlatformStack
from bedrock_platform.stacks.sources import building, item_id


class GuardrailsStack(PlatformStack):
    """``<env>-bedrock-guardrails``: one Guardrail construct per config entry.

    Outputs per guardrail: its id and ARN, the number and ARN of each declared version, and
    ``...LatestVersion``/``...LatestVersionArn`` for the newest declared one. The id, each
    version number and the newest one are also published in SSM
    (``/bedrock-platform/<env>/guardrails/<name>/{id,versions/<n>,latest-version}``).
    """

    def __init__(self, scope: Construct, id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, id, config=config, purpose="guardrails and their published versions")
        self.guardrails: dict[str, Guardrail] = {}
        self.reasoning_policies: dict[str, AutomatedReasoningPolicy] = {}
        for policy in config.automated_reasoning_policies:
            with building("AutomatedReasoningPolicy", policy.name):
                self.reasoning_policies[policy.name] = AutomatedReasoningPolicy(
                    self,
                    item_id("AutomatedReasoningPolicy", policy.name),
                    policy_name=config.prefixed(policy.name),
                    definition=policy.definition,
                    description=policy.description,
                    versions=policy.versions,
                    identity_name=policy.name,
                )
        published = {
            version.identity: version
            for policy in self.reasoning_policies.values()
            for version in policy.versions
        }
        for spec in config.guardrails:
            with building("Guardrail", spec.name):
                checks = (
                    AutomatedReasoningChecks(
                        versions=[published[identity] for identity in spec.automated_reasoning_policies],
                        confidence_threshold=spec.automated_reasoning_threshold,
                    )
                    if spec.automated_reasoning_policies
                    else None
                )
                guardrail = Guardrail(
                    self,
                    item_id("Guardrail", spec.name),
                    guardrail_name=config.prefixed(spec.name),
                    kms_key=(
                        kms.Key.from_key_arn(self, f"{item_id('Guardrail', spec.name)}-Key", spec.kms_key_arn)
                        if spec.kms_key_arn
                        else None
                    ),
                    automated_reasoning=checks,
                    **spec.construct_keywords(),
                )
            self.guardrails[spec.name] = guardrail
            id_output, arn_output = outputs.guardrail_own_outputs(spec.name)
            self.output(
                id_output,
                guardrail.guardrail_id,
                f"Id of guardrail {spec.name}",
            )
            self.output(
                arn_output,
                guardrail.guardrail_arn,
                f"ARN of guardrail {spec.name}",
            )
            environment = config.environment
            discovery.publish(
                guardrail,
                "IdParameter",
                discovery.guardrail_id(environment, spec.name),
                guardrail.guardrail_id,
                f"Id of guardrail {spec.name} (bedrock-platform {environment})",
            )
            for number, version in enumerate(guardrail.versions, start=1):
                number_output, version_arn_output = outputs.guardrail_version_outputs(spec.name, number)
                self.output(
                    number_output,
                    version.version,
                    f"Guardrail {spec.name}, declared version {number}: {version.description}",
                )
                self.output(
                    version_arn_output,
                    version.version_arn,
                    f"ARN of guardrail {spec.name}, declared version {number}",
                )
                discovery.publish(
                    version,
                    "NumberParameter",
                    discovery.guardrail_version(environment, spec.name, number),
                    version.version,
                    f"Guardrail {spec.name}, declared version {number} (bedrock-platform {environment})",
                )
            latest = guardrail.latest_version
            if latest is not None:
                latest_output, latest_arn_output = outputs.guardrail_latest_outputs(spec.name)
                self.output(
                    latest_output,
                    latest.version,
                    f"Newest declared version of guardrail {spec.name}",
                )
                self.output(
                    latest_arn_output,
                    latest.version_arn,
                    f"ARN of the newest declared version of guardrail {spec.name}",
                )
                discovery.publish(
                    guardrail,
                    "LatestVersionParameter",
                    discovery.guardrail_latest_version(environment, spec.name),
                    latest.version,
                    f"Newest declared version of guardrail {spec.name} (bedrock-platform {environment})",
                )
        self._governance(config)

    def _governance(self, config: PlatformConfig) -> None:
        """The guardrails' resource policies (the enforced one's account callers, organizations they
        are shared with) and the account-level enforced guardrail."""
        enforced = config.enforced_guardrail
        policies: dict[str, GuardrailResourcePolicy] = {}
        for spec in config.guardrails:
            organization = config.guardrail_sharing.get(spec.name)
            enforced_here = enforced is not None and enforced.guardrail == spec.name
            if organization is None and not enforced_here:
                continue
            policies[spec.name] = GuardrailResourcePolicy(
                self.guardrails[spec.name],
                "ResourcePolicy",
                guardrail=self.guardrails[spec.name],
                account_principals=enforced_here,
                organization_id=organization,
            )
        if enforced is not None:
            guardrail = self.guardrails[enforced.guardrail]
            EnforcedGuardrail(
                self,
                "EnforcedGuardrail",
                guardrail=guardrail,
                version=guardrail.versions[enforced.version - 1],
                resource_policy=policies[enforced.guardrail],
                include_models=enforced.include_models,
                exclude_models=enforced.exclude_models,
                system=enforced.system,
                messages=enforced.messages,
            )
