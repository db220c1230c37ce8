"""The schema itself, its translation into plain messages, and robustness against any value anywhere."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from bedrock_platform.config import SCHEMA_PATH, ConfigError, PlatformConfig, load_config
from bedrock_platform.config.catalog import EMBEDDING_MODELS, KNOWLEDGE_BASE_REGIONS, THROUGHPUT_MODELS
from bedrock_platform.config.schema import PATTERN_MESSAGE, load_schema
from tests.config.helpers import ROOT

REPLACEMENTS: list[Any] = [None, True, -1, "Bad Value", ["x"], {"name": "x"}]
"""Values put in place of every node of the shipped configs: one of each JSON type, all out of place."""


def test_schema_path_is_the_repository_schema() -> None:
    assert SCHEMA_PATH == ROOT / "bedrock_platform" / "config" / "schema.json"
    assert SCHEMA_PATH.resolve() == ROOT / "config" / "schema.json"
    assert SCHEMA_PATH.is_file()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def test_every_object_forbids_unknown_keys() -> None:
    objects = [schema for schema in _schemas(load_schema()) if schema.get("type") == "object"]

    assert objects
    for schema in objects:
        assert "additionalProperties" in schema, schema


def test_every_pattern_is_explained_in_words_beside_it() -> None:
    """Issue 18: the messages lived in schema.py, keyed by a copy of each regex; each pattern now
    carries its message in the schema (x-pattern-message), the one place the regex is written."""
    unexplained = [
        schema["pattern"]
        for schema in _schemas(load_schema())
        if isinstance(schema.get("pattern"), str) and PATTERN_MESSAGE not in schema
    ]
    assert unexplained == [load_schema()["$defs"]["name"]["pattern"]]  # explained by its description
    templates = [schema[PATTERN_MESSAGE] for schema in _schemas(load_schema()) if PATTERN_MESSAGE in schema]
    assert all("{value}" in template for template in templates)
    assert all(template.format(value="'x'", region_hint="") for template in templates)


def test_every_catalogued_region_passes_the_region_pattern() -> None:
    pattern = re.compile(load_schema()["properties"]["region"]["pattern"])
    regions = {
        *KNOWLEDGE_BASE_REGIONS,
        *(region for model in (*EMBEDDING_MODELS, *THROUGHPUT_MODELS) for region in model.regions),
    }

    assert [region for region in sorted(regions) if not pattern.match(region)] == []


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return changed


EVERY_REPLACEMENT = os.environ.get("BEDROCK_FUZZ_PROFILE") == "benchmark"
"""Every replacement at every node (``benchmarks/fuzz.py``, about 7 times the cases); ``make test``
puts two at each node, the pair moving along :data:`REPLACEMENTS` from one node to the next, so
every replacement still reaches every kind of node and every node is removed."""


def _mutations() -> Iterator[tuple[str, Any]]:
    for name in ("dev", "prod"):
        data = yaml.safe_load((ROOT / "config" / f"{name}.yaml").read_text(encoding="utf-8"))
        for number, path in enumerate(list(_paths(data))[1:]):
            chosen = (
                REPLACEMENTS
                if EVERY_REPLACEMENT
                else [REPLACEMENTS[(2 * number + offset) % len(REPLACEMENTS)] for offset in (0, 1)]
            )
            for replacement in chosen:
                yield f"{name}:{path}={replacement!r}", _replaced(data, path, replacement)
            parent = _replaced(data, path, None)
            if isinstance(path[-1], str):
                container = parent
                for part in path[:-1]:
                    container = container[part]
                del container[path[-1]]
                yield f"{name}:{path} removed", parent


def test_any_value_anywhere_gives_a_config_or_a_config_error(tmp_path: Path) -> None:
    """Put every kind of value in place of every node of the shipped configs: nothing crashes.

    Each mutated file either loads (its objects are built) or is refused with issues that are
    sorted, located inside the file, and never an internal error.
    """
    file = tmp_path / "mutated.yaml"
    shutil.copytree(ROOT / "config" / "guardrails", tmp_path / "guardrails")  # prod's words_file
    outcomes = {"valid": 0, "invalid": 0}
    for label, data in _mutations():
        file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        line_count = len(file.read_text(encoding="utf-8").splitlines())
        try:
            config = load_config(str(file))
        except ConfigError as error:
            outcomes["invalid"] += 1
            assert error.issues, label
            assert all("internal error" not in issue.message for issue in error.issues), (label, str(error))
            assert all(1 <= issue.line <= line_count for issue in error.issues), (label, str(error))
            assert list(error.issues) == sorted(error.issues, key=lambda issue: issue.sort_key()), label
        else:
            outcomes["valid"] += 1
            assert isinstance(config, PlatformConfig), label
    assert outcomes["valid"] > 0 and outcomes["invalid"] > 100


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("environment", "environment: 7", 'expected a string, got an integer; quote it: environment: "7"'),
        ("region", "region: 1.5", 'expected a string, got a number; quote it: region: "1.5"'),
        ("tags", "tags: [a]", "expected a mapping, got a list"),
        ("vector_stores", "vector_stores: {}", "expected a list, got a mapping"),
    ],
)
def test_type_messages(tmp_path: Path, field: str, text: str, message: str) -> None:
    lines = {
        "environment": "environment: dev",
        "account": 'account: "111111111111"',
        "region": "region: us-east-1",
    }
    lines[field] = text
    file = tmp_path / "config.yaml"
    file.write_text("\n".join(lines.values()) + "\n", encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_config(str(file))

    assert [(issue.path, issue.message) for issue in caught.value.issues] == [(field, message)]
