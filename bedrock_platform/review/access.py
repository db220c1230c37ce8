"""Whether a change widens or narrows access: IAM policies, trust policies and OpenSearch Serverless policies.

Each policy is expanded into *grants*, one per (effect, principal, action, resource) with its
condition, and the two sides are compared grant by grant with IAM's own wildcard rules: a new
``Allow`` grant that no old one covers widens, an old ``Deny`` grant that no new one covers
widens; the reverse narrows. A condition only covers the same condition (a dropped or changed
condition widens). Values that are CloudFormation intrinsics (``Fn::GetAtt``, ``Ref``) compare
by their text, so a grant to another role is a new grant.

OpenSearch Serverless data access policies grant (principal, permission, resource) the same way;
network policies grant (source, resource), where the source is ``public``, a VPC endpoint or an
AWS service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

from bedrock_platform.intrinsics import render

TRUST_KEY = "AssumeRolePolicyDocument"
AOSS_POLICY_TYPES = frozenset(
    {"AWS::OpenSearchServerless::AccessPolicy", "AWS::OpenSearchServerless::SecurityPolicy"}
)


@dataclass(frozen=True, order=True)
class Grant:
    """One permission: ``effect`` of ``action`` on ``resource`` for ``principal`` under ``condition``."""

    effect: str
    principal: str
    action: str
    resource: str
    condition: str = ""

    def covers(self, other: Grant) -> bool:
        """Whether this grant allows (or denies) at least what ``other`` does."""
        return (
            self.effect == other.effect
            and (not self.condition or self.condition == other.condition)
            and _matches(other.principal, self.principal)
            and _matches(other.action, self.action, ignore_case=True)
            and _matches(other.resource, self.resource)
        )


@dataclass(frozen=True)
class Verdict:
    """What a change does to access; each reason is one plain sentence."""

    widens: tuple[str, ...] = ()
    narrows: tuple[str, ...] = ()


def compare_access(resource_type: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> Verdict:
    """Compare the policies of one resource's two versions (whole resources, ``Properties`` inside)."""
    old, new = before.get("Properties", {}), after.get("Properties", {})
    widens: list[str] = []
    narrows: list[str] = []
    if resource_type in AOSS_POLICY_TYPES:
        pairs = [("policy", _aoss_grants(old), _aoss_grants(new))]
    else:
        pairs = [
            ("trust policy", _statement_grants(old, trust=True), _statement_grants(new, trust=True)),
            ("permissions", _statement_grants(old, trust=False), _statement_grants(new, trust=False)),
        ]
    for what, old_grants, new_grants in pairs:
        if old_grants is None or new_grants is None:
            if old_grants != new_grants:
                widens.append(f"{what} changed in a way that cannot be compared; read it")
            continue
        wider, narrower = _wider(old_grants, new_grants), _wider(new_grants, old_grants)
        if wider:
            widens.append(f"{what} widened: {_describe(wider, old_grants)}")
        if narrower:
            narrows.append(f"{what} narrowed: {_describe(narrower, new_grants)}")
    added_managed = sorted(
        set(map(_text, new.get("ManagedPolicyArns", []))) - set(map(_text, old.get("ManagedPolicyArns", [])))
    )
    if added_managed:
        widens.append(f"managed policies attached: {', '.join(added_managed)}")
    return Verdict(tuple(widens), tuple(narrows))


def _wider(old: frozenset[Grant], new: frozenset[Grant]) -> list[Grant]:
    """New Allow grants no old one covers, and old Deny grants no new one covers."""
    allowed = [grant for grant in new if grant.effect == "Allow" and not _covered(grant, old)]
    lifted = [grant for grant in old if grant.effect == "Deny" and not _covered(grant, new)]
    return sorted(allowed + lifted)


def _covered(grant: Grant, grants: Iterable[Grant]) -> bool:
    return any(other.covers(grant) for other in grants)


