"""Semantic checks of the ``provisioned_throughputs`` section: commitments, models and AWS names.

Each rule is a typed rule, a pure function ``(checked, context) -> list[Issue]`` on the throughputs
the schema accepted (:mod:`.typed`), registered in :data:`bedrock_platform.config.rules.RULES`.
Unique throughput names are checked by the shared document rule in :mod:`.rules`. A removal_policy
of destroy under a commitment is allowed: the file opted in.
"""

from __future__ import annotations

import re

from bedrock_platform.config.catalog import ACTIVE, LIFECYCLE_NAMES, THROUGHPUT_MODELS, throughput_model
from bedrock_platform.config.checks import AWS_NAME, SAMPLE_SETTINGS_HASH, RuleContext, aws_name_problem
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import did_you_mean, one_of, show
from bedrock_platform.config.typed import At, Checked
from bedrock_platform.spec.throughput import (
    CUSTOM_MODEL_ARN,
    STACK_TAG_KEY,
    TAGS_MAX,
    THROUGHPUT_NAME_SUFFIX_LENGTH,
    UNACKNOWLEDGED_MODEL_UNITS,
    ProvisionedThroughput,
)
from bedrock_platform.spec.throughput import NAME_MAX as PROVISIONED_MODEL_NAME_MAX

COMMITMENT_UNACKNOWLEDGED = (
    "commitment {commitment} buys the model units for {term}: they are billed for the whole term and "
    "the throughput cannot be deleted before it ends; set acknowledge_commitment: true beside it to confirm"
)
COST_UNACKNOWLEDGED = (
    "{units} model units are each billed by the hour (more than {limit} need confirming); set "
    "acknowledge_cost: true beside them to confirm, or buy fewer"
)
UNKNOWN_THROUGHPUT_MODEL = "unknown model {model} for a provisioned throughput{hint}"
UNKNOWN_THROUGHPUT_MODEL_HINT = (
    " (give a base model id with its context window variant, such as {example}, or a custom model ARN)"
)
MODEL_WITHOUT_VARIANT = (
    "{model} needs its context window variant for a provisioned throughput: one of {variants}"
)
THROUGHPUT_MODEL_NOT_IN_REGION = (
    "{model} is not offered for provisioned throughput in region {region} (offered in: {regions})"
)
THROUGHPUT_MODEL_NOT_ACTIVE = (
    "{model} is {state}, and Bedrock sells no new provisioned throughput for a model that is not Active "
    "(user guide, Model lifecycle){hint}"
)
ACTIVE_IN_REGION_HINT = "; Active models offered for it in region {region}: {models}"
NO_ACTIVE_IN_REGION_HINT = (
    "; no Active model is offered for it in region {region}: use a custom model, or on-demand inference"
)
FOUNDATION_MODEL_ARN = "give the base model by its model id, not its ARN: model: {model_id}"
NOT_CUSTOM_MODEL_ARN = (
    "{arn} is not a custom model: give a custom model ARN, "
    "arn:aws:bedrock:<region>:<account>:custom-model/<base model>/<id>, or a base model id"
)
MALFORMED_CUSTOM_MODEL_ARN = (
    "{arn} must be a custom model ARN: arn:aws:bedrock:<region>:<account>:custom-model/<base model>/<id>, "
    "the id 12 lowercase letters and digits"
)
CUSTOM_MODEL_REGION = (
    "the custom model is in region {model_region}, not in the config's region {region} "
    "(a provisioned throughput is bought in its custom model's Region and account)"
)
CUSTOM_MODEL_ACCOUNT = (
    "the custom model is in account {model_account}, not in the config's account {account} "
    "(a provisioned throughput is bought in its custom model's Region and account)"
)
THROUGHPUT_NAME_LENGTH = (
    "the provisioned throughput's AWS name would be {length} characters, at most {limit} "
    "(it is <environment>-<name>-<6 hex digits>): shorten the name to at most {room} characters"
)
DISPLAY_NAME_LENGTH = (
    "the provisioned throughput's AWS name would be {length} characters, at most {limit} "
    "(it is <display_name>-<6 hex digits>): shorten display_name to at most {room} characters"
)
TOO_MANY_TAGS = (
    "the provisioned throughput would have {count} tags (the top-level tags, its own and the "
    "toolkit's {stack_tag}), at most {limit} (the Bedrock limit per resource)"
)
RESERVED_TAG_KEY = (
    "the tag key {key} is the toolkit's own: the throughput handler sets it to the stack id, and its "
    "role may manage only the throughputs that carry it; use another key"
)

