"""Facts about OpenSearch Serverless vector stores that the config rules and the constructs share (no CDK)."""

from __future__ import annotations

import hashlib
import json

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

COLLECTION_TYPE = "VECTORSEARCH"


def collection_name(base: str, *, standby_replicas: bool, kms_key_arn: str | None) -> str:
    """The AWS name of a collection the toolkit creates: ``<base>-<fingerprint>``.

    The fingerprint is six hex digits over the collection's settings that cannot change in place:
    its type and standby replicas (create-only in ``AWS::OpenSearchServerless::Collection``) and its
    encryption key (the encryption policy applies when the collection is created; changing the policy
    later does not re-encrypt it). A change of one of them replaces the collection, which CloudFormation
    creates before it deletes (or, when protected, retains) the old one: under the same name the
    create would fail with "already exists". ``kms_key_arn`` is None for the AWS owned key (and for a
    key not known at synthesis).
    """
    settings = {"type": COLLECTION_TYPE, "standby_replicas": standby_replicas, "kms_key_arn": kms_key_arn}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:6]
    return f"{base}-{digest}"
