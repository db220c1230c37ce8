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


def test_enforcement_and_sharing_are_cloudformations_and_the_config_schema_says_so() -> None:
    """Issue 23: the enforced guardrail's model patterns and guarding modes, and the organization id."""
    enforced = resource_schema(guardrail.ENFORCED_CONFIGURATION_TYPE)
    models = enforced["definitions"]["ModelEnforcement"]["properties"]
    assert models["ExcludedModels"]["items"]["pattern"] == guardrail.ENFORCED_MODEL_PATTERN
    assert (
        models["IncludedModels"]["items"]["pattern"]
        == guardrail.ENFORCED_MODEL_PATTERN.replace(
            "^(", f"^({guardrail.ENFORCED_ALL_MODELS}|(", 1
        ).removesuffix("$")
        + ")$"
    )
    guarding = enforced["definitions"]["SelectiveContentGuarding"]["properties"]
    assert tuple(guarding["System"]["enum"]) == guardrail.SELECTIVE_GUARDING_MODES
    assert (
        enforced["properties"]["GuardrailVersion"]["pattern"] == "^[1-9][0-9]{0,7}$"
    )  # numeric, never DRAFT
    config = load_schema()["properties"]["enforced_guardrail"]["properties"]
    assert config["exclude_models"]["items"]["pattern"] == guardrail.ENFORCED_MODEL_PATTERN
    assert config["include_models"]["items"]["pattern"] == models["IncludedModels"]["items"]["pattern"]
    assert [
        mode.upper() for mode in config["selective_content_guarding"]["properties"]["system"]["enum"]
    ] == list(guardrail.SELECTIVE_GUARDING_MODES)
    sharing = load_schema()["$defs"]["guardrail"]["properties"]["share_with_organization"]
    assert sharing["pattern"] == guardrail.ORGANIZATION_ID_PATTERN
    assert set(resource_schema(guardrail.RESOURCE_POLICY_TYPE)["required"]) == {
        "ResourceArn",
        "PolicyDocument",
    }
