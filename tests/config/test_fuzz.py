"""Hostile and broken input never crashes the toolkit: property-based tests of ``load_config``.

Every valid config in config/ (and config/templates/, when there is one) is mutated on its
parsed data (misspelt and removed keys, wrong types, out-of-range numbers, dangling references,
duplicated names, unicode names, very long strings, arbitrary values), dumped back to YAML and
loaded; arbitrary YAML documents, text and bytes are loaded too. Every case must end in a valid
config or in a :class:`ConfigError` whose every line is ``FILE:LINE:COL: error: ...`` at a
position inside the file: never another exception, and never the loader's "internal error"
safety net (that one means a bug was caught, and the test shows the bug's own traceback).

A mutant the JSON Schema rejects, or that names something that does not exist or repeats a
name, must be refused: the loader may not drop an error on the way.

How many cases: ``BEDROCK_FUZZ_PROFILE=ci`` (the default: a few hundred, derandomized, the
same cases on every run) or ``benchmark`` (random, thousands: see benchmarks/fuzz.py);
``BEDROCK_FUZZ_EXAMPLES=N`` sets the number of mutants (the other tests run a share of it).
"""

from __future__ import annotations

import atexit
import copy
import functools
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators

from bedrock_platform.config import ConfigError, Issue, load_config
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.schema import load_schema
from tests.config.helpers import ROOT

PROFILE_VARIABLE = "BEDROCK_FUZZ_PROFILE"
EXAMPLES_VARIABLE = "BEDROCK_FUZZ_EXAMPLES"

_COMMON = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("bedrock-fuzz-ci", _COMMON, max_examples=400, derandomize=True)
settings.register_profile("bedrock-fuzz-benchmark", _COMMON, max_examples=3000, derandomize=False)

PROFILE = settings.get_profile(f"bedrock-fuzz-{os.environ.get(PROFILE_VARIABLE, 'ci')}")
"""The profile every test here runs with; the others are not touched (no global load_profile)."""
MUTANTS = int(os.environ.get(EXAMPLES_VARIABLE, PROFILE.max_examples))
"""How many mutants of valid configs; the other fuzz tests run a share of this number."""


def fuzz_settings(share: float) -> settings:
    """The profile, with ``share`` of :data:`MUTANTS` examples."""
    return settings(PROFILE, max_examples=max(10, round(MUTANTS * share)))


OUTCOMES: Counter[str] = Counter()
"""``<test>: valid`` / ``<test>: invalid`` counts, for benchmarks/fuzz.py to print."""

CONFIG_DIR = ROOT / "config"
SOURCES = sorted([*CONFIG_DIR.glob("*.yaml"), *CONFIG_DIR.glob("templates/*.yaml")])
"""The valid configs that are mutated."""

REFERENCES = {
    "vector_store": "vector_stores",
    "knowledge_base": "knowledge_bases",
    "provisioned_throughput": "provisioned_throughputs",
}
"""Keys whose value names an item of a top-level section."""

Draw = Callable[[st.SearchStrategy[Any]], Any]
"""What draws a value from a strategy: a composite's ``draw``, or ``st.data()``'s ``draw``."""


# --- the contract -----------------------------------------------------------------------------


def outcome(path: Path, label: str) -> str:
    """Load ``path``: ``"valid"`` or ``"invalid"``; fails the test on any other end."""
    try:
        load_config(str(path))
    except ConfigError as error:
        assert_reported_properly(error, path)
        result = "invalid"
    else:
        result = "valid"
    OUTCOMES[f"{label}: {result}"] += 1
    if currently_in_test_context():
        event(result)
    return result


