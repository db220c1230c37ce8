"""BR1: a role Amazon Bedrock assumes carries aws:SourceAccount and aws:SourceArn in its trust."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, statements
from bedrock_platform.permissions import BEDROCK_SERVICE

KEYS = ("aws:SourceAccount", "aws:SourceArn")


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    trusts = [
        statement
        for statement in statements(resource.properties.get("AssumeRolePolicyDocument"))
        if statement.get("Effect") == "Allow" and _trusts_bedrock(statement.get("Principal"))
    ]
    if not trusts:
        return None
    problems = []
    for number, statement in enumerate(trusts, start=1):
        given = {key.lower() for operator in (statement.get("Condition") or {}).values() for key in operator}
        missing = [key for key in KEYS if key.lower() not in given]
        if missing:
            problems.append(
                f"trust statement {number} of {BEDROCK_SERVICE} has no {' and no '.join(missing)}"
            )
    return problems


def _trusts_bedrock(principal: object) -> bool:
    if not isinstance(principal, dict):
        return False
    return BEDROCK_SERVICE in [str(service) for service in as_list(principal.get("Service"))]


RULE = Rule(
    id="BR1",
    name="service-role-confused-deputy",
    info="A role Amazon Bedrock assumes does not limit the trust with aws:SourceAccount and aws:SourceArn.",
    explanation=(
        "Without both condition keys, Bedrock could be made to assume the role on behalf of another "
        "account's resource (the confused deputy). Add StringEquals aws:SourceAccount with your account "
        "and ArnLike aws:SourceArn with the ARN (or ARN pattern) of the Bedrock resources that use the role."
    ),
    source='Amazon Bedrock user guide, "Cross-service confused deputy prevention"',
    resource_types=("AWS::IAM::Role",),
    check=check,
)
