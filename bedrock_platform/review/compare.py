"""Compare two synthesized templates resource by resource, and say how dangerous each change is.

Noise is removed first: ``Metadata`` (paths, asset paths) is ignored, and a changed asset hash
(a Lambda's ``S3Key``) is marked as such, so the report lists it apart from the real changes
without the hashes. Ordering never matters for mappings; lists are compared as lists, except
policy statements, which are compared as sets of statements. Access is judged grant by grant
(:mod:`bedrock_platform.review.access`).

Beyond each resource's own changes, three things follow from the template as a whole:

- **Cascades.** A resource whose create-only property refers (``Ref``, ``Fn::GetAtt``,
  ``Fn::Sub``) to a replaced resource gets a new value there, so it is replaced too, and so on
  down the chain (a collection replaced replaces its indexes, knowledge bases and data sources).
  Each cascaded resource is listed with its cause; the resource that starts the chain takes the
  worst severity of the chain.
- **Custom names.** A replacement creates the new resource before it deletes the old one, so a
  create-only name that stays the same collides: CloudFormation refuses it ("cannot update a
  stack when a custom-named resource requires replacing"), or the service does (a collection
  name is unique in an account). That is its own verdict, ``deploy failure``, above data loss.
- **What removals take with them.** A guardrail deleted deletes every version of it
  (``DeleteGuardrail``) whatever the versions' ``DeletionPolicy``; a retained bucket whose bucket
  policy is deleted keeps its objects without the policy's TLS-only rule.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bedrock_platform.review.access import compare_access
from bedrock_platform.review.replacement import identifying_paths, replaces, replacing_paths
from bedrock_platform.spec import automated_reasoning as reasoning_spec
from bedrock_platform.spec import data_sources as data_sources_spec
from bedrock_platform.spec import inference_profiles as inference_profiles_spec
from bedrock_platform.spec import s3_vectors as s3_vectors_spec

IGNORED_RESOURCE_KEYS = ("Metadata",)

COLLECTION = "AWS::OpenSearchServerless::Collection"
DATA_SOURCE = "AWS::Bedrock::DataSource"
GUARDRAIL = "AWS::Bedrock::Guardrail"
GUARDRAIL_VERSION = "AWS::Bedrock::GuardrailVersion"
LOG_GROUP = "AWS::Logs::LogGroup"
KMS_KEY = "AWS::KMS::Key"
BUCKET = "AWS::S3::Bucket"
BUCKET_POLICY = "AWS::S3::BucketPolicy"
THROUGHPUT = "Custom::BedrockProvisionedThroughput"

DATA_TYPES: Mapping[str, str] = {
    COLLECTION: "its vectors",
    "AWS::OpenSearchServerless::Index": "its vectors",
    "AWS::OpenSearchServerless::CollectionIndex": "its vectors",
    s3_vectors_spec.VECTOR_BUCKET_TYPE: "every index in it and their vectors",
    s3_vectors_spec.INDEX_TYPE: "its vectors (every property but its tags is create-only)",
    "AWS::Bedrock::KnowledgeBase": "its data sources and their sync history",
    DATA_SOURCE: "its chunks in the index",
    BUCKET: "its objects",
    GUARDRAIL: "every version of it (DeleteGuardrail deletes them all, whatever their DeletionPolicy)",
    GUARDRAIL_VERSION: "a published version applications may pin",
    reasoning_spec.VERSION_TYPE: "a published Automated Reasoning policy version a guardrail checks against",
    LOG_GROUP: "its log events",
    KMS_KEY: "the use of everything encrypted under it (after the key's deletion window)",
    inference_profiles_spec.RESOURCE_TYPE: (
        "the ARN applications invoke (a new profile has a new ARN: callers of the old one fail until "
        "they read the new one from SSM or the stack output)"
    ),
}
"""Types whose replacement or removal loses data, with what is lost."""
COST_TYPES: Mapping[str, str] = {
    THROUGHPUT: "buys provisioned throughput, billed by the hour",
    COLLECTION: "a vector collection bills its minimum OCUs from creation (twice that with standby replicas)",
}
"""Types whose addition or replacement starts a bill, with what it bills."""
ACCESS_TYPES = frozenset(
    {
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        BUCKET_POLICY,
        "AWS::OpenSearchServerless::AccessPolicy",
        s3_vectors_spec.VECTOR_BUCKET_POLICY_TYPE,
    }
)
"""Types whose addition grants access (modifications of any type are judged by their policies)."""
RETAINED = ("Retain", "RetainExceptOnCreate", "Snapshot")
ASSET_HASH = re.compile(r"[0-9a-f]{64}(\.[a-z]+)?")
"""An asset's content hash as CDK names its S3 object (``<sha256>.zip``)."""
KEY_PROPERTIES = ("KmsKeyId", "KmsKeyArn", "KMSKeyArn", "KMSMasterKeyID", "KmsKeyIdentifier")
"""Property names that point at a KMS key."""


