"""The provisioned_throughputs section: typed objects and their defaults, the catalog, the schema."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.loaders import Loader

from bedrock_platform.config import ConfigError, build_config, load_config
from bedrock_platform.config.catalog import THROUGHPUT_MODELS, throughput_model
from bedrock_platform.config.checks import AWS_RESOURCE_NAME
from bedrock_platform.config.model import THROUGHPUT_NAME_SUFFIX_LENGTH, ProvisionedThroughput
from bedrock_platform.config.schema import load_schema
from bedrock_platform.config.throughput_rules import (
    COMMITMENT_TERMS,
    CUSTOM_MODEL_ARN,
    PROVISIONED_MODEL_NAME_MAX,
)
from tests.config.helpers import HEADER, WriteConfig

BASE = {"environment": "dev", "account": "111111111111", "region": "us-east-1"}
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0:200k"
CUSTOM_MODEL = f"arn:aws:bedrock:us-east-1:111111111111:custom-model/{HAIKU}/a1b2c3d4e5f6"
US_WEST_1_CUSTOM_MODEL = (
    "arn:aws:bedrock:us-west-1:111111111111:custom-model/amazon.nova-lite-v1:0:300k/a1b2c3d4e5f6"
)


def build(*throughputs: dict[str, Any]) -> tuple[ProvisionedThroughput, ...]:
    """The typed throughputs of a mapping with the three required keys and these entries."""
    return build_config({**BASE, "provisioned_throughputs": list(throughputs)}).provisioned_throughputs


def throughput_config(entries: str, header: str = HEADER) -> str:
    return header + "provisioned_throughputs:\n" + entries


def test_prod_throughput() -> None:
    config = load_config("config/prod.yaml")

    assert config.provisioned_throughputs == (
        ProvisionedThroughput(
            name="support-assistant",
            model="anthropic.claude-v2:1:200k",
            model_units=1,
            commitment="six_months",
            acknowledge_commitment=True,
            removal_policy="retain",
            tags={"app": "support-assistant"},
        ),
    )
    assert config.provisioned_throughput("support-assistant") is config.provisioned_throughputs[0]


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
            {"name": "sonnet", "model": "anthropic.claude-3-sonnet-20240229-v1:0:200k", "model_units": 1},
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
    """The user guide offers Claude 3 Haiku's 200k variant outside eu-central-1 only; prod's model in it."""
    haiku = throughput_model(HAIKU)
    prod_model = throughput_model(load_config("config/prod.yaml").provisioned_throughputs[0].model)

    assert haiku is not None and "eu-central-1" not in haiku.regions
    assert prod_model is not None and "eu-central-1" in prod_model.regions


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
    durations = {"one_month": "OneMonth", "six_months": "SixMonths"}
    assert [durations[term] for term in COMMITMENT_TERMS] == shapes["CommitmentDuration"]["enum"]
    assert properties["commitment"]["enum"] == ["none", *COMMITMENT_TERMS]


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
