"""Custom resource handler: Amazon Bedrock provisioned model throughput.

CloudFormation has no type for provisioned throughput, so this handler runs its life through
the ``bedrock`` API under the CDK ``Provider`` framework:

- Create buys the throughput with a ``clientRequestToken`` derived from the stack id, the
  logical id and the properties, so a retried create never buys twice. The physical id is the
  provisioned model ARN. Once bought, ``on_event`` always returns the ARN (even when the
  follow-up read fails), so that the failure, if any, comes from ``is_complete`` with the ARN
  as physical id and the rollback's Delete reaches this handler. A create that got no answer
  may still have bought it: the throughput is then looked up by its name in the Lambda's
  reserve and, when found, returned as bought; when not, the failure says how to check for it
  and delete it. ``is_complete`` waits for ``InService``; ``Failed`` deletes the throughput
  this request bought, then fails the deployment with the service's failure message.
- A create whose name is taken (a committed throughput kept by an earlier deploy that rolled
  back, the stack since deployed again under a new id) adopts that throughput when it has the
  declared shape, tagging it for this stack (:func:`kept_from_an_earlier_create`).
- Update renames the throughput, or moves it to another custom model, in place; a rollback
  renames or moves it back. The API cannot change model units or the commitment (nor move a
  base-model throughput to another model), so those changes replace the throughput: the one
  already named for the new properties is adopted (that is how a rollback returns to the
  original, which CloudFormation deletes only after a successful update), else a new one is
  bought, and CloudFormation then deletes the old one, unless it is retained. Tag changes are
  applied in place.
- Delete asks for deletion and waits until the account's list of throughputs no longer has it
  (ListProvisionedModelThroughputs: a throughput that is gone carries no tag, so the tag-scoped
  role would be denied reading it rather than told it is not found). "Not found" is success, and
  so is a ``ValidationException`` for an id the service does not know, or an
  ``AccessDeniedException`` for a throughput the list no longer has; one the list still has but
  the role is denied (it lacks the stack's tag) fails with how to tag or delete it. A physical id
  that is not a provisioned model ARN (a create that failed before it bought anything) deletes
  nothing. A throughput still being created or updated is deleted as soon as the service
  allows it.

Every throughput bought here carries the tag ``bedrock-platform:stack`` = the stack id
(:data:`STACK_TAG_KEY`, from the event's ``StackId``), sent with the create; the handler's role
may buy only with that tag in the request, and read, update, tag, untag or delete only a
throughput that carries it (see the construct), so it cannot touch the account's other
throughputs. The tag is never changed or removed by a retag, whatever ``Tags`` says. A throughput
bought before the tag existed must be tagged by hand before the stack is updated (DEPLOY.md).

Properties: ``ProvisionedModelName``, ``ModelId``, ``ModelUnits``, optional
``CommitmentDuration`` (``OneMonth`` or ``SixMonths``) and ``Tags`` (a string map).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from . import custom_resource
from .custom_resource import (
    CONFLICT,
    NOT_FOUND,
    VALIDATION,
    Event,
    GaveUp,
    HandlerError,
    LambdaContext,
    Response,
    Service,
    failure,
)

REPLACING_PROPERTIES = ("ModelUnits", "CommitmentDuration")
"""Properties whose change replaces the throughput (``ModelId`` too when the old model is a base model)."""

IN_SERVICE = "InService"
FAILED = "Failed"
CUSTOM_MODEL_ARN_PART = ":custom-model/"
ARN_RESOURCE = "provisioned-model"
ACCESS_DENIED = "AccessDeniedException"
UNKNOWN = (NOT_FOUND, VALIDATION, ACCESS_DENIED)
"""What GetProvisionedModelThroughput answers, when deleting, for a throughput that does not exist.

