"""BR2: an OpenSearch Serverless data access policy names its principals, never a wildcard."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, json_property, texts


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if resource.properties.get("Type") != "data":
        return None
    policy = json_property(resource.properties.get("Policy"))
    if policy is None:
        return ["the policy is not JSON"]
    problems = []
    for number, rule in enumerate(as_list(policy), start=1):
        if not isinstance(rule, dict):
            continue
        wildcards = [principal for principal in texts(rule.get("Principal")) if "*" in principal]
        if wildcards:
            problems.append(f"rule {number} grants to {', '.join(wildcards)}")
    return problems


RULE = Rule(
    id="BR2",
    name="data-access-named-principals",
    info="An OpenSearch Serverless data access policy grants to a wildcard principal.",
    explanation=(
        "A principal with * grants the collection's indexes and documents to every principal of the "
        "account (or beyond). Name each role or user: the knowledge base's service role, the role that "
        "creates the indexes, and the people who need the data."
    ),
    source='Amazon OpenSearch Serverless developer guide, "Data access control"; Amazon Bedrock user '
    'guide, "Set up a vector index for your knowledge base" (the policy names the knowledge base role)',
    resource_types=("AWS::OpenSearchServerless::AccessPolicy",),
    check=check,
)
