"""BR8: where the app demands it, a guardrail is encrypted with a customer managed key."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if not options.require_customer_managed_keys:
        return None
    return [] if resource.properties.get("KmsKeyArn") else ["the guardrail has no KmsKeyArn"]


RULE = Rule(
    id="BR8",
    name="guardrail-customer-managed-key",
    info="A guardrail is encrypted with an AWS owned key where customer managed keys are required.",
    explanation=(
        "A guardrail's policy (denied topics, words, regexes) can describe sensitive matters. Give it "
        "KmsKeyArn, a key whose policy lets the roles that create and apply the guardrail use it."
    ),
    source='Amazon Bedrock user guide, "Encryption of your guardrails" (customer managed keys)',
    resource_types=("AWS::Bedrock::Guardrail",),
    check=check,
    reads_keys=True,
)
