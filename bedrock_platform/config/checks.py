"""What every semantic rule is made of: its context, its registration, and safe readers of the config.

Rules read values through :func:`string`, :func:`integer`, :func:`number` and :func:`items`,
which give None (or nothing) for a missing, mistyped or schema-invalid value, so that a rule
never reports a value twice and never raises. What several rule modules share (unique names,
AWS resource names) is here too.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.config.document import ConfigPath, Document
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.files import WordList
from bedrock_platform.config.messages import did_you_mean, one_of, show
from bedrock_platform.spec import names as names_spec

DUPLICATE_NAME = "duplicate {noun} name {name} (first defined at line {line})"
AWS_NAME = "the {what} AWS name {name} {problem}"
UNKNOWN_REFERENCE = "unknown {noun} {name}{hint}"

AWS_RESOURCE_NAME = names_spec.BEDROCK_NAME
"""Bedrock resource names in their APIs: knowledge bases, data sources, provisioned models."""
SAMPLE_SETTINGS_HASH = "0a1b2c"
"""Stands for the six hex digits some AWS names end with (their value cannot matter to the checks)."""


@dataclass(frozen=True)
class RuleContext:
    """What a rule needs besides the config: positions, where the schema found errors, word files."""

    document: Document
    invalid_paths: frozenset[ConfigPath] = frozenset()
    word_lists: Mapping[str, WordList] = field(default_factory=dict)
    """The word files that could be read, by ``words_file`` as written (the others were reported)."""
    schema_checked: bool = False
    """Whether ``invalid_paths`` comes from the schema (the loader's case): only then may a rule build
    the typed model of a part that :meth:`valid_tree` says the schema accepted."""
    definitions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """The Automated Reasoning definition files that could be read, by ``definition`` as written."""

    def issue(self, path: ConfigPath, message: str, *, key: str | None = None) -> Issue:
        """An issue at the value at ``path`` (or at its entry ``key``)."""
        return self.document.issue(path, message, key=key)

    def line(self, path: ConfigPath) -> int:
        """The line the value at ``path`` is on."""
        return self.document.position(path).line

    def valid(self, path: ConfigPath) -> bool:
        """Whether the schema accepted the value at ``path`` (it may still be missing)."""
        return path not in self.invalid_paths

    def valid_tree(self, path: ConfigPath, *, except_under: ConfigPath | None = None) -> bool:
        """Whether the schema accepted ``path`` and everything in it (but what is under ``except_under``)."""
        invalid = self._invalid_under.get(path, 0)
        if except_under is not None and path[: len(except_under)] == except_under:
            return True  # all of it is excepted
        if except_under is not None and except_under[: len(path)] == path:
            return invalid == self._invalid_under.get(except_under, 0)
        return invalid == 0

    @functools.cached_property
    def _invalid_under(self) -> Counter[ConfigPath]:
        """How many invalid paths each path holds (itself included): one count per call, not a scan.

        Rules ask this for every item of a list; scanning every invalid path each time made a
        long invalid list take quadratic time.
        """
        return Counter(
            invalid[:length] for invalid in self.invalid_paths for length in range(len(invalid) + 1)
        )


Check = Callable[[Mapping[str, Any], RuleContext], list[Issue]]


@dataclass(frozen=True)
class Rule:
    """A semantic check with a stable id."""

    id: str
    check: Check
    gates: bool = False
    """Whether the model's builders rely on what it checks: an item it reports is left out of the typed
    items (:mod:`.typed`) the typed rules read. Default: False (they read the item all the same)."""

    @property
    def description(self) -> str:
        """The first line of the check's docstring."""
        return (self.check.__doc__ or "").strip().splitlines()[0]


def value(config: Mapping[str, Any], path: ConfigPath) -> Any:
    """The value at ``path``, or None when the path does not lead anywhere."""
    current: Any = config
    for part in path:
        if isinstance(part, str) and isinstance(current, dict):
            current = current.get(part)
        elif isinstance(part, int) and isinstance(current, list) and 0 <= part < len(current):
            current = current[part]
        else:
            return None
    return current


def string(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> str | None:
    """The string at ``path`` if there is one and the schema accepted it."""
    found = value(config, path)
    return found if isinstance(found, str) and context.valid(path) else None


def integer(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> int | None:
    """The integer (not boolean) at ``path`` if there is one and the schema accepted it."""
    found = value(config, path)
    if isinstance(found, int) and not isinstance(found, bool) and context.valid(path):
        return found
    return None


def number(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> float | None:
    """The number (integer or float, not boolean) at ``path`` if there is one and the schema accepted it."""
    found = value(config, path)
    if isinstance(found, int | float) and not isinstance(found, bool) and context.valid(path):
        return found
    return None


def mapping(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> dict[str, Any] | None:
    """The mapping at ``path`` if there is one and the schema accepted it (its values may be wrong)."""
    found = value(config, path)
    return found if isinstance(found, dict) and context.valid(path) else None


def items(config: Mapping[str, Any], path: ConfigPath) -> list[tuple[ConfigPath, dict[str, Any]]]:
    """(path, item) of each mapping in the list at ``path``."""
    found = value(config, path)
    if not isinstance(found, list):
        return []
    return [((*path, index), item) for index, item in enumerate(found) if isinstance(item, dict)]


def duplicates(config: Mapping[str, Any], context: RuleContext, path: ConfigPath, noun: str) -> list[Issue]:
    """An issue at each ``name`` of the list at ``path`` that an earlier item already has."""
    first_lines: dict[str, int] = {}
    issues = []
    for item_path, _ in items(config, path):
        name_path = (*item_path, "name")
        name = string(config, context, name_path)
        if name is None:
            continue
        if name in first_lines:
            message = DUPLICATE_NAME.format(noun=noun, name=show(name), line=first_lines[name])
            issues.append(context.issue(name_path, message))
        else:
            first_lines[name] = context.line(name_path)
    return issues


def defined_names(config: Mapping[str, Any], section: str) -> list[str] | None:
    """The names of the items of a top-level list, or None when one of them has no usable name.

    A missing section has no names. None means the schema reported the section, and the item
    without a name may be the one a reference means: references to it are not checked.
    """
    found = value(config, (section,))
    found = [] if found is None else found
    if not isinstance(found, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in found
    ):
        return None
    return [item["name"] for item in found]


def reference_issues(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, noun: str, section: str
) -> list[Issue]:
    """An issue when the string at ``path`` names no item of the top-level list ``section``."""
    reference = string(config, context, path)
    if reference is None:
        return []
    return unknown_reference(context, path, reference, defined_names(config, section), noun, section)


def unknown_reference(
    context: RuleContext,
    path: ConfigPath,
    reference: str,
    defined: Sequence[str] | None,
    noun: str,
    section: str,
) -> list[Issue]:
    """An issue at ``path`` when ``reference`` is not one of the ``defined`` names of ``section``
    (none when those are unknown: None)."""
    if defined is None or reference in defined:
        return []
    hint = did_you_mean(reference, defined)
    if not hint:
        hint = f" (defined: {one_of(defined)})" if defined else f" (no {section} are defined)"
    return [context.issue(path, UNKNOWN_REFERENCE.format(noun=noun, name=show(reference), hint=hint))]


def aws_name_problem(name: str) -> str | None:
    """Why ``name`` does not match :data:`AWS_RESOURCE_NAME`, or None when it does."""
    if AWS_RESOURCE_NAME.match(name):
        return None
    if re.search(r"[_-]{2}", name):
        return "would have two hyphens or underscores in a row"
    if name[:1] in ("-", "_"):
        return "would start with a hyphen or an underscore"
    if sum(character.isalnum() for character in name) > 100:
        return "would have more than 100 letters and digits"
    return f"would not match {AWS_RESOURCE_NAME.pattern}"
