"""Files the loader refuses, each with one clear issue, quickly and in bounded memory.

These inputs are generated here (big, deep, binary) rather than committed as fixtures.
ConfigError is the only exception load_config lets out, whatever the input.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config import files as files_module
from bedrock_platform.config import loader as loader_module
from tests.config.helpers import HEADER, WriteConfig


def refusal(path: str) -> list[str]:
    """The lines of the ConfigError that loading ``path`` raises, each checked to name the rule that
    refuses what the file itself is (``[file]``, or ``[schema]`` for a value), then without it."""
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert all(line.endswith((" [file]", " [schema]", " [internal]")) for line in lines), lines
    return [line.rsplit(" [", 1)[0] for line in lines]


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.yaml")

    assert refusal(path) == [f"{path}:1:1: error: config: cannot read the file: no such file or directory"]


def test_directory(tmp_path: Path) -> None:
    assert refusal(str(tmp_path)) == [
        f"{tmp_path}:1:1: error: config: cannot read the file: it is a directory"
    ]


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)

    assert refusal(str(path)) == [
        f"{path}:1:1: error: config: cannot read the file: it is not a regular file"
    ]


def test_unreadable_file(write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(HEADER)

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(files_module, "open", denied, raising=False)

    assert refusal(path) == [f"{path}:1:1: error: config: cannot read the file: permission denied"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_on_disk(write_config: WriteConfig) -> None:
    path = write_config(HEADER)
    os.chmod(path, 0)

    assert refusal(path) == [f"{path}:1:1: error: config: cannot read the file: permission denied"]


def test_path_with_a_nul_character() -> None:
    assert refusal("config\0.yaml") == [
        "config\\x00.yaml:1:1: error: config: cannot read the file: the path is not valid"
    ]


def test_ten_megabyte_file_is_refused_before_reading(write_config: WriteConfig) -> None:
    path = write_config(b"# padding\n" * (1024 * 1024))

    assert refusal(path) == [
        f"{path}:1:1: error: config: the file is 10485760 bytes, more than the limit of 1048576 bytes"
    ]


def test_file_just_over_the_limit(write_config: WriteConfig) -> None:
    path = write_config(HEADER.encode() + b"#" * (1024 * 1024))

    assert refusal(path)[0].endswith("bytes, more than the limit of 1048576 bytes")


def test_binary_garbage(write_config: WriteConfig) -> None:
    path = write_config(bytes(range(256)) * 4)

    # The first byte that is not UTF-8 is 0x80, after a newline (0x0a) and a lone carriage return
    # (0x0d): both end a line, for YAML and for editors, so it is on line 3.
    assert refusal(path) == [
        f"{path}:3:115: error: config: the file is not UTF-8 text: byte 0x80 cannot be decoded"
    ]


def test_latin_1_text(write_config: WriteConfig) -> None:
    path = write_config("environment: dev\nregion: caf\xe9\n".encode("latin-1"))

    assert refusal(path) == [
        f"{path}:2:12: error: config: the file is not UTF-8 text: byte 0xe9 cannot be decoded"
    ]


def test_nul_character(write_config: WriteConfig) -> None:
    path = write_config("environment: dev\0\n")

    assert refusal(path) == [
        f"{path}:1:17: error: config: the file contains the character U+0000, which YAML does not allow "
        "(is it binary?)"
    ]


def test_control_character_in_a_value(write_config: WriteConfig) -> None:
    path = write_config(HEADER + 'tags: {a: "x\x07"}\n')

    assert refusal(path) == [
        f"{path}:4:13: error: config: the file contains the character U+0007, which YAML does not allow "
        "(is it binary?)"
    ]


def test_ten_thousand_nested_flow_lists(write_config: WriteConfig) -> None:
    path = write_config("[" * 10_000 + "]" * 10_000)

    assert refusal(path) == [
        f"{path}:1:51: error: config: lists and mappings are nested deeper than 50 levels"
    ]


def test_ten_thousand_nested_flow_mappings(write_config: WriteConfig) -> None:
    path = write_config("{a: " * 10_000 + "}" * 10_000)

    assert refusal(path) == [
        f"{path}:1:201: error: config: lists and mappings are nested deeper than 50 levels"
    ]


def test_ten_thousand_nested_block_lists(write_config: WriteConfig) -> None:
    path = write_config("- " * 10_000 + "x\n")

    assert refusal(path) == [
        f"{path}:1:101: error: config: lists and mappings are nested deeper than 50 levels"
    ]


def test_fifty_levels_are_accepted_by_the_loader(write_config: WriteConfig) -> None:
    # 50 levels: the top-level mapping and 49 lists. The loader accepts it; the schema does not.
    path = write_config(HEADER + "tags: " + "[" * 49 + "]" * 49 + "\n")

    assert refusal(path) == [f"{path}:4:7: error: tags: expected a mapping, got a list"]


def test_alias_bomb(write_config: WriteConfig) -> None:
    """Billion laughs: nine levels of nine aliases would be 10**9 values; refused at the fifth."""
    text = "a: &a [" + ", ".join(['"lol"'] * 9) + "]\n"
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    path = write_config(text)

    assert refusal(path) == [
        f"{path}:6:8: error: config: alias '*e' expands the document to more than 100000 values "
        "(aliases count as copies of their anchor)"
    ]


def test_aliases_cannot_nest_deeper_than_the_limit(write_config: WriteConfig) -> None:
    text = "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 20 + "*a" + "]" * 20 + "\n"
    path = write_config(text)

    assert refusal(path) == [f"{path}:2:24: error: config: alias '*a' nests values deeper than 50 levels"]


def test_too_many_values_without_aliases(write_config: WriteConfig) -> None:
    path = write_config("[" + "1," * 100_001 + "1]")

    assert refusal(path) == [f"{path}:1:200000: error: config: the document has more than 100000 values"]


def test_tab_indentation_is_a_yaml_error_with_its_position(write_config: WriteConfig) -> None:
    path = write_config(HEADER + "\t\tbad: 1\n")

    assert refusal(path) == [
        f"{path}:4:1: error: config: invalid YAML: found character '\\t' that cannot start any token "
        "(while scanning for the next token)"
    ]


def test_unexpected_failures_still_raise_config_error(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a bug in a rule reaches the caller as a ConfigError, never as a traceback."""

    def broken(*args: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(loader_module, "check_rules", broken)
    path = write_config(HEADER)

    assert refusal(path) == [
        f"{path}:1:1: error: config: internal error while checking the config (RecursionError); "
        "please report it"
    ]


def test_byte_order_mark_and_crlf_line_ends_are_fine(write_config: WriteConfig) -> None:
    path = write_config(("\ufeff" + HEADER + "regoin: x\n").replace("\n", "\r\n"))

    assert refusal(path) == [f"{path}:4:1: error: config: unknown key 'regoin' (did you mean 'region'?)"]
