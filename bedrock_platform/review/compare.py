"""Compare two synthesized templates resource by resource, and say how dangerous each change is.

Noise is removed first: ``Metadata`` (paths, asset paths) is ignored, and a changed asset hash
(a Lambda's ``S3Key``) is marked as such, so the report lists it apart from the real changes
without the hashes. Ordering never matters for mappings; lists are compared as lists, except
policy statements, which are compared as sets of statements. Access is judged grant by grant
(:mod:`bedrock_platform.review.access`).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.review.access import compare_access
from bedrock_platform.review.replacement import replaces

IGNORED_RESOURCE_KEYS = ("Metadata",)

DATA_TYPES = frozenset(
    {
        "AWS::OpenSearchServerless::Collection",
        "AWS::OpenSearchServerless::Index",
        "AWS::OpenSearchServerless::CollectionIndex",
        "AWS::Bedrock::KnowledgeBase",
        "AWS::Bedrock::DataSource",
        "AWS::S3::Bucket",
    }
)
"""Types whose replacement or removal loses data (vectors, chunks, documents)."""
COST_TYPES = frozenset({"Custom::BedrockProvisionedThroughput"})
"""Types whose addition or replacement buys something billed by the hour."""
ACCESS_TYPES = frozenset(
    {
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::S3::BucketPolicy",
        "AWS::OpenSearchServerless::AccessPolicy",
    }
)
"""Types whose addition grants access (modifications of any type are judged by their policies)."""
ASSET_HASH = re.compile(r"[0-9a-f]{64}(\.[a-z]+)?")
"""An asset's content hash as CDK names its S3 object (``<sha256>.zip``)."""


class Severity(enum.IntEnum):
    """How much a change needs a reviewer's attention; the highest first in a report."""

    ROUTINE = 0
    ACCESS = 1
    COST = 2
    DATA_LOSS = 3

    @property
    def label(self) -> str:
        """``data loss``, ``cost``, ``access`` or ``routine``."""
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True)
class PropertyChange:
    """One changed value: its path below the resource (``/properties/...``), old and new."""

    path: str
    old: Any
    new: Any
    replaces: bool = False
    asset: bool = False
    """Both values are asset hashes: new content for a function or file, not a changed setting."""


