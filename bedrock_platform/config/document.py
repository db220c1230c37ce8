"""A YAML document read into plain data that remembers where every key and value was written.

The document is built from PyYAML's event stream (``yaml.parse`` with the safe loader's
scanner and parser, which are iterative; libyaml's when PyYAML has it, and PyYAML's own to
word a syntax error) with an explicit stack, instead of PyYAML's recursive composer. That lets
it refuse, before building anything big or deep:

- nesting deeper than :data:`MAX_DEPTH` levels,
- documents that expand (counting every alias as a copy of its anchor, without copying it)
  to more than :data:`MAX_VALUES` values, which stops alias bombs,
- tags that would construct anything but plain data (``!!python/object``, local tags, sets).

Scalars resolve as PyYAML's ``SafeLoader`` resolves them (YAML 1.1: ``yes`` is true, ``0x1F``
is 31), except that timestamps stay strings. Mapping keys are always strings: a plain key is
taken as written (``1:`` is the key ``'1'``). Merge keys (``<<: *defaults``) work as in PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml
import yaml.constructor
import yaml.resolver

from bedrock_platform.config.errors import ConfigError, Issue
from bedrock_platform.config.messages import kind, show

MAX_DEPTH = 50
"""The deepest nesting of lists and mappings accepted, aliases expanded."""

MAX_VALUES = 100_000
"""The most values (scalars, lists and mappings) a document may hold, aliases expanded."""

MAX_INTEGER_CHARACTERS = 40
"""Longer integer literals are refused rather than converted."""

ROOT_PATH = "config"
"""How messages name the top level of the file."""

ConfigPath = tuple[str | int, ...]
"""Where a value is: mapping keys and list indexes from the top (``("knowledge_bases", 0)``)."""

_YAML_TAG = "tag:yaml.org,2002:"
STR_TAG = _YAML_TAG + "str"
INT_TAG = _YAML_TAG + "int"
FLOAT_TAG = _YAML_TAG + "float"
BOOL_TAG = _YAML_TAG + "bool"
NULL_TAG = _YAML_TAG + "null"
SEQ_TAG = _YAML_TAG + "seq"
MAP_TAG = _YAML_TAG + "map"
MERGE_TAG = _YAML_TAG + "merge"
_STRING_TAGS = frozenset({STR_TAG, _YAML_TAG + "timestamp", _YAML_TAG + "value", MERGE_TAG})
_TYPE_NAMES = {INT_TAG: "integer", FLOAT_TAG: "number", BOOL_TAG: "boolean"}
_PLAIN_DATA = "a config holds only strings, numbers, booleans, null, lists and mappings"

FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, when PyYAML was built with it: the same events and marks as PyYAML's own
(checked over every config and fixture), about ten times faster."""
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTORS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    INT_TAG: _CONSTRUCTOR.construct_yaml_int,
    FLOAT_TAG: _CONSTRUCTOR.construct_yaml_float,
    BOOL_TAG: _CONSTRUCTOR.construct_yaml_bool,
}