def assert_reported_properly(error: ConfigError, path: Path) -> None:
    """Every line is ``FILE:LINE:COL: error: MESSAGE``, one line, at a position inside the file."""
    if error.__cause__ is not None:
        # load_config's safety net turned a bug into "internal error": show the bug itself.
        raise AssertionError(f"the loader crashed on {path}: {error}") from error.__cause__
    text = str(error)
    assert text, "a ConfigError without a message"
    line_pattern = re.compile(re.escape(str(path)) + r":([1-9][0-9]*):([1-9][0-9]*): error: \S.*")
    file_lines = _file_lines(path)
    for line in text.split("\n"):
        found = line_pattern.fullmatch(line)
        assert found, f"not a FILE:LINE:COL: error: line: {line!r}"
        assert line.splitlines() == [line], f"a line break inside a message: {line!r}"
        assert "internal error" not in line, line
        number, column = int(found[1]), int(found[2])
        assert number <= len(file_lines) + 1, f"line {number} is past the end of the file: {line!r}"
        if number <= len(file_lines):
            assert column <= len(file_lines[number - 1]) + 1, f"column past the line's end: {line!r}"
    assert len(error.issues) == len(text.split("\n"))


def _file_lines(path: Path) -> list[str]:
    """The file's lines as editors count them (a BOM is not a column)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return re.split("\r\n|\r|\n", data.decode("utf-8-sig", errors="replace"))


# --- where cases are written ------------------------------------------------------------------


@functools.cache
def workspace() -> Path:
    """A temp copy of config/, so that files a config names (word lists) resolve as in config/."""
    folder = Path(tempfile.mkdtemp(prefix="bedrock-platform-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(CONFIG_DIR, folder / "config")
    return folder / "config"


def case_path(source: Path | None = None) -> Path:
    """Where a case is written: beside its source config in the copy of config/."""
    if source is None:
        return workspace() / "fuzz-case.yaml"
    return workspace() / source.relative_to(CONFIG_DIR).with_suffix(".fuzz.yaml")


def write_yaml(data: Any, path: Path, style: DumpStyle) -> Path:
    """Dump ``data`` as YAML into ``path``."""
    text = yaml.dump(
        data,
        Dumper=DUMPER,
        allow_unicode=style.unicode,
        default_flow_style=style.flow,
        sort_keys=False,
        width=style.width,
    )
    path.write_text(text, encoding="utf-8")
    return path


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it: big mutants are dumped in a fraction of the time."""


@dataclass(frozen=True)
class DumpStyle:
    """How a mutant is written: unicode as is or escaped, block or flow style, line width."""

    unicode: bool
    flow: bool | None
    width: int


dump_styles = st.builds(
    DumpStyle,
    unicode=st.booleans(),
    flow=st.sampled_from([False, None, True]),
    width=st.sampled_from([80, 20, 10_000]),
)


# --- the parsed data, and edits of it ---------------------------------------------------------


@functools.cache
def source_data(source: Path) -> Any:
    """A valid config's parsed data (never edited: mutants work on deep copies)."""
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def all_paths(data: Any) -> list[tuple[ConfigPath, Any]]:
    """(path, value) of every value in ``data``, the top level first."""
    found: list[tuple[ConfigPath, Any]] = []
    pending: list[tuple[ConfigPath, Any]] = [((), data)]
    while pending:
        path, current = pending.pop()
        found.append((path, current))
        if isinstance(current, dict):
            pending += [((*path, key), child) for key, child in current.items()]
        elif isinstance(current, list):
            pending += [((*path, index), child) for index, child in enumerate(current)]
    return sorted(found, key=lambda item: [str(part) for part in item[0]])


def get(data: Any, path: ConfigPath) -> Any:
    """The value at ``path``."""
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: ConfigPath, new: Any) -> Any:
    """Set the value at ``path`` (the top level when empty); returns the (new) top level."""
    if not path:
        return new
    get(data, path[:-1])[path[-1]] = new
    return data