@dataclass(frozen=True)
class Change:
    """What happens to one resource: ``added``, ``removed`` or ``modified`` (maybe a replacement)."""

    stack: str
    logical_id: str
    resource_type: str
    action: str
    severity: Severity
    properties: tuple[PropertyChange, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    @property
    def replacement(self) -> bool:
        """True when a modification replaces the resource (a new physical resource, the old one deleted)."""
        return any(change.replaces for change in self.properties)

    @property
    def asset_only(self) -> bool:
        """True when nothing but asset hashes changed (new handler code, say)."""
        return bool(self.properties) and all(change.asset for change in self.properties)


def compare_templates(
    stack: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, *, region: str = "us-east-1"
) -> list[Change]:
    """The changes from ``old`` to ``new`` (None: the stack does not exist on that side)."""
    old_resources = _resources(old)
    new_resources = _resources(new)
    changes: list[Change] = []
    for logical_id in sorted(set(old_resources) | set(new_resources)):
        before, after = old_resources.get(logical_id), new_resources.get(logical_id)
        if before is None and after is not None:
            changes.append(_added(stack, logical_id, after))
        elif after is None and before is not None:
            changes.append(_removed(stack, logical_id, before))
        elif before is not None and after is not None and before != after:
            change = _modified(stack, logical_id, before, after, region)
            if change.properties:  # not only reordered statements
                changes.append(change)
    return changes


def _resources(template: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    resources = (template or {}).get("Resources", {})
    return {
        logical_id: {key: value for key, value in resource.items() if key not in IGNORED_RESOURCE_KEYS}
        for logical_id, resource in resources.items()
    }


def _added(stack: str, logical_id: str, resource: Mapping[str, Any]) -> Change:
    resource_type = resource["Type"]
    severity, reasons = Severity.ROUTINE, []
    if resource_type in COST_TYPES:
        severity, reasons = Severity.COST, ["buys provisioned throughput, billed by the hour"]
    elif resource_type in ACCESS_TYPES:
        severity, reasons = Severity.ACCESS, ["grants new permissions"]
    return Change(stack, logical_id, resource_type, "added", severity, reasons=tuple(reasons))


def _removed(stack: str, logical_id: str, resource: Mapping[str, Any]) -> Change:
    resource_type = resource["Type"]
    retained = resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate", "Snapshot")
    if resource_type in DATA_TYPES and not retained:
        return Change(
            stack,
            logical_id,
            resource_type,
            "removed",
            Severity.DATA_LOSS,
            reasons=("deleted with its data",),
        )
    if retained:
        reason = "retained by CloudFormation (DeletionPolicy), left in the account"
    elif resource_type in ACCESS_TYPES:
        reason = "deleted with the access it granted"
    else:
        reason = "deleted"
    return Change(stack, logical_id, resource_type, "removed", Severity.ROUTINE, reasons=(reason,))


def _modified(
    stack: str, logical_id: str, before: Mapping[str, Any], after: Mapping[str, Any], region: str
) -> Change:
    resource_type = after["Type"]
    properties = tuple(
        PropertyChange(path, old, new, replaces(resource_type, _pointer(path), region), _is_asset(old, new))
        for path, old, new in _differences("", dict(before), dict(after))
    )
    replacement = any(change.replaces for change in properties)
    reasons: list[str] = []
    severity = Severity.ROUTINE
    if replacement and resource_type in DATA_TYPES:
        if before.get("UpdateReplacePolicy") in ("Retain", "Snapshot"):
            reasons.append(
                "replaced: a new, empty resource is created; the old one is retained (UpdateReplacePolicy)"
            )
        else:
            severity = Severity.DATA_LOSS
            reasons.append("replaced: a new resource is created and the old one, with its data, is deleted")
    elif replacement and resource_type in COST_TYPES:
        severity = Severity.COST
        reasons.append(
            "replaced: a new throughput is bought; the old one is billed until it is deleted or its term ends"
        )
    elif replacement:
        reasons.append("replaced")
    if resource_type == "AWS::OpenSearchServerless::Collection" and any(
        change.path == "/Properties/StandbyReplicas" and change.new == "ENABLED" for change in properties
    ):
        severity = max(severity, Severity.COST)
        reasons.append("standby replicas double the collection's OCUs")
    access = compare_access(resource_type, before, after)
    if access.widens:
        severity = max(severity, Severity.ACCESS)
    reasons += [*access.widens, *access.narrows]
    return Change(stack, logical_id, resource_type, "modified", severity, properties, tuple(reasons))


def _differences(path: str, old: Any, new: Any) -> Iterator[tuple[str, Any, Any]]:
    """Leaf differences as ``(path, old, new)``; a missing side is None. Statement lists compare as sets."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from _differences(f"{path}/{key}", old.get(key), new.get(key))
        return
    if path.endswith("/Statement") and isinstance(old, list) and isinstance(new, list):
        old_set = {json.dumps(item, sort_keys=True) for item in old}
        new_set = {json.dumps(item, sort_keys=True) for item in new}
        for removed in sorted(old_set - new_set):
            yield path, json.loads(removed), None
        for added in sorted(new_set - old_set):
            yield path, None, json.loads(added)
        return
    if old != new:
        yield path, old, new


def _is_asset(old: Any, new: Any) -> bool:
    return all(isinstance(value, str) and ASSET_HASH.fullmatch(value) for value in (old, new))


def _pointer(path: str) -> str:
    """CloudFormation templates say ``Properties``; resource schemas say ``properties``."""
    return path.replace("/Properties/", "/properties/", 1) if path.startswith("/Properties/") else path