class Severity(enum.IntEnum):
    """How much a change needs a reviewer's attention; the highest first in a report."""

    ROUTINE = 0
    ACCESS = 1
    COST = 2
    DATA_LOSS = 3
    DEPLOY_FAILURE = 4

    @property
    def label(self) -> str:
        """``deploy failure``, ``data loss``, ``cost``, ``access`` or ``routine``."""
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
    """What happens to one resource: ``added``, ``removed`` or ``modified`` (maybe a replacement);
    for a whole stack, ``left deployed`` or ``moved``."""

    stack: str
    logical_id: str
    resource_type: str
    action: str
    severity: Severity
    properties: tuple[PropertyChange, ...] = ()
    reasons: tuple[str, ...] = field(default=())
    cause: str | None = None
    """For a cascaded replacement: the logical id whose replacement replaces this one."""
    cascade: tuple[str, ...] = ()
    """For a replacement that starts a chain: the logical ids it replaces with it, in order."""
    name: str | None = None
    """An added or removed resource's own name (``Name``), which links a removal in one stack to an
    addition in another (a knowledge base moved between knowledge stacks)."""

    @property
    def replacement(self) -> bool:
        """True when a modification replaces the resource (a new physical resource, the old one deleted)."""
        return self.cause is not None or any(change.replaces for change in self.properties)

    @property
    def asset_only(self) -> bool:
        """True when nothing but asset hashes changed (new handler code, say)."""
        return bool(self.properties) and all(change.asset for change in self.properties)


def compare_templates(
    stack: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    *,
    region: str = "us-east-1",
    new_inputs: Mapping[str, str] | None = None,
) -> list[Change]:
    """The changes from ``old`` to ``new`` (None: the stack does not exist on that side).

    :param new_inputs: template parameters whose value changes at deploy although the template does
        not (an SSM parameter another stack's replacement rewrites), with why: what refers to them
        in a create-only property is replaced too.
    """
    old_resources = _resources(old)
    new_resources = _resources(new)
    changes: dict[str, Change] = {}
    for logical_id in sorted(set(old_resources) | set(new_resources)):
        before, after = old_resources.get(logical_id), new_resources.get(logical_id)
        if before is None and after is not None:
            changes[logical_id] = _added(stack, logical_id, after)
        elif after is None and before is not None:
            removed = _removed(stack, logical_id, before, old_resources, new_resources)
            changes[logical_id] = replace(removed, name=_name(before))
        elif before is not None and after is not None and before != after:
            change = _modified(stack, logical_id, before, after, region, old_resources)
            if change.properties:  # not only reordered statements
                changes[logical_id] = change
    _cascade(stack, changes, old_resources, new_resources, region, new_inputs or {})
    replaced = {logical_id for logical_id, change in changes.items() if change.replacement}
    for logical_id in sorted(replaced):
        before, after = old_resources[logical_id], new_resources[logical_id]
        changes[logical_id] = _named_replacement(changes[logical_id], before, after, replaced)
    _full_knowledge_bases(changes, new_resources)
    for logical_id, after in new_resources.items():
        before = old_resources.get(logical_id)
        if before is None or after["Type"] != DELIVERY_SOURCE:
            continue
        # A source whose own text is unchanged still moves when the resource it names is replaced.
        unchanged = Change(stack, logical_id, DELIVERY_SOURCE, "modified", Severity.ROUTINE)
        changed = _delivery_source_change(changes.get(logical_id, unchanged), before, after, replaced)
        if changed is not unchanged:
            changes[logical_id] = changed
    _worst_of_chains(changes)
    return [changes[logical_id] for logical_id in sorted(changes)]


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
        severity, reasons = Severity.COST, [COST_TYPES[resource_type]]
    elif resource_type in ACCESS_TYPES:
        severity, reasons = Severity.ACCESS, ["grants new permissions"]
    if resource_type == "AWS::OpenSearchServerless::SecurityPolicy" and _public(resource):
        severity = max(severity, Severity.ACCESS)
        reasons.append("a network policy that lets the public internet reach the collection")
    return Change(
        stack, logical_id, resource_type, "added", severity, reasons=tuple(reasons), name=_name(resource)
    )


