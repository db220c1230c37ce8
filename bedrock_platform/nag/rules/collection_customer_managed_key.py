"""BR5: where the app demands it, a collection is encrypted with a customer managed key."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, json_property


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if resource.properties.get("Type") != "encryption" or not options.require_customer_managed_keys:
        return None
    policy = json_property(resource.properties.get("Policy"))
    if policy is None:
        return ["the policy is not JSON"]
    if isinstance(policy, dict) and policy.get("AWSOwnedKey") is False and policy.get("KmsARN"):
        return []
    return ["the collection is encrypted with an AWS owned key"]


RULE = Rule(
    id="BR5",
    name="collection-customer-managed-key",
    info="A collection is encrypted with an AWS owned key where customer managed keys are required.",
    explanation=(
        "With an AWS owned key you cannot audit or revoke the use of the key. Give the encryption "
        "policy AWSOwnedKey false and the KmsARN of your key."
    ),
    source='Amazon OpenSearch Serverless developer guide, "Encryption at rest"; AWS Well-Architected '
    "security pillar, SEC08-BP01 (secure key management)",
    resource_types=("AWS::OpenSearchServerless::SecurityPolicy",),
    check=check,
    reads_keys=True,
)
