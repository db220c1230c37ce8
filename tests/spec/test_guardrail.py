"""The guardrail spec is the one source of the guardrail facts (issue 18): it agrees with
CloudFormation's schemas, the config schema uses its policy hash pattern and states its version
limit, and the rules, the model and the construct read it."""

from __future__ import annotations

import re

from bedrock_platform.config import guardrail_rules, model
from bedrock_platform.config.schema import PATTERN_MESSAGE, load_schema
from bedrock_platform.spec import guardrail
from tests.spec.cloudformation import resource_schema


def test_names_descriptions_and_words_are_cloudformations() -> None:
    name = resource_schema("AWS::Bedrock::Guardrail")["properties"]["Name"]
    assert name["maxLength"] == guardrail.NAME_MAX
    assert set(name["pattern"].strip("^$+[]")) == set(guardrail.NAME_PATTERN.pattern.strip("^$+[]"))
    description = resource_schema("AWS::Bedrock::GuardrailVersion")["properties"]["Description"]
    assert description["maxLength"] == guardrail.VERSION_DESCRIPTION_LIMIT
    words = resource_schema("AWS::Bedrock::Guardrail")["definitions"]["WordPolicyConfig"]["properties"][
        "WordsConfig"
    ]
    assert words["maxItems"] == guardrail.MAX_WORDS
    properties = resource_schema("AWS::Bedrock::Guardrail")["properties"]
    config = load_schema()["$defs"]["guardrail"]["properties"]
    for cfn_name, config_name in (
        ("BlockedInputMessaging", "blocked_input_message"),
        ("BlockedOutputsMessaging", "blocked_output_message"),
    ):
        assert properties[cfn_name]["maxLength"] == guardrail.BLOCKED_MESSAGE_MAX
        assert config[config_name]["maxLength"] == guardrail.BLOCKED_MESSAGE_MAX
        assert f"1 to {guardrail.BLOCKED_MESSAGE_MAX} characters" in config[config_name]["description"]


def test_the_config_schema_and_its_messages_use_the_policy_hash_pattern() -> None:
    version = load_schema()["$defs"]["guardrail_version"]["properties"]["policy"]
    assert version["pattern"] == guardrail.POLICY_HASH_PATTERN
    assert f"{guardrail.POLICY_HASH_LENGTH} lowercase hex digits" in version[PATTERN_MESSAGE]
    versions = load_schema()["$defs"]["guardrail"]["properties"]["versions"]["description"]
    assert f"At most {guardrail.MAX_VERSIONS} " in versions
    assert re.fullmatch(guardrail.POLICY_HASH_PATTERN, "0" * guardrail.POLICY_HASH_LENGTH)


def test_the_model_and_rules_read_the_spec() -> None:
    assert model.POLICY_HASH_LENGTH == guardrail.POLICY_HASH_LENGTH
    assert model.VERSION_DESCRIPTION_MAX == guardrail.VERSION_DESCRIPTION_MAX == 182
    assert guardrail_rules.MAX_VERSIONS == guardrail.MAX_VERSIONS
    assert guardrail_rules.GUARDRAIL_NAME_MAX == guardrail.NAME_MAX
    assert guardrail.version_description("first", "0123abcd") == "first [policy 0123abcd]"
