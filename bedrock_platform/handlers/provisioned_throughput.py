"""Custom resource handler: Amazon Bedrock provisioned model throughput.

CloudFormation has no type for provisioned throughput, so this handler runs its life through
the ``bedrock`` API under the CDK ``Provider`` framework:

- Create buys the throughput with a ``clientRequestToken`` derived from the stack id, the
  logical id and the properties, so a retried create never buys twice. The physical id is the
  provisioned model ARN. ``is_complete`` waits for ``InService``; ``Failed`` fails the
  deployment with the service's failure message.
- Update renames the throughput, or moves it to another custom model, in place. The API cannot
  change model units or the commitment (nor move a base-model throughput to another model), so
  those changes create a new throughput (replacement) and CloudFormation then deletes the old
  one, unless it is retained. Tag changes are applied in place.
- Delete asks for deletion and waits until the throughput is gone; "not found" is success. A
  throughput still being created or updated is deleted as soon as the service allows it.

Properties: ``ProvisionedModelName``, ``ModelId``, ``ModelUnits``, optional
``CommitmentDuration`` (``OneMonth`` or ``SixMonths``) and ``Tags`` (a string map).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from . import custom_resource
from .custom_resource import CONFLICT, NOT_FOUND, Event, HandlerError, Response, call, call_or_fail, failure

REPLACING_PROPERTIES = ("ModelUnits", "CommitmentDuration")
"""Properties whose change replaces the throughput (``ModelId`` too when the old model is a base model)."""

IN_SERVICE = "InService"
FAILED = "Failed"
CUSTOM_MODEL_ARN_PART = ":custom-model/"


@dataclass(frozen=True)
class ThroughputSpec:
    """The declared throughput, read from the resource properties."""

    name: str
    model_id: str
    model_units: int
    commitment: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_properties(cls, raw: Mapping[str, Any]) -> ThroughputSpec:
        """Read the properties; CloudFormation passes numbers to custom resources as strings."""
        try:
            return cls(
                name=str(raw["ProvisionedModelName"]),
                model_id=str(raw["ModelId"]),
                model_units=int(raw["ModelUnits"]),
                commitment=raw.get("CommitmentDuration") or None,
                tags={str(key): str(value) for key, value in sorted(dict(raw.get("Tags") or {}).items())},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise HandlerError(f"invalid provisioned throughput properties: {error!r}") from error

    def create_request(self) -> dict[str, Any]:
        """The parameters of CreateProvisionedModelThroughput, without the token."""
        request: dict[str, Any] = {
            "provisionedModelName": self.name,
            "modelId": self.model_id,
            "modelUnits": self.model_units,
        }
        if self.commitment:
            request["commitmentDuration"] = self.commitment
        if self.tags:
            request["tags"] = [{"key": key, "value": value} for key, value in self.tags.items()]
        return request


def on_event(event: Event, context: object) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, custom_resource.client("bedrock"))


def is_complete(event: Event, context: object) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, custom_resource.client("bedrock"))


def handle(event: Event, bedrock: Any) -> Response:
    """Start a Create, Update or Delete; returns the physical id (the provisioned model ARN)."""
    custom_resource.log_request(event)
    request_type = event["RequestType"]
    if request_type == "Create":
        return create(event, bedrock)
    if request_type == "Update":
        return update(event, bedrock)
    return delete(event, bedrock)


def create(event: Event, bedrock: Any) -> Response:
    """Buy the throughput; a retry of the same create sends the same token and buys nothing more."""
    spec = ThroughputSpec.from_properties(event["ResourceProperties"])
    arn = _create(bedrock, spec, custom_resource.request_token(event))
    if describe(bedrock, arn) is None:
        # The service remembered the token of a throughput deleted since (the same declaration
        # was created, replaced and declared again): buy a new one under a fresh token.
        arn = _create(bedrock, spec, custom_resource.request_token(event, salt=event["RequestId"]))
    return {"PhysicalResourceId": arn}


def update(event: Event, bedrock: Any) -> Response:
    """Rename, change the custom model or retag in place; anything else is a replacement."""
    old = ThroughputSpec.from_properties(event["OldResourceProperties"])
    new = ThroughputSpec.from_properties(event["ResourceProperties"])
    if needs_replacement(old, new):
        return create(event, bedrock)
    arn = event["PhysicalResourceId"]
    changes: dict[str, str] = {}
    if new.name != old.name:
        changes["desiredProvisionedModelName"] = new.name
    if new.model_id != old.model_id:
        changes["desiredModelId"] = new.model_id
    if changes:
        call_or_fail(
            bedrock,
            "update_provisioned_model_throughput",
            f"updating {arn}",
            provisionedModelId=arn,
            **changes,
        )
    retag(bedrock, arn, old.tags, new.tags)
    return {"PhysicalResourceId": arn}


def delete(event: Event, bedrock: Any) -> Response:
    """Ask for deletion; ``is_complete`` waits until the throughput is gone."""
    arn = event["PhysicalResourceId"]
    if custom_resource.is_arn(arn):
        request_deletion(bedrock, arn)
    return {"PhysicalResourceId": arn}


def check(event: Event, bedrock: Any) -> Response:
    """``isComplete``: InService after a create or update, gone after a delete."""
    arn = event["PhysicalResourceId"]
    if event["RequestType"] == "Delete":
        if not custom_resource.is_arn(arn):
            return {"IsComplete": True}
        state = describe(bedrock, arn)
        if state is None:
            return {"IsComplete": True}
        if state["status"] in (IN_SERVICE, FAILED):
            request_deletion(bedrock, arn)  # it was busy when deletion was first asked for
        return {"IsComplete": False}
    state = describe(bedrock, arn)
    if state is None:
        raise HandlerError(
            f"provisioned throughput {arn} no longer exists: it was deleted outside CloudFormation"
        )
    status = state["status"]
    if status == FAILED:
        reason = state.get("failureMessage") or "no failure message"
        raise HandlerError(f"provisioned throughput {state['provisionedModelName']} failed: {reason}")
    if status != IN_SERVICE:
        return {"IsComplete": False}
    return {
        "IsComplete": True,
        "Data": {
            "ProvisionedModelArn": state["provisionedModelArn"],
            "ProvisionedModelName": state["provisionedModelName"],
            "ModelUnits": str(state["modelUnits"]),
        },
    }


def needs_replacement(old: ThroughputSpec, new: ThroughputSpec) -> bool:
    """True when the API cannot make ``old`` into ``new`` in place."""
    if (old.model_units, old.commitment) != (new.model_units, new.commitment):
        return True
    # Only a custom-model throughput can move to another model (of the same base model).
    return new.model_id != old.model_id and CUSTOM_MODEL_ARN_PART not in old.model_id


def describe(bedrock: Any, arn: str) -> Response | None:
    """GetProvisionedModelThroughput, or None when the throughput does not exist."""
    try:
        return call(bedrock, "get_provisioned_model_throughput", provisionedModelId=arn)
    except ClientError as error:
        if custom_resource.error_code(error) == NOT_FOUND:
            return None
        raise failure(error, f"reading provisioned throughput {arn}") from error


def request_deletion(bedrock: Any, arn: str) -> None:
    """Delete; done when not found, postponed when the throughput is busy (conflict)."""
    try:
        call(bedrock, "delete_provisioned_model_throughput", provisionedModelId=arn)
    except ClientError as error:
        if custom_resource.error_code(error) in (NOT_FOUND, CONFLICT):
            return
        raise failure(error, f"deleting provisioned throughput {arn}") from error


def retag(bedrock: Any, arn: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
    """Bring the throughput's tags from ``old`` to ``new``."""
    added = {key: value for key, value in new.items() if old.get(key) != value}
    removed = sorted(key for key in old if key not in new)
    if added:
        tags = [{"key": key, "value": value} for key, value in added.items()]
        call_or_fail(bedrock, "tag_resource", f"tagging {arn}", resourceARN=arn, tags=tags)
    if removed:
        call_or_fail(bedrock, "untag_resource", f"untagging {arn}", resourceARN=arn, tagKeys=removed)


def _create(bedrock: Any, spec: ThroughputSpec, token: str) -> str:
    response = call_or_fail(
        bedrock,
        "create_provisioned_model_throughput",
        f"creating provisioned throughput {spec.name} ({spec.model_units} model units of {spec.model_id})",
        clientRequestToken=token,
        **spec.create_request(),
    )
    return str(response["provisionedModelArn"])