_NAME_LABEL = re.compile(r"[\w.:@+=/-]{1,64}")
_KEY_LABEL = re.compile(r"[\w:@+=/-]+")


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in the file."""

    line: int
    column: int


@dataclass(eq=False)
class Node:
    """A value of the document: where it starts, its plain data, and its expanded size."""

    position: Position
    value: Any
    size: int = 1
    """Values in this node, counting aliases inside it as copies."""
    height: int = 0
    """Levels of lists and mappings in this node (0 for a scalar), aliases expanded."""


@dataclass(eq=False)
class ScalarNode(Node):
    """A string, number, boolean or null, with its resolved tag and its text as written."""

    tag: str = STR_TAG
    source: str = ""


@dataclass(frozen=True)
class Item:
    """A list item: where it appears (an alias's own position) and its node."""

    position: Position
    node: Node


@dataclass(eq=False)
class SequenceNode(Node):
    """A list."""

    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """A mapping entry: where its key and its value appear, and the value's node."""

    key: Position
    value: Position
    node: Node


@dataclass(eq=False)
class MappingNode(Node):
    """A mapping with string keys."""

    entries: dict[str, Entry] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A config file's data, with the position of every key and value.

    Paths are tuples of keys and list indexes (:data:`ConfigPath`), as jsonschema reports them.
    """

    file: str
    root: Item

    @property
    def data(self) -> Any:
        """The plain data: dicts, lists, strings, ints, floats, bools and None."""
        return self.root.node.value

    def node(self, path: ConfigPath) -> Node | None:
        """The node at ``path``, or None when there is none."""
        return self._walk(path)[2]

    def position(self, path: ConfigPath, *, key: str | None = None) -> Position:
        """Where the value at ``path`` is written, or its entry ``key`` when given.

        A path that goes further than the document gives the deepest position that exists.
        """
        value_position, _, node = self._walk(path)
        if key is not None and isinstance(node, MappingNode) and key in node.entries:
            return node.entries[key].key
        return value_position

    def issue(self, path: ConfigPath, message: str, *, key: str | None = None) -> Issue:
        """An issue at the value at ``path`` (or at its entry ``key``, named by ``path``)."""
        where = self.position(path, key=key)
        return Issue(self.file, where.line, where.column, self.render(path), message, at=path)

    def render(self, path: ConfigPath) -> str:
        """``knowledge_bases[product-docs].data_sources[0].chunking``: list items by name if they have one."""
        text = ""
        current: Any = self.data
        for part in path:
            if isinstance(part, int):
                label = str(part)
                current = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
                name = current.get("name") if isinstance(current, dict) else None
                if isinstance(name, str) and _NAME_LABEL.fullmatch(name):
                    label = name
                text += f"[{label}]"
            else:
                label = part if _KEY_LABEL.fullmatch(part) else f"[{show(part)}]"
                text += label if not text or label.startswith("[") else "." + label
                current = current.get(part) if isinstance(current, dict) else None
        return text or ROOT_PATH

    def _walk(self, path: ConfigPath) -> tuple[Position, Position, Node | None]:
        """(value position, key position, node) of the deepest node along ``path``."""
        position = key_position = self.root.position
        node: Node | None = self.root.node
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str) and part in node.entries:
                entry = node.entries[part]
                position, key_position, node = entry.value, entry.key, entry.node
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.items):
                item = node.items[part]
                position, key_position, node = item.position, item.position, item.node
            else:
                return position, key_position, None
        return position, key_position, node


def parse_document(text: str, file: str) -> Document:
    """Read one YAML document from ``text`` into a :class:`Document`.

    Raises :class:`ConfigError` for invalid YAML, a stream without exactly one document,
    a top level that is not a mapping, and anything the module docstring says is refused.
    """
    if FAST_LOADER is not None:
        builder = _Builder(file)
        try:
            for event in yaml.parse(text, Loader=FAST_LOADER):
                builder.feed(event)
        except yaml.YAMLError:
            pass  # libyaml words syntax errors its own way: PyYAML's parser below reports them
        else:
            return builder.finish()
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        raise ConfigError([_syntax_issue(file, error)]) from None
    except yaml.YAMLError as error:
        raise ConfigError([Issue(file, 1, 1, ROOT_PATH, f"invalid YAML: {_one_line(str(error))}")]) from None
    return builder.finish()


def _syntax_issue(file: str, error: yaml.MarkedYAMLError) -> Issue:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"invalid YAML: {_one_line(error.problem or error.context or 'syntax error')}"
    if error.problem and error.context:
        context = error.context
        if error.context_mark and error.context_mark is not mark:
            context += f" at line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
        message += f" ({_one_line(context)})"
    return Issue(file, line, column, ROOT_PATH, message)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def tag_name(tag: str) -> str:
    """A tag as it is usually written: ``!!python/object`` for ``tag:yaml.org,2002:python/object``."""
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _resolve(text: str, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's safe loader gives a scalar without an explicit tag."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, implicit)  # type: ignore[no-untyped-call]
    return tag


def _construct(tag: str, text: str) -> tuple[Any, str | None]:
    """The value of a scalar with a resolved tag, or its text and the problem."""
    if tag in _STRING_TAGS:
        return text, None
    if tag == NULL_TAG:
        return None, None
    if tag not in _TYPE_NAMES:
        return text, f"tag {tag_name(tag)!r} is not allowed: {_PLAIN_DATA}"
    if tag == INT_TAG and len(text) > MAX_INTEGER_CHARACTERS:
        return text, f"integer {show(text)} is too large"
    try:
        return _CONSTRUCTORS[tag](yaml.ScalarNode(tag, text)), None
    except (ValueError, KeyError, IndexError, OverflowError):  # OverflowError: a huge sexagesimal float
        return text, f"{show(text)} is not a valid {_TYPE_NAMES[tag]} ({tag_name(tag)})"


@dataclass(frozen=True)
class _Key:
    position: Position
    text: str | None
    """None for a key that is not a string (already reported)."""
    merge: bool = False


@dataclass(eq=False)
class _Frame:
    """A list or mapping whose end event has not come yet."""

    position: Position
    path: ConfigPath
    anchor: str | None
    values_before: int
    height: int = 0


@dataclass(eq=False)
class _SequenceFrame(_Frame):
    items: list[Item] = field(default_factory=list)


@dataclass(eq=False)
class _MappingFrame(_Frame):
    entries: dict[str, Entry] = field(default_factory=dict)
    key: _Key | None = None
    merges: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class _Pending:
    """An issue found while building, reported once the whole document is read."""

    path: ConfigPath
    position: Position
    message: str


class _Builder:
    """Turns the event stream into nodes, with a stack instead of recursion."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[_Frame] = []
        self.anchors: dict[str, Node] = {}
        self.root: Item | None = None
        self.documents = 0
        self.values = 0
        self.pending: list[_Pending] = []

    def feed(self, event: yaml.Event) -> None:
        """Take the next event."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._refuse(
                    event.start_mark, "a config file holds one YAML document; a second one starts here"
                )
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._start(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self._end()

    def finish(self) -> Document:
        """The document, once the stream has ended."""
        root = self.root
        if root is None or (isinstance(root.node, ScalarNode) and root.node.value is None):
            where = root.position if root else Position(1, 1)
            raise ConfigError(
                [
                    Issue(
                        self.file,
                        where.line,
                        where.column,
                        ROOT_PATH,
                        "the file has no settings; expected a mapping with environment, account and region",
                    )
                ]
            )
        document = Document(self.file, root)
        if self.pending:
            raise ConfigError(self._issues(document, self.pending))
        if not isinstance(root.node, MappingNode):
            found = kind(root.node.value)
            message = f"the top level must be a mapping (environment: ..., account: ...), not {found}"
            raise ConfigError([document.issue((), message)])
        return document

    def _issues(self, document: Document, pending: Iterable[_Pending]) -> list[Issue]:
        return [
            Issue(
                self.file, item.position.line, item.position.column, document.render(item.path), item.message
            )
            for item in pending
        ]

    def _refuse(self, mark: Any, message: str) -> NoReturn:
        where = _position(mark)
        raise ConfigError([Issue(self.file, where.line, where.column, ROOT_PATH, message)])

    def _count(self, values: int, mark: Any, alias: str | None = None) -> None:
        self.values += values
        if self.values > MAX_VALUES:
            if alias is None:
                self._refuse(mark, f"the document has more than {MAX_VALUES} values")
            self._refuse(
                mark,
                f"alias '*{alias}' expands the document to more than {MAX_VALUES} values "
                "(aliases count as copies of their anchor)",
            )

    def _child_path(self) -> ConfigPath:
        """The path of the node that comes next (a key's path is its mapping's)."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top, _SequenceFrame):
            return (*top.path, len(top.items))
        if isinstance(top, _MappingFrame) and top.key is not None:
            return (*top.path, top.key.text if top.key.text is not None else "?")
        return top.path

    def _alias(self, event: yaml.AliasEvent) -> None:
        name = event.anchor or ""
        if any(frame.anchor == name for frame in self.stack):
            self._refuse(event.start_mark, f"alias '*{name}' is inside its own anchor '&{name}'")
        node = self.anchors.get(name)
        if node is None:
            self._refuse(event.start_mark, f"alias '*{name}' has no anchor '&{name}' before it")
        self._count(node.size, event.start_mark, alias=name)
        if len(self.stack) + node.height > MAX_DEPTH:
            self._refuse(event.start_mark, f"alias '*{name}' nests values deeper than {MAX_DEPTH} levels")
        self._attach(node, _position(event.start_mark))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._count(1, event.start_mark)
        position = _position(event.start_mark)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolve(event.value, event.implicit)
        value, problem = _construct(tag, event.value)
        if problem is not None:
            self.pending.append(_Pending(self._child_path(), position, problem))
        node = ScalarNode(position, value, tag=tag, source=event.value)
        if event.anchor:
            self.anchors[event.anchor] = node
        self._attach(node, position)

    def _start(self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent) -> None:
        self._count(1, event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            self._refuse(event.start_mark, f"lists and mappings are nested deeper than {MAX_DEPTH} levels")
        position = _position(event.start_mark)
        is_sequence = isinstance(event, yaml.SequenceStartEvent)
        if event.tag not in (None, "!", SEQ_TAG if is_sequence else MAP_TAG):
            message = f"tag {tag_name(event.tag)!r} is not allowed: {_PLAIN_DATA}"
            self.pending.append(_Pending(self._child_path(), position, message))
        frame_type = _SequenceFrame if is_sequence else _MappingFrame
        self.stack.append(frame_type(position, self._child_path(), event.anchor, self.values))

    def _end(self) -> None:
        frame = self.stack.pop()
        size = self.values - frame.values_before + 1
        node: Node
        if isinstance(frame, _SequenceFrame):
            values = [item.node.value for item in frame.items]
            node = SequenceNode(frame.position, values, size, frame.height + 1, frame.items)
        else:
            assert isinstance(frame, _MappingFrame)
            self._merge(frame)
            mapping = {key: entry.node.value for key, entry in frame.entries.items()}
            node = MappingNode(frame.position, mapping, size, frame.height + 1, frame.entries)
        if frame.anchor:
            self.anchors[frame.anchor] = node
        self._attach(node, frame.position)

    def _attach(self, node: Node, position: Position) -> None:
        """Add a finished node (or an alias to one, at ``position``) to its parent."""
        if not self.stack:
            self.root = Item(position, node)
            return
        top = self.stack[-1]
        top.height = max(top.height, node.height)
        if isinstance(top, _SequenceFrame):
            top.items.append(Item(position, node))
        elif isinstance(top, _MappingFrame):
            if top.key is None:
                top.key = self._key(top, node, position)
            else:
                key, top.key = top.key, None
                self._add_entry(top, key, node, position)

    def _key(self, frame: _MappingFrame, node: Node, position: Position) -> _Key:
        if isinstance(node, ScalarNode):
            text = node.value if isinstance(node.value, str) else node.source
            return _Key(position, text, merge=node.tag == MERGE_TAG)
        message = f"a mapping key must be a string, not {kind(node.value)}"
        self.pending.append(_Pending(frame.path, position, message))
        return _Key(position, None)

    def _add_entry(self, frame: _MappingFrame, key: _Key, node: Node, position: Position) -> None:
        if key.text is None:
            return
        if key.merge:
            if frame.merges:
                self.pending.append(_Pending(frame.path, key.position, "duplicate merge key '<<'"))
            frame.merges.append(Item(position, node))
            return
        if isinstance(node, ScalarNode) and node.value is None and node.source == "":
            position = key.position  # an empty value is best shown at its key
        first = frame.entries.get(key.text)
        if first is not None:
            message = f"duplicate key {show(key.text)} (first defined at line {first.key.line})"
            self.pending.append(_Pending(frame.path, key.position, message))
            return
        frame.entries[key.text] = Entry(key.position, position, node)

    def _merge(self, frame: _MappingFrame) -> None:
        """Apply ``<<`` merge keys: explicit keys win, then earlier merged mappings."""
        for merge in frame.merges:
            node = merge.node
            sources = [item.node for item in node.items] if isinstance(node, SequenceNode) else [node]
            if not all(isinstance(source, MappingNode) for source in sources):
                message = f"a merge key '<<' takes a mapping or a list of mappings, not {kind(node.value)}"
                self.pending.append(_Pending(frame.path, merge.position, message))
                continue
            for source in sources:
                assert isinstance(source, MappingNode)
                for key, entry in source.entries.items():
                    frame.entries.setdefault(key, entry)
