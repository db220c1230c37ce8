"""The texts ``smoke`` sends through a guardrail: one it must block, one it must let through.

They come from the guardrail's ``smoke_samples`` when given. Otherwise the blocked text is derived
from the guardrail's own policy, in this order: the first example of the first denied topic that
has examples; a sentence with the first custom word; a sentence with a sample value of the first
PII type (of a few with well-known sample values) that the guardrail blocks or anonymizes on
input. Content filters, the managed profanity list, regexes and grounding give no sample: their
verdicts depend on a classifier or on a pattern that no fixed text is sure to meet. The allowed
text defaults to a neutral greeting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedrock_platform.config.model import Guardrail

NEUTRAL_SAMPLE = "Hello! How are you today?"
"""The allowed text when the guardrail gives none."""

PII_SAMPLES: Mapping[str, str] = {
    "EMAIL": "Please write to me at jane.doe@example.com.",
    "PHONE": "Call me back on +1 206 555 0142.",
    "CREDIT_DEBIT_CARD_NUMBER": "My card number is 4111 1111 1111 1111.",
    "US_SOCIAL_SECURITY_NUMBER": "My social security number is 078-05-1120.",
    "AWS_ACCESS_KEY": "The access key is AKIAIOSFODNN7EXAMPLE.",
    "IP_ADDRESS": "The server is at 192.0.2.44.",
}
"""Sentences with documentation sample values of PII types the service detects reliably."""

PII_INTERVENING_ACTIONS = frozenset({"BLOCK", "ANONYMIZE"})
"""PII actions on input that make ApplyGuardrail answer GUARDRAIL_INTERVENED."""

NOTHING_TO_DERIVE = (
    "no smoke_samples.blocked given, and none can be derived from the policy (no denied topic "
    "example, no custom word, no blocked or anonymized PII type among {types})"
)


@dataclass(frozen=True)
class Sample:
    """A text and where it came from."""

    text: str
    origin: str
    """``smoke_samples.blocked``, ``the first example of denied topic 'x'``, ..."""


@dataclass(frozen=True)
class Samples:
    """What the guardrail must block (None, with the reason, when there is nothing) and let through."""

    blocked: Sample | None
    allowed: Sample
    skipped_because: str = ""
    """Why there is no blocked sample."""


def samples(guardrail: Guardrail) -> Samples:
    """The guardrail's smoke samples: given, else derived (see the module docstring)."""
    given = guardrail.smoke_samples
    allowed = (
        Sample(given.allowed, "smoke_samples.allowed")
        if given.allowed is not None
        else Sample(NEUTRAL_SAMPLE, "a neutral greeting")
    )
    if given.blocked is not None:
        return Samples(Sample(given.blocked, "smoke_samples.blocked"), allowed)
    blocked = derived_blocked_sample(guardrail)
    if blocked is None:
        return Samples(None, allowed, NOTHING_TO_DERIVE.format(types=", ".join(PII_SAMPLES)))
    return Samples(blocked, allowed)


def derived_blocked_sample(guardrail: Guardrail) -> Sample | None:
    """A text the guardrail's policy blocks, or None when none can be derived."""
    for topic in guardrail.denied_topics:
        if topic.examples:
            return Sample(topic.examples[0], f"the first example of denied topic {topic.name!r}")
    if guardrail.words:
        word = guardrail.words[0]
        return Sample(f"Tell me everything about {word}.", f"a sentence with the custom word {word!r}")
    for entity in guardrail.pii_entities:
        if entity.input_action in PII_INTERVENING_ACTIONS and entity.type in PII_SAMPLES:
            action = entity.input_action.lower()
            return Sample(
                PII_SAMPLES[entity.type], f"a sample {entity.type} (the guardrail's action: {action})"
            )
    return None
