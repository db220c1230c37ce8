"""BR10: an S3 Vectors bucket policy grants nothing to everyone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, json_property, statements


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in [str(value) for value in as_list(principal.get("AWS"))]


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    policy = resource.properties.get("Policy")
    document = json_property(policy) if isinstance(policy, str) else policy
    return [
        f"statement {number} allows {', '.join(str(action) for action in as_list(statement.get('Action')))} "
        "to every principal"
        for number, statement in enumerate(statements(document), start=1)
        if statement.get("Effect") == "Allow" and _everyone(statement.get("Principal"))
    ]


RULE = Rule(
    id="BR10",
    name="s3-vectors-policy-not-public",
    info="An S3 Vectors bucket policy allows actions to every principal.",
    explanation=(
        "Vectors are derived from your documents and can be turned back into their text. Name the "
        "principals (the knowledge base's service role, your applications' roles) instead of *."
    ),
    source='Amazon S3 user guide, "Security in S3 Vectors" (vector bucket policies; block public '
    "access is always on for vector buckets)",
    resource_types=("AWS::S3Vectors::VectorBucketPolicy",),
    check=check,
)