def json_type(value: Any) -> str:
    """The JSON type of a value, telling booleans from integers."""
    return "boolean" if isinstance(value, bool) else type(value).__name__


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**50), max_value=10**50),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["", "yes", "no", "~", "null", "1e3", "0x1F", "2001-12-14", "<<", "&a", "*a", "!!str"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
"""Any value a config could hold (mapping keys are strings)."""


def misspell(draw: Draw, word: str) -> str:
    """A typo of ``word``: a letter dropped, doubled, swapped, replaced, in capitals, ..."""
    if not word:
        anything: str = draw(st.text(min_size=1, max_size=8))
        return anything
    index = draw(st.integers(0, len(word) - 1))
    how = draw(
        st.sampled_from(["drop", "double", "swap", "replace", "upper", "plural", "separator", "unicode"])
    )
    if how == "drop":
        typo = word[:index] + word[index + 1 :]
    elif how == "double":
        typo = word[:index] + word[index] + word[index:]
    elif how == "swap" and index + 1 < len(word):
        typo = word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    elif how == "replace":
        typo = word[:index] + draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-")) + word[index + 1 :]
    elif how == "upper":
        typo = word.upper()
    elif how == "separator":
        typo = word.replace("_", "-") if "_" in word else word.replace("-", "_")
    elif how == "unicode":
        typo = word[:index] + draw(st.characters(min_codepoint=0x80, codec="utf-8")) + word[index + 1 :]
    else:
        typo = word + "s"
    return typo if typo and typo != word else word + "x"


# --- mutations --------------------------------------------------------------------------------


Values = list[tuple[ConfigPath, Any]]
"""Every (path, value) of a config's data, as :func:`all_paths` lists them."""


@dataclass(frozen=True)
class Mutation:
    """An edit of a config's data: where it applies, how it is drawn, whether it must be refused."""

    name: str
    targets: Callable[[Values], list[ConfigPath]]
    """The paths the edit can be made at (none: it does not apply)."""
    apply: Callable[[Draw, Any, ConfigPath], Any]
    """Edits the data (a deep copy) at a path, in place or by returning a new top level."""
    must_fail: bool = False
    """The edit makes any config invalid, whatever the schema says (a semantic rule must catch it)."""


def _everything(values: Values) -> list[ConfigPath]:
    return [path for path, _ in values]


def _below_the_top(values: Values) -> list[ConfigPath]:
    return [path for path, _ in values if path]


def _mappings(values: Values) -> list[ConfigPath]:
    return [path for path, value in values if isinstance(value, dict) and value]


def _any_mappings(values: Values) -> list[ConfigPath]:
    return [path for path, value in values if isinstance(value, dict)]


def _filled_lists(values: Values) -> list[ConfigPath]:
    return [path for path, value in values if isinstance(value, list) and value]


def _numbers(values: Values) -> list[ConfigPath]:
    return [path for path, value in values if isinstance(value, int | float) and not isinstance(value, bool)]


def _strings(values: Values) -> list[ConfigPath]:
    return [path for path, value in values if isinstance(value, str)]


def _names(values: Values) -> list[ConfigPath]:
    return [path for path in _strings(values) if path and path[-1] == "name"]


def _references(values: Values) -> list[ConfigPath]:
    return [path for path in _strings(values) if len(path) > 1 and path[-1] in REFERENCES]


def _named_lists(values: Values) -> list[ConfigPath]:
    return [
        path
        for path, value in values
        if isinstance(value, list)
        and value
        and all(isinstance(item, dict) and isinstance(item.get("name"), str) for item in value)
    ]


def misspelt_key(draw: Draw, data: Any, path: ConfigPath) -> Any:
    mapping: dict[str, Any] = get(data, path)
    key = draw(st.sampled_from(sorted(mapping)))
    typo = misspell(draw, key)
    return put(data, path, {typo if name == key else name: value for name, value in mapping.items()})


def removed_key(draw: Draw, data: Any, path: ConfigPath) -> Any:
    mapping = get(data, path)
    del mapping[draw(st.sampled_from(sorted(mapping)))]
    return data


WRONG_TYPES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    "",
    "text",
    "yes",
    [],
    {},
    ["a"],
    {"a": "b"},
    [{"name": "x"}],
]


def wrong_type(draw: Draw, data: Any, path: ConfigPath) -> Any:
    current = json_type(get(data, path))
    other = draw(st.sampled_from([value for value in WRONG_TYPES if json_type(value) != current]))
    return put(data, path, copy.deepcopy(other))  # a copy: later edits must not change the pool


EDGE_NUMBERS: list[Any] = [
    -1, 0, 1, 2**31, 2**63, 10**39, 10**40, -(10**40), 0.5, -0.0, 1e308, 5e-324,
    math.inf, -math.inf, math.nan,
]  # fmt: skip


def out_of_range(draw: Draw, data: Any, path: ConfigPath) -> Any:
    return put(data, path, draw(st.sampled_from(EDGE_NUMBERS) | st.integers(-(10**45), 10**45) | st.floats()))


