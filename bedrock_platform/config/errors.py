"""The one exception type for config mistakes, and the issues it carries."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One mistake in a config file, located at a line and column (both 1-based).

    ``str(issue)`` is the line printed for users, always one line (characters that do not print
    are escaped):
    ``config/dev.yaml:42:7: error: knowledge_bases[product-docs].vector_store: unknown vector store 'dcos'``.
    """

    file: str
    """The config file's path, exactly as it was passed to :func:`load_config`."""
    line: int
    """1-based line of the offending key or value; 1 when the file has no position to give."""
    column: int
    """1-based column (in characters) of the offending key or value."""
    path: str
    """Where in the config: ``knowledge_bases[product-docs].data_sources[manuals].chunking``,
    ``config`` for the file or its top level."""
    message: str
    """What is wrong, on one line."""
    rule: str = ""
    """The id of the check that found it, as cdk-nag names its rules: a semantic rule's id
    (``knowledge-stack-quotas``), ``schema``, ``words-file``, ``pipeline-files``, ``file`` (the file
    itself: reading, YAML, limits) or ``internal`` (a bug: please report it). Printed last, in brackets."""
    at: tuple[str | int, ...] = field(default=(), compare=False, repr=False)
    """The config path the issue is at, as the rules name it (``("knowledge_bases", 0, "name")``);
    not part of what is printed or compared."""

    def __str__(self) -> str:
        where = f"{printable(self.file)}:{self.line}:{self.column}"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}: error: {printable(self.path)}: {printable(self.message)}{rule}"

    def with_rule(self, rule: str) -> Issue:
        """This issue, found by ``rule`` (an issue that already names its rule keeps it)."""
        return self if self.rule else dataclasses.replace(self, rule=rule)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """The order issues are reported in: by file (a pipeline's environments are other files),
        then position, path and message."""
        return (self.file, self.line, self.column, self.path, self.message)


class ConfigError(Exception):
    """A config file is invalid: ``issues`` says every way it is, sorted by position.

    ``str(error)`` is the issues' lines joined by newlines. Duplicate issues are dropped.
    """

    issues: tuple[Issue, ...]

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = tuple(sorted(set(issues), key=Issue.sort_key))
        super().__init__("\n".join(str(issue) for issue in self.issues))


def progress(message: str) -> None:
    """One progress line on stderr for a command that takes seconds, when a person watches it (stderr
    is a terminal); pipes, CI logs and tests get only the command's result and its errors."""
    if sys.stderr.isatty():
        print(printable(message), file=sys.stderr, flush=True)


def printable(text: str) -> str:
    """``text`` with the characters that do not print escaped (``\\x1e``, ``\\u2028``).

    Keys, regex errors and file names can carry control characters and line separators into a
    message; escaped, every issue stays on one line, whatever the config or its file name holds.
    """
    if text.isprintable():
        return text
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)