AccessDenied too: the role may read and delete only a throughput that carries its stack's tag
(``aws:ResourceTag``), and IAM finds no tag on a throughput that is gone, so a deleted one may be
denied rather than not found. A denial is never taken for gone on its own: the account's list of
throughputs (ListProvisionedModelThroughputs, authorized on ``*``) decides (:func:`listed`)."""
UNTAGGED = (
    "provisioned throughput {arn} exists, but this stack's handler may not touch it: it does not carry "
    "the tag {key} with this stack's id (bought before the toolkit tagged its throughputs, or the tag "
    "was removed); tag it with aws bedrock tag-resource --resource-arn {arn} --tags "
    "key={key},value=<the stack id>, or delete it with aws bedrock delete-provisioned-model-throughput "
    "--provisioned-model-id {arn}"
)
STACK_TAG_KEY = "bedrock-platform:stack"
"""The tag every throughput this handler buys carries, valued with the stack id: the handler's role
is scoped to it (``aws:RequestTag`` on create, ``aws:ResourceTag`` on everything else)."""
BOUGHT = "Bought"
"""``on_event``'s Data key (``"true"``) telling ``is_complete`` that this request bought the throughput."""


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

    def create_request(self, stack_id: str) -> dict[str, Any]:
        """The parameters of CreateProvisionedModelThroughput, without the token, tagged for ``stack_id``."""
        request: dict[str, Any] = {
            "provisionedModelName": self.name,
            "modelId": self.model_id,
            "modelUnits": self.model_units,
        }
        if self.commitment:
            request["commitmentDuration"] = self.commitment
        tags = {**self.tags, STACK_TAG_KEY: stack_id}
        request["tags"] = [{"key": key, "value": value} for key, value in sorted(tags.items())]
        return request


