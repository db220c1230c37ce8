"""The inference profile spec is the one source of the application inference profile facts: it
agrees with CloudFormation's schema, and the config schema and the rule read it."""

from __future__ import annotations

from bedrock_platform.config.schema import load_schema
from bedrock_platform.spec import inference_profiles
from tests.spec.cloudformation import resource_schema


def test_names_descriptions_and_create_only_settings_are_cloudformations() -> None:
    schema = resource_schema(inference_profiles.RESOURCE_TYPE)
    name = schema["properties"]["InferenceProfileName"]
    assert (name["pattern"], name["maxLength"]) == (
        inference_profiles.NAME.pattern,
        inference_profiles.NAME_MAX,
    )
    description = schema["properties"]["Description"]
    assert (description["pattern"], description["maxLength"]) == (
        inference_profiles.DESCRIPTION.pattern,
        inference_profiles.DESCRIPTION_MAX,
    )
    # What the name's fingerprint covers is exactly what CloudFormation replaces the profile for.
    assert set(schema["createOnlyProperties"]) == {
        "/properties/Description",
        "/properties/InferenceProfileName",
        "/properties/ModelSource",
    }


def test_the_config_schema_states_the_description_rule() -> None:
    description = load_schema()["properties"]["inference_profiles"]["items"]["properties"]["description"]
    assert description["pattern"] == inference_profiles.DESCRIPTION.pattern
    assert description["maxLength"] == inference_profiles.DESCRIPTION_MAX
    assert f"1 to {inference_profiles.DESCRIPTION_MAX}" in description["description"]


def test_a_profile_name_is_its_base_and_a_fingerprint_of_what_cannot_change() -> None:
    name = inference_profiles.profile_name("dev-support", model="m.a:0", description=None)
    assert len(name) == len("dev-support") + inference_profiles.SUFFIX_LENGTH
    assert name == inference_profiles.profile_name("dev-support", model="m.a:0", description=None)
    assert name != inference_profiles.profile_name("dev-support", model="m.b:0", description=None)
    assert name != inference_profiles.profile_name("dev-support", model="m.a:0", description="Support")
