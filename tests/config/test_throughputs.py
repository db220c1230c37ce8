"""The provisioned_throughputs section: typed objects and their defaults, the catalog, the schema."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.loaders import Loader

from bedrock_platform.config import ConfigError, build_config, load_config
from bedrock_platform.config.catalog import (
    ACTIVE,
    EMBEDDING_MODELS,
    LEGACY,
    THROUGHPUT_MODELS,
    embedding_model,
    throughput_model,
)
from bedrock_platform.config.checks import AWS_RESOURCE_NAME
from bedrock_platform.config.model import THROUGHPUT_NAME_SUFFIX_LENGTH, ProvisionedThroughput
from bedrock_platform.config.schema import load_schema
from bedrock_platform.config.throughput_rules import NO_ACTIVE_IN_REGION_HINT, _active_hint
from bedrock_platform.spec.throughput import COMMITMENTS, CUSTOM_MODEL_ARN, CommitmentDuration
from bedrock_platform.spec.throughput import NAME_MAX as PROVISIONED_MODEL_NAME_MAX
from tests.config.helpers import HEADER, WriteConfig

BASE = {"environment": "dev", "account": "111111111111", "region": "us-east-1"}
HAIKU = "amazon.nova-lite-v1:0:300k"
"""An Active model offered for throughput in us-east-1 (the name is the entries' in the tests)."""
CLAUDE_3_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0:200k"
CUSTOM_MODEL = f"arn:aws:bedrock:us-east-1:111111111111:custom-model/{CLAUDE_3_HAIKU}/a1b2c3d4e5f6"
US_WEST_1_CUSTOM_MODEL = (
    "arn:aws:bedrock:us-west-1:111111111111:custom-model/amazon.nova-lite-v1:0:300k/a1b2c3d4e5f6"
)


def build(*throughputs: dict[str, Any]) -> tuple[ProvisionedThroughput, ...]:
    """The typed throughputs of a mapping with the three required keys and these entries."""
    return build_config({**BASE, "provisioned_throughputs": list(throughputs)}).provisioned_throughputs


def throughput_config(entries: str, header: str = HEADER) -> str:
    return header + "provisioned_throughputs:\n" + entries


def test_prod_buys_no_throughput_frankfurt_offers_none_for_an_active_text_model() -> None:
    """Issue 16, finding 5: prod bought six months of anthropic.claude-v2:1:200k, which is Legacy.

    The user guide's table ("Supported Region and models for Provisioned Throughput") offers in
    eu-central-1 only Claude 2.1 (Legacy) and Titan Multimodal Embeddings G1, so prod's assistant
    runs on demand; tests/config/invalid/throughput-legacy-model.yaml keeps the old entry's error.
    """
    config = load_config("config/prod.yaml")
    offered = [model for model in THROUGHPUT_MODELS if "eu-central-1" in model.regions]

    assert config.region == "eu-central-1" and config.provisioned_throughputs == ()
    assert {model.model_id: model.lifecycle for model in offered} == {
        "amazon.titan-embed-image-v1:0": ACTIVE,
        "anthropic.claude-v2:1:18k": LEGACY,
        "anthropic.claude-v2:1:200k": LEGACY,
    }


def test_dev_has_no_throughput() -> None:
    config = load_config("config/dev.yaml")

    assert config.provisioned_throughputs == ()
    with pytest.raises(StopIteration):
        config.provisioned_throughput("support-assistant")


def test_defaults_without_a_commitment() -> None:
    (throughput,) = build({"name": "haiku", "model": HAIKU, "model_units": 2})

    assert throughput == ProvisionedThroughput(name="haiku", model=HAIKU, model_units=2)
    assert (throughput.commitment, throughput.acknowledge_commitment, throughput.removal_policy) == (
        "none",
        False,
        "destroy",
    )
    assert throughput.tags == {}


@pytest.mark.parametrize("commitment", ["one_month", "six_months"])
def test_a_commitment_is_retained_by_default(commitment: str) -> None:
    (throughput,) = build(
        {
            "name": "haiku",
            "model": HAIKU,
            "model_units": 1,
            "commitment": commitment,
            "acknowledge_commitment": True,
        }
    )

    assert (throughput.commitment, throughput.removal_policy) == (commitment, "retain")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"commitment": "none", "removal_policy": "retain"}, "retain"),
        (
            {"commitment": "six_months", "acknowledge_commitment": True, "removal_policy": "destroy"},
            "destroy",
        ),
        ({"commitment": "none", "acknowledge_commitment": True}, "destroy"),
    ],
)
def test_removal_policy_as_written(settings: dict[str, Any], expected: str) -> None:
    (throughput,) = build({"name": "haiku", "model": HAIKU, "model_units": 1, **settings})

    assert throughput.removal_policy == expected


def test_tags_are_sorted_by_key() -> None:
    (throughput,) = build(
        {"name": "haiku", "model": HAIKU, "model_units": 1, "tags": {"team": "ml", "app": "bot", "cost": "1"}}
    )

    assert list(throughput.tags) == ["app", "cost", "team"]


