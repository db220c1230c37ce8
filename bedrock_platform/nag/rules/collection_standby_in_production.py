"""BR6: in production, a collection keeps standby replicas in a second Availability Zone."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if not options.production:
        return None
    if resource.properties.get("StandbyReplicas", "ENABLED") == "DISABLED":
        return ["StandbyReplicas is DISABLED"]
    return []


RULE = Rule(
    id="BR6",
    name="collection-standby-in-production",
    info="A production collection has no standby replicas.",
    explanation=(
        "Without standby replicas the collection and the knowledge bases on it stop when its "
        "Availability Zone does. StandbyReplicas is create-only: set it to ENABLED when the "
        "collection is created."
    ),
    source='Amazon OpenSearch Serverless developer guide, "Redundancy" (standby replicas)',
    resource_types=("AWS::OpenSearchServerless::Collection",),
    check=check,
    production=True,
)
