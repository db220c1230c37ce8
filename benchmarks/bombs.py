"""YAML bombs for the benchmark: each is refused by ``validate`` with a located error, in time and memory.

Each kind is built past one of the loader's limits (bedrock_platform/config/document.py: nesting
depth, values, integer length), and all but the file-size one just under the file size limit
(``MAX_FILE_BYTES`` of bedrock_platform/config/loader.py), so that the parser meets the bomb: what
is measured is how fast the refusal comes, not whether it comes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bedrock_platform.config.loader import MAX_FILE_BYTES

HEADER = 'environment: dev\naccount: "111111111111"\nregion: us-east-1\n'
LOCATED = re.compile(r"^.+:\d+:\d+: error: .+ \[[a-z-]+\]$")
"""A located error line: ``FILE:LINE:COL: error: ... [check-id]``."""


def _aliases() -> str:
    """The billion laughs: nine levels of ten aliases, 10^9 values once expanded."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return HEADER + "tags:\n" + "".join(f"  {line}\n" for line in lines)


def _nesting() -> str:
    """100,000 nested flow lists."""
    return HEADER + "tags: " + "[" * 100_000 + "]" * 100_000 + "\n"


ROOM = MAX_FILE_BYTES - 1024
"""Bytes a bomb may take and still be read (the header and the syntax around it fit in the rest)."""


def _huge_scalar() -> str:
    """One string value as large as the file may be."""
    return HEADER + "tags:\n  big: " + "x" * ROOM + "\n"


def _many_keys() -> str:
    """As many keys in one mapping as the file holds (about 87,000)."""
    return HEADER + "tags:\n" + "".join(f"  {number:x}: 1\n" for number in range(ROOM // 12))


def _long_integer() -> str:
    """An integer as long as the file may be (Python's int() of it is quadratic)."""
    return HEADER + "knowledge_stacks: " + "9" * ROOM + "\n"


def _many_items() -> str:
    """A flow list of as many items as the file holds (about 350,000), on one line."""
    return HEADER + "tags: [" + ",".join(["a"] * (ROOM // 3)) + "]\n"


def _too_large() -> str:
    """A file of 50 MiB, refused by its size before it is read."""
    return HEADER + "# " + "x" * (50 * 1024 * 1024) + "\n"


BOMBS: dict[str, Callable[[], str]] = {
    "aliases (billion laughs)": _aliases,
    "deep nesting (100,000 levels)": _nesting,
    "huge scalar (1 MiB)": _huge_scalar,
    "many keys (about 87,000)": _many_keys,
    "long integer (about 1,000,000 digits)": _long_integer,
    "many items (about 350,000 in one list)": _many_items,
    "a file of 50 MiB": _too_large,
}


@dataclass(frozen=True)
class Bomb:
    """A bomb's file."""

    name: str
    path: Path


def write_bombs(folder: Path) -> list[Bomb]:
    """Write each bomb into ``folder``."""
    bombs = []
    for index, (name, make) in enumerate(BOMBS.items()):
        path = folder / f"bomb-{index}.yaml"
        path.write_text(make(), encoding="utf-8")
        bombs.append(Bomb(name, path))
    return bombs


def refusal_problem(exit_code: int, stderr: str) -> str | None:
    """Why a validate run is not a located refusal, or None: it must exit 1 with located errors only."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    if exit_code != 1:
        return f"exit {exit_code}"
    if not lines or not all(LOCATED.match(line) for line in lines):
        return f"not a located error: {lines[:1]}"
    if any("internal error" in line for line in lines):
        return "internal error"
    return None
