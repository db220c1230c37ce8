"""BR3: in production, an OpenSearch Serverless collection is not reachable from the internet."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, json_property


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if resource.properties.get("Type") != "network" or not options.production:
        return None
    policy = json_property(resource.properties.get("Policy"))
    if policy is None:
        return ["the policy is not JSON"]
    return [
        f"rule {number} allows access from the public network"
        for number, rule in enumerate(as_list(policy), start=1)
        if isinstance(rule, dict) and rule.get("AllowFromPublic") is True
    ]


RULE = Rule(
    id="BR3",
    name="collection-private-in-production",
    info="A production collection's network policy allows access from the public network.",
    explanation=(
        "The collection's endpoint is then reachable from the internet, guarded by IAM only. Set "
        "AllowFromPublic to false, with SourceVPCEs for your VPC endpoints and SourceServices "
        "bedrock.amazonaws.com for the knowledge bases."
    ),
    source='Amazon Bedrock user guide, "Set up a vector index for your knowledge base" '
    "(network access: private, with private access for bedrock.amazonaws.com)",
    resource_types=("AWS::OpenSearchServerless::SecurityPolicy",),
    check=check,
)
