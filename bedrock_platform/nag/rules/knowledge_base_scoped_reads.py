"""BR11: no policy reads every collection or every bucket: a knowledge base role reads its own."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule, as_list, policy_documents, statements, texts
from bedrock_platform.permissions import COLLECTION_API_ACTIONS, S3_LIST_ACTIONS, S3_READ_ACTIONS

READS = (*COLLECTION_API_ACTIONS, *S3_READ_ACTIONS, *S3_LIST_ACTIONS)
"""What a knowledge base's service role reads its vectors and documents with (user guide,
"Permissions to access your vector store" and "Permissions to access your data source")."""
EVERYTHING = ("*", "arn:aws:s3:::*", "arn:aws:aoss:*")


def _unscoped(resource_arn: str) -> bool:
    return resource_arn in EVERYTHING or resource_arn.endswith(":collection/*")


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    problems = []
    for document in policy_documents(resource):
        for statement in statements(document):
            if statement.get("Effect") != "Allow":
                continue
            reads = sorted(
                {str(action) for action in as_list(statement.get("Action")) if str(action) in READS}
            )
            everything = sorted({arn for arn in texts(statement.get("Resource")) if _unscoped(arn)})
            if reads and everything:
                problems.append(f"allows {', '.join(reads)} on {', '.join(everything)}")
    return problems


RULE = Rule(
    id="BR11",
    name="knowledge-base-scoped-reads",
    info="A policy reads every OpenSearch Serverless collection or every S3 bucket.",
    explanation=(
        "A knowledge base's service role needs its own collection (aoss:APIAccessAll on that "
        "collection's ARN) and its own data source buckets and prefixes, nothing more: with * it can "
        "read every collection and bucket of the account that allows it."
    ),
    source='Amazon Bedrock user guide, "Create a service role for Amazon Bedrock Knowledge Bases" '
    "(permissions to access the vector store and the data source)",
    resource_types=("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"),
    check=check,
)
