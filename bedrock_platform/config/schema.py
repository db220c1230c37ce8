"""JSON Schema validation of a config document, with every error in plain words at its position.

All of jsonschema's errors are reported (``iter_errors``), none filtered: one issue per unknown
key (at the key), per missing key (at its mapping), per wrong value (at the value).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from bedrock_platform.config.catalog import known_regions
from bedrock_platform.config.document import ConfigPath, Document, ScalarNode
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import JSON_TYPE_NAMES, count, did_you_mean, kind, one_of, show

SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"
"""The config's JSON Schema (draft 2020-12), the reference for what a config may hold.

In the repository it is a symlink to config/schema.json (what editors read); the wheel holds a copy.
"""

PATTERN_MESSAGE = "x-pattern-message"
"""The schema keyword beside a ``pattern`` that says what the pattern means, as a message about the
value that does not match: ``{value}`` is the value as shown, ``{region_hint}`` a did-you-mean among
the known Regions. A pattern without one is explained by its schema's description when it has one
(the ``name`` definition's "Lowercase letters, digits and hyphens, starting with a letter."), else
shown as is."""


@dataclass(frozen=True)
class SchemaResult:
    """The schema's verdict on a document."""

    issues: tuple[Issue, ...]
    invalid_paths: frozenset[ConfigPath]
    """Every path where the schema found something wrong (semantic rules skip those values)."""


@functools.cache
def load_schema() -> Mapping[str, Any]:
    """The parsed config schema."""
    schema: Mapping[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _check_unique_items(
    validator: Any, unique: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's ``uniqueItems``, in linear time.

    jsonschema's own compares every pair of items when they cannot be sorted (mappings, or
    numbers mixed with strings): a list of 50000 such items, well inside the size limits, took
    hours. Items are hashed by :func:`_identity`, equal when JSON Schema calls them equal.
    """
    if not unique or not isinstance(instance, list):
        return
    seen: set[Any] = set()
    for item in instance:
        identity = _identity(item)
        if identity in seen:
            yield ValidationError("the list has non-unique elements")
            return
        seen.add(identity)


@functools.cache
def _validator() -> Draft202012Validator:
    checker = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"uniqueItems": _check_unique_items}
    )
    validator: Draft202012Validator = checker(load_schema())
    return validator


def check_schema(document: Document) -> SchemaResult:
    """Validate the document against the schema; every error becomes one or more issues.

    A number that is not finite (``.nan``, ``.inf``) is an issue too: JSON, and so JSON Schema
    and CloudFormation, has none, and ``minimum``/``maximum`` never fail on NaN.
    """
    issues: list[Issue] = []
    invalid: set[ConfigPath] = set()
    for error in _validator().iter_errors(document.data):
        issues.extend(_translate(error, document))
        invalid.update(_error_paths(error))
    for path in _non_finite_numbers(document.data):
        node = document.node(path)
        written = node.source if isinstance(node, ScalarNode) else "the number"
        issues.append(
            document.issue(path, f"{written} is not a finite number: NaN and infinity are not allowed")
        )
        invalid.add(path)
    return SchemaResult(tuple(issues), frozenset(invalid))


def _non_finite_numbers(data: Any) -> Iterator[ConfigPath]:
    """The path of every NaN and infinity in ``data``."""
    pending: list[tuple[ConfigPath, Any]] = [((), data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield path
        elif isinstance(value, dict):
            pending.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in enumerate(value))


def _error_paths(error: ValidationError) -> Iterator[ConfigPath]:
    yield tuple(error.absolute_path)
    for suberror in error.context or ():
        yield from _error_paths(suberror)


def _keyword_value(error: ValidationError) -> Any:
    """The value of the schema keyword that failed (``maxLength``'s limit, ``enum``'s list)."""
    return error.validator_value


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The schema object holding the keyword that failed."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _translate(error: ValidationError, document: Document) -> list[Issue]:
    path: ConfigPath = tuple(error.absolute_path)
    schema_path = list(error.absolute_schema_path)
    if len(schema_path) >= 2 and schema_path[-2] == "propertyNames":
        # The instance is a key of the mapping at `path`: show the issue at that key.
        key = error.instance
        if error.validator == "pattern":
            message = _pattern_message(error)
        elif error.validator == "enum":
            message = _unknown_key_message(error)
        else:
            message = _plain(error.message)
        return [document.issue(path, message, key=key if isinstance(key, str) else None)]
    translate = _TRANSLATIONS.get(str(error.validator))
    if translate is None:
        return [document.issue(path, _plain(error.message))]
    return translate(error, path, document)


def _plain(message: str) -> str:
    return " ".join(message.split())[:200]


def _unknown_keys(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    if _keyword_value(error) is not False or not isinstance(error.instance, dict):
        return [document.issue(path, _plain(error.message))]
    return _unknown_keys_of(error.instance, [_schema_of(error)], path, document)


def _unknown_keys_of(
    instance: Mapping[str, Any], schemas: list[Mapping[str, Any]], path: ConfigPath, document: Document
) -> list[Issue]:
    known = [key for schema in schemas for key in schema.get("properties", {})]
    patterns = [pattern for schema in schemas for pattern in schema.get("patternProperties", {})]
    return [
        document.issue(path, f"unknown key {show(key)}{did_you_mean(key, known)}", key=key)
        for key in instance
        if key not in known and not any(re.search(pattern, key) for pattern in patterns)
    ]


def _unknown_key_message(error: ValidationError) -> str:
    """A key outside a ``propertyNames`` enum: named by the enum's description (``PII entity type``)."""
    what = str(_schema_of(error).get("description", "key"))
    known = [value for value in _keyword_value(error) if isinstance(value, str)]
    return f"unknown {what} {show(error.instance)}{did_you_mean(error.instance, known)}"


def _required(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [
        document.issue(path, f"missing required key {show(key)}")
        for key in _keyword_value(error)
        if key not in instance
    ]


def _type(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    types = _keyword_value(error)
    expected: list[str] = types if isinstance(types, list) else [types]
    wanted = " or ".join(JSON_TYPE_NAMES.get(name, name) for name in expected)
    node = document.node(path)
    source = node.source if isinstance(node, ScalarNode) else None
    message = f"expected {wanted}, got {_kind_at(document, path, error.instance)}"
    if "string" in expected and isinstance(error.instance, int | float) and source:
        # A number or boolean where a string belongs: YAML read it as one; quoting keeps it text.
        label = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
        message += f'; quote it: {label}"{source}"'
    return [document.issue(path, message)]


def _enum(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    shown = _shown_at(document, path, error.instance)
    return [document.issue(path, _not_one_of(error.instance, shown, list(_keyword_value(error))))]


def _const(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    shown = _shown_at(document, path, error.instance)
    return [document.issue(path, _not_one_of(error.instance, shown, [_keyword_value(error)]))]


def _not_one_of(instance: Any, shown: str, accepted: list[Any]) -> str:
    hint = did_you_mean(instance, [value for value in accepted if isinstance(value, str)])
    if len(accepted) == 1:
        return f"expected {show(accepted[0])}, got {shown}{hint}"
    if isinstance(instance, list | dict):
        return f"expected one of {one_of(accepted)}, got {shown}"
    return f"{shown} is not one of {one_of(accepted)}{hint}"


def _is_empty(document: Document, path: ConfigPath, instance: Any) -> bool:
    """Whether the value is null because nothing was written (``bucket:``), not ``null`` or ``~``."""
    node = document.node(path)
    return instance is None and isinstance(node, ScalarNode) and node.source == ""


def _kind_at(document: Document, path: ConfigPath, instance: Any) -> str:
    """:func:`kind`, saying "an empty value" for a key with nothing after it."""
    return "an empty value" if _is_empty(document, path, instance) else kind(instance)


def _shown_at(document: Document, path: ConfigPath, instance: Any) -> str:
    """:func:`show` for scalars, :func:`kind` for lists and mappings, "an empty value" for nothing."""
    if _is_empty(document, path, instance):
        return "an empty value"
    return kind(instance) if isinstance(instance, list | dict) else show(instance)


def _pattern(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    return [document.issue(path, _pattern_message(error))]


def _pattern_message(error: ValidationError) -> str:
    pattern = str(_keyword_value(error))
    template = _schema_of(error).get(PATTERN_MESSAGE)
    if isinstance(template, str):
        hint = did_you_mean(error.instance, known_regions()) if "{region_hint}" in template else ""
        return template.format(value=show(error.instance), region_hint=hint)
    description = str(_schema_of(error).get("description", "")).split(". ")[0].rstrip(".")
    if description:
        return f"{show(error.instance)} must be {description[0].lower()}{description[1:]}"
    return f"{show(error.instance)} does not match {pattern}"


def _bounds(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    limit = _keyword_value(error)
    instance = error.instance
    messages = {
        "minimum": f"must be at least {limit}, got {show(instance)}",
        "maximum": f"must be at most {limit}, got {show(instance)}",
        "exclusiveMinimum": f"must be more than {limit}, got {show(instance)}",
        "exclusiveMaximum": f"must be less than {limit}, got {show(instance)}",
    }
    return [document.issue(path, messages[str(error.validator)])]


def _length(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    limit = int(_keyword_value(error))
    instance = error.instance
    size = len(instance) if isinstance(instance, str | list | dict) else 0
    noun = {"Length": "character", "Items": "item", "Properties": "key"}[
        str(error.validator).removeprefix("min").removeprefix("max")
    ]
    bound = "at least" if str(error.validator).startswith("min") else "at most"
    if size == 0:
        message = f"must not be empty (at least {count(limit, noun)})"
    elif noun == "character":
        message = f"is {count(size, noun)}, {bound} {limit}"
    else:
        message = f"has {count(size, noun)}, {bound} {limit}"
    return [document.issue(path, message)]


def _unique_items(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    if not isinstance(error.instance, list):
        return [document.issue(path, _plain(error.message))]
    first_index: dict[Any, int] = {}
    issues = []
    for index, item in enumerate(error.instance):
        identity = _identity(item)
        if identity in first_index:
            line = document.position((*path, first_index[identity])).line
            issues.append(
                document.issue((*path, index), f"duplicate item {show(item)} (first listed at line {line})")
            )
        else:
            first_index[identity] = index
    return issues


def _identity(value: Any) -> Any:
    """A hashable stand-in for a JSON value, equal when JSON Schema calls the values equal."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, dict):
        return ("object", frozenset((key, _identity(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_identity(item) for item in value))
    if isinstance(value, int | float):
        return ("number", value)
    return (type(value).__name__, value)


def _one_of(error: ValidationError, path: ConfigPath, document: Document) -> list[Issue]:
    """Report a union (``encryption``, ``network``, ``bucket``) by the branch the value meant."""
    branches: list[Mapping[str, Any]] = list(_keyword_value(error))
    instance = error.instance
    accepted = " or ".join(_describe(branch) for branch in branches)
    if not error.context:
        return [document.issue(path, f"matches more than one of: {accepted}")]
    candidates = [index for index, branch in enumerate(branches) if _type_matches(branch, instance)]
    if len(candidates) > 1 and isinstance(instance, dict):
        by_keys = [
            index
            for index in candidates
            if all(key in instance for key in branches[index].get("required", []))
        ]
        if len(by_keys) > 1:
            either = " or ".join(_describe_keys(branches[index]) for index in by_keys)
            return [document.issue(path, f"give either {either}, not both")]
        if not by_keys:
            required = [key for index in candidates for key in branches[index].get("required", [])]
            missing = document.issue(
                path, f"missing required key {' or '.join(show(key) for key in required)}"
            )
            schemas = [branches[index] for index in candidates]
            return [missing, *_unknown_keys_of(instance, schemas, path, document)]
        candidates = by_keys
    if len(candidates) != 1:
        return [document.issue(path, f"expected {accepted}, got {_kind_at(document, path, instance)}")]
    branch = branches[candidates[0]]
    if "const" in branch or "enum" in branch:
        constants = [value for other in branches for value in _constants(other) if isinstance(value, str)]
        return [
            document.issue(
                path, f"expected {accepted}, got {show(instance)}{did_you_mean(instance, constants)}"
            )
        ]
    issues: list[Issue] = []
    for suberror in error.context:
        if suberror.relative_schema_path and suberror.relative_schema_path[0] == candidates[0]:
            issues.extend(_translate(suberror, document))
    return issues


def _constants(branch: Mapping[str, Any]) -> list[Any]:
    return [branch["const"]] if "const" in branch else list(branch.get("enum", []))


def _describe(branch: Mapping[str, Any]) -> str:
    if "const" in branch or "enum" in branch:
        return " or ".join(show(value) for value in _constants(branch))
    if branch.get("type") == "object" and branch.get("required"):
        return f"a mapping with {_describe_keys(branch)}"
    types = branch.get("type", [])
    return " or ".join(
        JSON_TYPE_NAMES.get(name, name) for name in ([types] if isinstance(types, str) else types)
    )


def _describe_keys(branch: Mapping[str, Any]) -> str:
    """``create: true`` or ``arn``: a branch's required keys, with their value when it is fixed."""
    properties = branch.get("properties", {})
    return " and ".join(
        f"{key}: {show(properties[key]['const'])}" if "const" in properties.get(key, {}) else key
        for key in branch.get("required", [])
    )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _type_matches(branch: Mapping[str, Any], instance: Any) -> bool:
    """Whether a oneOf branch is meant for a value of this JSON type."""
    actual = _json_type(instance)
    if "const" in branch or "enum" in branch:
        accepted = {_json_type(value) for value in _constants(branch)}
    elif "type" in branch:
        types = branch["type"]
        accepted = {types} if isinstance(types, str) else set(types)
    else:
        return True
    return actual in accepted or (actual == "integer" and "number" in accepted)


_Translation = Callable[[ValidationError, ConfigPath, Document], list[Issue]]

_TRANSLATIONS: Mapping[str, _Translation] = {
    "additionalProperties": _unknown_keys,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _bounds,
    "maximum": _bounds,
    "exclusiveMinimum": _bounds,
    "exclusiveMaximum": _bounds,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _length,
    "maxItems": _length,
    "minProperties": _length,
    "maxProperties": _length,
    "uniqueItems": _unique_items,
    "oneOf": _one_of,
}
"""How each JSON Schema keyword's error is put in plain words."""
