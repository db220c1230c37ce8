"""Files a config reads: the config itself, the word lists its guardrails name and the definitions
of its Automated Reasoning policies.

Both are read the same careful way (:func:`read_text`): regular files only, within a size
limit checked before reading, UTF-8 (a byte order mark is allowed), every problem one line.

A guardrail's ``word_filters.words_file`` is read once, by :func:`read_word_files`, when the
config is validated: the semantic rules check its words (:class:`WordList`) and
:func:`bedrock_platform.config.model.build_config` merges them, so a file that changes in
between cannot make the two disagree.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.validate import ParamValidator
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from bedrock_platform.config.document import ConfigPath, Document
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import show
from bedrock_platform.spec import automated_reasoning as reasoning_spec

MAX_WORD_FILE_BYTES = 1024 * 1024
"""Bigger word files are refused before they are read (10000 words of 100 characters fit)."""

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
"""Line breaks as YAML and editors count lines (a lone carriage return ends a line too)."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters a words file may not hold (as YAML refuses them): controls other than tab and line breaks."""

WORD_FILE_COMMENT = "#"
"""A word file line starting with this (after blanks) is a comment."""


class FileProblem(Exception):
    """A file cannot be read as text: ``message`` says why on one line.

    ``line`` and ``column`` (1-based) say where in the file, for a problem in its content.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def read_text(file: str, max_bytes: int, name: str = "the file") -> str:
    """The text of ``file``, a UTF-8 regular file of at most ``max_bytes`` bytes.

    Raises :class:`FileProblem` otherwise; its message calls the file ``name``
    ("cannot read the file: it is a directory").
    """
    try:
        info = os.stat(file)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(f"cannot read {name}: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"cannot read {name}: it is not a regular file")
        if info.st_size > max_bytes:
            raise FileProblem(f"{name} is {info.st_size} bytes, more than the limit of {max_bytes} bytes")
        with open(file, "rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileProblem(f"cannot read {name}: {reason[:1].lower()}{reason[1:]}") from None
    except ValueError:  # a path with a NUL character
        raise FileProblem(f"cannot read {name}: the path is not valid") from None
    if len(data) > max_bytes:
        raise FileProblem(f"{name} is more than the limit of {max_bytes} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)  # the codec skips the BOM
        line, line_start = 1, 0
        for line_break in _LINE_BREAK.finditer(data, 0, start):
            line, line_start = line + 1, line_break.end()
        column = len(data[line_start:start].decode("utf-8-sig", errors="replace")) + 1
        byte = data[start : start + 1].hex()
        raise FileProblem(
            f"{name} is not UTF-8 text: byte 0x{byte} cannot be decoded", line, column
        ) from None


@dataclass(frozen=True)
class WordList:
    """The words of a word file, in file order, duplicates kept, each with its 1-based line."""

    words: tuple[str, ...]
    lines: tuple[int, ...]


def parse_word_list(text: str) -> WordList:
    """One word or phrase per line, blanks around it dropped; blank lines and ``#`` lines skipped."""
    words: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if word and not word.startswith(WORD_FILE_COMMENT):
            words.append(word)
            lines.append(number)
    return WordList(tuple(words), tuple(lines))


def resolve_inside(folder: str, relative: str) -> str | None:
    """The real path of ``relative`` (to ``folder``), or None when it leaves ``folder``.

    Symlinks are resolved first, so a link pointing out of the folder is refused too. Every
    path a config names (word files, job data sources) is confined by this one function.
    """
    base = os.path.realpath(folder or ".")
    resolved = os.path.realpath(os.path.join(folder or ".", relative))
    return resolved if os.path.commonpath([base, resolved]) == base else None


def word_file_path(config_file: str, words_file: str) -> str:
    """Where ``words_file`` (relative to the config file's folder) is, as a path to open."""
    return os.path.join(os.path.dirname(config_file), words_file)


@dataclass(frozen=True)
class WordFiles:
    """Every word file a config names: the ones read, by ``words_file`` as written, and the problems."""

    lists: Mapping[str, WordList]
    issues: tuple[Issue, ...]


def read_word_files(document: Document, invalid_paths: frozenset[ConfigPath] = frozenset()) -> WordFiles:
    """Read the ``words_file`` of every guardrail, relative to the config file's folder.

    A file that cannot be read is an issue at each ``words_file`` naming it. Values the
    schema rejected (``invalid_paths``) are skipped: the schema reported them.
    """
    lists: dict[str, WordList] = {}
    problems: dict[str, str] = {}
    issues: list[Issue] = []
    guardrails = document.data.get("guardrails") if isinstance(document.data, dict) else None
    for index, guardrail in enumerate(guardrails if isinstance(guardrails, list) else []):
        filters = guardrail.get("word_filters") if isinstance(guardrail, dict) else None
        words_file = filters.get("words_file") if isinstance(filters, dict) else None
        path: ConfigPath = ("guardrails", index, "word_filters", "words_file")
        if not isinstance(words_file, str) or path in invalid_paths:
            continue
        if words_file not in lists and words_file not in problems:
            try:
                lists[words_file] = _read_word_file(document.file, words_file)
            except FileProblem as problem:
                problems[words_file] = problem.message
        if words_file in problems:
            issues.append(document.issue(path, problems[words_file]))
    return WordFiles(lists, tuple(issues))


