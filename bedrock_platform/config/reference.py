"""The README's config reference, generated from config/schema.json.

``python -m bedrock_platform.config.reference`` rewrites the block between the markers in
README.md; a test fails when the README and the schema disagree.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bedrock_platform.config.checks import Rule
    from bedrock_platform.config.typed import TypedRule

START = "<!-- config-reference:start (generated from config/schema.json; run make docs) -->"
END = "<!-- config-reference:end -->"
ROOT = Path(__file__).resolve().parents[2]


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Mapping[str, Any] = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged = {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return merged


def _type(schema: Mapping[str, Any], node: Mapping[str, Any]) -> str:
    node = _resolve(schema, node)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " \\| ".join(f"`{value}`" for value in node["enum"])
    if "oneOf" in node:
        return " or ".join(_type(schema, option) for option in node["oneOf"])
    kind = node.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema, node.get('items', {}))}"
    if kind == "object" and "properties" not in node:
        values = node.get("additionalProperties")
        return f"mapping of {_type(schema, values)}" if isinstance(values, Mapping) else "mapping"
    return "mapping" if kind == "object" else str(kind)


def _rows(
    schema: Mapping[str, Any], node: Mapping[str, Any], prefix: str, expanded: set[str] | None = None
) -> Iterator[tuple[str, str, str, str]]:
    """A row per key, nested keys after their parent.

    The keys inside a ``$defs`` entry are listed under its first use only (``content_filters.hate``
    shows the filter's keys; ``insults``, with the same definition, does not repeat them).
    Mapping values of free keys (``pii``) are listed under ``<key>``; the mapping forms of list
    items that may also be strings (``models``) under ``[]``.
    """
    expanded = set() if expanded is None else expanded
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    for key, child in node.get("properties", {}).items():
        resolved = _resolve(schema, child)
        path = f"{prefix}{key}"
        description = " ".join(str(resolved.get("description", "")).split())
        yield path, _type(schema, resolved), "yes" if key in required else "", description
        items = resolved.get("items", {}) if resolved.get("type") == "array" else {}
        reference = child.get("$ref") or items.get("$ref")
        if reference in expanded:
            continue
        if reference is not None:
            expanded.add(reference)
        if items and "properties" in _resolve(schema, items):
            yield from _rows(schema, items, f"{path}[].", expanded)
        elif "properties" in resolved:
            yield from _rows(schema, resolved, f"{path}.", expanded)
        for option in resolved.get("oneOf", []):
            if "properties" in _resolve(schema, option):
                yield from _rows(schema, option, f"{path}.", expanded)
        for option in _resolve(schema, items).get("oneOf", []) if items else []:
            if "properties" in _resolve(schema, option):
                yield from _rows(schema, option, f"{path}[].", expanded)
        values = resolved.get("additionalProperties")
        if isinstance(values, Mapping):
            for option in [values, *values.get("oneOf", [])]:
                if "properties" in _resolve(schema, option):
                    yield from _rows(schema, option, f"{path}.<key>.", expanded)


def render(schema: Mapping[str, Any]) -> str:
    """The reference table for ``schema``: every key, its type, whether required, its meaning."""
    lines = ["| key | type | required | meaning and default |", "| --- | --- | --- | --- |"]
    for path, kind, required, description in _rows(schema, schema, ""):
        escaped = description.replace("|", "\\|")
        lines.append(f"| `{path}` | {kind} | {required} | {escaped} |")
    return "\n".join(lines)


def rewrite(readme: str, schema: Mapping[str, Any]) -> str:
    """``readme`` with the block between the markers replaced by the rendered reference."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise ValueError("README.md has no config reference markers")
    return pattern.sub(lambda _: f"{START}\n{render(schema)}\n{END}", readme)


RULES_START = "<!-- rule-ids:start (generated from bedrock_platform/config/rules.py; run make docs) -->"
RULES_END = "<!-- rule-ids:end -->"


def render_rules() -> str:
    """The table of every check's id and what it checks: the loader's, then each semantic rule."""
    from bedrock_platform.config.loader import LOADER_CHECKS
    from bedrock_platform.config.rules import RULES

    lines = ["| id | reads | what it checks |", "| --- | --- | --- |"]
    lines += [f"| `{rule}` | the file | {what} |" for rule, what in LOADER_CHECKS.items()]
    lines += [f"| `{rule.id}` | {_reads(rule)} | {_cell(rule.description)} |" for rule in RULES]
    return "\n".join(lines)


def _reads(rule: Rule | TypedRule) -> str:
    """What a rule reads, as the table says it: typed items, or the document (and whether it gates)."""
    from bedrock_platform.config.typed import TypedRule

    if isinstance(rule, TypedRule):
        return "typed items"
    return "the document (gates)" if rule.gates else "the document"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rewrite_rules(page: str) -> str:
    """``page`` with the block between the rule-id markers replaced by :func:`render_rules`."""
    pattern = re.compile(re.escape(RULES_START) + r".*?" + re.escape(RULES_END), re.S)
    if not pattern.search(page):
        raise ValueError("docs/validation.md has no rule-id markers")
    return pattern.sub(lambda _: f"{RULES_START}\n{render_rules()}\n{RULES_END}", page)


def main() -> int:
    """Rewrite README.md's config reference from config/schema.json, and docs/validation.md's list of
    rule ids from the rules."""
    schema = json.loads((ROOT / "config" / "schema.json").read_text())

    def rewrite_reference(text: str) -> str:
        return rewrite(text, schema)

    pages: list[tuple[Path, Callable[[str], str], str, str]] = [
        (ROOT / "README.md", rewrite_reference, "config reference", "config/schema.json"),
        (ROOT / "docs" / "validation.md", rewrite_rules, "rule ids", "bedrock_platform/config/rules.py"),
    ]
    for path, rewriter, what, source in pages:
        before = path.read_text()
        after = rewriter(before)
        name = path.relative_to(ROOT)
        if after == before:
            print(f"{name}: {what}: up to date with {source}")
            continue
        path.write_text(after)
        print(f"{name}: {what}: rewritten from {source} (review with git diff {name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
