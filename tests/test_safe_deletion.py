"""Safe deletion: what prod keeps when a resource or a stack is deleted, and what dev lets go.

Every resource of the prod templates falls under one decision of :data:`PROD`: retained
(``DeletionPolicy`` and ``UpdateReplacePolicy`` Retain, with what it holds) or nothing to lose
(with why). A resource type without a decision fails the test, so a new one needs a decision here.
Dev is the other way round: only what :data:`DEV_RETAINED` lists may be retained, and nothing is
termination or deletion protected, so tearing it down leaves nothing that bills by the hour.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from bedrock_platform.config import load_config
from bedrock_platform.constructs.invocation_logging import RESOURCE_TYPE as INVOCATION_LOGGING
from bedrock_platform.constructs.provisioned_throughput import RESOURCE_TYPE as PROVISIONED_THROUGHPUT
from tests.conftest import Synthesized

COLLECTION = "AWS::OpenSearchServerless::Collection"
VECTOR_BUCKET = "AWS::S3Vectors::VectorBucket"
VECTOR_INDEX = "AWS::S3Vectors::Index"
BUCKET = "AWS::S3::Bucket"
LOG_GROUP = "AWS::Logs::LogGroup"
KMS_KEY = "AWS::KMS::Key"
GUARDRAIL_VERSION = "AWS::Bedrock::GuardrailVersion"
COMMITTED_THROUGHPUT = f"{PROVISIONED_THROUGHPUT} with a commitment"
HOURLY_THROUGHPUT = f"{PROVISIONED_THROUGHPUT} without a commitment"
DATA_LOG_GROUP = f"{LOG_GROUP} holding data"
HANDLER_LOG_GROUP = f"{LOG_GROUP} of a custom resource handler"
HANDLER_TYPES = ("AWS::Lambda::Function", "AWS::StepFunctions::StateMachine")
"""What a handler log group is the log group of (its ``Ref`` or ``Fn::GetAtt`` is in their properties)."""


@dataclass(frozen=True)
class Decision:
    """What deleting (or replacing) a resource of one kind loses, and so whether prod retains it."""

    retained: bool
    why: str


RETAINED = True
NOTHING_TO_LOSE = False

PROD: Mapping[str, Decision] = {
    COLLECTION: Decision(
        RETAINED, "holds the vectors of its indexes; its DeletionProtection is ENABLED as well"
    ),
    BUCKET: Decision(RETAINED, "documents, datasets, job results, invocation and access logs: the only copy"),
    DATA_LOG_GROUP: Decision(RETAINED, "the model invocation logs, an audit trail"),
    KMS_KEY: Decision(RETAINED, "what encrypted data needs to be read: a deleted key makes it unreadable"),
    COMMITTED_THROUGHPUT: Decision(
        RETAINED,
        "billed for its whole term whether or not it exists, and not deletable before the term ends; "
        "a replacement would be billed on top",
    ),
    INVOCATION_LOGGING: Decision(
        RETAINED, "the account's invocation logging stays on when the stack goes: the audit trail outlives it"
    ),
    GUARDRAIL_VERSION: Decision(
        RETAINED, "an immutable snapshot applications pin; removed from the file, it keeps working"
    ),
    HOURLY_THROUGHPUT: Decision(NOTHING_TO_LOSE, "billed by the hour: deleting stops the bill"),
    HANDLER_LOG_GROUP: Decision(
        NOTHING_TO_LOSE, "the handlers' own logs; handlers never log whole events or properties"
    ),
    "AWS::Bedrock::Guardrail": Decision(
        NOTHING_TO_LOSE, "its policy is the file's; the versions applications pin are retained"
    ),
    "AWS::Bedrock::KnowledgeBase": Decision(
        NOTHING_TO_LOSE, "configuration from the file; its vectors and documents are in retained resources"
    ),
    "AWS::Bedrock::DataSource": Decision(
        NOTHING_TO_LOSE, "configuration from the file; its data_deletion_policy decides what its vectors do"
    ),
    "AWS::OpenSearchServerless::Index": Decision(
        NOTHING_TO_LOSE,
        "its vectors are derived from the documents in the retained buckets: a sync embeds them again",
    ),
    "AWS::OpenSearchServerless::CollectionIndex": Decision(
        NOTHING_TO_LOSE,
        "a private collection's index: its vectors are derived from the documents in the retained "
        "buckets: a sync embeds them again",
    ),
    "AWS::OpenSearchServerless::SecurityPolicy": Decision(NOTHING_TO_LOSE, "configuration from the file"),
    "AWS::OpenSearchServerless::AccessPolicy": Decision(
        NOTHING_TO_LOSE, "grants from the file and the toolkit"
    ),
    "AWS::S3::BucketPolicy": Decision(NOTHING_TO_LOSE, "the toolkit's bucket permissions"),
    "AWS::IAM::Role": Decision(NOTHING_TO_LOSE, "the toolkit's permissions"),
    "AWS::IAM::Policy": Decision(NOTHING_TO_LOSE, "the toolkit's permissions"),
    "AWS::KMS::Alias": Decision(NOTHING_TO_LOSE, "a name for a key; the key is retained"),
    "AWS::SSM::Parameter": Decision(NOTHING_TO_LOSE, "discovery values, written again by every deploy"),
    "AWS::Lambda::Function": Decision(NOTHING_TO_LOSE, "handler code shipped in the package"),
    "AWS::StepFunctions::StateMachine": Decision(NOTHING_TO_LOSE, "the Provider framework's waiter"),
    "Custom::BedrockEvaluationJob": Decision(
        NOTHING_TO_LOSE, "deleting stops a running job; the job and its results (in the job bucket) stay"
    ),
    "Custom::BedrockBatchInferenceJob": Decision(
        NOTHING_TO_LOSE, "deleting stops a running job; the job and its output (in the job bucket) stay"
    ),
    "Custom::CDKBucketDeployment": Decision(
        NOTHING_TO_LOSE, "uploads job data shipped in the repository; retain_on_delete keeps the objects"
    ),
    "AWS::Lambda::LayerVersion": Decision(NOTHING_TO_LOSE, "the AWS CLI that CDK's upload function runs"),
    "AWS::Logs::DeliverySource": Decision(
        NOTHING_TO_LOSE, "where a knowledge base's logs come from; the logs are in the retained log group"
    ),
    "AWS::Logs::DeliveryDestination": Decision(
        NOTHING_TO_LOSE, "where they go, configuration; the logs are in the retained log group"
    ),
    "AWS::Logs::Delivery": Decision(NOTHING_TO_LOSE, "pairs the two; the logs are in the retained log group"),
    "AWS::Logs::ResourcePolicy": Decision(NOTHING_TO_LOSE, "the toolkit's log delivery permission"),
    "AWS::Scheduler::Schedule": Decision(
        NOTHING_TO_LOSE, "when a data source syncs, configuration from the file; the vectors are the store's"
    ),
    "AWS::Bedrock::ApplicationInferenceProfile": Decision(
        NOTHING_TO_LOSE, "configuration from the file; its spend history stays in Billing under its tags"
    ),
}
"""Every kind of resource a prod template may hold, and whether prod retains it."""

DEV_RETAINED: Mapping[str, str] = {
    BUCKET: (
        "retained in every environment: storage costs cents, CloudFormation cannot delete a bucket "
        "that holds objects, and emptying it on delete would take a Lambda with s3:DeleteObject* on it"
    ),
    GUARDRAIL_VERSION: "free, and deleted with its guardrail",
    COMMITTED_THROUGHPUT: "billed for its whole term anyway, and not deletable before it ends",
}
"""The only kinds of resource a dev template may retain, and why that costs nothing to speak of."""

PROD_MUST_HAVE = (COLLECTION, BUCKET, DATA_LOG_GROUP, INVOCATION_LOGGING)
"""Kinds config/prod.yaml declares, so the decisions above are exercised, not vacuous. prod buys no
throughput (Frankfurt sells none for an Active text model): the committed throughput's decision is
exercised by :func:`test_a_prod_committed_throughput_is_retained_and_its_stack_protected`."""
PROD_THROUGHPUT = """\
environment: prod
account: "222222222222"
region: us-east-1
handler_vpc: {subnet_ids: [subnet-0a1b2c3d], security_group_ids: [sg-0a1b2c3d]}
compliance: {invocation_logging_elsewhere: the platform account configures it}
provisioned_throughputs:
  - name: assistant
    model: amazon.nova-lite-v1:0:300k
    model_units: 1
    commitment: six_months
    acknowledge_commitment: true
