"""Automated Reasoning policies: formal rules a guardrail checks model answers against.

Sources:
- ``AWS::Bedrock::AutomatedReasoningPolicy`` and ``AWS::Bedrock::AutomatedReasoningPolicyVersion``
  (cfn-lint's resource schemas; tests compare): the name, 1 to 256 of ``[0-9a-zA-Z-_ ]``; the
  description, at most 1,024 characters; a version is immutable, numbered by the service, and
  created from the policy's definition as it is when the version is created.
- The definition's shape is botocore's ``AutomatedReasoningPolicyDefinition`` (``version``,
  ``types``, ``rules``, ``variables``): what the console exports and CreateAutomatedReasoningPolicy
  takes. The toolkit validates a definition file with botocore's own parameter validator.
- ``AWS::Bedrock::Guardrail`` ``AutomatedReasoningPolicyConfig``: 1 or 2 policies (version ARNs),
  and a confidence threshold from 0 to 1.
- User guide, "Permissions for Automated Reasoning policies with ApplyGuardrail": a caller applying
  such a guardrail needs ``bedrock:InvokeAutomatedReasoningPolicy`` on each policy version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bedrock_platform.spec.hashing import short_hash

POLICY_TYPE = "AWS::Bedrock::AutomatedReasoningPolicy"
VERSION_TYPE = "AWS::Bedrock::AutomatedReasoningPolicyVersion"
NAME = re.compile(r"^[0-9a-zA-Z-_ ]+$")
NAME_MAX = 256
DESCRIPTION_MAX = 1024
DEFINITION_SHAPE = "AutomatedReasoningPolicyDefinition"
"""The botocore ``bedrock`` shape a definition file must match."""
DEFINITION_MAX_BYTES = 2 * 1024 * 1024
"""Bigger definition files are refused before they are read."""
DEFINITION_HASH_LENGTH = 8
MAX_POLICIES_PER_GUARDRAIL = 2
CONFIDENCE_MIN, CONFIDENCE_MAX = 0.0, 1.0
INVOKE_ACTIONS = ("bedrock:InvokeAutomatedReasoningPolicy",)

_CLOUDFORMATION_KEYS = {
    "version": "Version",
    "types": "Types",
    "rules": "Rules",
    "variables": "Variables",
    "name": "Name",
    "description": "Description",
    "values": "Values",
    "value": "Value",
    "id": "Id",
    "expression": "Expression",
    "alternateExpression": "AlternateExpression",
    "type": "Type",
}
"""The definition's API names (the file's) and CloudFormation's for the same members."""


def definition_hash(definition: Mapping[str, Any]) -> str:
    """8 hex digits of the definition as compact JSON with sorted keys: what a version pins."""
    return short_hash(definition, length=DEFINITION_HASH_LENGTH)


def to_cloudformation(value: Any) -> Any:
    """A definition in the API's spelling (the file's) as ``PolicyDefinition`` spells it."""
    if isinstance(value, Mapping):
        return {_CLOUDFORMATION_KEYS.get(key, key): to_cloudformation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_cloudformation(item) for item in value]
    return value


def version_identity(policy: str, number: int) -> str:
    """How a guardrail's policy hash names the version of a policy it checks against."""
    return f"{policy}:{number}"


@dataclass(frozen=True)
class PolicyVersion:
    """A published version of an Automated Reasoning policy: what changed, and the definition hash it
    captured (:func:`definition_hash`)."""

    description: str
    definition: str


@dataclass(frozen=True, kw_only=True)
class AutomatedReasoningPolicy:
    """An Automated Reasoning policy of the config: its definition (the file's, in the API's
    spelling) and its published versions, oldest first."""

    name: str
    definition: Mapping[str, Any]
    description: str | None = None
    versions: tuple[PolicyVersion, ...] = ()

    @property
    def newest_identity(self) -> str | None:
        """The identity of its newest published version; None without versions."""
        return version_identity(self.name, len(self.versions)) if self.versions else None
