"""A passing and a failing resource for every rule of the Bedrock pack, as a template writes them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bedrock_platform.nag import Options, Resource

ACCOUNT = "111111111111"
KB_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:knowledge-base/*"
COLLECTION_ARN = {"Fn::GetAtt": ["Vectors", "Arn"]}


def _trust(condition: dict[str, Any] | None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Action": "sts:AssumeRole",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
    }
    if condition is not None:
        statement["Condition"] = condition
    return {"AssumeRolePolicyDocument": {"Statement": [statement], "Version": "2012-10-17"}}


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyDocument": {"Statement": list(statements), "Version": "2012-10-17"}, "PolicyName": "p"}


def _network(**rule: Any) -> dict[str, Any]:
    return {
        "Type": "network",
        "Name": "vectors",
        "Policy": json.dumps(
            [{"Rules": [{"ResourceType": "collection", "Resource": ["collection/v"]}], **rule}]
        ),
    }


@dataclass(frozen=True)
class Case:
    """What a rule must pass and what it must fail, under the options given."""

    passing: Resource
    failing: Resource
    message: str
    """A part of the failing finding's message."""
    options: Options = field(default_factory=Options)
    passing_options: Options | None = None
    """The options the passing resource is checked under, when the app makes the difference (BR12);
    default: :attr:`options`."""


CASES: dict[str, Case] = {
    "BR1": Case(
        passing=Resource(
            "AWS::IAM::Role",
            _trust({"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": KB_ARN}}),
        ),
        failing=Resource("AWS::IAM::Role", _trust({"StringEquals": {"aws:SourceAccount": ACCOUNT}})),
        message="trust statement 1 of bedrock.amazonaws.com has no aws:SourceArn",
    ),
    "BR2": Case(
        passing=Resource(
            "AWS::OpenSearchServerless::AccessPolicy",
            {
                "Type": "data",
                "Name": "vectors",
                "Policy": {
                    "Fn::Join": [
                        "",
                        ['[{"Rules":[],"Principal":["', {"Fn::GetAtt": ["KbRole", "Arn"]}, '"]}]'],
                    ]
                },
            },
        ),
        failing=Resource(
            "AWS::OpenSearchServerless::AccessPolicy",
            {"Type": "data", "Name": "vectors", "Policy": json.dumps([{"Rules": [], "Principal": ["*"]}])},
        ),
        message="rule 1 grants to *",
    ),
    "BR3": Case(
        passing=Resource(
            "AWS::OpenSearchServerless::SecurityPolicy",
            _network(AllowFromPublic=False, SourceServices=["bedrock.amazonaws.com"]),
        ),
        failing=Resource("AWS::OpenSearchServerless::SecurityPolicy", _network(AllowFromPublic=True)),
        message="rule 1 allows access from the public network",
        options=Options(production=True),
    ),
    "BR4": Case(
        passing=Resource(
            "AWS::OpenSearchServerless::SecurityPolicy",
            _network(AllowFromPublic=False, SourceVPCEs=["vpce-0123456789abcdef0"]),
        ),
        failing=Resource("AWS::OpenSearchServerless::SecurityPolicy", _network(AllowFromPublic=False)),
        message="rule 1 is private and names no SourceVPCEs and no SourceServices",
    ),
    "BR5": Case(
        passing=Resource(
            "AWS::OpenSearchServerless::SecurityPolicy",
            {
                "Type": "encryption",
                "Name": "vectors",
                "Policy": json.dumps(
                    {"Rules": [], "AWSOwnedKey": False, "KmsARN": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"}
                ),
            },
        ),
        failing=Resource(
            "AWS::OpenSearchServerless::SecurityPolicy",
            {
                "Type": "encryption",
                "Name": "vectors",
                "Policy": json.dumps({"Rules": [], "AWSOwnedKey": True}),
            },
        ),
        message="the collection is encrypted with an AWS owned key",
        options=Options(require_customer_managed_keys=True),
    ),
    "BR6": Case(
        passing=Resource(
            "AWS::OpenSearchServerless::Collection", {"Name": "v", "StandbyReplicas": "ENABLED"}
        ),
        failing=Resource(
            "AWS::OpenSearchServerless::Collection", {"Name": "v", "StandbyReplicas": "DISABLED"}
        ),
        message="StandbyReplicas is DISABLED",
        options=Options(production=True),
    ),
    "BR7": Case(
        passing=Resource(
            "AWS::Bedrock::GuardrailVersion",
            {"GuardrailIdentifier": "g"},
            deletion_policy="RetainExceptOnCreate",
            update_replace_policy="Retain",
        ),
        failing=Resource("AWS::Bedrock::GuardrailVersion", {"GuardrailIdentifier": "g"}),
        message="DeletionPolicy is Delete, not Retain or RetainExceptOnCreate",
    ),
    "BR8": Case(
        passing=Resource(
            "AWS::Bedrock::Guardrail", {"Name": "g", "KmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"}
        ),
        failing=Resource("AWS::Bedrock::Guardrail", {"Name": "g"}),
        message="the guardrail has no KmsKeyArn",
        options=Options(require_customer_managed_keys=True),
    ),
    "BR9": Case(
        passing=Resource(
            "AWS::IAM::Policy",
            _policy(
                {
                    "Action": ["bedrock:InvokeModel", "bedrock:ApplyGuardrail"],
                    "Effect": "Allow",
                    "Resource": "*",
                }
            ),
        ),
        failing=Resource(
            "AWS::IAM::Policy",
            _policy(
                {"Action": ["bedrock:InvokeModel", "bedrock:Create*"], "Effect": "Allow", "Resource": "*"}
            ),
        ),
        message="allows bedrock:Create*",
    ),
    "BR10": Case(
        passing=Resource(
            "AWS::S3Vectors::VectorBucketPolicy",
            {
                "VectorBucketName": "v",
                "Policy": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/kb"},
                            "Action": "s3vectors:QueryVectors",
                            "Resource": "*",
                        }
                    ]
                },
            },
        ),
        failing=Resource(
            "AWS::S3Vectors::VectorBucketPolicy",
            {
                "VectorBucketName": "v",
                "Policy": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3vectors:GetVectors",
                            "Resource": "*",
                        }
                    ]
                },
            },
        ),
        message="statement 1 allows s3vectors:GetVectors to every principal",
    ),
    "BR11": Case(
        passing=Resource(
            "AWS::IAM::Policy",
            _policy({"Action": "aoss:APIAccessAll", "Effect": "Allow", "Resource": COLLECTION_ARN}),
        ),
        failing=Resource(
            "AWS::IAM::Policy",
            _policy({"Action": ["s3:GetObject", "s3:ListBucket"], "Effect": "Allow", "Resource": "*"}),
        ),
        message="allows s3:GetObject, s3:ListBucket on *",
    ),
    "BR12": Case(
        passing=Resource("AWS::Bedrock::KnowledgeBase", {"Name": "kb"}),
        failing=Resource("AWS::Bedrock::KnowledgeBase", {"Name": "kb"}),
        message="configures no model invocation logging",
        options=Options(production=True, invocation_logging=False),
        passing_options=Options(production=True, invocation_logging=True),
    ),
}