def _read_word_file(config_file: str, words_file: str) -> WordList:
    if PurePath(words_file).is_absolute():
        raise FileProblem(f"{show(words_file)} must be a path relative to the config file's folder")
    location = word_file_path(config_file, words_file)
    if resolve_inside(os.path.dirname(config_file), words_file) is None:
        raise FileProblem(f"{show(words_file)} leaves the config file's folder (symlinks resolved)")
    try:
        text = read_text(location, MAX_WORD_FILE_BYTES, name=f"the words file {show(location)}")
    except FileProblem as problem:
        if problem.line is None:
            raise
        raise FileProblem(f"{problem.message} (line {problem.line}, column {problem.column})") from None
    control = _CONTROL.search(text)
    if control is not None:
        before = text[: control.start()]
        breaks = list(re.finditer(r"\r\n|\r|\n", before))
        line = len(breaks) + 1
        column = control.start() - (breaks[-1].end() if breaks else 0) + 1
        raise FileProblem(
            f"the words file {show(location)} holds the control character U+{ord(control.group()):04X}"
            f" (line {line}, column {column})"
        )
    return parse_word_list(text)


@dataclass(frozen=True)
class PolicyDefinitions:
    """Every Automated Reasoning definition file a config names: the ones read (by ``definition`` as
    written, in the API's spelling), and the problems."""

    definitions: Mapping[str, Mapping[str, Any]]
    issues: tuple[Issue, ...]


def read_policy_definitions(
    document: Document, invalid_paths: frozenset[ConfigPath] = frozenset()
) -> PolicyDefinitions:
    """Read the ``definition`` file of every Automated Reasoning policy, relative to the config file's
    folder: a JSON object that botocore's ``AutomatedReasoningPolicyDefinition`` shape accepts."""
    definitions: dict[str, Mapping[str, Any]] = {}
    problems: dict[str, str] = {}
    issues: list[Issue] = []
    policies = document.data.get("automated_reasoning_policies") if isinstance(document.data, dict) else None
    for index, policy in enumerate(policies if isinstance(policies, list) else []):
        file = policy.get("definition") if isinstance(policy, dict) else None
        path: ConfigPath = ("automated_reasoning_policies", index, "definition")
        if not isinstance(file, str) or path in invalid_paths:
            continue
        if file not in definitions and file not in problems:
            try:
                definitions[file] = _read_definition(document.file, file)
            except FileProblem as problem:
                problems[file] = problem.message
        if file in problems:
            issues.append(document.issue(path, problems[file]))
    return PolicyDefinitions(definitions, tuple(issues))


def _read_definition(config_file: str, file: str) -> Mapping[str, Any]:
    if PurePath(file).is_absolute():
        raise FileProblem(f"{show(file)} must be a path relative to the config file's folder")
    if resolve_inside(os.path.dirname(config_file), file) is None:
        raise FileProblem(f"{show(file)} leaves the config file's folder (symlinks resolved)")
    location = word_file_path(config_file, file)
    name = f"the definition file {show(location)}"
    text = read_text(location, reasoning_spec.DEFINITION_MAX_BYTES, name=name)
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(
            f"{name} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(definition, dict):
        raise FileProblem(f"{name} must hold a JSON object (version, types, rules, variables)")
    report = ParamValidator().validate(definition, _definition_shape())
    if report.has_errors():
        first = report.generate_report().splitlines()[0]
        raise FileProblem(f"{name} is not an Automated Reasoning policy definition: {first}")
    # CloudFormation's limits are tighter than the API's (fewer rules, types and variables; bounded
    # lengths and patterns, which botocore does not check): its resource schema decides too.
    refusal = best_match(
        _cloudformation_definition_validator().iter_errors(reasoning_spec.to_cloudformation(definition))
    )
    if refusal is not None:
        where = "/".join(str(part) for part in refusal.absolute_path) or "the definition"
        why = (
            refusal.message
            if len(refusal.message) <= MAX_REFUSAL
            else f"breaks its {refusal.validator} of {refusal.validator_value}"
        )
        raise FileProblem(
            f"{name} is not a definition CloudFormation takes ({reasoning_spec.POLICY_TYPE}): "
            f"at {where}: {why}"
        )
    return definition


MAX_REFUSAL = 160
"""A schema refusal longer than this (it quotes the value) is said by the schema's rule instead."""


@functools.cache
def _cloudformation_definition_validator() -> Draft7Validator:
    """``PolicyDefinition`` of ``AWS::Bedrock::AutomatedReasoningPolicy``, from cfn-lint's resource
    schema; without cfn-lint (the library installed alone), one that accepts any definition (the
    synth's schema validation still checks it)."""
    try:
        from bedrock_platform.review.replacement import resource_schema
    except ImportError:
        return Draft7Validator({})
    definitions = resource_schema(reasoning_spec.POLICY_TYPE)["definitions"]
    return Draft7Validator({"$ref": "#/definitions/PolicyDefinition", "definitions": definitions})


@functools.cache
def _definition_shape() -> Any:
    """botocore's ``AutomatedReasoningPolicyDefinition`` shape, from its ``bedrock`` service model."""
    loader = Loader()
    model = ServiceModel(loader.load_service_model("bedrock", "service-2"), "bedrock")
    return model.shape_for(reasoning_spec.DEFINITION_SHAPE)
