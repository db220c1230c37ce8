"""Guardrails and their published versions: names, policy hashes, version descriptions and limits.

Sources:
- ``AWS::Bedrock::Guardrail`` ``Name``: ``^[0-9a-zA-Z-_]+$``, at most 50 characters
  (CloudFormation's schema, as cfn-lint ships it; a test compares).
- ``AWS::Bedrock::GuardrailVersion`` ``Description``: at most 200 characters (the same).
- At most 20 versions per guardrail: the Amazon Bedrock quota "Versions per guardrail".
- Custom words: at most 10,000 per guardrail (CloudFormation's ``WordsConfig``), each at most 100
  characters (the Bedrock API's ``GuardrailWordConfig.text``).
- Denied topic definitions: 200 characters in the classic tier, 1,000 in the standard tier (the
  service's rule; CloudFormation allows 1,000 in both).
- The policy hash that pins a version to the policy it captured: the toolkit's, 8 hex digits of a
  SHA-256 of the policy, written ``[policy <hash>]`` at the end of the version's description.
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"^[0-9a-zA-Z_-]+$")
NAME_MAX = 50
"""AWS::Bedrock::Guardrail Name: characters and length."""

MAX_VERSIONS = 20
"""Versions per guardrail (Amazon Bedrock service quota)."""
MAX_WORDS = 10_000
MAX_WORD_CHARACTERS = 100
"""Custom words per guardrail (CloudFormation) and characters per word (the Bedrock API)."""
CLASSIC_TOPIC_DEFINITION_MAX = 200
STANDARD_TOPIC_DEFINITION_MAX = 1000
"""Denied topic definition lengths per tier."""

POLICY_HASH_LENGTH = 8
"""Hex digits in a guardrail's policy hash."""
POLICY_HASH_PATTERN = f"^[0-9a-f]{{{POLICY_HASH_LENGTH}}}$"
"""A policy hash as a config writes it (the schema's pattern of ``versions[].policy``)."""
VERSION_DESCRIPTION_LIMIT = 200
"""AWS::Bedrock::GuardrailVersion Description's limit: the entry's description plus its policy suffix."""


def version_description(description: str, policy: str) -> str:
    """A published version's description: what changed, and the policy it captured."""
    return f"{description} [policy {policy}]"


VERSION_DESCRIPTION_MAX = VERSION_DESCRIPTION_LIMIT - len(version_description("", "0" * POLICY_HASH_LENGTH))
"""The most characters a version entry's own description may have (182)."""