def _describe(grants: list[Grant], others: frozenset[Grant], limit: int = 3) -> str:
    """Grants in words, actions grouped by principal and resource; the first ``limit`` groups."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for grant in grants:
        key = (grant.effect, grant.principal, grant.resource, grant.condition)
        groups.setdefault(key, []).append(grant.action)
    parts = []
    for (effect, principal, resource, condition), actions in list(groups.items())[:limit]:
        who = f"{principal}: " if principal else ""
        where = f" on {resource}" if resource else ""
        text = f"{who}{', '.join(actions)}{where}"
        if condition:
            text += f" if {_abbreviate(condition)}"
        elif any(
            _covered(replace(grant, condition=other.condition), [other])
            for grant in grants
            if grant.principal == principal and grant.resource == resource
            for other in others
            if other.condition
        ):
            text += " (its condition dropped)"
        parts.append(f"no longer denied: {text}" if effect == "Deny" else text)
    more = f" and {len(groups) - limit} more" if len(groups) > limit else ""
    return "; ".join(parts) + more


def _abbreviate(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _statement_grants(properties: Mapping[str, Any], *, trust: bool) -> frozenset[Grant] | None:
    """Every grant of the IAM policy documents in ``properties`` (the trust policy, or all others)."""
    grants: set[Grant] = set()
    for statements in _statement_lists(properties, inside_trust=False):
        in_trust, items = statements
        if in_trust != trust:
            continue
        for statement in items if isinstance(items, list) else [items]:
            if not isinstance(statement, Mapping):
                return None
            grants.update(_expand(statement))
    return frozenset(grants)


def _statement_lists(value: Any, *, inside_trust: bool) -> Iterator[tuple[bool, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "Statement":
                yield inside_trust, item
            else:
                yield from _statement_lists(item, inside_trust=inside_trust or key == TRUST_KEY)
    elif isinstance(value, list):
        for item in value:
            yield from _statement_lists(item, inside_trust=inside_trust)


def _expand(statement: Mapping[str, Any]) -> Iterator[Grant]:
    effect = str(statement.get("Effect", "Allow"))
    condition = json.dumps(statement["Condition"], sort_keys=True) if "Condition" in statement else ""
    actions = _values(statement, "Action")
    resources = _values(statement, "Resource") or [""]
    for principal in _principals(statement):
        for action in actions:
            for resource in resources:
                yield Grant(effect, principal, action, resource, condition)


def _values(statement: Mapping[str, Any], key: str) -> list[str]:
    """``Action``/``Resource`` values; ``NotAction``/``NotResource`` as one opaque value each."""
    if f"Not{key}" in statement:
        return [f"Not{key} {_text(statement[f'Not{key}'])}"]
    raw = statement.get(key, [])
    return [_text(item) for item in (raw if isinstance(raw, list) else [raw])]


def _principals(statement: Mapping[str, Any]) -> list[str]:
    if "NotPrincipal" in statement:
        return [f"NotPrincipal {_text(statement['NotPrincipal'])}"]
    principal = statement.get("Principal")
    if principal is None:
        return [""]
    if principal == "*" or not isinstance(principal, Mapping):
        return [_text(principal)]
    found = []
    for kind, values in sorted(principal.items()):
        for value in values if isinstance(values, list) else [values]:
            found.append("*" if value == "*" else f"{kind}:{_text(value)}")
    return found


def _aoss_grants(properties: Mapping[str, Any]) -> frozenset[Grant] | None:
    """Grants of an OpenSearch Serverless data access or network policy (its ``Policy`` JSON)."""
    try:
        document = json.loads(render(properties.get("Policy", "[]")))
    except json.JSONDecodeError:
        return None
    policies = document if isinstance(document, list) else [document]
    grants: set[Grant] = set()
    for policy in policies:
        if not isinstance(policy, Mapping):
            return None
        principals = [str(item) for item in policy.get("Principal", [])]
        sources = ["public"] if policy.get("AllowFromPublic") else []
        sources += [f"vpce:{item}" for item in policy.get("SourceVPCEs", [])]
        sources += [f"service:{item}" for item in policy.get("SourceServices", [])]
        for rule in policy.get("Rules", []):
            resources = [f"{rule.get('ResourceType')}:{item}" for item in rule.get("Resource", [])]
            permissions = rule.get("Permission", [])
            for resource in resources:
                grants.update(
                    Grant("Allow", who, str(permission), resource)
                    for who in principals
                    for permission in permissions
                )
                grants.update(Grant("Allow", source, "network access", resource) for source in sources)
    return frozenset(grants)


def _text(value: Any) -> str:
    """A policy value as comparable text: strings as they are, intrinsics as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))


def _matches(value: str, pattern: str, *, ignore_case: bool = False) -> bool:
    """IAM wildcard matching: ``*`` and ``?`` in ``pattern`` (an old grant) cover ``value``."""
    if ignore_case:
        value, pattern = value.lower(), pattern.lower()
    return value == pattern or fnmatchcase(value, pattern)
