"""Guardrails and their published versions: names, policy hashes, version descriptions and limits.

Sources:
- ``AWS::Bedrock::Guardrail`` ``Name``: ``^[0-9a-zA-Z-_]+$``, at most 50 characters
  (CloudFormation's schema, as cfn-lint ships it; a test compares).
- ``AWS::Bedrock::GuardrailVersion`` ``Description``: at most 200 characters (the same).
- ``BlockedInputMessaging`` and ``BlockedOutputsMessaging``: 1 to 500 characters (the same).
- At most 20 versions per guardrail: the Amazon Bedrock quota "Versions per guardrail".
- Custom words: at most 10,000 per guardrail (CloudFormation's ``WordsConfig``), each at most 100
  characters (the Bedrock API's ``GuardrailWordConfig.text``).
- Denied topic definitions: 200 characters in the classic tier, 1,000 in the standard tier (the
  service's rule; CloudFormation allows 1,000 in both).
- The policy hash that pins a version to the policy it captured: the toolkit's, 8 hex digits of a
  SHA-256 of the policy, written ``[policy <hash>]`` at the end of the version's description.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.spec.hashing import short_hash

NAME_PATTERN = re.compile(r"^[0-9a-zA-Z_-]+$")
NAME_MAX = 50
"""AWS::Bedrock::Guardrail Name: characters and length."""

BLOCKED_MESSAGE_MAX = 500
"""AWS::Bedrock::Guardrail BlockedInputMessaging and BlockedOutputsMessaging: at most 500 characters."""

MAX_VERSIONS = 20
"""Versions per guardrail (Amazon Bedrock service quota)."""
MAX_WORDS = 10_000
MAX_WORD_CHARACTERS = 100
"""Custom words per guardrail (CloudFormation) and characters per word (the Bedrock API)."""
CLASSIC_TIER, STANDARD_TIER = "CLASSIC", "STANDARD"
"""The tiers of content filters and denied topics (CloudFormation's TierName); standard runs through
a cross-Region guardrail profile."""
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


CONTENT_FILTER_TYPES: tuple[str, ...] = (
    "HATE",
    "INSULTS",
    "SEXUAL",
    "VIOLENCE",
    "MISCONDUCT",
    "PROMPT_ATTACK",
)
"""Content filter types (CloudFormation spellings) in the order a guardrail lists them."""

PROMPT_ATTACK = "PROMPT_ATTACK"
"""The content filter that applies to input only (its output strength is always NONE)."""

MODALITIES: tuple[str, ...] = ("TEXT", "IMAGE")
"""Content filter modalities, in the order a filter lists them."""


@dataclass(frozen=True, kw_only=True)
class ContentFilter:
    """A content filter of a guardrail, in CloudFormation spellings (``HATE``, ``HIGH``, ``TEXT``)."""

    type: str
    """HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT or PROMPT_ATTACK."""
    input_strength: str
    """NONE, LOW, MEDIUM or HIGH."""
    output_strength: str
    """NONE, LOW, MEDIUM or HIGH; always NONE for PROMPT_ATTACK."""
    input_modalities: tuple[str, ...] = ("TEXT",)
    """TEXT and/or IMAGE. Default: TEXT."""
    output_modalities: tuple[str, ...] = ("TEXT",)
    """TEXT and/or IMAGE. Default: TEXT."""
    input_action: str = "BLOCK"
    """BLOCK or NONE (detect only). Default: BLOCK."""
    output_action: str = "BLOCK"
    """BLOCK or NONE (detect only). Default: BLOCK."""


@dataclass(frozen=True, kw_only=True)
class DeniedTopic:
    """A topic the guardrail refuses."""

    name: str
    definition: str
    examples: tuple[str, ...] = ()
    """Example prompts of the topic. Default: none."""


@dataclass(frozen=True, kw_only=True)
class PiiEntity:
    """What the guardrail does with one PII entity type, in CloudFormation spellings."""

    type: str
    """A CloudFormation PII entity type: EMAIL, US_SOCIAL_SECURITY_NUMBER, ..."""
    input_action: str
    """BLOCK, ANONYMIZE or NONE."""
    output_action: str
    """BLOCK, ANONYMIZE or NONE."""


@dataclass(frozen=True, kw_only=True)
class RegexFilter:
    """A regular expression for custom sensitive information."""

    name: str
    pattern: str
    input_action: str
    """BLOCK, ANONYMIZE or NONE."""
    output_action: str
    """BLOCK, ANONYMIZE or NONE."""
    description: str | None = None
    """Default: none."""


@dataclass(frozen=True, kw_only=True)
class GuardrailVersion:
    """A published version of a guardrail: what changed, and the hash of the policy it captured."""

    description: str
    """1 to 182 characters; the version's description is this and `` [policy <policy>]``."""
    policy: str
    """The :attr:`Guardrail.policy_hash` of the policy the version publishes (8 lowercase hex digits)."""

    @property
    def published_description(self) -> str:
        """The description the published version carries."""
        return version_description(self.description, self.policy)


@dataclass(frozen=True, kw_only=True)
class SmokeSamples:
    """The texts the ``smoke`` command sends through a guardrail's versions (not part of its policy)."""

    blocked: str | None = None
    """A text the guardrail must intervene on. Default: None, derived from the policy when it can be."""
    allowed: str | None = None
    """A text the guardrail must let through. Default: None, a neutral greeting."""


NOT_CONSTRUCT_KEYWORDS = (
    "name",
    "kms_key_arn",
    "smoke_samples",
    "automated_reasoning_policies",
    "automated_reasoning_threshold",
)
"""The fields of :class:`Guardrail` that the construct takes otherwise, or not at all: the AWS name,
a key, nothing (smoke texts), and the checks as ``automated_reasoning=AutomatedReasoningChecks(...)``
of policy version constructs."""


@dataclass(frozen=True, kw_only=True)
class Guardrail:
    """A Bedrock guardrail: its policy, messages and published versions, in CloudFormation spellings.

    Lists of sets (content filters, PII entities) are in a canonical order, so the same policy
    written in another order has the same :attr:`policy_hash`.
    """

    name: str
    """The config name; the AWS name is ``<environment>-<name>``."""
    description: str | None = None
    """Default: none."""
    blocked_input_message: str
    blocked_output_message: str
    kms_key_arn: str | None = None
    """Customer managed key. Default: none (an AWS owned key)."""
    cross_region_profile: str | None = None
    """Guardrail profile id (``eu.guardrail.v1:0``) or ARN, as written. Default: none."""
    content_filters: tuple[ContentFilter, ...] = ()
    """In the order of :data:`CONTENT_FILTER_TYPES`. Default: none."""
    content_filter_tier: str = CLASSIC_TIER
    """CLASSIC or STANDARD. Default: CLASSIC."""
    denied_topics: tuple[DeniedTopic, ...] = ()
    """In the order declared. Default: none."""
    topic_tier: str = CLASSIC_TIER
    """CLASSIC or STANDARD. Default: CLASSIC."""
    managed_word_lists: tuple[str, ...] = ()
    """PROFANITY. Default: none."""
    words: tuple[str, ...] = ()
    """Custom words: ``words``, then the ``words_file``'s, duplicates dropped, order kept. Default: none."""
    pii_entities: tuple[PiiEntity, ...] = ()
    """Sorted by type. Default: none."""
    regexes: tuple[RegexFilter, ...] = ()
    """In the order declared. Default: none."""
    grounding_threshold: float | None = None
    """Contextual grounding threshold, 0 to 0.99. Default: none (no grounding check)."""
    relevance_threshold: float | None = None
    """Relevance threshold, 0 to 0.99. Default: none (no relevance check)."""
    versions: tuple[GuardrailVersion, ...] = ()
    """Published versions, oldest first. Default: none."""
    automated_reasoning_policies: tuple[str, ...] = ()
    """The Automated Reasoning policy versions it checks answers against, by identity (``refunds:2``,
    :func:`bedrock_platform.spec.automated_reasoning.version_identity`). Default: none."""
    automated_reasoning_threshold: float | None = None
    """Their confidence threshold, 0 to 1. Default: none (the service's)."""
    smoke_samples: SmokeSamples = field(default_factory=SmokeSamples)
    """Texts of the ``smoke`` command; not part of the policy. Default: none given (both derived)."""

    def construct_keywords(self) -> dict[str, Any]:
        """The keyword arguments of the ``Guardrail`` construct this guardrail gives as they are:
        every field but the name (the construct takes the AWS name), the key (it takes a key) and
        the smoke samples (not part of the guardrail)."""
        return {
            entry.name: getattr(self, entry.name)
            for entry in dataclasses.fields(self)
            if entry.name not in NOT_CONSTRUCT_KEYWORDS
        }

    @property
    def declares_policy(self) -> bool:
        """Whether at least one policy is declared (a guardrail without one is refused)."""
        return bool(
            self.content_filters
            or self.denied_topics
            or self.words
            or self.managed_word_lists
            or self.pii_entities
            or self.regexes
            or self.grounding_threshold is not None
            or self.relevance_threshold is not None
        )

    def policy(self) -> dict[str, Any]:
        """The plain policy: everything but the name, the description, the versions and the smoke samples.

        JSON data (dicts, lists, strings, floats, None) in a deterministic order; what a
        version captures, and what :attr:`policy_hash` is computed from.
        """
        return {
            "blocked_input_message": self.blocked_input_message,
            "blocked_output_message": self.blocked_output_message,
            "kms_key_arn": self.kms_key_arn,
            "cross_region_profile": self.cross_region_profile,
            "content_filter_tier": self.content_filter_tier,
            "content_filters": [_plain(item) for item in sorted(self.content_filters, key=_filter_order)],
            "topic_tier": self.topic_tier,
            "denied_topics": [_plain(topic) for topic in self.denied_topics],
            "managed_word_lists": list(self.managed_word_lists),
            "words": list(self.words),
            "pii_entities": [
                _plain(entity) for entity in sorted(self.pii_entities, key=lambda pii: pii.type)
            ],
            "regexes": [_plain(regex) for regex in self.regexes],
            "grounding_threshold": _float(self.grounding_threshold),
            "relevance_threshold": _float(self.relevance_threshold),
            # Only when given, so that the hashes of guardrails without checks stay what they were.
            **(
                {
                    "automated_reasoning": {
                        "policies": list(self.automated_reasoning_policies),
                        "confidence_threshold": _float(self.automated_reasoning_threshold),
                    }
                }
                if self.automated_reasoning_policies
                else {}
            ),
        }

    @property
    def policy_hash(self) -> str:
        """8 hex digits: sha256 of :meth:`policy` as compact JSON with sorted keys."""
        return short_hash(self.policy(), length=POLICY_HASH_LENGTH)


def _plain(item: Any) -> dict[str, Any]:
    """A policy dataclass as JSON data (tuples become lists)."""
    return {
        entry.name: list(value) if isinstance(value, tuple) else value
        for entry in dataclasses.fields(item)
        for value in [getattr(item, entry.name)]
    }


def _filter_order(item: ContentFilter) -> tuple[int, str]:
    known = item.type in CONTENT_FILTER_TYPES
    return (CONTENT_FILTER_TYPES.index(item.type) if known else len(CONTENT_FILTER_TYPES), item.type)


def _float(number: float | None) -> float | None:
    return None if number is None else float(number)


# -- enforcement and sharing --------------------------------------------------------------------
# AWS::Bedrock::EnforcedGuardrailConfiguration (cfn-lint's resource schema; a test compares): one
# numeric version of a guardrail of the account (never DRAFT), enforced on every model invocation of
# the account and Region, or on the included models but the excluded ones; ListEnforcedGuardrails-
# Configuration returns at most one configuration per account and Region.
ENFORCED_CONFIGURATION_TYPE = "AWS::Bedrock::EnforcedGuardrailConfiguration"
ENFORCED_ALL_MODELS = "ALL"
ENFORCED_MODEL_PATTERN = (
    r"^([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}(/[a-z0-9]{12}){0,1}$"
)
"""An included or excluded model (``ALL`` is also an included one)."""
SELECTIVE_GUARDING_MODES: tuple[str, ...] = ("SELECTIVE", "COMPREHENSIVE")
"""How an enforced guardrail guards system prompts and messages."""
# User guide, "Using resource-based policies for guardrails": recommended with account-level
# enforcement (every caller of the account must be allowed bedrock:ApplyGuardrail on the enforced
# guardrail), required to share it with an organization.
RESOURCE_POLICY_TYPE = "AWS::Bedrock::ResourcePolicy"
ORGANIZATION_ID_PATTERN = r"^o-[a-z0-9]{10,32}$"
"""An AWS Organizations id (``aws:PrincipalOrgID``)."""