def dangling_reference(draw: Draw, data: Any, path: ConfigPath) -> Any:
    section = data.get(REFERENCES[str(path[-1])]) if isinstance(data, dict) else None
    items = section if isinstance(section, list) else []
    defined = [item.get("name") for item in items if isinstance(item, dict)]
    name = draw(
        st.from_regex(r"[a-z][a-z0-9-]{2,20}", fullmatch=True).filter(lambda name: name not in defined)
    )
    return put(data, path, name)


def duplicated_name(draw: Draw, data: Any, path: ConfigPath) -> Any:
    items: list[dict[str, Any]] = get(data, path)
    first = draw(st.integers(0, len(items) - 1))
    if len(items) > 1 and draw(st.booleans()):
        second = draw(st.integers(0, len(items) - 2))
        items[second + (second >= first)]["name"] = items[first]["name"]
    else:
        items.insert(draw(st.integers(0, len(items))), copy.deepcopy(items[first]))
    return data


def unicode_name(draw: Draw, data: Any, path: ConfigPath) -> Any:
    non_ascii = st.characters(min_codepoint=0x80, codec="utf-8")
    name = draw(st.text(min_size=1, max_size=40) | st.text(non_ascii, min_size=1))
    return put(data, path, name)


def long_string(draw: Draw, data: Any, path: ConfigPath) -> Any:
    unit = draw(st.sampled_from(["x", "a-", "é", "\U0001f600", "ab/", " ", "\\d("]))
    length = draw(st.sampled_from([65, 101, 257, 1025, 20_000, 300_000]))
    text = (unit * length)[:length]
    parent = get(data, path[:-1])
    if isinstance(parent, dict) and draw(st.booleans()):
        parent[text] = parent.pop(str(path[-1]))  # a long key instead of a long value
        return data
    return put(data, path, text)


MAX_GROWTH = 1_500_000
"""Lists grow to about this many characters of JSON at most: past the file limit, not far past."""