EXAMPLE_MODEL = "amazon.nova-lite-v1:0:300k"
HINTED_MODELS = 3
"""How many Active models a lifecycle error suggests (the catalog's order), before "and N more"."""

FOUNDATION_MODEL_ARN_PATTERN = re.compile(
    r"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/(?P<model_id>[^/]+)$"
)
BEDROCK_ARN = re.compile(r"^arn:[^:]*:bedrock:[^:]*:[^:]*:(?P<resource>[a-z-]+)/")
"""Any Bedrock resource ARN, naming its resource type (``imported-model``, ``custom-model``)."""


def commitments_acknowledged(checked: Checked, context: RuleContext) -> list[Issue]:
    """A one_month or six_months commitment is confirmed with acknowledge_commitment: true beside it."""
    issues = []
    for throughput in checked.provisioned_throughputs:
        term = throughput.item.commitment_duration
        if term is None or throughput.item.acknowledge_commitment:
            continue
        message = COMMITMENT_UNACKNOWLEDGED.format(commitment=show(term.spelling), term=term.term)
        issues.append(context.issue(throughput.at("commitment"), message))
    return issues


def costs_acknowledged(checked: Checked, context: RuleContext) -> list[Issue]:
    """More than UNACKNOWLEDGED_MODEL_UNITS model units are confirmed with acknowledge_cost: true beside
    them, as a commitment is with acknowledge_commitment."""
    message = COST_UNACKNOWLEDGED.format
    return [
        context.issue(throughput.at("model_units"), message(units=units, limit=UNACKNOWLEDGED_MODEL_UNITS))
        for throughput in checked.provisioned_throughputs
        if (units := throughput.item.model_units) > UNACKNOWLEDGED_MODEL_UNITS
        and not throughput.item.acknowledge_cost
    ]


def throughput_models(checked: Checked, context: RuleContext) -> list[Issue]:
    """The model is an Active base model offered in the Region, or a custom model of this account and Region
    (the catalog is read as it is; the bought model is never looked up)."""
    issues = []
    for throughput in checked.provisioned_throughputs:
        if throughput.item.model.startswith("arn:"):
            issues += _model_arn_issues(checked, context, throughput)
        else:
            issues += _base_model_issues(checked, context, throughput)
    return issues


def _base_model_issues(
    checked: Checked, context: RuleContext, throughput: At[ProvisionedThroughput]
) -> list[Issue]:
    path = throughput.at("model")
    model = throughput_model(throughput.item.model)
    if model is None:
        return [context.issue(path, _unknown_model_message(throughput.item.model))]
    region = checked.region
    issues = []
    if model.lifecycle != ACTIVE:
        message = THROUGHPUT_MODEL_NOT_ACTIVE.format(
            model=model.model_id, state=LIFECYCLE_NAMES[model.lifecycle], hint=_active_hint(region)
        )
        issues.append(context.issue(path, message))
    if region is not None and region not in model.regions:
        message = THROUGHPUT_MODEL_NOT_IN_REGION.format(
            model=model.model_id, region=show(region), regions=", ".join(model.regions)
        )
        issues.append(context.issue(path, message))
    return issues


def _active_hint(region: str | None) -> str:
    """Some Active models that can be bought throughput for in ``region``, or that none can."""
    if region is None:
        return ""
    active = [
        model.model_id for model in THROUGHPUT_MODELS if model.lifecycle == ACTIVE and region in model.regions
    ]
    if not active:
        return NO_ACTIVE_IN_REGION_HINT.format(region=show(region))
    shown = ", ".join(active[:HINTED_MODELS])
    more = f" and {len(active) - HINTED_MODELS} more" if len(active) > HINTED_MODELS else ""
    return ACTIVE_IN_REGION_HINT.format(region=show(region), models=f"{shown}{more}")


def _unknown_model_message(model_id: str) -> str:
    variants = [model.model_id for model in THROUGHPUT_MODELS if model.model_id.startswith(f"{model_id}:")]
    if variants:
        return MODEL_WITHOUT_VARIANT.format(model=show(model_id), variants=one_of(variants))
    hint = did_you_mean(model_id, _catalogued_ids()) or UNKNOWN_THROUGHPUT_MODEL_HINT.format(
        example=show(EXAMPLE_MODEL)
    )
    return UNKNOWN_THROUGHPUT_MODEL.format(model=show(model_id), hint=hint)