def on_event(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``onEvent``."""
    return handle(event, Service.for_lambda("bedrock", context))


def is_complete(event: Event, context: LambdaContext) -> Response:
    """Lambda entry point of the Provider framework's ``isComplete``."""
    return check(event, Service.for_lambda("bedrock", context))


def handle(event: Event, bedrock: Service) -> Response:
    """Start a Create, Update or Delete; returns the physical id (the provisioned model ARN)."""
    custom_resource.log_request(event)
    request_type = event["RequestType"]
    if request_type == "Create":
        return create(event, bedrock)
    if request_type == "Update":
        return update(event, bedrock)
    return delete(event, bedrock)


def create(event: Event, bedrock: Service) -> Response:
    """Buy the throughput; a retry of the same create sends the same token and buys nothing more.

    Once the throughput is bought this returns its ARN whatever follows, so that nothing bought
    is ever unknown to CloudFormation (see the module docstring). A create that got no answer
    returns the throughput it may have bought, found by name (:func:`unanswered_purchase`).
    """
    spec = ThroughputSpec.from_properties(event["ResourceProperties"])
    try:
        arn = _create(bedrock, spec, event["StackId"], custom_resource.request_token(event))
        try:
            gone = describe(bedrock, arn) is None
        except HandlerError as error:
            custom_resource.LOGGER.warning("bought %s, but could not read it yet: %s", arn, error)
            gone = False  # is_complete reads it again, with a Lambda's time of its own
        if gone:
            # The service remembered the token of a throughput deleted since (the same declaration
            # was created, replaced and declared again): buy a new one under a fresh token.
            token = custom_resource.request_token(event, salt=event["RequestId"])
            arn = _create(bedrock, spec, event["StackId"], token)
    except GaveUp as error:
        if not error.unanswered:
            raise  # throttled or unavailable on every attempt: the service bought nothing
        arn = unanswered_purchase(bedrock, spec, error)
    return {"PhysicalResourceId": arn, "Data": {BOUGHT: "true"}}


def unanswered_purchase(bedrock: Service, spec: ThroughputSpec, error: GaveUp) -> str:
    """The ARN of the throughput a create that got no answer bought, found by its name.

    The request may have reached the service and bought the throughput. Raising ``error`` as it
    is would leave the Provider framework's marker as physical id, so the rollback's Delete would
    touch nothing and the throughput would keep billing. So the name is looked up, in the
    Lambda's reserve: a throughput of that name with the declared model units and commitment is
    the one bought (names are unique in the account and Region). Otherwise, or when the lookup
    fails too, the failure is ``error`` followed by how to check for the throughput and delete it.
    """
    try:
        existing = describe(bedrock.for_cleanup(), spec.name)
    except HandlerError as lookup:
        outcome = f"looking it up by name failed too: {lookup}"
    else:
        if existing is not None and _has_shape(existing, spec):
            arn = str(existing["provisionedModelArn"])
            custom_resource.LOGGER.warning("the create got no answer, but found %s by name: %s", arn, error)
            return arn
        outcome = (
            "none was found by that name"
            if existing is None
            else "the one found by that name has other model units or commitment"
        )
    raise HandlerError(
        f"{error}; a provisioned throughput named {spec.name} may still have been bought ({outcome}): "
        f"check with aws bedrock list-provisioned-model-throughputs --name-contains {spec.name} "
        "and delete it with aws bedrock delete-provisioned-model-throughput --provisioned-model-id <arn>"
    ) from error


def update(event: Event, bedrock: Service) -> Response:
    """Rename, change the custom model or retag in place; anything else is a replacement.

    A rollback arrives with old and new properties swapped and is handled like any update: it
    renames, moves or retags back, or returns to the original throughput (:func:`replacement`).
    """
    old = ThroughputSpec.from_properties(event["OldResourceProperties"])
    new = ThroughputSpec.from_properties(event["ResourceProperties"])
    if needs_replacement(old, new):
        return replacement(event, bedrock, new)
    arn = event["PhysicalResourceId"]
    changes: dict[str, str] = {}
    if new.name != old.name:
        changes["desiredProvisionedModelName"] = new.name
    if new.model_id != old.model_id:
        changes["desiredModelId"] = new.model_id
    if changes:
        bedrock.call_or_fail(
            "update_provisioned_model_throughput",
            f"updating {arn}",
            provisionedModelId=arn,
            **changes,
        )
    retag(bedrock, arn, old.tags, new.tags)
    return {"PhysicalResourceId": arn}


def replacement(event: Event, bedrock: Service, spec: ThroughputSpec) -> Response:
    """The throughput already named for ``spec``, if it is one; else a new one (:func:`create`).

    The name holds a hash of the model, model units and commitment. So a throughput of that
    name is the one this resource had before the update that is now rolled back (CloudFormation
    deletes it only once the update succeeded), or one retained on an earlier replacement: it is
    adopted as it is, its tags set again, and nothing is bought. This does not depend on how
    long the service remembers a ``clientRequestToken``.
    """
    # A role allowed to read throughputs by ARN only falls back to the token, as before.
    existing = describe(bedrock, spec.name, gone=(NOT_FOUND, ACCESS_DENIED))
    if existing is None or not _is_for(existing, spec):
        return create(event, bedrock)
    arn = str(existing["provisionedModelArn"])
    retag(bedrock, arn, {}, spec.tags)
    return {"PhysicalResourceId": arn}


def delete(event: Event, bedrock: Service) -> Response:
    """Ask for deletion; ``is_complete`` waits until the throughput is gone."""
    arn = event["PhysicalResourceId"]
    if custom_resource.is_arn_of(arn, ARN_RESOURCE):
        request_deletion(bedrock, arn)
    return {"PhysicalResourceId": arn}


def check(event: Event, bedrock: Service) -> Response:
    """``isComplete``: InService after a create or update, gone after a delete.

    A throughput this request bought that ends ``Failed`` is deleted before the failure is
    reported: nothing is left billing, even when the stack does not roll back.
    """
    arn = event["PhysicalResourceId"]
    if event["RequestType"] == "Delete":
        if not custom_resource.is_arn_of(arn, ARN_RESOURCE):
            return {"IsComplete": True}
        # The list, not GetProvisionedModelThroughput: the tag-scoped role is denied a throughput
        # that is gone (it carries no tag any more), so only the list says it is gone.
        state = listed(bedrock, arn)
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
        error = HandlerError(f"provisioned throughput {state['provisionedModelName']} failed: {reason}")
        if dict(event.get("Data") or {}).get(BOUGHT) == "true":
            raise discard(bedrock, arn, error)
        raise error
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


def describe(bedrock: Service, throughput: str, gone: tuple[str, ...] = (NOT_FOUND,)) -> Response | None:
    """GetProvisionedModelThroughput (by ARN or name), or None when the error code is one of ``gone``."""
    action = f"reading provisioned throughput {throughput}"
    try:
        return bedrock.call("get_provisioned_model_throughput", action, provisionedModelId=throughput)
    except ClientError as error:
        code = custom_resource.error_code(error)
        if code not in gone:
            raise failure(error, action) from error
        denied_arn = code == ACCESS_DENIED and custom_resource.is_arn_of(throughput, ARN_RESOURCE)
        if denied_arn and listed(bedrock, throughput) is not None:
            raise HandlerError(UNTAGGED.format(arn=throughput, key=STACK_TAG_KEY)) from error
        return None


def listed(bedrock: Service, arn: str) -> Response | None:
    """The account's throughput summary of ``arn``, or None when the list has no such throughput.

    ListProvisionedModelThroughputs is authorized on ``*`` (no resource type): it tells a throughput
    that is gone from one the role is denied because it lacks the stack's tag.
    """
    action = "listing the provisioned throughputs"
    request: dict[str, Any] = {"maxResults": 1000}
    while True:
        page = bedrock.call_or_fail("list_provisioned_model_throughputs", action, **request)
        for summary in page.get("provisionedModelSummaries", []):
            if summary.get("provisionedModelArn") == arn:
                return dict(summary)
        if not page.get("nextToken"):
            return None
        request["nextToken"] = page["nextToken"]


def request_deletion(bedrock: Service, arn: str) -> None:
    """Delete, once; done when not found, postponed when busy, throttled or unanswered.

    One attempt, not :meth:`Service.call`'s retries: a Delete that got no answer may have deleted
    the throughput, and a second Delete of a throughput that is gone is denied to the tag-scoped
    role. ``is_complete`` reads the list every poll and asks again while the throughput is
    InService or Failed, which is the retry. A ``ValidationException`` or
    ``AccessDeniedException`` counts as done only when the service then says it has no such
    throughput (see :data:`UNKNOWN`); otherwise (a commitment whose term has not ended, a
    throughput without this stack's tag) it is the failure.
    """
    action = f"deleting provisioned throughput {arn}"
    if bedrock.seconds_left() < custom_resource.ATTEMPT_SECONDS:
        return  # the next poll asks
    try:
        bedrock.client.delete_provisioned_model_throughput(provisionedModelId=arn)
    except custom_resource.NO_ANSWER as error:
        custom_resource.LOGGER.warning(
            "%s: no answer (%s); the next poll asks again if needed", action, error
        )
        return
    except ClientError as error:
        code = custom_resource.error_code(error)
        if code in (NOT_FOUND, CONFLICT) or code in custom_resource.RETRYABLE_ERRORS:
            return
        if code in (VALIDATION, ACCESS_DENIED) and describe(bedrock, arn, gone=UNKNOWN) is None:
            return
        raise failure(error, action) from error


def discard(bedrock: Service, arn: str, error: HandlerError) -> HandlerError:
    """``error``, after deleting the throughput ``arn`` this request bought (in the Lambda's reserve)."""
    action = f"deleting provisioned throughput {arn}"
    try:
        bedrock.for_cleanup().call("delete_provisioned_model_throughput", action, provisionedModelId=arn)
    except ClientError as cleanup:
        if custom_resource.error_code(cleanup) != NOT_FOUND:
            return HandlerError(
                f"{error}; deleting it failed too ({custom_resource.error_text(cleanup)}), so the "
                f"rollback deletes it, or run: aws bedrock delete-provisioned-model-throughput "
                f"--provisioned-model-id {arn}"
            )
    except HandlerError as cleanup:
        return HandlerError(f"{error}; then {cleanup}, so the rollback deletes it")
    return HandlerError(f"{error}; the throughput it bought was deleted")


def _is_for(state: Mapping[str, Any], spec: ThroughputSpec) -> bool:
    """Whether an existing throughput has not failed and has what ``spec`` declares (:func:`_has_shape`)."""
    return state.get("status") != FAILED and _has_shape(state, spec)


def _has_shape(state: Mapping[str, Any], spec: ThroughputSpec) -> bool:
    """Whether an existing throughput has the model units and commitment ``spec`` declares."""
    return (
        state.get("desiredModelUnits", state.get("modelUnits")) == spec.model_units
        and (state.get("commitmentDuration") or None) == spec.commitment
    )


def retag(bedrock: Service, arn: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
    """Bring the throughput's tags from ``old`` to ``new``; :data:`STACK_TAG_KEY` is never touched."""
    old = {key: value for key, value in old.items() if key != STACK_TAG_KEY}
    new = {key: value for key, value in new.items() if key != STACK_TAG_KEY}
    added = {key: value for key, value in new.items() if old.get(key) != value}
    removed = sorted(key for key in old if key not in new)
    if added:
        tags = [{"key": key, "value": value} for key, value in added.items()]
        bedrock.call_or_fail("tag_resource", f"tagging {arn}", resourceARN=arn, tags=tags)
    if removed:
        bedrock.call_or_fail("untag_resource", f"untagging {arn}", resourceARN=arn, tagKeys=removed)


def _create(bedrock: Service, spec: ThroughputSpec, stack_id: str, token: str) -> str:
    action = (
        f"creating provisioned throughput {spec.name} ({spec.model_units} model units of {spec.model_id})"
    )
    try:
        response = bedrock.call(
            "create_provisioned_model_throughput",
            action,
            clientRequestToken=token,
            **spec.create_request(stack_id),
        )
    except ClientError as error:
        if custom_resource.error_code(error) not in (CONFLICT, VALIDATION):
            raise failure(error, action) from error
        kept = kept_from_an_earlier_create(bedrock, spec, stack_id)
        if kept is None:
            raise failure(error, action) from error
        return kept
    return str(response["provisionedModelArn"])


def kept_from_an_earlier_create(bedrock: Service, spec: ThroughputSpec, stack_id: str) -> str | None:
    """The ARN of a throughput of this name and shape that an earlier create bought, now adopted.

    A first deploy that bought a committed throughput and then rolled back keeps it (it is
    retained, and could not be deleted before its term anyway); the stack is deleted and deployed
    again, under a new stack id, so a new token and the name already taken. The name carries a
    hash of the declaration (model, units, commitment), so a throughput of that name with the
    declared shape is that purchase: it is tagged for this stack (the role may tag when the
    request carries this stack's tag) and adopted instead of failing the retry. One of that name
    with another shape fails, saying so.
    """
    action = f"looking for provisioned throughput {spec.name}"
    request: dict[str, Any] = {"nameContains": spec.name, "maxResults": 1000}
    while True:
        page = bedrock.call_or_fail("list_provisioned_model_throughputs", action, **request)
        for found in page.get("provisionedModelSummaries", []):
            if found.get("provisionedModelName") != spec.name:
                continue
            arn = str(found["provisionedModelArn"])
            if not _is_for(found, spec):
                raise HandlerError(
                    f"provisioned throughput {spec.name} already exists ({arn}) with other model units, "
                    "commitment or status: delete it or rename the entry, and deploy again"
                )
            tags = [{"key": STACK_TAG_KEY, "value": stack_id}]
            bedrock.call_or_fail("tag_resource", f"adopting {arn}", resourceARN=arn, tags=tags)
            custom_resource.LOGGER.warning("adopted %s, bought by an earlier create of %s", arn, spec.name)
            return arn
        if not page.get("nextToken"):
            return None
        request["nextToken"] = page["nextToken"]