"""


@dataclass(frozen=True)
class Resource:
    """One resource of a synthesized stack."""

    stack: str
    logical_id: str
    body: Mapping[str, Any] = field(compare=False)

    @property
    def type(self) -> str:
        """The CloudFormation type."""
        return str(self.body["Type"])

    @property
    def retained(self) -> bool:
        """Whether CloudFormation keeps it both when it is deleted and when it is replaced."""
        # RetainExceptOnCreate is Retain but on a failed create's rollback (a fixed-name resource
        # kept then would make the retry fail with "already exists").
        return (
            self.body.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")
            and self.body.get("UpdateReplacePolicy") == "Retain"
        )

    @property
    def retained_at_all(self) -> bool:
        """Whether CloudFormation keeps it in either case."""
        return self.body.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate") or (
            self.body.get("UpdateReplacePolicy") == "Retain"
        )

    def __str__(self) -> str:
        return f"{self.stack}/{self.logical_id} ({self.type})"


def _referenced_ids(node: Any) -> Iterator[str]:
    """The logical ids a piece of template references with ``Ref`` or ``Fn::GetAtt``."""
    if isinstance(node, dict):
        if isinstance(node.get("Ref"), str):
            yield node["Ref"]
        attribute = node.get("Fn::GetAtt")
        if isinstance(attribute, list) and attribute and isinstance(attribute[0], str):
            yield attribute[0]
        for value in node.values():
            yield from _referenced_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _referenced_ids(value)


def _resources(result: Synthesized) -> list[Resource]:
    return [
        Resource(stack, logical_id, body)
        for stack, template in sorted(result.templates.items())
        for logical_id, body in template["Resources"].items()
    ]


def kinds(result: Synthesized) -> dict[Resource, str]:
    """Each resource's kind: its type, with log groups and throughputs told apart by what they hold."""
    handler_logs = {
        (resource.stack, logical_id)
        for resource in _resources(result)
        if resource.type in HANDLER_TYPES
        for logical_id in _referenced_ids(resource.body.get("Properties", {}))
    }
    found = {}
    for resource in _resources(result):
        kind = resource.type
        if kind == LOG_GROUP:
            handler = (resource.stack, resource.logical_id) in handler_logs
            kind = HANDLER_LOG_GROUP if handler else DATA_LOG_GROUP
        elif kind == PROVISIONED_THROUGHPUT:
            committed = "CommitmentDuration" in resource.body.get("Properties", {})
            kind = COMMITTED_THROUGHPUT if committed else HOURLY_THROUGHPUT
        found[resource] = kind
    return found


