"""BR3: in production, an OpenSearch Serverless collection is not reachable from the internet."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, security_policy_rules


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    rules = security_policy_rules(resource, "network")
    if rules is None or not options.production:
        return None
    return [
        f"rule {number} allows access from the public network"
        for number, rule in rules
        if rule.get("AllowFromPublic") is True
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
    production=True,
)
