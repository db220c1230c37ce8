"""The chunking spec is the one source of the strategies' defaults and limits (issue 18): it agrees
with CloudFormation's schema, the config schema's documentation states its numbers, and the config
model, rules and construct read it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import cfnlint
import pytest

from bedrock_platform.config.model import CHUNKING_DEFAULTS
from bedrock_platform.config.rules import CHUNKING_LIMITS
from bedrock_platform.config.schema import load_schema
from bedrock_platform.spec import chunking

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
CFN_NAMES = {
    ("fixed_size", "max_tokens"): ("FixedSizeChunkingConfiguration", "MaxTokens"),
    ("fixed_size", "overlap_percentage"): ("FixedSizeChunkingConfiguration", "OverlapPercentage"),
    ("hierarchical", "parent_max_tokens"): ("HierarchicalChunkingLevelConfiguration", "MaxTokens"),
    ("hierarchical", "child_max_tokens"): ("HierarchicalChunkingLevelConfiguration", "MaxTokens"),
    ("hierarchical", "overlap_tokens"): ("HierarchicalChunkingConfiguration", "OverlapTokens"),
    ("semantic", "max_tokens"): ("SemanticChunkingConfiguration", "MaxTokens"),
    ("semantic", "buffer_size"): ("SemanticChunkingConfiguration", "BufferSize"),
    ("semantic", "breakpoint_percentile_threshold"): (
        "SemanticChunkingConfiguration",
        "BreakpointPercentileThreshold",
    ),
}
"""Where each parameter is in CloudFormation's AWS::Bedrock::DataSource schema."""


def _cfn_definitions() -> dict[str, Any]:
    providers = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema = json.loads((SCHEMAS / "resources" / f"{providers['AWS::Bedrock::DataSource']}.json").read_text())
    definitions: dict[str, Any] = schema["definitions"]
    return definitions


PARAMETERS = [
    (strategy.name, parameter)
    for strategy in chunking.STRATEGIES.values()
    for parameter in strategy.parameters
]


@pytest.mark.parametrize(
    ("strategy", "parameter"), PARAMETERS, ids=lambda value: getattr(value, "name", value)
)
def test_each_range_is_within_cloudformations(strategy: str, parameter: chunking.Parameter) -> None:
    definition, name = CFN_NAMES[(strategy, parameter.name)]
    cfn = _cfn_definitions()[definition]["properties"][name]
    assert parameter.minimum == cfn["minimum"]
    assert "maximum" not in cfn or (parameter.maximum is not None and parameter.maximum <= cfn["maximum"])
    assert parameter.minimum <= parameter.default and (
        parameter.maximum is None or parameter.default <= parameter.maximum
    )


def test_the_config_schema_states_the_specs_defaults_and_ranges() -> None:
    properties = load_schema()["$defs"]["data_source"]["properties"]["chunking"]["properties"]
    assert properties["strategy"]["enum"] == list(chunking.STRATEGIES)
    for _strategy, parameter in PARAMETERS:
        text = properties[parameter.name]["description"]
        assert re.search(rf"Default {parameter.default}\b", text), (parameter.name, text)
        if parameter.maximum is not None and parameter.maximum < chunking.LARGEST_CHUNK:
            assert f"{parameter.minimum} to {parameter.maximum}" in text or (
                f"{parameter.minimum} or {parameter.maximum}" in text
            ), (parameter.name, text)


def test_the_config_model_and_rules_read_the_spec() -> None:
    assert {name: strategy.defaults() for name, strategy in chunking.STRATEGIES.items()} == CHUNKING_DEFAULTS
    assert {name: strategy.limits() for name, strategy in chunking.STRATEGIES.items()} == CHUNKING_LIMITS


def test_the_hierarchy_rules() -> None:
    assert (
        chunking.problems(
            "hierarchical", {"parent_max_tokens": 500, "child_max_tokens": 500, "overlap_tokens": 499}
        )
        == []
    )
    assert chunking.problems(
        "hierarchical", {"parent_max_tokens": 500, "child_max_tokens": 600, "overlap_tokens": 60}
    ) == ["child_max_tokens 600 must be at most parent_max_tokens 500"]
    assert chunking.problems("fixed_size", {"max_tokens": 8193, "overlap_percentage": 20}) == [
        "max_tokens must be between 1 and 8192, got 8193"
    ]
