"""Load a config file: read it safely, validate it (schema, then semantic rules), type it.

:func:`load_config` raises :class:`ConfigError` and nothing else, for any input: a missing or
unreadable file, a huge or binary one, invalid YAML, an alias bomb, an invalid config.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.config.checks import RuleContext
from bedrock_platform.config.document import ROOT_PATH, ConfigPath, Document, parse_document
from bedrock_platform.config.errors import ConfigError, Issue
from bedrock_platform.config.files import FileProblem, read_policy_definitions, read_text, read_word_files
from bedrock_platform.config.model import PlatformConfig, build_config
from bedrock_platform.config.rules import check_rules
from bedrock_platform.config.schema import check_schema

PIPELINE_FILE_MISSING = (
    "no config file {file}: each environment of a pipeline is a config file next to this one"
)
PIPELINE_FILE_INVALID = "{file} is invalid (its errors are listed with it)"
PIPELINE_NESTED = (
    "{file} declares a pipeline itself: a pipeline deploys environments without pipelines of their own"
)

MAX_FILE_BYTES = 1024 * 1024
"""Bigger files are refused before they are parsed (a config is a few kilobytes)."""

_NOT_YAML_CHARACTER = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a document (the same set PyYAML's reader refuses)."""

_HIDDEN_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
"""Characters YAML 1.1 (PyYAML) reads as line breaks, but editors, diffs and YAML 1.2 tools do not.

A file with one of them would mean one thing to its reviewer and another to the loader (a key
hidden on what looks like the line of a value), and every position after it would be off.
"""

_LINE_BREAK = re.compile("\r\n|\r|\n")
"""Line breaks as PyYAML (and editors) count lines once the characters above are refused."""


FILE_RULE, SCHEMA_RULE, WORDS_FILE_RULE, DEFINITION_FILE_RULE, PIPELINE_FILES_RULE, INTERNAL_RULE = (
    "file",
    "schema",
    "words-file",
    "definition-file",
    "pipeline-files",
    "internal",
)
"""The rule ids of the checks that are not semantic rules (those are in rules.RULES)."""
LOADER_CHECKS: Mapping[str, str] = {
    FILE_RULE: "the file itself: a readable regular file of UTF-8 YAML, within the size, nesting and "
    "alias limits",
    SCHEMA_RULE: "config/schema.json: types, required keys, enums, patterns, ranges, unknown keys",
    WORDS_FILE_RULE: "a guardrail's words_file: inside the config's folder, readable, no control characters",
    DEFINITION_FILE_RULE: "an Automated Reasoning policy's definition: inside the config's folder, readable "
    "JSON that botocore's AutomatedReasoningPolicyDefinition shape accepts",
    PIPELINE_FILES_RULE: "a pipeline's environments: each a valid config file next to the host's",
    INTERNAL_RULE: "a bug of the toolkit, not of the file: please report it",
}
"""What each of those checks, as docs/validation.md lists them."""


def load_config(path: str | os.PathLike[str]) -> PlatformConfig:
    """Load, validate and type one environment's config file.

    Every problem in the file is reported at once, sorted by line, in the raised
    :class:`ConfigError`; its issues name ``path`` exactly as given.
    """
    file = os.fspath(path)
    try:
        document = read_document(file)
        valid = validate(document)
        stages = load_pipeline_environments(document, valid.data)
        return build_config(
            valid.data,
            word_lists=valid.word_lists,
            definitions=valid.definitions,
            pipeline_stages=stages,
            base_dir=os.path.dirname(os.path.abspath(file)),
        )
    except ConfigError:
        raise
    except Exception as error:  # a bug, not a config mistake; the contract still holds: ConfigError only
        message = f"internal error while checking the config ({type(error).__name__}); please report it"
        raise ConfigError([Issue(file, 1, 1, ROOT_PATH, message, INTERNAL_RULE)]) from error


def read_document(file: str) -> Document:
    """Read and parse ``file`` within the size, nesting and alias limits.

    Raises :class:`ConfigError` when the file cannot be read or is not one YAML document
    holding a mapping.
    """
    try:
        return parse_document(_read_text(file), file)
    except ConfigError as error:
        raise ConfigError([issue.with_rule(FILE_RULE) for issue in error.issues]) from None


