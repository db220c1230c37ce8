"""Facts about OpenSearch Serverless vector stores that the config rules and the constructs share (no CDK)."""

from __future__ import annotations

COLLECTION_INDEX_REGIONS: tuple[str, ...] = (
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "eu-central-1",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-2",
    "eu-west-1",
    "eusc-de-east-1",
    "us-east-1",
    "us-east-2",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-2",
)
"""The Regions with ``AWS::OpenSearchServerless::CollectionIndex``, the only CloudFormation type that
creates an index in a private collection (through the control-plane ``CreateIndex`` API): the Region
files of cfn-lint 1.58.0's resource schemas (2026-10-20) that list the type. A test compares this
with the installed cfn-lint. ``AWS::OpenSearchServerless::Index`` (32 Regions) writes through the
collection's endpoint, which a private collection's network policy does not admit."""
