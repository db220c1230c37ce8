"""YAML that is dangerous rather than wrong: refused quickly, in bounded memory, with a located error.

Every hostile file is loaded in one child process whose address space is capped (RLIMIT_AS) at
what the interpreter and the config package already use plus :data:`MEMORY_HEADROOM`; the child
reports each file's ConfigError lines and how long it took. A file that needed more memory
would end in a MemoryError, which the loader reports as an "internal error" (and the test
fails); one that ran away would pass :data:`TIME_LIMIT`. Without the loader's limits the alias
bombs alone would expand to a billion values.

The inputs are generated here rather than committed: they are big, deep or binary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.config.helpers import HEADER, ROOT

MEMORY_HEADROOM = 256 * 1024 * 1024
"""Bytes of address space the child may add to what it holds once the config package is imported."""
TIME_LIMIT = 5.0
"""Seconds any one file may take (the slowest here take about one; an unbounded one, hours)."""

CHILD = """
import json, resource, sys, time
from bedrock_platform.config import ConfigError, load_config

headroom = int(sys.argv[1])
with open("/proc/self/statm") as statm:
    in_use = int(statm.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (in_use + headroom, in_use + headroom))
try:
    bytearray(2 * headroom)
    capped = False
except MemoryError:
    capped = True
results = {"capped": capped}
for path in sys.argv[2:]:
    start = time.perf_counter()
    try:
        load_config(path)
        lines = []
    except ConfigError as error:
        lines = str(error).split("\\n")
    results[path] = {"seconds": time.perf_counter() - start, "lines": lines}