def termination_protection(result: Synthesized) -> dict[str, bool]:
    """Each stack's termination protection, as the cloud assembly tells the CDK CLI to deploy it."""
    manifest = json.loads((result.outdir / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: bool(artifact.get("properties", {}).get("terminationProtection", False))
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack"
    }


def test_every_decision_says_why() -> None:
    assert all(decision.why for decision in PROD.values())
    assert set(DEV_RETAINED) <= set(PROD)
    assert all(PROD[kind].retained for kind in PROD_MUST_HAVE)


def test_every_kind_of_resource_in_prod_has_a_decision(synthesized: dict[str, Synthesized]) -> None:
    undecided = sorted({kind for kind in kinds(synthesized["prod"]).values() if kind not in PROD})

    assert undecided == [], (
        "add each to PROD in tests/test_safe_deletion.py: retained (and what it holds) "
        "or nothing to lose (and why)"
    )


def test_prod_declares_each_kind_the_guarantees_are_about(synthesized: dict[str, Synthesized]) -> None:
    assert set(PROD_MUST_HAVE) <= set(kinds(synthesized["prod"]).values())


def test_a_prod_committed_throughput_is_retained_and_its_stack_protected(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from tests.conftest import synthesize

    config = tmp_path_factory.mktemp("prod-throughput") / "prod.yaml"
    config.write_text(PROD_THROUGHPUT, encoding="utf-8")
    result = synthesize(config, config.parent / "out", validation=False)
    throughputs = [resource for resource, kind in kinds(result).items() if kind == COMMITTED_THROUGHPUT]

    assert len(throughputs) == 1 and PROD[COMMITTED_THROUGHPUT].retained
    assert all(resource.retained for resource in throughputs)
    assert termination_protection(result) == {"prod-bedrock-throughput": True}


def test_prod_retains_what_holds_data_or_money(synthesized: dict[str, Synthesized]) -> None:
    not_retained = [
        f"{resource}: {PROD[kind].why}"
        for resource, kind in kinds(synthesized["prod"]).items()
        if kind in PROD and PROD[kind].retained and not resource.retained
    ]

    assert not_retained == []


def test_prod_collections_have_deletion_protection(synthesized: dict[str, Synthesized]) -> None:
    collections = [r for r in _resources(synthesized["prod"]) if r.type == COLLECTION]

    assert len(collections) == len(load_config("config/prod.yaml").vector_stores)
    assert [str(r) for r in collections if r.body["Properties"].get("DeletionProtection") != "ENABLED"] == []


def test_every_prod_stack_has_termination_protection(synthesized: dict[str, Synthesized]) -> None:
    protection = termination_protection(synthesized["prod"])

    assert set(protection) == set(synthesized["prod"].templates)
    assert [stack for stack, protected in protection.items() if not protected] == []


def test_dev_retains_only_what_costs_nothing_to_keep(synthesized: dict[str, Synthesized]) -> None:
    retained = [
        str(resource)
        for resource, kind in kinds(synthesized["dev"]).items()
        if resource.retained_at_all and kind not in DEV_RETAINED
    ]

    assert retained == []


@pytest.mark.parametrize("kind", [VECTOR_BUCKET, VECTOR_INDEX, DATA_LOG_GROUP, INVOCATION_LOGGING])
def test_dev_deletes_what_bills_while_it_exists(synthesized: dict[str, Synthesized], kind: str) -> None:
    """Vector buckets and their indexes (storage), invocation logs and logging itself go with a dev
    stack (the indexes with their bucket: a bucket that still holds one cannot be deleted)."""
    of_kind = [resource for resource, its_kind in kinds(synthesized["dev"]).items() if its_kind == kind]

    assert of_kind, f"config/dev.yaml should declare a {kind}"
    assert [str(resource) for resource in of_kind if resource.retained_at_all] == []


def test_collections_outside_prod_have_no_deletion_protection(
    synthesized_templates: dict[str, Synthesized],
) -> None:
    """dev is on S3 Vectors: the minimal-rag starter (environment example) holds the collection."""
    collections = [r for r in _resources(synthesized_templates["minimal-rag"]) if r.type == COLLECTION]

    assert collections
    assert not any(r.retained_at_all for r in collections)
    assert {r.body["Properties"].get("DeletionProtection") for r in collections} == {"DISABLED"}


def test_no_dev_stack_has_termination_protection(synthesized: dict[str, Synthesized]) -> None:
    protection = termination_protection(synthesized["dev"])

    assert set(protection) == set(synthesized["dev"].templates)
    assert [stack for stack, protected in protection.items() if protected] == []