def _name(resource: Mapping[str, Any]) -> str | None:
    name = resource.get("Properties", {}).get("Name")
    return name if isinstance(name, str) else None


def _public(resource: Mapping[str, Any]) -> bool:
    policy = json.dumps(resource.get("Properties", {}).get("Policy", ""))
    return '\\"AllowFromPublic\\":true' in policy.replace(" ", "")


def _removed(
    stack: str,
    logical_id: str,
    resource: Mapping[str, Any],
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
) -> Change:
    resource_type = resource["Type"]
    retained = resource.get("DeletionPolicy") in RETAINED
    properties = resource.get("Properties", {})
    guardrail = _referenced_removed_guardrail(resource, old_resources, new_resources)
    if resource_type == GUARDRAIL_VERSION and guardrail is not None:
        reason = (
            f"deleted with its guardrail {guardrail} (DeleteGuardrail deletes every version, retained or not)"
        )
        return Change(stack, logical_id, resource_type, "removed", Severity.DATA_LOSS, reasons=(reason,))
    if resource_type == DATA_SOURCE and str(properties.get("DataDeletionPolicy", "")).upper() == "RETAIN":
        reason = "deleted; its chunks stay in the vector index (DataDeletionPolicy RETAIN)"
        return Change(stack, logical_id, resource_type, "removed", Severity.ROUTINE, reasons=(reason,))
    if resource_type in DATA_TYPES and not retained:
        reason = f"deleted with {DATA_TYPES[resource_type]}"
        return Change(stack, logical_id, resource_type, "removed", Severity.DATA_LOSS, reasons=(reason,))
    severity = Severity.ROUTINE
    if retained:
        reason = "retained by CloudFormation (DeletionPolicy), left in the account"
    elif resource_type in ACCESS_TYPES:
        reason = "deleted with the access it granted"
    else:
        reason = "deleted"
    reasons = [reason]
    if resource_type == BUCKET_POLICY:
        bucket = _target(properties.get("Bucket"))
        kept = old_resources.get(bucket or "", {})
        if bucket and kept.get("DeletionPolicy") in RETAINED and bucket not in new_resources:
            severity = Severity.ACCESS
            reasons.append(
                f"the retained bucket {bucket} stays in the account without this policy: its TLS-only "
                "rule and every grant and denial in it are gone"
            )
    return Change(stack, logical_id, resource_type, "removed", severity, reasons=tuple(reasons))


def _referenced_removed_guardrail(
    resource: Mapping[str, Any],
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
) -> str | None:
    """The guardrail a removed version belongs to, when that guardrail is removed too."""
    for target in references(resource.get("Properties", {}).get("GuardrailIdentifier")):
        if old_resources.get(target, {}).get("Type") == GUARDRAIL and target not in new_resources:
            return target
    return None