def test_throughputs_keep_their_order_and_are_found_by_name() -> None:
    raw = {
        **BASE,
        "provisioned_throughputs": [
            {"name": "sonnet", "model": "amazon.nova-pro-v1:0:300k", "model_units": 1},
            {"name": "haiku", "model": HAIKU, "model_units": 3},
        ],
    }

    config = build_config(raw)

    assert [throughput.name for throughput in config.provisioned_throughputs] == ["sonnet", "haiku"]
    assert config.provisioned_throughput("haiku").model_units == 3
    assert isinstance(config.provisioned_throughputs, tuple)


def test_a_destroyed_commitment_and_a_custom_model_of_the_account_are_valid(
    write_config: WriteConfig,
) -> None:
    path = write_config(
        throughput_config(
            f"  - {{name: tuned, model: '{CUSTOM_MODEL}', model_units: 1, commitment: one_month,"
            " acknowledge_commitment: true, removal_policy: destroy}\n"
        )
    )

    (throughput,) = load_config(path).provisioned_throughputs

    assert (throughput.model, throughput.removal_policy) == (CUSTOM_MODEL, "destroy")


def test_the_longest_name_that_fits(write_config: WriteConfig) -> None:
    environment = "development-east"
    room = PROVISIONED_MODEL_NAME_MAX - len(environment) - 1 - THROUGHPUT_NAME_SUFFIX_LENGTH
    header = f'environment: {environment}\naccount: "111111111111"\nregion: us-east-1\n'
    fits = write_config(
        throughput_config(f"  - {{name: {'a' * room}, model: {HAIKU}, model_units: 1}}\n", header)
    )
    too_long = write_config(
        throughput_config(f"  - {{name: {'a' * (room + 1)}, model: {HAIKU}, model_units: 1}}\n", header),
        "long.yaml",
    )

    assert load_config(fits).provisioned_throughputs[0].name == "a" * 39
    with pytest.raises(ConfigError, match="would be 64 characters, at most 63"):
        load_config(too_long)


@pytest.mark.parametrize(
    "section",
    [
        "guardrails:\n  - {name: default, blocked_input_message: No., blocked_output_message: No.,"
        " word_filters: {managed: [profanity]}}\n",
        f"provisioned_throughputs:\n  - {{name: tuned, model_units: 1, model: '{US_WEST_1_CUSTOM_MODEL}'}}\n",
    ],
)
def test_a_region_without_knowledge_bases_is_fine_without_vector_stores(
    write_config: WriteConfig, section: str
) -> None:
    path = write_config('environment: dev\naccount: "111111111111"\nregion: us-west-1\n' + section)

    assert load_config(path).region == "us-west-1"


def test_catalog_ids_are_unique_and_regions_sorted() -> None:
    ids = [model.model_id for model in THROUGHPUT_MODELS]
    region_pattern = re.compile(load_schema()["properties"]["region"]["pattern"])

    assert len(set(ids)) == len(ids)
    for model in THROUGHPUT_MODELS:
        assert model.regions and list(model.regions) == sorted(set(model.regions)), model.model_id
        assert all(region_pattern.match(region) for region in model.regions), model.model_id
        assert throughput_model(model.model_id) is model
    assert throughput_model("anthropic.claude-3-haiku-20240307-v1:0") is None


def test_catalog_facts_the_shipped_configs_rely_on() -> None:
    """Claude 3 Haiku's 200k variant is not offered in eu-central-1, and it is Legacy (its model
    card: "Model lifecycle: Legacy"); Nova Lite's 300k variant is Active in us-east-1 only."""
    haiku = throughput_model(CLAUDE_3_HAIKU)
    nova = throughput_model(HAIKU)

    assert haiku is not None and "eu-central-1" not in haiku.regions and haiku.lifecycle == LEGACY
    assert nova is not None and nova.regions == ("us-east-1",) and nova.lifecycle == ACTIVE


def test_a_legacy_model_is_refused_and_active_ones_of_the_region_suggested(write_config: WriteConfig) -> None:
    path = write_config(throughput_config(f"  - {{name: haiku, model: {CLAUDE_3_HAIKU}, model_units: 1}}\n"))

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value).endswith(
        f"provisioned_throughputs[haiku].model: {CLAUDE_3_HAIKU} is Legacy, and Bedrock sells no new"
        " provisioned throughput for a model that is not Active (user guide, Model lifecycle); Active"
        " models offered for it in region 'us-east-1': amazon.nova-2-lite-v1:0:256k,"
        " amazon.nova-canvas-v1:0, amazon.nova-lite-v1:0:24k and 10 more [throughput-models]"
    )


def test_a_region_with_no_active_model_for_throughput_says_so() -> None:
    assert _active_hint("ap-northeast-1") == NO_ACTIVE_IN_REGION_HINT.format(region="'ap-northeast-1'")
    assert _active_hint(None) == ""


