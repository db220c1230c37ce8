"""The position-keeping YAML reader: positions, paths, scalars, aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_platform.config import ConfigError, Issue
from bedrock_platform.config.document import FAST_LOADER, Document, Position, parse_document

TEXT = """\
environment: dev
knowledge_bases:
  - name: product-docs
    data_sources:
      - name: manuals
        chunking: {strategy: fixed_size, max_tokens: 300}
      - bucket:
  - {vector_store: docs}
"""


@pytest.fixture
def document() -> Document:
    return parse_document(TEXT, "config/dev.yaml")


def test_every_value_and_key_has_its_position(document: Document) -> None:
    chunking = ("knowledge_bases", 0, "data_sources", 0, "chunking")

    assert document.position(("environment",)) == Position(1, 14)
    assert document.position((*chunking, "max_tokens")) == Position(6, 54)
    assert document.position(chunking, key="max_tokens") == Position(6, 42)
    assert document.position(("knowledge_bases", 1, "vector_store")) == Position(8, 20)
    assert document.position(("knowledge_bases", 1)) == Position(8, 5)


def test_an_empty_value_is_located_at_its_key(document: Document) -> None:
    assert document.position(("knowledge_bases", 0, "data_sources", 1, "bucket")) == Position(7, 9)


def test_a_path_beyond_the_document_gives_the_deepest_position(document: Document) -> None:
    assert document.position(("knowledge_bases", 0, "nope", "deeper")) == Position(3, 5)
    assert document.position(("knowledge_bases", 9)) == Position(3, 3)


def test_paths_name_list_items_by_name_where_they_have_one(document: Document) -> None:
    assert document.render(()) == "config"
    assert (
        document.render(("knowledge_bases", 0, "data_sources", 0, "chunking", "max_tokens"))
        == "knowledge_bases[product-docs].data_sources[manuals].chunking.max_tokens"
    )
    assert document.render(("knowledge_bases", 0, "data_sources", 1, "bucket")) == (
        "knowledge_bases[product-docs].data_sources[1].bucket"
    )
    assert document.render(("knowledge_bases", 1, "vector_store")) == "knowledge_bases[1].vector_store"


def test_odd_keys_are_quoted_in_paths() -> None:
    document = parse_document('tags: {"a b": x, "team.name": y}\n', "f.yaml")

    assert document.render(("tags", "a b")) == "tags['a b']"
    assert document.render(("tags", "team.name")) == "tags['team.name']"


def test_issue_format(document: Document) -> None:
    issue = document.issue(("knowledge_bases", 1, "vector_store"), "unknown vector store 'docs'")

    assert issue == Issue(
        "config/dev.yaml", 8, 20, "knowledge_bases[1].vector_store", "unknown vector store 'docs'"
    )
    assert str(issue) == (
        "config/dev.yaml:8:20: error: knowledge_bases[1].vector_store: unknown vector store 'docs'"
    )


def test_scalars_resolve_like_the_safe_loader_except_timestamps() -> None:
    text = (
        "a: yes\nb: No\nc: ~\nd: 0x1F\ne: 1_000\nf: 1.5\ng: .inf\nh: 2024-01-31\ni: 2024-01-31T10:00:00Z\n"
        "j: '12'\nk: !!str 12\nl: 012\nm: 1:30\nn: =\no: 1e3\n"
    )

    data = parse_document(text, "f.yaml").data

    assert data == {
        "a": True,
        "b": False,
        "c": None,
        "d": 31,
        "e": 1000,
        "f": 1.5,
        "g": float("inf"),
        "h": "2024-01-31",
        "i": "2024-01-31T10:00:00Z",
        "j": "12",
        "k": "12",
        "l": 10,
        "m": 90,
        "n": "=",
        "o": "1e3",
    }


def test_keys_are_always_strings() -> None:
    assert parse_document("1: a\ntrue: b\n~: c\n", "f.yaml").data == {"1": "a", "true": "b", "~": "c"}


def test_aliases_share_their_anchor_and_are_located_where_they_are_used() -> None:
    document = parse_document("a: &x [1, 2]\nb: *x\n", "f.yaml")

    assert document.data == {"a": [1, 2], "b": [1, 2]}
    assert document.position(("b",)) == Position(2, 4)
    assert document.position(("b", 1)) == Position(1, 11)


def test_merge_keys_prefer_explicit_keys_then_earlier_mappings() -> None:
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc: {<<: [*a, *b], x: 3}\n"

    assert parse_document(text, "f.yaml").data["c"] == {"x": 3, "y": 1, "z": 2}


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse_document("'<<': x\n", "f.yaml").data == {"<<": "x"}


def test_all_duplicate_keys_are_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_document("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml")

    assert str(caught.value).splitlines() == [
        "f.yaml:3:1: error: config: duplicate key 'a' (first defined at line 1)",
        "f.yaml:4:1: error: config: duplicate key 'b' (first defined at line 2)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!binary aGVsbG8=\n", "f.yaml:1:4: error: a: tag '!!binary' is not allowed"),
        ("a: !!omap [{b: 1}]\n", "f.yaml:1:4: error: a: tag '!!omap' is not allowed"),
        (
            "a: !!python/name:os.system\n",
            "f.yaml:1:4: error: a: tag '!!python/name:os.system' is not allowed",
        ),
        (
            "a: !<tag:example.com,2024:x> 1\n",
            "f.yaml:1:4: error: a: tag 'tag:example.com,2024:x' is not allowed",
        ),
        ("a: !!bool maybe\n", "f.yaml:1:4: error: a: 'maybe' is not a valid boolean (!!bool)"),
        ("a: !!float x\n", "f.yaml:1:4: error: a: 'x' is not a valid number (!!float)"),
        ("a: !!map [1]\n", "f.yaml:1:4: error: a: tag '!!map' is not allowed"),
    ],
)
def test_tags_that_are_not_plain_data_are_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_document(text, "f.yaml")

    (issue,) = caught.value.issues
    assert str(issue).startswith(message)


def test_explicit_standard_tags_are_fine() -> None:
    text = (
        "a: !!int '7'\nb: !!float '1'\nc: !!null ''\nd: !!seq [1]\ne: !!map {x: 1}\n"
        "f: !!timestamp 2024-01-31\n"
    )

    assert parse_document(text, "f.yaml").data == {
        "a": 7,
        "b": 1.0,
        "c": None,
        "d": [1],
        "e": {"x": 1},
        "f": "2024-01-31",
    }


def _events(text: str, loader: Any) -> list[tuple[Any, ...]]:
    return [
        (
            type(event).__name__,
            getattr(event, "value", None),
            getattr(event, "anchor", None),
            getattr(event, "tag", None),
            getattr(event, "implicit", None),
            getattr(event, "style", None) or None,  # libyaml says "" where PyYAML says None
            event.start_mark.line,
            event.start_mark.column,
            event.end_mark.line,
            event.end_mark.column,
        )
        for event in yaml.parse(text, Loader=loader)
    ]


@pytest.mark.skipif(FAST_LOADER is None, reason="PyYAML without libyaml: its own parser is the only one")
def test_libyaml_gives_the_events_and_positions_of_pyyamls_own_parser() -> None:
    """The fast parser may stand in for PyYAML's only because every event and mark is the same."""
    root = Path(__file__).resolve().parents[2]
    texts = [path.read_text(encoding="utf-8") for path in sorted(root.glob("config/**/*.yaml"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((root / "tests").glob("**/*.yaml"))]
    texts += [
        "a: é\nb: 日本語 x\nc: [1, 😀]\nd: 'ü😀' # ß\n",
        "\ufeffa: 1\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\rb: 2\r",
    ]
    compared = 0
    for text in texts:
        try:
            expected = _events(text, yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # syntax errors are always worded by PyYAML's parser
        assert _events(text, FAST_LOADER) == expected, text[:200]
        compared += 1
    assert compared > 100