def _modified(
    stack: str,
    logical_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    region: str,
    old_resources: Mapping[str, Mapping[str, Any]],
) -> Change:
    resource_type = after["Type"]
    properties = tuple(
        PropertyChange(
            path, old, new, replaces(resource_type, _pointer(path), region, old, new), _is_asset(old, new)
        )
        for path, old, new in _differences("", dict(before), dict(after))
    )
    replacement = any(change.replaces for change in properties)
    severity, reasons = _replacement_verdict(resource_type, before) if replacement else (Severity.ROUTINE, [])
    if resource_type == COLLECTION and any(
        change.path == "/Properties/StandbyReplicas" and change.new == "ENABLED" for change in properties
    ):
        severity = max(severity, Severity.COST)
        reasons.append("standby replicas double the collection's OCUs")
    if resource_type == GUARDRAIL_VERSION and replacement:
        reasons.append(
            "a new version number is published; applications pinned to the old number keep working only "
            "while it exists, and the latest-version SSM parameter moves to the new one (to roll back, "
            "restore the old entry: a version is never edited in place)"
        )
    retention = _retention_loss(resource_type, before, after)
    if retention:
        severity = max(severity, Severity.DATA_LOSS)
        reasons.append(retention)
    for change in properties:
        if change.path.rsplit("/", 1)[-1] in KEY_PROPERTIES and not replacement:
            reasons.append(
                "the KMS key changes: new data is encrypted under the new key, existing data is not "
                "re-encrypted and stays readable only while the old key is usable"
            )
            break
    weakened = _protection_lowered(before, after)
    if weakened:
        severity = max(severity, Severity.ACCESS)
        reasons.append(weakened)
    if _reordered(properties):
        reasons.append("entries reordered, none renamed: nothing is replaced by the order")
    access = compare_access(resource_type, before, after)
    if access.widens:
        severity = max(severity, Severity.ACCESS)
    reasons += [*access.widens, *access.narrows]
    return Change(stack, logical_id, resource_type, "modified", severity, properties, tuple(reasons))


def _replacement_verdict(resource_type: str, before: Mapping[str, Any]) -> tuple[Severity, list[str]]:
    """The severity and reason of replacing a resource of ``resource_type`` (a direct or cascaded one)."""
    if resource_type == GUARDRAIL_VERSION and before.get("UpdateReplacePolicy") in RETAINED:
        return Severity.ROUTINE, ["replaced: the old version stays published (UpdateReplacePolicy)"]
    if resource_type in DATA_TYPES:
        if before.get("UpdateReplacePolicy") in RETAINED:
            return Severity.ROUTINE, [
                "replaced: a new, empty resource is created; the old one is retained (UpdateReplacePolicy)"
            ]
        lost = DATA_TYPES[resource_type]
        return Severity.DATA_LOSS, [
            f"replaced: a new resource is created and the old one is deleted with {lost}"
        ]
    if resource_type in COST_TYPES:
        if resource_type == THROUGHPUT:
            return Severity.COST, [
                "replaced: a new throughput is bought; the old one is billed until it is deleted or its "
                "term ends"
            ]
        return Severity.COST, [f"replaced: {COST_TYPES[resource_type]}"]
    return Severity.ROUTINE, ["replaced"]