def test_every_legacy_catalog_entry_is_a_model_the_lifecycle_pages_name() -> None:
    """Claude 2 and 2.1, Instant, 3 Sonnet, 3.5 Sonnet (v1, v2) and 3 Haiku; the rest Active."""
    legacy = {model.model_id.split(":")[0] for model in THROUGHPUT_MODELS if model.lifecycle != ACTIVE}

    assert legacy == {
        "anthropic.claude-v2",
        "anthropic.claude-instant-v1",
        "anthropic.claude-3-sonnet-20240229-v1",
        "anthropic.claude-3-5-sonnet-20240620-v1",
        "anthropic.claude-3-5-sonnet-20241022-v2",
        "anthropic.claude-3-haiku-20240307-v1",
    }


def test_embedding_models_input_limits() -> None:
    """Quotas for Amazon Bedrock (data source chunk size) and "Amazon Titan Text Embeddings models"."""
    assert {model.model_id: model.max_input_tokens for model in EMBEDDING_MODELS} == {
        "amazon.titan-embed-text-v1": 8192,
        "amazon.titan-embed-text-v2:0": 8192,
        "cohere.embed-english-v3": 512,
        "cohere.embed-multilingual-v3": 512,
        "twelvelabs.marengo-embed-3-0-v1:0": 500,  # "TwelveLabs Marengo Embed 3.0": text, 500 tokens
    }
    model = embedding_model("cohere.embed-multilingual-v3")
    assert model is not None and model.lifecycle == ACTIVE


def test_every_throughput_property_has_a_description() -> None:
    schema = load_schema()
    throughput = schema["$defs"]["provisioned_throughput"]

    assert throughput["additionalProperties"] is False
    assert [key for key, child in throughput["properties"].items() if "description" not in child] == []
    assert "description" in schema["properties"]["provisioned_throughputs"]


def _bedrock_shapes() -> dict[str, Any]:
    """The shapes of the Bedrock control plane's service model, as botocore ships it."""
    shapes: dict[str, Any] = Loader().load_service_model("bedrock", "service-2")["shapes"]
    return shapes


def test_limits_and_enums_are_the_apis() -> None:
    """Checked against CreateProvisionedModelThroughput in the service model botocore ships."""
    shapes = _bedrock_shapes()
    properties = load_schema()["$defs"]["provisioned_throughput"]["properties"]
    name = shapes["ProvisionedModelName"]

    assert (name["min"], name["max"]) == (1, PROVISIONED_MODEL_NAME_MAX)
    assert f"^{name['pattern']}$".replace("+", "{1,100}") == AWS_RESOURCE_NAME.pattern
    assert properties["model_units"]["minimum"] == shapes["PositiveInteger"]["min"]
    assert properties["model"]["maxLength"] == shapes["ModelIdentifier"]["max"]
    assert [term.api_value for term in CommitmentDuration] == shapes["CommitmentDuration"]["enum"]
    assert properties["commitment"]["enum"] == list(COMMITMENTS)
    assert [CommitmentDuration.of(spelling) for spelling in COMMITMENTS] == [None, *CommitmentDuration]


def test_custom_model_arns_the_api_accepts_are_accepted() -> None:
    model_identifier = re.compile(f"^({_bedrock_shapes()['ModelIdentifier']['pattern']})$")
    arns = [
        CUSTOM_MODEL,
        "arn:aws:bedrock:eu-central-1:222222222222:custom-model/amazon.nova-lite-v1:0:300k/0a1b2c3d4e5f",
        "arn:aws:bedrock:us-east-1:111111111111:custom-model/imported/0a1b2c3d4e5f",
        "arn:aws-us-gov:bedrock:us-gov-west-1:111111111111:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/abcdefabcdef",
    ]

    for arn in arns:
        assert model_identifier.match(arn), arn
        assert CUSTOM_MODEL_ARN.match(arn), arn


def test_the_stack_tag_key_is_the_handlers() -> None:
    from bedrock_platform.handlers.provisioned_throughput import STACK_TAG_KEY as HANDLER_KEY
    from bedrock_platform.spec.throughput import STACK_TAG_KEY

    assert STACK_TAG_KEY == HANDLER_KEY


def test_forty_nine_tags_and_the_stack_tag_fit_fifty(write_config: WriteConfig) -> None:
    """Bedrock's limit per resource is 50, and the handler adds bedrock-platform:stack."""
    header = HEADER + "tags:\n" + "".join(f"  s{index}: v\n" for index in range(20))
    own = "".join(f"      t{index}: v\n" for index in range(29))
    entry = f"  - name: nova\n    model: {HAIKU}\n    model_units: 1\n    tags:\n{own}"
    fits = write_config(throughput_config(entry, header))
    over = write_config(throughput_config(entry + "      t29: v\n", header), "over.yaml")

    assert len(load_config(fits).provisioned_throughputs[0].tags) == 29  # and 20 top-level ones
    with pytest.raises(ConfigError, match="would have 51 tags"):
        load_config(over)