def _catalogued_ids() -> list[str]:
    return [model.model_id for model in THROUGHPUT_MODELS]


def _model_arn_issues(
    checked: Checked, context: RuleContext, throughput: At[ProvisionedThroughput]
) -> list[Issue]:
    path, arn = throughput.at("model"), throughput.item.model
    foundation = FOUNDATION_MODEL_ARN_PATTERN.match(arn)
    if foundation is not None:
        return [context.issue(path, FOUNDATION_MODEL_ARN.format(model_id=foundation["model_id"]))]
    custom = CUSTOM_MODEL_ARN.match(arn)
    if custom is None:
        return [context.issue(path, _not_custom_model_message(arn))]
    region, account = checked.region, checked.account
    issues = []
    if region is not None and custom["region"] != region:
        message = CUSTOM_MODEL_REGION.format(model_region=show(custom["region"]), region=show(region))
        issues.append(context.issue(path, message))
    if account is not None and custom["account"] != account:
        message = CUSTOM_MODEL_ACCOUNT.format(model_account=show(custom["account"]), account=show(account))
        issues.append(context.issue(path, message))
    return issues


def _not_custom_model_message(arn: str) -> str:
    """What an ARN that is not a custom model's is: a Bedrock resource type when it names one."""
    bedrock = BEDROCK_ARN.match(arn)
    if bedrock is None:
        return NOT_CUSTOM_MODEL_ARN.format(arn=show(arn))
    resource = bedrock["resource"]
    if resource == "custom-model":
        return MALFORMED_CUSTOM_MODEL_ARN.format(arn=show(arn))
    article = "an" if resource[:1] in "aeiou" else "a"
    return NOT_CUSTOM_MODEL_ARN.format(arn=f"{article} {resource} ARN")


def throughput_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """A throughput's AWS name, ``<display_name or environment-name>-<6 hex digits>``, fits the service.

    CreateProvisionedModelThroughput takes 1 to 63 characters matching ``([0-9a-zA-Z][_-]?)+``;
    under 63 characters that is :data:`~bedrock_platform.config.checks.AWS_RESOURCE_NAME`.
    """
    environment = checked.environment
    if environment is None:
        return []
    issues = []
    for throughput in checked.provisioned_throughputs:
        base = throughput.item.aws_name_base(environment)
        if throughput.item.display_name is not None:
            name_path, template, room = throughput.at("display_name"), DISPLAY_NAME_LENGTH, 0
        else:
            name_path, template, room = throughput.at("name"), THROUGHPUT_NAME_LENGTH, len(f"{environment}-")
        length = len(base) + THROUGHPUT_NAME_SUFFIX_LENGTH
        if length > PROVISIONED_MODEL_NAME_MAX:
            room = PROVISIONED_MODEL_NAME_MAX - room - THROUGHPUT_NAME_SUFFIX_LENGTH
            message = template.format(length=length, limit=PROVISIONED_MODEL_NAME_MAX, room=room)
            issues.append(context.issue(name_path, message))
            continue
        problem = aws_name_problem(f"{base}-{SAMPLE_SETTINGS_HASH}")
        if problem:
            shown = show(f"{base}-<6 hex digits>")
            message = AWS_NAME.format(what="provisioned throughput's", name=shown, problem=problem)
            issues.append(context.issue(name_path, message))
    return issues


def throughput_tags(checked: Checked, context: RuleContext) -> list[Issue]:
    """The top-level tags, a throughput's own and the stack tag fit Bedrock's limit per resource,
    and no tag of a throughput's is the toolkit's stack tag."""
    shared = set(checked.tags)
    issues = []
    if checked.provisioned_throughputs and STACK_TAG_KEY in shared:
        issues.append(
            context.issue(("tags",), RESERVED_TAG_KEY.format(key=show(STACK_TAG_KEY)), key=STACK_TAG_KEY)
        )
    for throughput in checked.provisioned_throughputs:
        own = throughput.item.tags
        if STACK_TAG_KEY in own:
            message = RESERVED_TAG_KEY.format(key=show(STACK_TAG_KEY))
            issues.append(context.issue(throughput.at("tags"), message, key=STACK_TAG_KEY))
        count = len(shared | set(own) | {STACK_TAG_KEY})
        if count > TAGS_MAX:
            message = TOO_MANY_TAGS.format(count=count, limit=TAGS_MAX, stack_tag=STACK_TAG_KEY)
            issues.append(context.issue(throughput.at("tags"), message))
    return issues