@dataclass(frozen=True)
class ValidConfig:
    """A document that passed every check, and the word files it names, as read while checking."""

    data: Mapping[str, Any]
    word_lists: Mapping[str, tuple[str, ...]]
    """The words of each ``words_file``, by its value as written in the config."""
    definitions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Each Automated Reasoning policy's ``definition``, by its value as written in the config."""


def validate(document: Document) -> ValidConfig:
    """Check a document against the schema and the semantic rules; return its data if valid.

    Word files named by guardrails are read here, once. The data is returned as it is (the
    typed objects are built from it by :func:`bedrock_platform.config.model.build_config`);
    raises :class:`ConfigError` otherwise.
    """
    schema = check_schema(document)
    word_files = read_word_files(document, schema.invalid_paths)
    definitions = read_policy_definitions(document, schema.invalid_paths)
    context = RuleContext(
        document,
        schema.invalid_paths,
        word_files.lists,
        schema_checked=True,
        definitions=definitions.definitions,
    )
    issues = [
        *(issue.with_rule(SCHEMA_RULE) for issue in schema.issues),
        *(issue.with_rule(WORDS_FILE_RULE) for issue in word_files.issues),
        *(issue.with_rule(DEFINITION_FILE_RULE) for issue in definitions.issues),
        *check_rules(document.data, context),
    ]
    if issues:
        raise ConfigError(issues)
    data: Mapping[str, Any] = document.data
    return ValidConfig(
        data, {name: words.words for name, words in word_files.lists.items()}, definitions.definitions
    )


def load_pipeline_environments(document: Document, data: Mapping[str, Any]) -> dict[str, PlatformConfig]:
    """Load the config of every environment a valid ``pipeline`` names, from this file's folder.

    A missing file, an environment that hosts a pipeline itself (pipelines do not nest) or an
    invalid file is an issue at the name in ``pipeline.environments``; the invalid file's own
    issues are reported with it. Raises :class:`ConfigError` with all of them.
    """
    stages: dict[str, PlatformConfig] = {}
    issues: list[Issue] = []
    for index, item in enumerate(data.get("pipeline", {}).get("environments", [])):
        name_path: ConfigPath = ("pipeline", "environments", index, "name")
        stage_file = os.path.join(os.path.dirname(document.file), f"{item['name']}.yaml")
        if not os.path.isfile(stage_file):
            issues.append(document.issue(name_path, PIPELINE_FILE_MISSING.format(file=stage_file)))
            continue
        try:
            stage = validate(read_document(stage_file))
        except ConfigError as error:
            issues.append(document.issue(name_path, PIPELINE_FILE_INVALID.format(file=stage_file)))
            issues.extend(error.issues)
            continue
        if "pipeline" in stage.data:  # this file itself, too: never loaded recursively
            issues.append(document.issue(name_path, PIPELINE_NESTED.format(file=stage_file)))
            continue
        stages[item["name"]] = build_config(
            stage.data,
            word_lists=stage.word_lists,
            definitions=stage.definitions,
            base_dir=os.path.dirname(os.path.abspath(stage_file)),
        )
    if issues:
        raise ConfigError([issue.with_rule(PIPELINE_FILES_RULE) for issue in issues])
    return stages


def _read_text(file: str) -> str:
    def refuse(message: str, line: int = 1, column: int = 1) -> ConfigError:
        return ConfigError([Issue(file, line, column, ROOT_PATH, message)])

    try:
        text = read_text(file, MAX_FILE_BYTES)
    except FileProblem as problem:
        raise refuse(problem.message, problem.line or 1, problem.column or 1) from None
    found = _NOT_YAML_CHARACTER.search(text)
    if found:
        character = f"U+{ord(found.group()):04X}"
        raise refuse(
            f"the file contains the character {character}, which YAML does not allow (is it binary?)",
            *_location(text, found.start()),
        )
    found = _HIDDEN_LINE_BREAK.search(text)
    if found:
        character = f"U+{ord(found.group()):04X}"
        raise refuse(
            f"the file contains the character {character}, a line break to YAML 1.1 but not to editors "
            "or YAML 1.2 tools: replace it with a newline or a space",
            *_location(text, found.start()),
        )
    return text


def _location(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    line, line_start = 1, 0
    for line_break in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, line_break.end()
    return line, index - line_start + 1
