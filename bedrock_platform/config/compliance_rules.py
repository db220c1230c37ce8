"""Semantic checks of ``compliance``: the Control Tower exemptions a config names, and the one it needs.

Document rules (they read which keys are written, and the environment's default): an exemption
names a rule of the installed Control Tower rule set that the toolkit does not already turn off,
exemptions come with control_tower on, and with it on the handlers run in a VPC or say why not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bedrock_platform.config.checks import RuleContext, items, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import did_you_mean, show
from bedrock_platform.config.model import HANDLER_SECTIONS, PROD_ENVIRONMENT
from bedrock_platform.spec import control_tower

UNKNOWN_RULE = "{rule} is not a rule of the Control Tower rule set{hint}"
ALREADY_EXEMPT = "{rule} is turned off for every environment already (the README says why): remove it"
EXEMPTIONS_UNUSED = (
    "exemptions apply only while control_tower is on, and it is off here{default}: remove them, or set "
    "control_tower: true"
)
HANDLERS_OUTSIDE_VPC = (
    "Control Tower's {rule} requires the toolkit's Lambda functions to run in a VPC: give handler_vpc "
    "{{subnet_ids: [...], security_group_ids: [...]}}, or compliance.exemptions.{rule} with the reason "
    "they run outside one"
)

LOGGING_MISSING = (
    "a prod config that declares {sections} declares invocation_logging too (the Bedrock pack's BR12: "
    "no record would say who invoked which model), or says where it is configured for the account "
    "and Region in compliance.invocation_logging_elsewhere"
)
LOGGING_ELSEWHERE_UNUSED = (
    "invocation_logging_elsewhere applies to a prod config without invocation_logging: remove it"
)
MODEL_SECTIONS = (
    "knowledge_bases",
    "guardrails",
    "provisioned_throughputs",
    "evaluation_jobs",
    "batch_inference_jobs",
)
"""The sections whose resources serve or guard model invocations (the Bedrock pack's BR12 types;
tests/nag compares with the synthesized templates)."""

SECTION = ("compliance",)
EXEMPTIONS = (*SECTION, "exemptions")


def _runs_handlers(config: Mapping[str, Any]) -> bool:
    """Whether the config declares what the toolkit's Lambda functions deploy (as
    :attr:`~bedrock_platform.config.model.PlatformConfig.runs_handlers` says of the typed config)."""
    if any(value(config, (section,)) for section in HANDLER_SECTIONS):
        return True
    knowledge_bases = value(config, ("knowledge_bases",))
    return any(
        isinstance(source, dict) and source.get("ingest_on_deploy") is True
        for knowledge_base in (knowledge_bases if isinstance(knowledge_bases, list) else [])
        if isinstance(knowledge_base, dict) and isinstance(knowledge_base.get("data_sources"), list)
        for source in knowledge_base["data_sources"]
    )


def control_tower_on(config: Mapping[str, Any], context: RuleContext) -> bool | None:
    """Whether the Control Tower rules run for this config (written, or the environment's default);
    None when the schema refused what decides it."""
    switch = (*SECTION, "control_tower")
    written = value(config, switch)
    if written is not None:
        return written if isinstance(written, bool) and context.valid(switch) else None
    environment = string(config, context, ("environment",))
    return None if environment is None else environment == PROD_ENVIRONMENT


def control_tower_exemptions(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Each Control Tower exemption names a rule of the rule set, not one the toolkit turns off
    already, and is given only with control_tower on."""
    exemptions = value(config, EXEMPTIONS)
    if not isinstance(exemptions, dict) or not exemptions or not context.valid(EXEMPTIONS):
        return []
    if control_tower_on(config, context) is False:
        default = "" if "control_tower" in value(config, SECTION) else " (the default outside prod)"
        return [context.issue(EXEMPTIONS, EXEMPTIONS_UNUSED.format(default=default))]
    known = control_tower.rules()
    issues = []
    for rule in exemptions:
        if rule in control_tower.PLATFORM_EXEMPTIONS:
            issues.append(context.issue(EXEMPTIONS, ALREADY_EXEMPT.format(rule=show(rule)), key=rule))
        elif rule not in known:
            message = UNKNOWN_RULE.format(rule=show(rule), hint=did_you_mean(rule, known))
            issues.append(context.issue(EXEMPTIONS, message, key=rule))
    return issues


def control_tower_handler_vpc(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """With control_tower on and Lambda functions to deploy, handler_vpc is given, or the exemption
    of lambda_inside_vpc_check."""
    if control_tower_on(config, context) is not True or "handler_vpc" in config or not _runs_handlers(config):
        return []
    exemptions = value(config, EXEMPTIONS)
    if isinstance(exemptions, dict) and control_tower.LAMBDA_IN_VPC in exemptions:
        return []
    where = SECTION if "compliance" in config else ()
    return [context.issue(where, HANDLERS_OUTSIDE_VPC.format(rule=control_tower.LAMBDA_IN_VPC))]


def invocation_logging_in_prod(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A prod config that serves models declares invocation_logging, or says where it is configured
    (compliance.invocation_logging_elsewhere), and only then."""
    elsewhere = (*SECTION, "invocation_logging_elsewhere")
    given = value(config, elsewhere) is not None
    environment = string(config, context, ("environment",))
    if environment is None or not context.valid(("invocation_logging",)):
        return []
    declared = "invocation_logging" in config
    if given and (declared or environment != PROD_ENVIRONMENT):
        return [context.issue(elsewhere, LOGGING_ELSEWHERE_UNUSED)]
    sections = [section for section in MODEL_SECTIONS if value(config, (section,))]
    if environment != PROD_ENVIRONMENT or declared or given or not sections:
        return []
    where = SECTION if "compliance" in config else ()
    return [context.issue(where, LOGGING_MISSING.format(sections=", ".join(sections)))]


KEY_MISSING = "has no {key}, and compliance.require_customer_managed_keys asks every {what} for one"


def customer_managed_keys(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """With compliance.require_customer_managed_keys, every guardrail names a kms_key_arn and every
    vector store an encryption.kms_key_arn."""
    switch = (*SECTION, "require_customer_managed_keys")
    if value(config, switch) is not True or not context.valid(switch):
        return []
    issues = []
    for path, guardrail in items(config, ("guardrails",)):
        if "kms_key_arn" not in guardrail:
            issues.append(context.issue(path, KEY_MISSING.format(key="kms_key_arn", what="guardrail")))
    for path, store in items(config, ("vector_stores",)):
        encryption = store.get("encryption", "aws_owned")
        if not (isinstance(encryption, dict) and "kms_key_arn" in encryption):
            where = (*path, "encryption") if "encryption" in store else path
            message = KEY_MISSING.format(key="encryption.kms_key_arn", what="vector store")
            issues.append(context.issue(where, message))
    return issues


SHORT_RETENTION = (
    "keeps events {days} days, but AWS Control Tower's {control} ({rule}) refuses a log group kept less "
    "than {minimum}: keep them at least {minimum} days, or exempt {rule} in compliance.exemptions with why"
)


def control_tower_log_retention(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """With control_tower on, the log groups the config sizes keep events at least a year, or the rule
    is exempted (the synth would fail on it otherwise)."""
    if control_tower_on(config, context) is not True:
        return []
    exemptions = value(config, EXEMPTIONS)
    if isinstance(exemptions, dict) and control_tower.LOG_RETENTION in exemptions:
        return []
    paths: list[ConfigPath] = [("invocation_logging", "cloudwatch", "retention_days")]
    paths += [
        (*path, "logging", "cloudwatch", "retention_days") for path, _ in items(config, ("knowledge_bases",))
    ]
    issues = []
    for path in paths:
        days = value(config, path)
        if (
            isinstance(days, int)
            and not isinstance(days, bool)
            and days < control_tower.MIN_LOG_RETENTION_DAYS
        ):
            message = SHORT_RETENTION.format(
                days=days,
                control=control_tower.LOG_RETENTION_CONTROL,
                rule=control_tower.LOG_RETENTION,
                minimum=control_tower.MIN_LOG_RETENTION_DAYS,
            )
            issues.append(context.issue(path, message))
    return issues
