"""BR4: a private collection's network policy lets someone reach it: VPC endpoints or Bedrock."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, security_policy_rules


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    rules = security_policy_rules(resource, "network")
    if rules is None:
        return None
    return [
        f"rule {number} is private and names no SourceVPCEs and no SourceServices"
        for number, rule in rules
        if rule.get("AllowFromPublic") is False
        and not rule.get("SourceVPCEs")
        and not rule.get("SourceServices")
    ]


RULE = Rule(
    id="BR4",
    name="collection-network-reachable",
    info="A private collection's network policy admits neither a VPC endpoint nor a service.",
    explanation=(
        "Nothing can reach the collection: Bedrock cannot ingest into it or query it, and no one can "
        "create its indexes through its endpoint. Add SourceServices bedrock.amazonaws.com and the "
        "OpenSearch Serverless VPC endpoints that need it in SourceVPCEs."
    ),
    source='Amazon Bedrock user guide, "Set up a vector index for your knowledge base" (private access '
    "for bedrock.amazonaws.com)",
    resource_types=("AWS::OpenSearchServerless::SecurityPolicy",),
    check=check,
)
