"""BR7: a published guardrail version outlives its removal from the template."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule

RETAINED = ("Retain", "RetainExceptOnCreate")


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    problems = []
    if resource.deletion_policy not in RETAINED:
        problems.append(
            f"DeletionPolicy is {resource.deletion_policy or 'Delete'}, not Retain or RetainExceptOnCreate"
        )
    if resource.update_replace_policy != "Retain":
        problems.append(f"UpdateReplacePolicy is {resource.update_replace_policy or 'Delete'}, not Retain")
    return problems


RULE = Rule(
    id="BR7",
    name="guardrail-version-retained",
    info="A guardrail version is deleted when it leaves the template or is replaced.",
    explanation=(
        "Applications apply a guardrail by its version number; deleting the version breaks every "
        "one pinned to it. Retain versions (DeletionPolicy RetainExceptOnCreate, UpdateReplacePolicy "
        "Retain) and delete them only when nothing uses them."
    ),
    source='Amazon Bedrock user guide, "Deploy your guardrail" (versions are immutable snapshots '
    "that applications reference)",
    resource_types=("AWS::Bedrock::GuardrailVersion",),
    check=check,
)
