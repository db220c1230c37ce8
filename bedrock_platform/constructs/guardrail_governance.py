"""A guardrail enforced on every model invocation of the account, and a guardrail's resource policy
(who may apply it without an identity policy of their own: the account's callers, an organization)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.guardrail import Guardrail, GuardrailVersion
from bedrock_platform.spec import guardrail as spec

APPLY_ACTIONS = ("bedrock:ApplyGuardrail",)


class GuardrailResourcePolicy(Construct):
    """An ``AWS::Bedrock::ResourcePolicy`` on ``guardrail`` allowing ``bedrock:ApplyGuardrail`` on it
    and its versions (user guide, "Using resource-based policies for guardrails").

    :param guardrail: the guardrail (one resource policy per guardrail).
    :param account_principals: every principal of the guardrail's account may apply it, whatever its
        identity policies say (``aws:PrincipalAccount``): what an account-level enforced guardrail
        needs, since every model invocation of the account then applies it. Default: False.
    :param organization_id: every principal of this AWS Organizations organization may apply it
        (``aws:PrincipalOrgID``), as organization-level enforcement needs; their own identity
        policies must allow it too. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        guardrail: Guardrail,
        account_principals: bool = False,
        organization_id: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        if organization_id is not None and not re.match(spec.ORGANIZATION_ID_PATTERN, organization_id):
            raise ConstructValidationError(
                f"GuardrailResourcePolicy {id!r}: organization_id {organization_id!r} is not an "
                "organization id (o- and 10 to 32 lowercase letters or digits)"
            )
        if not account_principals and organization_id is None:
            raise ConstructValidationError(
                f"GuardrailResourcePolicy {id!r}: give account_principals=True or an organization_id"
            )
        resources = [guardrail.guardrail_arn, f"{guardrail.guardrail_arn}:*"]
        statements: list[dict[str, Any]] = []
        if account_principals:
            statements.append(
                _statement(
                    "ApplyFromThisAccount", resources, "aws:PrincipalAccount", cdk.Stack.of(self).account
                )
            )
        if organization_id is not None:
            statements.append(
                _statement("ApplyFromTheOrganization", resources, "aws:PrincipalOrgID", organization_id)
            )
        self.resource = bedrock.CfnResourcePolicy(
            self,
            "Resource",
            resource_arn=guardrail.guardrail_arn,
            policy_document={"Version": "2012-10-17", "Statement": statements},
        )


def _statement(sid: str, resources: list[str], key: str, value: str) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": "*",
        "Action": list(APPLY_ACTIONS),
        "Resource": resources,
        "Condition": {"StringEquals": {key: value}},
    }


class EnforcedGuardrail(Construct):
    """An ``AWS::Bedrock::EnforcedGuardrailConfiguration``: ``version`` of ``guardrail`` applied to every
    model invocation of the account and Region (or of ``include_models`` but ``exclude_models``).
    There is one per account and Region.

    The account's callers must be allowed ``bedrock:ApplyGuardrail`` on it, or every invocation they
    make is refused: pass a :class:`GuardrailResourcePolicy` with ``account_principals=True`` as
    ``resource_policy``, and the enforcement starts only after it exists.

    :param guardrail: the guardrail, created in this app.
    :param version: one of ``guardrail``'s own published versions (numeric: never DRAFT).
    :param resource_policy: the guardrail's policy for the account's callers; the enforcement is
        created after it. Default: none (every caller then needs its own ApplyGuardrail permission).
    :param include_models: model ids, or ``ALL``. Default: every model.
    :param exclude_models: model ids the enforcement skips. Default: none.
    :param system: ``SELECTIVE`` or ``COMPREHENSIVE`` guarding of system prompts. Default: the service's.
    :param messages: ``SELECTIVE`` or ``COMPREHENSIVE`` guarding of messages. Default: the service's.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        guardrail: Guardrail,
        version: GuardrailVersion,
        resource_policy: GuardrailResourcePolicy | None = None,
        include_models: Sequence[str] = (),
        exclude_models: Sequence[str] = (),
        system: str | None = None,
        messages: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        if version not in guardrail.versions:
            raise ConstructValidationError(
                f"EnforcedGuardrail {id!r}: the version must be one of the guardrail's own published versions"
            )
        problems = [
            f"{model!r} is not a model id"
            for model in [*include_models, *exclude_models]
            if model != spec.ENFORCED_ALL_MODELS and not re.match(spec.ENFORCED_MODEL_PATTERN, model)
        ]
        problems += [
            f"{name} must be one of {', '.join(spec.SELECTIVE_GUARDING_MODES)}"
            for name, mode in (("system", system), ("messages", messages))
            if mode is not None and mode not in spec.SELECTIVE_GUARDING_MODES
        ]
        if problems:
            raise ConstructValidationError(f"EnforcedGuardrail {id!r}: " + "; ".join(problems))
        models = None
        if include_models or exclude_models:
            models = bedrock.CfnEnforcedGuardrailConfiguration.ModelEnforcementProperty(
                included_models=list(include_models) or [spec.ENFORCED_ALL_MODELS],
                excluded_models=list(exclude_models),
            )
        guarding = None
        if system is not None or messages is not None:
            guarding = bedrock.CfnEnforcedGuardrailConfiguration.SelectiveContentGuardingProperty(
                system=system, messages=messages
            )
        self.resource = bedrock.CfnEnforcedGuardrailConfiguration(
            self,
            "Resource",
            guardrail_identifier=guardrail.guardrail_arn,
            guardrail_version=version.version,
            model_enforcement=models,
            selective_content_guarding=guarding,
        )
        if resource_policy is not None:
            self.resource.node.add_dependency(resource_policy)
        self.config_id = self.resource.attr_config_id