def many_items(draw: Draw, data: Any, path: ConfigPath) -> Any:
    items = get(data, path)
    size = len(json.dumps(items, default=repr))
    times = min(draw(st.sampled_from([2, 30, 300])), max(2, MAX_GROWTH // size))
    # Copies, not the same objects again: a later edit of one item must not change all of them.
    return put(data, path, [copy.deepcopy(item) for _ in range(times) for item in items])


def emptied(draw: Draw, data: Any, path: ConfigPath) -> Any:
    current = get(data, path)
    return put(data, path, type(current)() if isinstance(current, dict | list | str) else None)


def unknown_key(draw: Draw, data: Any, path: ConfigPath) -> Any:
    get(data, path)[draw(st.text(max_size=20))] = draw(json_values)
    return data


def arbitrary_value(draw: Draw, data: Any, path: ConfigPath) -> Any:
    return put(data, path, draw(json_values))


MUTATIONS = (
    Mutation("misspelt key", _mappings, misspelt_key),
    Mutation("removed key", _mappings, removed_key),
    Mutation("wrong type", _below_the_top, wrong_type),
    Mutation("out-of-range number", _numbers, out_of_range),
    Mutation("dangling reference", _references, dangling_reference, must_fail=True),
    Mutation("duplicated name", _named_lists, duplicated_name, must_fail=True),
    Mutation("unicode name", _names, unicode_name),
    Mutation("long string", _strings, long_string),
    Mutation("many items", _filled_lists, many_items),
    Mutation("emptied value", _everything, emptied),
    Mutation("unknown key", _any_mappings, unknown_key),
    Mutation("arbitrary value", _everything, arbitrary_value),
)


@dataclass(frozen=True)
class Mutant:
    """A mutated config: its source, its data, the edits made and whether it must be refused."""

    source: Path
    data: Any
    edits: tuple[str, ...]
    must_fail: bool


@st.composite
def mutants(draw: st.DrawFn) -> Mutant:
    """A valid config with one to three edits; the last one decides whether it must fail."""
    source = draw(st.sampled_from(SOURCES))
    data = copy.deepcopy(source_data(source))
    edits: list[str] = []
    must_fail = False
    for _ in range(draw(st.integers(1, 3))):
        values = all_paths(data)
        mutation = draw(st.sampled_from([mutation for mutation in MUTATIONS if mutation.targets(values)]))
        data = mutation.apply(draw, data, draw(st.sampled_from(mutation.targets(values))))
        edits.append(mutation.name)
        must_fail = mutation.must_fail
    return Mutant(source, data, tuple(edits), must_fail)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """uniqueItems in linear time (jsonschema's own is quadratic for items it cannot sort).

    Items are compared by their JSON text, which tells 1 from 1.0 where JSON Schema does not:
    the judge may miss that duplicate, never invent one.
    """
    texts = [json.dumps(item, sort_keys=True) for item in instance] if isinstance(instance, list) else []
    if unique and len(set(texts)) < len(texts):
        yield ValidationError("non-unique elements")


@functools.cache
def schema_validator() -> Draft202012Validator:
    """The config schema, as an independent judge of the mutants."""
    judge = validators.extend(Draft202012Validator, {"uniqueItems": _unique_items})  # type: ignore[no-untyped-call]
    validator: Draft202012Validator = judge(load_schema())
    return validator


def schema_rejects(data: Any) -> bool:
    """Whether JSON Schema alone rejects the data, or it holds numbers JSON has not (NaN, infinity)."""
    try:
        json.dumps(data, allow_nan=False)
    except ValueError:
        return True
    return not schema_validator().is_valid(data)


# --- the tests --------------------------------------------------------------------------------


def test_every_source_config_is_valid_before_it_is_mutated() -> None:
    assert SOURCES, "no valid configs to mutate"
    for source in SOURCES:
        path = write_yaml(source_data(source), case_path(source), DumpStyle(True, False, 80))
        assert outcome(path, "sources") == "valid", source


@fuzz_settings(1.0)
@given(mutant=mutants(), style=dump_styles)
def test_mutated_configs_load_or_fail_with_located_errors(mutant: Mutant, style: DumpStyle) -> None:
    for edit in mutant.edits:
        event(f"edit: {edit}")
    path = write_yaml(mutant.data, case_path(mutant.source), style)

    result = outcome(path, "mutants")

    if mutant.must_fail or schema_rejects(mutant.data):
        assert result == "invalid", f"accepted an invalid config ({', '.join(mutant.edits)})"


@fuzz_settings(0.4)
@given(document=json_values, style=dump_styles)
def test_arbitrary_documents_load_or_fail_with_located_errors(document: Any, style: DumpStyle) -> None:
    outcome(write_yaml(document, case_path(), style), "documents")


@fuzz_settings(0.4)
@given(
    source=st.sampled_from(SOURCES),
    sections=st.dictionaries(
        st.sampled_from(sorted(load_schema()["properties"])), json_values, min_size=1, max_size=3
    ),
    style=dump_styles,
)
def test_arbitrary_sections_load_or_fail_with_located_errors(
    source: Path, sections: dict[str, Any], style: DumpStyle
) -> None:
    data = {**copy.deepcopy(source_data(source)), **sections}

    result = outcome(write_yaml(data, case_path(source), style), "sections")

    if schema_rejects(data):
        assert result == "invalid"


YAML_PIECES = [
    "-", "- ", ": ", ":", "? ", ",", "[", "]", "{", "}", "&a ", "*a", "&b ", "*b", "<<: ",
    "!!python/object/apply:os.system ", "!!str ", "!!int ", "!!float ", "!!binary ", "!!set ", "!local ",
    "!<tag:x> ", "%YAML 1.1\n", "%TAG ! tag:x,\n", "---\n", "...\n", "|\n", ">-\n", "'", '"', "\\",
    "# c\n", "\n", "  ", "\t", "\r\n", "\r", "\ufeff", "\x85", "\u2028", "~", "null", "yes", "1", "-1",
    "0x1F", "0o17", "1:30", ".nan", ".inf", "1e400", "9" * 50, "2001-12-14", "environment", "account",
    "region", "vector_stores", "knowledge_bases", "guardrails", "name", "dev", '"111111111111"', "us-east-1",
    "é", "\U0001f600", "\x00", "\x07",
]  # fmt: skip
"""Tokens of YAML and of the config, for text that goes deeper into the parser than random text."""


@fuzz_settings(0.3)
@given(
    text=st.text(max_size=200)
    | st.lists(st.sampled_from(YAML_PIECES), max_size=60).map("".join)
    | st.builds(lambda source, cut: source.read_text()[:cut], st.sampled_from(SOURCES), st.integers(0, 5000))
)
def test_arbitrary_text_loads_or_fails_with_located_errors(text: str) -> None:
    path = case_path()
    path.write_text(text, encoding="utf-8")

    outcome(path, "text")


@st.composite
def corrupted_bytes(draw: st.DrawFn) -> bytes:
    """A valid config's bytes with a few bytes replaced, inserted or deleted."""
    data = bytearray(draw(st.sampled_from(SOURCES)).read_bytes())
    for _ in range(draw(st.integers(1, 5))):
        index = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.integers(0, 255) | st.sampled_from(list(b"\t\n\r :-[]{}&*!|>'\"#%@`\\")))
        if how == "insert" or index == len(data):
            data.insert(index, byte)
        elif how == "replace":
            data[index] = byte
        else:
            del data[index]
    return bytes(data)


@fuzz_settings(0.4)
@given(data=st.binary(max_size=300) | corrupted_bytes())
def test_arbitrary_bytes_load_or_fail_with_located_errors(data: bytes) -> None:
    path = case_path()
    path.write_bytes(data)

    outcome(path, "bytes")


FUZZ_TESTS = (
    test_mutated_configs_load_or_fail_with_located_errors,
    test_arbitrary_documents_load_or_fail_with_located_errors,
    test_arbitrary_sections_load_or_fail_with_located_errors,
    test_arbitrary_text_loads_or_fails_with_located_errors,
    test_arbitrary_bytes_load_or_fail_with_located_errors,
)
"""The property-based tests, in the order benchmarks/fuzz.py runs them."""


# --- the judge itself -------------------------------------------------------------------------


def test_the_judge_refuses_an_internal_error(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("environment: dev\n", encoding="utf-8")
    bug = KeyError("bug")
    error = ConfigError([Issue(str(path), 1, 1, "config", "internal error while checking the config")])
    error.__cause__ = bug

    try:
        assert_reported_properly(error, path)
    except AssertionError as failure:
        assert failure.__cause__ is bug
    else:
        raise AssertionError("an internal error passed the judge")


def test_the_judge_refuses_lines_without_a_position_inside_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("environment: dev\n", encoding="utf-8")
    bad_issues = [
        Issue(str(path), 9, 1, "config", "past the end"),
        Issue(str(path), 1, 40, "config", "past the line's end"),
        Issue("elsewhere.yaml", 1, 1, "config", "another file"),
    ]
    for issue in bad_issues:
        try:
            assert_reported_properly(ConfigError([issue]), path)
        except AssertionError:
            continue
        raise AssertionError(f"the judge let {issue} through")

    assert_reported_properly(ConfigError([Issue(str(path), 2, 1, "config", "fine")]), path)


def test_an_issue_is_one_line_whatever_its_message_holds() -> None:
    issue = Issue("config.yaml", 1, 1, "tags['\\x1e']", "quote it: \x1e: 'x'\n\u2028\x85\ttab é 😀")

    assert str(issue) == r"config.yaml:1:1: error: tags['\x1e']: quote it: \x1e: 'x'\n\u2028\x85\ttab é 😀"


@pytest.mark.parametrize(
    ("name", "message"), [("dangling reference", ": unknown "), ("duplicated name", ": duplicate ")]
)
def test_the_must_fail_mutations_fail_with_their_rule(name: str, message: str) -> None:
    (mutation,) = [mutation for mutation in MUTATIONS if mutation.name == name]
    source = CONFIG_DIR / "dev.yaml"
    targets = mutation.targets(all_paths(source_data(source)))

    @settings(PROFILE, max_examples=10)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(targets))
        mutated = mutation.apply(data.draw, copy.deepcopy(source_data(source)), target)
        path = write_yaml(mutated, case_path(source), DumpStyle(True, False, 80))
        try:
            load_config(str(path))
        except ConfigError as error:
            assert message in str(error), str(error)
        else:
            raise AssertionError(f"{name} left the config valid")

    check()
