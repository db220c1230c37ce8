"""A guardrail enforced on every model invocation of the account, and a guardrail's resource policy
(who may apply it without an identity policy of their own: the account's callers, an organization)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.guardrail import Guardrail, GuardrailVersion
from bedrock_platform.constructs.nag import acknowledge_wildcard
from bedrock_platform.spec import guardrail as spec

APPLY_ACTIONS = ("bedrock:ApplyGuardrail",)


class GuardrailResourcePolicy(Construct):
    """An ``AWS::Bedrock::ResourcePolicy`` on ``guardrail`` allowing ``bedrock:ApplyGuardrail`` on it, in
    the forms the user guide's "Using resource-based policies for guardrails" supports: the policy
    language is restricted, a ``*`` principal needs an organization condition, and no other condition
    is accepted.

    :param guardrail: the guardrail (one resource policy per guardrail).
    :param account_principals: the guardrail's own account as principal (the guide's pattern, which
        it recommends with account-level enforcement). Like any policy naming an account, it
        delegates to that account's IAM: each caller still needs ``bedrock:ApplyGuardrail`` in its
        own policy (:func:`allow_enforced_guardrail`). Default: False.
    :param organization_id: every principal of this AWS Organizations organization
        (``aws:PrincipalOrgID``), as organization-level enforcement requires; their own policies must
        allow it too. Default: none.
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
        stack = cdk.Stack.of(self)
        statements: list[dict[str, Any]] = []
        if account_principals:
            statements.append(
                {
                    "Sid": "ApplyFromThisAccount",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{stack.partition}:iam::{stack.account}:root"},
                    "Action": list(APPLY_ACTIONS),
                    "Resource": guardrail.guardrail_arn,
                }
            )
        if organization_id is not None:
            statements.append(
                {
                    "Sid": "ApplyFromTheOrganization",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": list(APPLY_ACTIONS),
                    "Resource": guardrail.guardrail_arn,
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization_id}},
                }
            )
        self.resource = bedrock.CfnResourcePolicy(
            self,
            "Resource",
            resource_arn=guardrail.guardrail_arn,
            policy_document={"Version": "2012-10-17", "Statement": statements},
        )


ENFORCED_CALLER = (
    "An account-level enforced guardrail applies to every model invocation of the account, and a caller "
    "without bedrock:ApplyGuardrail on it is refused (user guide, 'Using resource-based policies for "
    "guardrails'); the enforced guardrail is whichever the account's configuration names, so any "
    "guardrail of this account and Region, and only that action."
)


def allow_enforced_guardrail(role: iam.IRole) -> None:
    """Let ``role``, which invokes models, pass the account's enforced guardrail: ``bedrock:ApplyGuardrail``
    on the guardrails of its account and Region."""
    stack = cdk.Stack.of(role)
    guardrails = stack.format_arn(
        service="bedrock",
        resource="guardrail",
        resource_name="*",
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(APPLY_ACTIONS), resources=[guardrails]))
    acknowledge_wildcard(role, guardrails, ENFORCED_CALLER)


class EnforcedGuardrail(Construct):
    """An ``AWS::Bedrock::EnforcedGuardrailConfiguration``: ``version`` of ``guardrail`` applied to every
    model invocation of the account and Region (or of ``include_models`` but ``exclude_models``).
    There is one per account and Region.

    The account's callers must be allowed ``bedrock:ApplyGuardrail`` on it, or every invocation they
    make is refused: give each role that invokes models :func:`allow_enforced_guardrail` (the
    toolkit's stacks do for theirs), and pass a :class:`GuardrailResourcePolicy` with
    ``account_principals=True`` as ``resource_policy``, as the user guide recommends; the
    enforcement starts only after it exists.

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
