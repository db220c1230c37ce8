"""Automated Reasoning policies and their published versions, which a guardrail checks answers against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.spec import automated_reasoning as spec
from bedrock_platform.spec.automated_reasoning import PolicyVersion


class AutomatedReasoningPolicyVersion(Construct):
    """One published, immutable version of an :class:`AutomatedReasoningPolicy`
    (``AWS::Bedrock::AutomatedReasoningPolicyVersion``): the policy's definition as it is when the
    version is created. Retained when it leaves the stack, as a guardrail version is, and untagged
    (its tags are create-only: a tag change would replace it).

    :param policy: the policy it publishes.
    :param number: its 1-based position among the policy's versions.
    :param previous: the version before it, which must be published first. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        policy: AutomatedReasoningPolicy,
        number: int,
        previous: AutomatedReasoningPolicyVersion | None,
    ) -> None:
        super().__init__(scope, id)
        self.resource = bedrock.CfnAutomatedReasoningPolicyVersion(
            self, "Resource", policy_arn=policy.policy_arn
        )
        if previous is not None:
            # Published one after the other, each from the definition of its own deploy.
            self.resource.add_dependency(previous.resource)
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        self.identity = spec.version_identity(policy.identity_name, number)
        """How a guardrail's policy hash names this version (``<policy>:<n>``)."""
        self.version = self.resource.attr_version
        self.version_arn = cdk.Fn.join(":", [policy.policy_arn, self.version])


class AutomatedReasoningPolicy(Construct):
    """An ``AWS::Bedrock::AutomatedReasoningPolicy`` from a definition in the API's spelling (what the
    Bedrock console exports: ``version``, ``types``, ``rules``, ``variables``), and its published
    versions.

    :param policy_name: the AWS name, 1 to 256 of ``[0-9a-zA-Z-_ ]``.
    :param definition: the policy definition; a change updates the policy's DRAFT.
    :param description: Default: none.
    :param versions: published versions, oldest first, append-only; the newest pins the definition's
        :func:`~bedrock_platform.spec.automated_reasoning.definition_hash`. Default: none.
    :param identity_name: the name guardrail policy hashes use for it. Default: ``policy_name``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        policy_name: str,
        definition: Mapping[str, Any],
        description: str | None = None,
        versions: Sequence[PolicyVersion] = (),
        identity_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        problems = []
        if not cdk.Token.is_unresolved(policy_name) and (
            len(policy_name) > spec.NAME_MAX or not spec.NAME.match(policy_name)
        ):
            problems.append(f"policy_name {policy_name!r} must be 1 to {spec.NAME_MAX} of [0-9a-zA-Z-_ ]")
        if description is not None and not 1 <= len(description) <= spec.DESCRIPTION_MAX:
            problems.append(f"description must be 1 to {spec.DESCRIPTION_MAX} characters")
        current = spec.definition_hash(definition)
        if versions and versions[-1].definition != current:
            problems.append(
                f"version {len(versions)}, the newest, pins definition {versions[-1].definition}, but the "
                f"definition is {current}: append a version with definition {current!r} to publish it"
            )
        if problems:
            raise ConstructValidationError(f"AutomatedReasoningPolicy {id!r}: " + "; ".join(problems))
        self.resource = bedrock.CfnAutomatedReasoningPolicy(
            self,
            "Resource",
            name=policy_name,
            description=description,
        )
        # As CloudFormation spells it (the L1's typed properties take Python spellings).
        self.resource.add_property_override("PolicyDefinition", spec.to_cloudformation(dict(definition)))
        if versions:
            # Its published versions are retained (guardrail versions check against them), and a
            # policy with versions cannot be deleted without deleting them (ForceDelete): it stays too.
            self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        self.policy_arn = self.resource.attr_policy_arn
        self.identity_name = identity_name or policy_name
        self.versions: list[AutomatedReasoningPolicyVersion] = []
        for number, _ in enumerate(versions, start=1):
            previous = self.versions[-1] if self.versions else None
            self.versions.append(
                AutomatedReasoningPolicyVersion(
                    self, f"Version{number}", policy=self, number=number, previous=previous
                )
            )

    @property
    def latest_version(self) -> AutomatedReasoningPolicyVersion | None:
        """The newest published version; None without versions."""
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class AutomatedReasoningChecks:
    """What a guardrail checks answers against: 1 or 2 published policy versions, and how confident
    the checks must be (0 to 1; default: the service's)."""

    versions: Sequence[AutomatedReasoningPolicyVersion]
    confidence_threshold: float | None = None
