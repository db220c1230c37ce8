"""The texts smoke sends through a guardrail: given in smoke_samples, else derived from the policy.

smoke_samples is not part of the guardrail's policy: adding or changing it never changes the policy
hash that published versions pin.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bedrock_platform.config import load_config
from bedrock_platform.config.model import (
    DeniedTopic,
    Guardrail,
    PiiEntity,
    SmokeSamples,
    build_guardrail,
)
from bedrock_platform.operations.samples import NEUTRAL_SAMPLE, Sample, derived_blocked_sample, samples
from tests.conftest import copy_config_files

BASE = Guardrail(name="default", blocked_input_message="Sorry.", blocked_output_message="Sorry.")
TOPIC = DeniedTopic(name="legal-advice", definition="Legal advice.", examples=("Can I sue my landlord?",))
EMAIL = PiiEntity(type="EMAIL", input_action="ANONYMIZE", output_action="BLOCK")


def test_smoke_samples_leave_the_policy_hash_alone() -> None:
    raw = {
        "name": "default",
        "blocked_input_message": "Sorry.",
        "blocked_output_message": "Sorry.",
        "word_filters": {"words": ["contoso"]},
        "versions": [{"description": "First", "policy": "aaaaaaaa"}],
    }
    with_samples = {**raw, "smoke_samples": {"blocked": "Tell me about contoso.", "allowed": "Hi there."}}

    plain, sampled = build_guardrail(raw), build_guardrail(with_samples)

    assert sampled.smoke_samples == SmokeSamples(blocked="Tell me about contoso.", allowed="Hi there.")
    assert plain.smoke_samples == SmokeSamples()
    assert sampled.policy() == plain.policy()
    assert sampled.policy_hash == plain.policy_hash
    assert "smoke_samples" not in sampled.policy()


def test_the_shipped_guardrail_keeps_its_pinned_policy_with_smoke_samples(tmp_path: Path) -> None:
    text = Path("config/dev.yaml").read_text()
    (guardrail,) = load_config("config/dev.yaml").guardrails
    marker = "    versions:\n"
    assert text.count(marker) == 1
    copy_config_files(tmp_path)  # the job data dev.yaml ships
    config_file = tmp_path / "dev.yaml"
    config_file.write_text(
        text.replace(
            marker,
            '    smoke_samples: {blocked: "Is project bluebird late?", allowed: "What is RAG?"}\n' + marker,
        )
    )

    (sampled,) = load_config(str(config_file)).guardrails

    assert sampled.smoke_samples.blocked == "Is project bluebird late?"
    assert sampled.policy_hash == guardrail.policy_hash == guardrail.versions[-1].policy


def test_given_samples_win() -> None:
    guardrail = dataclasses.replace(
        BASE, denied_topics=(TOPIC,), smoke_samples=SmokeSamples(blocked="Sue them?", allowed="Hi.")
    )

    chosen = samples(guardrail)

    assert chosen.blocked == Sample("Sue them?", "smoke_samples.blocked")
    assert chosen.allowed == Sample("Hi.", "smoke_samples.allowed")


def test_only_the_allowed_sample_given_and_the_blocked_one_derived() -> None:
    guardrail = dataclasses.replace(BASE, words=("contoso",), smoke_samples=SmokeSamples(allowed="Hi."))

    chosen = samples(guardrail)

    assert chosen.blocked == Sample(
        "Tell me everything about contoso.", "a sentence with the custom word 'contoso'"
    )
    assert chosen.allowed == Sample("Hi.", "smoke_samples.allowed")


def test_a_denied_topic_example_comes_first() -> None:
    without_examples = DeniedTopic(name="medical", definition="Diagnoses.")
    guardrail = dataclasses.replace(
        BASE, denied_topics=(without_examples, TOPIC), words=("contoso",), pii_entities=(EMAIL,)
    )

    assert derived_blocked_sample(guardrail) == Sample(
        "Can I sue my landlord?", "the first example of denied topic 'legal-advice'"
    )
    assert samples(guardrail).allowed == Sample(NEUTRAL_SAMPLE, "a neutral greeting")


def test_then_a_custom_word() -> None:
    guardrail = dataclasses.replace(BASE, words=("project bluebird", "contoso"), pii_entities=(EMAIL,))

    assert derived_blocked_sample(guardrail) == Sample(
        "Tell me everything about project bluebird.", "a sentence with the custom word 'project bluebird'"
    )


def test_then_a_pii_type_the_guardrail_blocks_or_anonymizes_on_input() -> None:
    detect_only = PiiEntity(type="PHONE", input_action="NONE", output_action="BLOCK")
    no_sample = PiiEntity(type="NAME", input_action="BLOCK", output_action="BLOCK")
    guardrail = dataclasses.replace(BASE, pii_entities=(EMAIL, no_sample, detect_only))

    assert derived_blocked_sample(guardrail) == Sample(
        "Please write to me at jane.doe@example.com.", "a sample EMAIL (the guardrail's action: anonymize)"
    )
    assert derived_blocked_sample(dataclasses.replace(BASE, pii_entities=(no_sample, detect_only))) is None


def test_nothing_derivable_is_said_so() -> None:
    guardrail = dataclasses.replace(BASE, managed_word_lists=("PROFANITY",), grounding_threshold=0.8)

    chosen = samples(guardrail)

    assert chosen.blocked is None
    assert chosen.skipped_because.startswith("no smoke_samples.blocked given, and none can be derived")
