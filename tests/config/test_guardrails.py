"""The guardrails section: typed objects, short and long forms, word files, the policy hash, limits."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import cfnlint
import pytest

from bedrock_platform.config import ConfigError, build_config, load_config
from bedrock_platform.config.files import parse_word_list
from bedrock_platform.config.model import (
    CONTENT_FILTER_TYPES,
    ContentFilter,
    DeniedTopic,
    Guardrail,
    GuardrailVersion,
    PiiEntity,
    RegexFilter,
)
from bedrock_platform.config.schema import load_schema
from tests.config.helpers import HEADER, WriteConfig

MESSAGES = "    blocked_input_message: Sorry.\n    blocked_output_message: Sorry.\n"


def guardrail_config(body: str, name: str = "default") -> str:
    """A valid config's text with one guardrail: its messages and ``body`` (indented by 4)."""
    return HEADER + f"guardrails:\n  - name: {name}\n" + MESSAGES + body


def load_guardrail(write_config: WriteConfig, body: str) -> Guardrail:
    (guardrail,) = load_config(write_config(guardrail_config(body))).guardrails
    return guardrail


def issues_of(path: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [f"{issue.path}: {issue.message}" for issue in caught.value.issues]


# The shipped configs


def test_dev_guardrail() -> None:
    (guardrail,) = load_config("config/dev.yaml").guardrails

    assert guardrail.name == "default"
    assert [item.type for item in guardrail.content_filters] == list(CONTENT_FILTER_TYPES)
    assert guardrail.content_filters[-1] == ContentFilter(
        type="PROMPT_ATTACK", input_strength="MEDIUM", output_strength="NONE"
    )
    assert guardrail.content_filters[4].input_modalities == ("TEXT", "IMAGE")
    assert (guardrail.content_filter_tier, guardrail.topic_tier) == ("CLASSIC", "CLASSIC")
    assert [topic.name for topic in guardrail.denied_topics] == ["investment-advice"]
    assert guardrail.managed_word_lists == ("PROFANITY",)
    assert guardrail.words == ("project bluebird", "project nightjar", "contoso")
    assert guardrail.versions == (
        GuardrailVersion(
            description="Content filters, investment advice topic and profanity list", policy="69c469cb"
        ),
    )
    assert guardrail.policy_hash == "69c469cb"


def test_prod_guardrail() -> None:
    config = load_config("config/prod.yaml")
    guardrail = config.guardrail("baseline")

    assert all(
        (item.input_strength, item.output_strength)
        == ("HIGH", "NONE" if item.type == "PROMPT_ATTACK" else "HIGH")
        for item in guardrail.content_filters
    )
    assert len(guardrail.content_filters) == 6
    assert (guardrail.content_filter_tier, guardrail.topic_tier) == ("STANDARD", "STANDARD")
    assert guardrail.cross_region_profile == "eu.guardrail.v1:0"
    assert guardrail.kms_key_arn is not None and ":eu-central-1:222222222222:" in guardrail.kms_key_arn
    file_words = Path("config/guardrails/prod-blocked-words.txt").read_text(encoding="utf-8")
    assert guardrail.words == parse_word_list(file_words).words
    assert len(guardrail.words) == 10
    assert [entity.type for entity in guardrail.pii_entities] == sorted(
        e.type for e in guardrail.pii_entities
    )
    pii = {entity.type: (entity.input_action, entity.output_action) for entity in guardrail.pii_entities}
    assert pii["EMAIL"] == ("ANONYMIZE", "ANONYMIZE")
    assert pii["US_SOCIAL_SECURITY_NUMBER"] == ("BLOCK", "BLOCK")
    assert pii["INTERNATIONAL_BANK_ACCOUNT_NUMBER"] == ("ANONYMIZE", "BLOCK")
    assert guardrail.regexes == (
        RegexFilter(
            name="customer-account-id",
            description="Customer account numbers, ACME- followed by 8 digits",
            pattern=r"ACME-\d{8}",
            input_action="ANONYMIZE",
            output_action="ANONYMIZE",
        ),
    )
    assert (guardrail.grounding_threshold, guardrail.relevance_threshold) == (0.8, 0.75)
    # prod has never been deployed: it declares only its newest entry (issue 16, finding 9).
    assert [version.policy for version in guardrail.versions] == ["e57e6ceb"]
    assert guardrail.policy_hash == guardrail.versions[-1].policy
    without_grounding = dataclasses.replace(guardrail, grounding_threshold=None, relevance_threshold=None)
    assert without_grounding.policy_hash == "9dc0fbd5"


# Forms and defaults


def test_minimal_guardrail_defaults(write_config: WriteConfig) -> None:
    guardrail = load_guardrail(write_config, "    word_filters: {managed: [profanity]}\n")

    assert guardrail == Guardrail(
        name="default",
        blocked_input_message="Sorry.",
        blocked_output_message="Sorry.",
        managed_word_lists=("PROFANITY",),
    )
    assert (guardrail.description, guardrail.kms_key_arn, guardrail.cross_region_profile) == (
        None,
        None,
        None,
    )
    assert (guardrail.content_filter_tier, guardrail.topic_tier, guardrail.versions) == (
        "CLASSIC",
        "CLASSIC",
        (),
    )


def test_content_filter_short_form_is_text_only_block_both_ways(write_config: WriteConfig) -> None:
    guardrail = load_guardrail(write_config, "    content_filters: {hate: low, prompt_attack: high}\n")

    assert guardrail.content_filters == (
        ContentFilter(
            type="HATE",
            input_strength="LOW",
            output_strength="LOW",
            input_modalities=("TEXT",),
            output_modalities=("TEXT",),
            input_action="BLOCK",
            output_action="BLOCK",
        ),
        ContentFilter(type="PROMPT_ATTACK", input_strength="HIGH", output_strength="NONE"),
    )


@pytest.mark.parametrize(
    ("long_form", "expected"),
    [
        (
            "{input: medium, output: high, modalities: [image, text], action: none}",
            ContentFilter(
                type="INSULTS",
                input_strength="MEDIUM",
                output_strength="HIGH",
                input_modalities=("TEXT", "IMAGE"),
                output_modalities=("TEXT", "IMAGE"),
                input_action="NONE",
                output_action="NONE",
            ),
        ),
        (
            "{input: low, output: none, input_modalities: [image], input_action: none}",
            ContentFilter(
                type="INSULTS",
                input_strength="LOW",
                output_strength="NONE",
                input_modalities=("IMAGE",),
                output_modalities=("TEXT",),
                input_action="NONE",
                output_action="BLOCK",
            ),
        ),
        (
            "{input: high, output: high}",
            ContentFilter(type="INSULTS", input_strength="HIGH", output_strength="HIGH"),
        ),
    ],
)
def test_content_filter_long_forms(
    write_config: WriteConfig, long_form: str, expected: ContentFilter
) -> None:
    guardrail = load_guardrail(write_config, f"    content_filters:\n      insults: {long_form}\n")

    assert guardrail.content_filters == (expected,)


def test_short_and_long_forms_build_the_same_guardrail(write_config: WriteConfig) -> None:
    short = load_guardrail(
        write_config,
        "    content_filters: {hate: high, prompt_attack: medium}\n"
        "    sensitive_information:\n"
        "      pii: {email: anonymize}\n"
        "      regexes: [{name: id, pattern: 'X\\d+', action: block}]\n",
    )
    long = load_guardrail(
        write_config,
        "    content_filters:\n"
        "      prompt_attack: {input: medium, output: none, modalities: [text], action: block}\n"
        "      hate: {input: high, output: high, input_modalities: [text], output_modalities: [text],"
        " input_action: block, output_action: block}\n"
        "    sensitive_information:\n"
        "      pii: {email: {input: anonymize, output: anonymize}}\n"
        "      regexes: [{name: id, pattern: 'X\\d+', input: block, output: block}]\n",
    )

    assert short == long
    assert short.policy_hash == long.policy_hash


def test_topics_and_pii_and_grounding(write_config: WriteConfig) -> None:
    guardrail = load_guardrail(
        write_config,
        "    denied_topics:\n"
        "      topics:\n"
        "        - {name: medical, definition: Diagnoses., examples: ['What do I have?']}\n"
        "        - {name: legal, definition: Legal advice.}\n"
        "    sensitive_information:\n"
        "      pii:\n"
        "        us_social_security_number: block\n"
        "        email: none\n"
        "        address: {input: none, output: anonymize}\n"
        "    contextual_grounding: {grounding: 0, relevance: 0.5}\n",
    )

    assert guardrail.denied_topics == (
        DeniedTopic(name="medical", definition="Diagnoses.", examples=("What do I have?",)),
        DeniedTopic(name="legal", definition="Legal advice."),
    )
    assert guardrail.pii_entities == (
        PiiEntity(type="ADDRESS", input_action="NONE", output_action="ANONYMIZE"),
        PiiEntity(type="EMAIL", input_action="NONE", output_action="NONE"),
        PiiEntity(type="US_SOCIAL_SECURITY_NUMBER", input_action="BLOCK", output_action="BLOCK"),
    )
    assert guardrail.grounding_threshold == 0.0 and isinstance(guardrail.grounding_threshold, float)
    assert (guardrail.relevance_threshold, guardrail.regexes) == (0.5, ())


# Word files


def test_words_file_is_relative_to_the_config_and_merged_after_words(tmp_path: Path) -> None:
    (tmp_path / "env" / "lists").mkdir(parents=True)
    (tmp_path / "env" / "lists" / "words.txt").write_bytes(
        "\ufeff# comment\n\n  contoso  \nfabrikam\r\n   # indented comment\n"
        "project bluebird\ncontoso\n".encode()
    )
    config = tmp_path / "env" / "config.yaml"
    config.write_text(
        guardrail_config(
            "    word_filters:\n      words: [fabrikam, acme]\n      words_file: lists/words.txt\n"
        )
    )

    (guardrail,) = load_config(str(config)).guardrails

    assert guardrail.words == ("fabrikam", "acme", "contoso", "project bluebird")


@pytest.mark.parametrize("how", ["parent", "symlink", "symlinked-folder"])
def test_a_words_file_outside_the_config_folder_is_refused_and_not_leaked(tmp_path: Path, how: str) -> None:
    """Issue 17 item 2: ``../secret`` or a symlink out of the folder made every line of the file a word."""
    (tmp_path / "secret.txt").write_text("hunter2-secret-line\n")
    folder = tmp_path / "env"
    folder.mkdir()
    names = {"parent": "../secret.txt", "symlink": "link.txt", "symlinked-folder": "lists/secret.txt"}
    words_file = names[how]
    if how == "symlink":
        (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    if how == "symlinked-folder":
        (folder / "lists").symlink_to(tmp_path)
    config = folder / "config.yaml"
    config.write_text(guardrail_config(f"    word_filters:\n      words_file: {words_file}\n"))

    with pytest.raises(ConfigError) as caught:
        load_config(str(config))

    assert "leaves the config file's folder (symlinks resolved)" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_a_words_file_with_a_control_character_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_bytes(b"fine\nbad\x1bword\n")
    config = tmp_path / "config.yaml"
    config.write_text(guardrail_config("    word_filters:\n      words_file: words.txt\n"))

    with pytest.raises(ConfigError) as caught:
        load_config(str(config))

    assert "holds the control character U+001B (line 2, column 4)" in str(caught.value)


def test_parse_word_list_keeps_lines() -> None:
    words = parse_word_list("# header\nfoo\n\n bar baz \n#x\nfoo\n")

    assert (words.words, words.lines) == (("foo", "bar baz", "foo"), (2, 4, 6))


def test_a_words_file_of_comments_only_declares_no_words(write_config: WriteConfig, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("# nothing yet\n")
    path = write_config(guardrail_config("    word_filters: {words_file: empty.txt}\n"))

    assert issues_of(path) == [
        "guardrails[default].word_filters: declares no words: give managed: [profanity], words, "
        "or a words_file with at least one word"
    ]


def test_more_than_ten_thousand_words(write_config: WriteConfig, tmp_path: Path) -> None:
    (tmp_path / "many.txt").write_text("".join(f"word{index}\n" for index in range(10_000)) + "word0\n")
    ok = write_config(guardrail_config("    word_filters: {words: [word1], words_file: many.txt}\n"))
    too_many = write_config(
        guardrail_config("    word_filters: {words: [extra], words_file: many.txt}\n"), "b.yaml"
    )

    assert len(load_config(ok).guardrails[0].words) == 10_000  # duplicates are dropped before counting
    assert issues_of(too_many) == [
        "guardrails[default].word_filters: has 10001 words "
        "(words and words_file together, duplicates dropped), at most 10000"
    ]


def test_build_config_needs_the_words_of_each_words_file() -> None:
    raw = {
        "environment": "dev",
        "account": "111111111111",
        "region": "us-east-1",
        "guardrails": [
            {
                "name": "default",
                "blocked_input_message": "No.",
                "blocked_output_message": "No.",
                "word_filters": {"words": ["a"], "words_file": "w.txt"},
            }
        ],
    }

    with pytest.raises(ValueError, match=r"words_file 'w\.txt' was not read"):
        build_config(raw)
    assert build_config(raw, word_lists={"w.txt": ["b", "a"]}).guardrails[0].words == ("a", "b")


# The policy hash


BASE = (
    "    content_filters: {hate: high, insults: medium, prompt_attack: high}\n"
    "    word_filters: {managed: [profanity], words: [contoso]}\n"
    "    sensitive_information: {pii: {email: anonymize, phone: block}}\n"
)


def test_policy_hash_is_the_documented_digest(write_config: WriteConfig) -> None:
    guardrail = load_guardrail(write_config, BASE)
    text = json.dumps(guardrail.policy(), sort_keys=True, separators=(",", ":"))

    assert guardrail.policy_hash == hashlib.sha256(text.encode()).hexdigest()[:8]
    assert json.loads(text) == guardrail.policy()
    assert set(guardrail.policy()) == {field.name for field in dataclasses.fields(Guardrail)} - {
        "name",
        "description",
        "versions",
        "smoke_samples",  # texts the smoke command sends, not part of the policy
        # Only with checks (below), so that guardrails without them kept their hashes.
        "automated_reasoning_policies",
        "automated_reasoning_threshold",
    }
    checked = dataclasses.replace(guardrail, automated_reasoning_policies=("refunds:1",))
    expected = {"policies": ["refunds:1"], "confidence_threshold": None}
    assert checked.policy()["automated_reasoning"] == expected
    assert checked.policy_hash != guardrail.policy_hash


def test_policy_hash_ignores_key_order_in_the_file(write_config: WriteConfig) -> None:
    reordered = (
        "    sensitive_information: {pii: {phone: block, email: anonymize}}\n"
        "    word_filters: {words: [contoso], managed: [profanity]}\n"
        "    content_filters: {prompt_attack: high, insults: medium, hate: high}\n"
    )

    assert (
        load_guardrail(write_config, reordered).policy_hash == load_guardrail(write_config, BASE).policy_hash
    )


@pytest.mark.parametrize(
    "change",
    [
        "    description: Something else\n",
        "    versions: [{description: first, policy: 0123abcd, published: true},"
        " {description: second, policy: 29a446fe}]\n",
    ],
)
def test_policy_hash_ignores_description_and_versions(write_config: WriteConfig, change: str) -> None:
    assert (
        load_guardrail(write_config, BASE + change).policy_hash
        == load_guardrail(write_config, BASE).policy_hash
    )


def test_policy_hash_ignores_the_name(write_config: WriteConfig) -> None:
    guardrail = load_guardrail(write_config, BASE)

    assert dataclasses.replace(guardrail, name="other").policy_hash == guardrail.policy_hash


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hate: high", "hate: medium"),
        ("hate: high", "hate: {input: high, output: high, modalities: [text, image]}"),
        ("hate: high", "hate: {input: high, output: high, output_action: none}"),
        ("prompt_attack: high", "prompt_attack: low"),
        ("words: [contoso]", "words: [contoso, fabrikam]"),
        ("managed: [profanity], ", ""),
        ("phone: block", "phone: anonymize"),
        ("phone: block", "phone: {input: block, output: none}"),
        ("phone: block", "phone: block, name: anonymize"),
    ],
)
def test_policy_hash_changes_with_any_policy_change(write_config: WriteConfig, old: str, new: str) -> None:
    assert old in BASE
    changed = BASE.replace(old, new, 1)

    assert load_guardrail(write_config, changed).policy_hash != load_guardrail(write_config, BASE).policy_hash


@pytest.mark.parametrize(
    "addition",
    [
        "    kms_key_arn: arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\n",
        "    cross_region_profile: us.guardrail.v1:0\n",
        "    denied_topics: {topics: [{name: legal, definition: Legal advice.}]}\n",
        "    contextual_grounding: {grounding: 0.5}\n",
        "    contextual_grounding: {relevance: 0.5}\n",
    ],
)
def test_policy_hash_changes_with_every_other_policy_field(write_config: WriteConfig, addition: str) -> None:
    changed = load_guardrail(write_config, BASE + addition)

    assert changed.policy_hash != load_guardrail(write_config, BASE).policy_hash


@pytest.mark.parametrize("policy", ["content_filters", "denied_topics"])
def test_policy_hash_changes_with_the_tier(write_config: WriteConfig, policy: str) -> None:
    body = (
        "    cross_region_profile: us.guardrail.v1:0\n"
        "    content_filters: {hate: high}\n"
        "    denied_topics: {topics: [{name: legal, definition: Legal advice.}]}\n"
    )
    standard = body.replace(f"{policy}: {{", f"{policy}: {{tier: standard, ")

    assert standard != body
    standard_hash = load_guardrail(write_config, standard).policy_hash
    assert standard_hash != load_guardrail(write_config, body).policy_hash


@pytest.mark.parametrize("field", ["blocked_input_message", "blocked_output_message"])
def test_policy_hash_changes_with_the_blocked_messages(write_config: WriteConfig, field: str) -> None:
    base = load_guardrail(write_config, BASE)

    assert dataclasses.replace(base, **{field: "Nope."}).policy_hash != base.policy_hash


def test_policy_hash_changes_with_a_regex(write_config: WriteConfig) -> None:
    with_regex = BASE.replace(
        "phone: block}}", "phone: block}, regexes: [{name: id, pattern: 'X', action: block}]}"
    )
    other_pattern = with_regex.replace("'X'", "'Y'")

    hashes = {load_guardrail(write_config, body).policy_hash for body in (BASE, with_regex, other_pattern)}

    assert len(hashes) == 3


def test_policy_is_in_a_canonical_order_whatever_the_object_order() -> None:
    first = ContentFilter(type="HATE", input_strength="HIGH", output_strength="HIGH")
    second = ContentFilter(type="PROMPT_ATTACK", input_strength="HIGH", output_strength="NONE")
    email = PiiEntity(type="EMAIL", input_action="BLOCK", output_action="BLOCK")
    name = PiiEntity(type="NAME", input_action="BLOCK", output_action="BLOCK")
    common: dict[str, Any] = {"name": "g", "blocked_input_message": "x", "blocked_output_message": "y"}

    one = Guardrail(**common, content_filters=(first, second), pii_entities=(email, name))
    other = Guardrail(**common, content_filters=(second, first), pii_entities=(name, email))

    assert one.policy() == other.policy()
    assert one.policy_hash == other.policy_hash


def test_missing_version_policy_offers_the_hash_the_model_computes(write_config: WriteConfig) -> None:
    path = write_config(guardrail_config(BASE + "    versions:\n      - description: first\n"))

    (issue,) = issues_of(path)
    offered = issue.rsplit("policy: ", 1)[1]
    fixed = write_config(
        guardrail_config(BASE + f"    versions:\n      - {{description: first, policy: {offered}}}\n")
    )

    assert load_config(fixed).guardrails[0].policy_hash == offered


def test_a_newest_version_that_is_not_the_current_policy_is_refused_with_the_hash(
    write_config: WriteConfig,
) -> None:
    """Issue 16, finding 9: a version publishes the DRAFT as it is, so the newest entry's pin is the
    current policy; a change needs a new entry, and the message gives its hash."""
    path = write_config(guardrail_config(BASE + "    versions: [{description: first, policy: 0123abcd}]\n"))

    (issue,) = issues_of(path)
    assert "versions[0].policy: the newest entry pins 0123abcd" in issue
    offered = issue.rsplit("append an entry with policy: ", 1)[1].split(" ", 1)[0]
    fixed = write_config(
        guardrail_config(
            BASE
            + "    versions:\n"
            + "      - {description: first, policy: 0123abcd, published: true}\n"
            + f"      - {{description: second, policy: {offered}}}\n"
        )
    )
    assert load_config(fixed).guardrails[0].versions[-1].policy == offered


def test_older_entries_must_be_marked_published(write_config: WriteConfig) -> None:
    """Issue 16, finding 9: on a guardrail that does not exist yet, every entry would be published
    from the current DRAFT under its own (false) label; an older entry says it is published."""
    current = load_config(write_config(guardrail_config(BASE))).guardrails[0].policy_hash
    versions = (
        "    versions:\n"
        "      - {description: first, policy: 0123abcd}\n"
        f"      - {{description: second, policy: {current}}}\n"
    )
    (issue,) = issues_of(write_config(guardrail_config(BASE + versions)))
    assert "versions[0].policy: an older entry must say published: true" in issue
    assert f"would hold {current} under the label [policy 0123abcd]" in issue
    marked = versions.replace("policy: 0123abcd}", "policy: 0123abcd, published: true}")
    assert len(load_config(write_config(guardrail_config(BASE + marked))).guardrails[0].versions) == 2


# The schema against CloudFormation's


def _cfn_guardrail_schema() -> dict[str, Any]:
    data = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((data / "providers" / "us-east-1.json").read_text())
    schema: dict[str, Any] = json.loads(
        (data / "resources" / f"{providers['AWS::Bedrock::Guardrail']}.json").read_text()
    )
    return schema


def _lower(values: list[str]) -> list[str]:
    return [value.lower() for value in values]


def test_enums_are_cloudformations() -> None:
    cfn = _cfn_guardrail_schema()["definitions"]
    defs = load_schema()["$defs"]
    guardrail = defs["guardrail"]["properties"]
    pii = guardrail["sensitive_information"]["properties"]["pii"]

    assert pii["propertyNames"]["enum"] == _lower(cfn["PiiEntityType"]["enum"])
    assert len(pii["propertyNames"]["enum"]) == 31
    content_filters = [key for key in guardrail["content_filters"]["properties"] if key != "tier"]
    assert sorted(content_filters) == sorted(_lower(cfn["ContentFilterType"]["enum"]))
    assert [item.lower() for item in CONTENT_FILTER_TYPES] == content_filters
    assert defs["filter_strength"]["enum"] == _lower(cfn["FilterStrength"]["enum"])
    assert defs["content_filter"]["oneOf"][0]["enum"] == _lower(cfn["FilterStrength"]["enum"])
    assert defs["filter_action"]["enum"] == _lower(cfn["ContentFilterAction"]["enum"])
    assert defs["modalities"]["items"]["enum"] == _lower(cfn["Modality"]["enum"])
    assert defs["sensitive_information_action"]["enum"] == _lower(cfn["SensitiveInformationAction"]["enum"])
    assert guardrail["content_filters"]["properties"]["tier"]["enum"] == _lower(
        cfn["ContentFiltersTierName"]["enum"]
    )
    assert guardrail["denied_topics"]["properties"]["tier"]["enum"] == _lower(cfn["TopicsTierName"]["enum"])
    assert guardrail["word_filters"]["properties"]["managed"]["items"]["enum"] == _lower(
        cfn["ManagedWordsType"]["enum"]
    )


def test_limits_are_cloudformations() -> None:
    cfn = _cfn_guardrail_schema()
    definitions, properties = cfn["definitions"], cfn["properties"]
    defs = load_schema()["$defs"]
    guardrail = defs["guardrail"]["properties"]

    def limits(node: dict[str, Any]) -> dict[str, Any]:
        keys = ("minLength", "maxLength", "minItems", "maxItems")
        return {key: node[key] for key in keys if key in node and node[key] != 0}

    assert limits(guardrail["description"]) == limits(properties["Description"])
    for message in ("blocked_input_message", "blocked_output_message"):
        assert limits(guardrail[message]) == limits(properties["BlockedInputMessaging"])
    topic = definitions["TopicConfig"]["properties"]
    assert limits(defs["denied_topic"]["properties"]["name"]) == limits(topic["Name"])
    assert limits(defs["denied_topic"]["properties"]["definition"]) == limits(topic["Definition"])
    examples = defs["denied_topic"]["properties"]["examples"]
    assert limits(examples) == limits(topic["Examples"])
    assert limits(examples["items"]) == limits(topic["Examples"]["items"])
    topics = guardrail["denied_topics"]["properties"]["topics"]
    assert limits(topics) == limits(definitions["TopicPolicyConfig"]["properties"]["TopicsConfig"])
    regex = definitions["RegexConfig"]["properties"]
    for key in ("name", "description", "pattern"):
        assert limits(defs["regex_filter"]["properties"][key]) == limits(regex[key.capitalize()])
    regexes = guardrail["sensitive_information"]["properties"]["regexes"]
    assert limits(regexes) == limits(
        definitions["SensitiveInformationPolicyConfig"]["properties"]["RegexesConfig"]
    )
    words = guardrail["word_filters"]["properties"]["words"]
    assert words["maxItems"] == definitions["WordPolicyConfig"]["properties"]["WordsConfig"]["maxItems"]
    assert limits(defs["modalities"]) == limits(
        definitions["ContentFilterConfig"]["properties"]["InputModalities"]
    )
    assert definitions["ContentPolicyConfig"]["properties"]["FiltersConfig"]["maxItems"] == len(
        CONTENT_FILTER_TYPES
    )


def _properties(node: Any) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, child in node.get("properties", {}).items():
            found.append((key, child))
        for child in node.values():
            found.extend(_properties(child))
    elif isinstance(node, list):
        for child in node:
            found.extend(_properties(child))
    return found


def test_every_guardrail_property_has_a_description() -> None:
    schema = load_schema()
    guardrail_defs = [
        schema["$defs"][name]
        for name in ("guardrail", "content_filter", "prompt_attack_filter", "denied_topic", "regex_filter")
    ] + [schema["$defs"]["guardrail_version"]]

    undocumented = [
        key
        for definition in guardrail_defs
        for key, child in _properties(definition)
        if "description" not in child
    ]

    assert undocumented == []
    assert "description" in schema["properties"]["guardrails"]


def test_a_hash_of_digits_only_is_offered_quoted_so_that_it_stays_a_string(write_config: WriteConfig) -> None:
    word = next(
        f"w{index}"
        for index in range(10_000)
        if Guardrail(
            name="default",
            blocked_input_message="Sorry.",
            blocked_output_message="Sorry.",
            words=(f"w{index}",),
        ).policy_hash.isdigit()
    )
    body = f"    word_filters: {{words: [{word}]}}\n"
    path = write_config(guardrail_config(body + "    versions:\n      - description: first\n"))

    (issue,) = issues_of(path)
    offered = issue.rsplit("add policy: ", 1)[1]
    fixed = write_config(
        guardrail_config(body + f"    versions:\n      - description: first\n        policy: {offered}\n")
    )

    assert offered.startswith('"') and offered.endswith('"')
    assert load_config(fixed).guardrails[0].versions[0].policy == offered.strip('"')


def test_a_guardrails_template_over_cloudformations_size_is_refused(
    write_config: WriteConfig, tmp_path: Path
) -> None:
    """Issue 17 item 5: 10,000 words of 100 characters (both documented maxima) make a guardrails
    template of about 1.35 MB; CloudFormation takes 1 MiB. Validation refuses it, naming the stack."""
    (tmp_path / "long.txt").write_text("".join(f"{index:05d}" + "w" * 95 + "\n" for index in range(10_000)))
    path = write_config(guardrail_config("    word_filters: {words_file: long.txt}\n"))

    (issue,) = issues_of(path)
    found = re.fullmatch(
        r"guardrails: the stack dev-bedrock-guardrails would have a template of up to (\d+) bytes, more "
        r"than CloudFormation takes \(1048576 bytes\): guardrail 'default' alone takes up to (\d+) bytes "
        r"\(10000 words\); use fewer or shorter words, or fewer guardrails in this environment",
        issue,
    )
    assert found, issue
    assert 1_048_576 < int(found[2]) < int(found[1]) < 1_500_000


def test_a_guardrails_template_of_many_short_words_is_accepted(
    write_config: WriteConfig, tmp_path: Path
) -> None:
    (tmp_path / "short.txt").write_text("".join(f"word{index}\n" for index in range(10_000)))

    (guardrail,) = load_config(
        write_config(guardrail_config("    word_filters: {words_file: short.txt}\n"))
    ).guardrails

    assert len(guardrail.words) == 10_000


def test_the_regex_limit_is_botocores_create_guardrail_pattern_max() -> None:
    """Read from the model file without botocore's session; the same number botocore's model gives."""
    import botocore.session

    from bedrock_platform.config.guardrail_rules import regex_pattern_max_length

    model = botocore.session.get_session().get_service_model("bedrock")
    policy = model.operation_model("CreateGuardrail").input_shape.members["sensitiveInformationPolicyConfig"]
    pattern = policy.members["regexesConfig"].member.members["pattern"]
    assert regex_pattern_max_length() == pattern.metadata["max"]