def _retention_loss(resource_type: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """Why a log group's shorter retention loses events, or None."""
    if resource_type != LOG_GROUP:
        return None
    old = before.get("Properties", {}).get("RetentionInDays")
    new = after.get("Properties", {}).get("RetentionInDays")
    if isinstance(new, int) and (old is None or (isinstance(old, int) and new < old)):
        kept = "never expire" if old is None else f"are kept {old} days"
        return f"retention shortened: events that {kept} are deleted once older than {new} days"
    return None


def _protection_lowered(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """Why a lowered DeletionPolicy (retain to delete) weakens what protects the resource, or None."""
    if before.get("DeletionPolicy") in RETAINED and after.get("DeletionPolicy") not in RETAINED:
        return (
            "no longer retained (DeletionPolicy lowered): a later removal from the template deletes it "
            "with its data instead of leaving it in the account"
        )
    old = before.get("Properties", {}).get("DeletionProtection")
    new = after.get("Properties", {}).get("DeletionProtection")
    if old in (True, "true", "ENABLED") and new not in (True, "true", "ENABLED"):
        return "deletion protection turned off: the resource can now be deleted"
    return None


def _reordered(properties: tuple[PropertyChange, ...]) -> bool:
    """Whether a list changed only by the order of its entries."""
    return any(
        isinstance(change.old, list)
        and isinstance(change.new, list)
        and change.old != change.new
        and sorted(map(_canonical, change.old)) == sorted(map(_canonical, change.new))
        for change in properties
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _cascade(
    stack: str,
    changes: dict[str, Change],
    old_resources: Mapping[str, Mapping[str, Any]],
    new_resources: Mapping[str, Mapping[str, Any]],
    region: str,
    inputs: Mapping[str, str],
) -> None:
    """Add the resources a replacement (or a changed input) replaces with it (their create-only
    properties refer to it)."""
    replaced = [
        *sorted(inputs),
        *(logical_id for logical_id, change in changes.items() if change.replacement),
    ]
    seen = set(replaced)
    while replaced:
        cause = replaced.pop(0)
        for logical_id in sorted(new_resources):
            if logical_id in seen or logical_id not in old_resources:
                continue
            after = new_resources[logical_id]
            prop = _create_only_reference(after, cause, region)
            if prop is None:
                continue
            seen.add(logical_id)
            replaced.append(logical_id)
            severity, reasons = _replacement_verdict(after["Type"], old_resources[logical_id])
            why = inputs.get(cause, f"{cause} is replaced")
            because = f"replaced because {why}: its {prop} refers to {cause}"
            existing = changes.get(logical_id)
            if existing is not None:
                changes[logical_id] = replace(
                    existing,
                    severity=max(existing.severity, severity),
                    reasons=(because, *existing.reasons),
                    cause=cause,
                )
            else:
                changes[logical_id] = Change(
                    stack, logical_id, after["Type"], "modified", severity, (), (because, *reasons[1:]), cause
                )


def _create_only_reference(resource: Mapping[str, Any], target: str, region: str) -> str | None:
    """The create-only property of ``resource`` that refers to ``target``, or None."""
    properties = resource.get("Properties", {})
    for pointer in replacing_paths(resource["Type"], region):
        value = _at(properties, pointer.removeprefix("/properties/").split("/"))
        if target in references(value):
            return pointer.removeprefix("/properties/")
    return None


def _at(node: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def references(value: Any) -> set[str]:
    """The logical ids a value refers to through Ref, Fn::GetAtt and Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".")[0]
                found.add(str(target))
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) and inner else inner
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", str(text))}
                found |= references(inner[1] if isinstance(inner, list) and len(inner) > 1 else None)
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def _target(value: Any) -> str | None:
    found = references(value)
    return next(iter(sorted(found))) if found else None


def _named_replacement(
    change: Change, before: Mapping[str, Any], after: Mapping[str, Any], replaced: set[str]
) -> Change:
    """A replacement that keeps a create-only name: the deploy fails before anything is replaced."""
    name = _kept_name(after["Type"], before, after, replaced)
    if name is None:
        return change
    reason = (
        f"cannot deploy: the replacement keeps the name {name[1]!r} ({name[0]}), which the new resource "
        "cannot take while the old one exists (CloudFormation: 'cannot update a stack when a "
        "custom-named resource requires replacing'); change the name with the setting, or remove the "
        "resource in one deploy and add it back in the next"
    )
    return replace(change, severity=Severity.DEPLOY_FAILURE, reasons=(reason, *change.reasons))


DATA_SOURCE = "AWS::Bedrock::DataSource"
FULL_KNOWLEDGE_BASE = (
    "cannot deploy: its knowledge base has {count} data sources, the most it may have, and CloudFormation "
    "creates the replacement before it deletes this one (quota 'Data sources per knowledge base', not "
    "adjustable); remove a data source in one deploy, or replace this one in two (remove it, then add it)"
)


def _full_knowledge_bases(changes: dict[str, Change], new_resources: Mapping[str, Any]) -> None:
    """A data source replaced on a knowledge base that already has the most data sources it may have."""
    counts: dict[str, int] = {}
    for resource in new_resources.values():
        if resource.get("Type") == DATA_SOURCE:
            owner = json.dumps(resource.get("Properties", {}).get("KnowledgeBaseId"), sort_keys=True)
            counts[owner] = counts.get(owner, 0) + 1
    for logical_id, change in changes.items():
        resource = new_resources.get(logical_id)
        if resource is None or resource.get("Type") != DATA_SOURCE or not change.replacement:
            continue
        owner = json.dumps(resource.get("Properties", {}).get("KnowledgeBaseId"), sort_keys=True)
        if counts.get(owner, 0) >= data_sources_spec.MAX_DATA_SOURCES:
            reason = FULL_KNOWLEDGE_BASE.format(count=counts[owner])
            changes[logical_id] = replace(
                change, severity=Severity.DEPLOY_FAILURE, reasons=(reason, *change.reasons)
            )


DELIVERY_SOURCE = "AWS::Logs::DeliverySource"
MOVED_SOURCE = (
    "cannot deploy: the delivery source would move to another resource in place, which CloudWatch Logs "
    "refuses ('Update to existing Delivery Source with new ResourceId is not allowed'; its schema does not "
    "say ResourceArn is create-only); its name must change with the resource"
)
SECOND_SOURCE = (
    "cannot deploy: the new delivery source is on the same resource as the old one, and CloudWatch Logs "
    "takes one delivery source per resource ('This ResourceId has already been used in another Delivery "
    "Source'); CloudFormation creates the new one first. Remove the knowledge base's logging in one "
    "deploy and add it back in the next"
)


def _delivery_source_change(
    change: Change, before: Mapping[str, Any], after: Mapping[str, Any], replaced: set[str]
) -> Change:
    """The service's rules on a delivery source that the resource schema leaves out: its resource
    cannot change in place, and a resource has one source."""
    old_arn = before.get("Properties", {}).get("ResourceArn")
    new_arn = after.get("Properties", {}).get("ResourceArn")
    moved = old_arn != new_arn or bool(references(new_arn) & replaced)
    if moved and not change.replacement:
        reason = MOVED_SOURCE
    elif change.replacement and not moved:
        reason = SECOND_SOURCE
    else:
        return change
    return replace(change, severity=Severity.DEPLOY_FAILURE, reasons=(reason, *change.reasons))


def _kept_name(
    resource_type: str, before: Mapping[str, Any], after: Mapping[str, Any], replaced: set[str]
) -> tuple[str, str] | None:
    """The create-only name property and its value when a replacement keeps it, or None (a value
    that refers to a replaced resource changes with it)."""
    old, new = before.get("Properties", {}), after.get("Properties", {})
    identifying = identifying_paths(resource_type)
    for pointer in replacing_paths(resource_type):
        key = pointer.removeprefix("/properties/")
        if "/" in key or not key.endswith("Name") or pointer.startswith("/properties/Tags"):
            continue
        value = new.get(key)
        if not isinstance(value, str) or value != old.get(key):
            continue
        # A name that identifies the resource only with other properties collides only if they stay too.
        others = [path.removeprefix("/properties/") for path in identifying if path != pointer]
        if pointer in identifying and any(
            new.get(other) != old.get(other) or references(new.get(other)) & replaced for other in others
        ):
            continue
        return key, value
    return None


def _worst_of_chains(changes: dict[str, Change]) -> None:
    """Each replacement that starts a cascade lists it and takes the worst severity of the chain."""
    children: dict[str, list[str]] = {}
    for logical_id, change in changes.items():
        if change.cause is not None:
            children.setdefault(change.cause, []).append(logical_id)
    for root, change in list(changes.items()):
        if change.cause is not None or root not in children:
            continue
        chain: list[str] = []
        pending = list(children[root])
        while pending:
            current = pending.pop(0)
            chain.append(current)
            pending += children.get(current, [])
        worst = max([change.severity, *(changes[member].severity for member in chain)])
        reason = f"replaces with it: {', '.join(chain)}"
        changes[root] = replace(
            change, severity=worst, cascade=tuple(chain), reasons=(*change.reasons, reason)
        )


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