print(json.dumps(results))
"""


def _billion_laughs() -> str:
    """Nine levels of nine aliases: 10**9 values once expanded."""
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    return text


def _merge_key_bomb() -> str:
    """A mapping of 1000 keys merged into another 200 times."""
    keys = ", ".join(f"k{index}: {index}" for index in range(1000))
    return HEADER + f"a: &a {{{keys}}}\nb: {{<<: [" + ", ".join(["*a"] * 200) + "]}\n"


def _aliases_of_a_big_anchor() -> str:
    """1000 aliases of a list of 1000 values: a million values from 6 kilobytes."""
    return HEADER + "x: &a [" + ",".join(["1"] * 1000) + "]\ny: [" + ", ".join(["*a"] * 1000) + "]\n"


def _deep_block_mappings() -> str:
    return "".join(" " * level + "a:\n" for level in range(1200))


Content = Callable[[], str | bytes]

CASES: dict[str, tuple[Content, str]] = {
    "billion laughs": (
        _billion_laughs,
        "6:8: error: config: alias '*e' expands the document to more than 100000 values "
        "(aliases count as copies of their anchor)",
    ),
    "merge key bomb": (
        _merge_key_bomb,
        "5:202: error: config: alias '*a' expands the document to more than 100000 values "
        "(aliases count as copies of their anchor)",
    ),
    "aliases of a big anchor": (
        _aliases_of_a_big_anchor,
        "5:397: error: config: alias '*a' expands the document to more than 100000 values "
        "(aliases count as copies of their anchor)",
    ),
    "half a million nested flow lists": (
        lambda: "[" * 500_000,
        "1:51: error: config: lists and mappings are nested deeper than 50 levels",
    ),
    "1200 nested block mappings": (
        _deep_block_mappings,
        "51:51: error: config: lists and mappings are nested deeper than 50 levels",
    ),
    "a million-digit integer": (
        lambda: HEADER + "x: " + "9" * 1_000_000 + "\n",
        "4:4: error: x: integer '" + "9" * 60 + "'... (1000000 characters) is too large",
    ),
    "a sexagesimal float too big for a float": (
        lambda: HEADER + "x: 1" + ":30" * 1000 + ".5\n",
        "4:4: error: x: '1:30:30:30:30:30:30:30:30:30:30:30:30:30:30:30:30:30:30:30:3'... "
        "(3003 characters) is not a valid number (!!float)",
    ),
    "python object apply": (
        lambda: HEADER + 'tags: {a: !!python/object/apply:os.system ["touch {marker}"]}\n',
        "4:11: error: tags.a: tag '!!python/object/apply:os.system' is not allowed: "
        "a config holds only strings, numbers, booleans, null, lists and mappings",
    ),
    "python object new": (
        lambda: HEADER + 'x: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n',
        "4:4: error: x: tag '!!python/object/new:subprocess.Popen' is not allowed: "
        "a config holds only strings, numbers, booleans, null, lists and mappings",
    ),
    "python name": (
        lambda: HEADER + "x: !!python/name:os.system\n",
        "4:4: error: x: tag '!!python/name:os.system' is not allowed: "
        "a config holds only strings, numbers, booleans, null, lists and mappings",
    ),
    "python object as a key": (
        lambda: HEADER + '? !!python/object/apply:os.system ["touch {marker}"]\n: 1\n',
        "4:3: error: config: a mapping key must be a string, not a list",
    ),
    "utf-16": (
        lambda: HEADER.encode("utf-16"),
        "1:1: error: config: the file is not UTF-8 text: byte 0xff cannot be decoded",
    ),
    "a nul byte": (
        lambda: (HEADER + "tags: {a: b}\n").replace("tags", "ta\0gs").encode(),
        "4:3: error: config: the file contains the character U+0000, which YAML does not allow "
        "(is it binary?)",
    ),
    "a line separator that hides a key": (
        lambda: HEADER + "tags: {a: b}\u2028region: eu-west-1\n",
        "4:13: error: config: the file contains the character U+2028, a line break to YAML 1.1 but not "
        "to editors or YAML 1.2 tools: replace it with a newline or a space",
    ),
    "a next-line character after a carriage return": (
        lambda: HEADER.replace("\n", "\r") + "x: 1\x85y: 2\n",
        "4:5: error: config: the file contains the character U+0085, a line break to YAML 1.1 but not "
        "to editors or YAML 1.2 tools: replace it with a newline or a space",
    ),
    "a byte order mark inside the text": (
        lambda: "\ufeff" + HEADER + "\ufeffregoin: x\n",
        "4:1: error: config: unknown key '\\ufeffregoin' (did you mean 'region'?)",
    ),
    "not a number": (
        lambda: (
            HEADER + "guardrails:\n  - name: g\n    blocked_input_message: Blocked.\n"
            "    blocked_output_message: Blocked.\n    contextual_grounding: {grounding: .nan}\n"
        ),
        "8:39: error: guardrails[g].contextual_grounding.grounding: .nan is not a finite number: "
        "NaN and infinity are not allowed",
    ),
}
"""Each hostile file, and the first line of the error it must produce (after ``FILE:``)."""


@pytest.fixture(scope="module")
def refusals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What the capped child reports for every case (and a 50 MB file and /dev/zero)."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for index, (make, _) in enumerate(CASES.values()):
        content = make()
        if isinstance(content, str):
            content = content.replace("{marker}", str(folder / "executed")).encode("utf-8")
        path = folder / f"case-{index}.yaml"
        path.write_bytes(content)
        paths.append(str(path))
    sparse = folder / "fifty-megabytes.yaml"
    with open(sparse, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    paths += [str(sparse), "/dev/zero"]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(MEMORY_HEADROOM), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results: dict[str, object] = json.loads(child.stdout)
    results["folder"] = str(folder)
    return results


pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the memory cap reads /proc/self/statm and sets RLIMIT_AS"
)


def _result(refusals: dict[str, object], path: str) -> dict[str, object]:
    result = refusals[path]
    assert isinstance(result, dict)
    return result


def test_the_child_runs_under_a_memory_cap(refusals: dict[str, object]) -> None:
    assert refusals["capped"] is True


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_yaml_is_refused_quickly_with_a_located_error(refusals: dict[str, object], name: str) -> None:
    index = list(CASES).index(name)
    path = os.path.join(str(refusals["folder"]), f"case-{index}.yaml")
    result = _result(refusals, path)

    lines = result["lines"]
    assert isinstance(lines, list)
    assert lines, f"{name}: accepted"
    assert lines[0].rsplit(" [", 1) == [
        f"{path}:{CASES[name][1]}",
        f"{'schema' if name in ('not a number', 'a byte order mark inside the text') else 'file'}]",
    ]
    assert all(line.startswith(f"{path}:") and ": error: " in line for line in lines)
    assert not any("internal error" in line for line in lines), lines
    seconds = result["seconds"]
    assert isinstance(seconds, float)
    assert seconds < TIME_LIMIT


def test_python_tags_construct_nothing(refusals: dict[str, object]) -> None:
    assert not (Path(str(refusals["folder"])) / "executed").exists()


def test_a_fifty_megabyte_file_is_refused_before_it_is_read(refusals: dict[str, object]) -> None:
    path = os.path.join(str(refusals["folder"]), "fifty-megabytes.yaml")
    result = _result(refusals, path)

    assert result["lines"] == [
        f"{path}:1:1: error: config: the file is 52428800 bytes, more than the limit of 1048576 bytes [file]"
    ]
    assert isinstance(result["seconds"], float)
    assert result["seconds"] < 1


def test_an_endless_device_is_refused_without_reading_it(refusals: dict[str, object]) -> None:
    result = _result(refusals, "/dev/zero")

    assert result["lines"] == [
        "/dev/zero:1:1: error: config: cannot read the file: it is not a regular file [file]"
    ]
    assert isinstance(result["seconds"], float)
    assert result["seconds"] < 1
