"""Load a config file: read it safely, validate it (schema, then semantic rules), type it.

:func:`load_config` raises :class:`ConfigError` and nothing else, for any input: a missing or
unreadable file, a huge or binary one, invalid YAML, an alias bomb, an invalid config.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.document import ROOT_PATH, Document, parse_document
from bedrock_platform.config.errors import ConfigError, Issue
from bedrock_platform.config.model import PlatformConfig, build_config
from bedrock_platform.config.rules import RuleContext, check_rules
from bedrock_platform.config.schema import check_schema

MAX_FILE_BYTES = 1024 * 1024
"""Bigger files are refused before they are parsed (a config is a few kilobytes)."""

_NOT_YAML_CHARACTER = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a document (the same set PyYAML's reader refuses)."""


def load_config(path: str | os.PathLike[str]) -> PlatformConfig:
    """Load, validate and type one environment's config file.

    Every problem in the file is reported at once, sorted by line, in the raised
    :class:`ConfigError`; its issues name ``path`` exactly as given.
    """
    file = os.fspath(path)
    try:
        document = read_document(file)
        return build_config(validate(document))
    except ConfigError:
        raise
    except Exception as error:  # a bug, not a config mistake; the contract still holds: ConfigError only
        message = f"internal error while checking the config ({type(error).__name__}); please report it"
        raise ConfigError([Issue(file, 1, 1, ROOT_PATH, message)]) from error


def read_document(file: str) -> Document:
    """Read and parse ``file`` within the size, nesting and alias limits.

    Raises :class:`ConfigError` when the file cannot be read or is not one YAML document
    holding a mapping.
    """
    return parse_document(_read_text(file), file)


def validate(document: Document) -> Mapping[str, Any]:
    """Check a document against the schema and the semantic rules; return its data if valid.

    The data is returned as it is (the typed objects are built from it by
    :func:`bedrock_platform.config.model.build_config`); raises :class:`ConfigError` otherwise.
    """
    schema = check_schema(document)
    context = RuleContext(document, schema.invalid_paths)
    issues = [*schema.issues, *check_rules(document.data, context)]
    if issues:
        raise ConfigError(issues)
    data: Mapping[str, Any] = document.data
    return data


def _read_text(file: str) -> str:
    def refuse(message: str, line: int = 1, column: int = 1) -> ConfigError:
        return ConfigError([Issue(file, line, column, ROOT_PATH, message)])

    try:
        info = os.stat(file)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("cannot read the file: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("cannot read the file: it is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(f"the file is {info.st_size} bytes, more than the limit of {MAX_FILE_BYTES} bytes")
        with open(file, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise refuse(f"cannot read the file: {reason[:1].lower()}{reason[1:]}") from None
    except ValueError:  # a path with a NUL character
        raise refuse("cannot read the file: the path is not valid") from None
    if len(data) > MAX_FILE_BYTES:
        raise refuse(f"the file is more than the limit of {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)  # the codec skips the BOM
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8-sig", errors="replace")) + 1
        line = data.count(b"\n", 0, start) + 1
        byte = data[start : start + 1].hex()
        raise refuse(f"the file is not UTF-8 text: byte 0x{byte} cannot be decoded", line, column) from None
    found = _NOT_YAML_CHARACTER.search(text)
    if found:
        index = found.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        character = f"U+{ord(found.group()):04X}"
        raise refuse(
            f"the file contains the character {character}, which YAML does not allow (is it binary?)",
            line,
            column,
        )
    return text
