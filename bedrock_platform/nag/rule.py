"""What a rule of the Bedrock pack sees and says: a resource as its template writes it, and problems.

Pure: no CDK. The pack (:mod:`bedrock_platform.nag.pack`) turns each ``CfnResource`` into a
:class:`Resource` (its properties resolved to template JSON) and reports each rule's problems as
cdk-nag findings; the tests give the rules :class:`Resource` fixtures directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.intrinsics import render


@dataclass(frozen=True)
class Resource:
    """A resource as the template writes it."""

    type: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    deletion_policy: str | None = None
    update_replace_policy: str | None = None


@dataclass(frozen=True, kw_only=True)
class Options:
    """What the app asks of its resources beyond the rules that always hold."""

    production: bool = False
    """A production environment: collections private and with standby replicas."""
    require_customer_managed_keys: bool = False
    """Guardrails and collections encrypted with a customer managed key."""
    invocation_logging: bool | None = None
    """Whether the app (the stage that holds the resource) configures model invocation logging; None
    when unknown (the rule that reads it does not apply)."""


Check = Callable[[Resource, Options], Sequence[str] | None]
"""A rule's check: the problems of a resource (none: compliant), or None when it does not apply."""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One rule of the pack."""

    id: str
    """``BR<n>``: the finding is ``Bedrock::Bedrock-BR<n>``."""
    name: str
    """What it asks, in a few words (kebab-case)."""
    info: str
    """One sentence: what is wrong when the rule fails."""
    explanation: str
    """Why it matters and how to fix it."""
    source: str
    """Where the rule comes from: a user guide section or AWS guidance."""
    resource_types: tuple[str, ...]
    check: Check
    production: bool = False
    """Whether the check reads :attr:`Options.production` (the pack finds it out only then)."""
    reads_keys: bool = False
    """Whether the check reads :attr:`Options.require_customer_managed_keys`."""
    reads_logging: bool = False
    """Whether the check reads :attr:`Options.invocation_logging` (the pack reads the stage's templates
    for it only then)."""


def statements(document: Any) -> list[Mapping[str, Any]]:
    """The statements of an IAM policy document (a lone statement as a list of one)."""
    if not isinstance(document, Mapping):
        return []
    found = document.get("Statement", [])
    return [item for item in as_list(found) if isinstance(item, Mapping)]


def policy_documents(resource: Resource) -> list[Any]:
    """The IAM policy documents a resource holds: a policy's, or a role's inline policies'."""
    if resource.type == "AWS::IAM::Role":
        return [
            policy.get("PolicyDocument")
            for policy in as_list(resource.properties.get("Policies"))
            if isinstance(policy, Mapping)
        ]
    return [resource.properties.get("PolicyDocument")]


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: a list as it is, anything else in a list of one, None as empty."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def json_property(value: Any) -> Any:
    """A property that holds JSON text (OpenSearch Serverless policies), parsed; intrinsics in it
    become ``<Id.Attr>`` text first. None when it is not JSON."""
    try:
        return json.loads(render(value))
    except ValueError:
        return None


def security_policy_rules(resource: Resource, kind: str) -> list[tuple[int, Mapping[str, Any]]] | None:
    """The numbered rules of an OpenSearch Serverless security policy of ``kind`` (``network``),
    or None when the resource is a policy of another kind. A policy that is not JSON has none
    (CloudFormation refuses it; cfn-lint reports it)."""
    if resource.properties.get("Type") != kind:
        return None
    policy = json_property(resource.properties.get("Policy"))
    return [
        (number, rule) for number, rule in enumerate(as_list(policy), start=1) if isinstance(rule, Mapping)
    ]


def texts(values: Any) -> list[str]:
    """Each value of a list (or a lone value) as text, intrinsics rendered."""
    return [render(value) for value in as_list(values)]
