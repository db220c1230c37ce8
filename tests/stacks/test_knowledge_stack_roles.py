"""The knowledge base service role through the YAML path, against the user guide's knowledge base role.

User guide (bedrock-user-guide.fr.txt), "Création d'un rôle de service pour les bases de connaissances
d'Amazon Bedrock": the trust relationship, "Autorisations d'accès aux modèles Amazon Bedrock"
(bedrock:InvokeModel on the embedding model), "(Facultatif) Autorisations pour accéder à votre base de
données vectorielle dans Amazon OpenSearch Service" (aoss:APIAccessAll on the collection), "Autorisations
requises pour le rôle de base de connaissances" (S3ListBucketStatement and S3GetObjectStatement with
"aws:ResourceAccount": "bucketOwnerAccountId", KmsDecryptStatement with "kms:ViaService":
"s3.region.amazonaws.com"); "Définissez des politiques d'accès aux données pour votre base de
connaissances" (the data access policy: aoss:DescribeIndex, aoss:ReadDocument, aoss:WriteDocument on the
index).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from bedrock_platform import intrinsics
from bedrock_platform.config import load_config
from bedrock_platform.config.model import ExistingBucket
from bedrock_platform.stacks import add_stacks, cdk_json_context

CONFIG = """\
environment: dev
account: "111111111111"
region: us-east-1
vector_stores:
  - name: docs
knowledge_bases:
  - name: manuals
    embedding_model: amazon.titan-embed-text-v2:0
    vector_store: docs
    data_sources:
      - name: own
        bucket: {arn: "arn:aws:s3:::acme-manuals"}
        inclusion_prefixes: [guides/]
      - name: partner
        bucket:
          arn: arn:aws:s3:::partner-exports
          kms_key_arn: arn:aws:kms:us-east-1:333333333333:key/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4
          owner_account: "333333333333"
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("roles") / "dev.yaml"
    path.write_text(CONFIG)
    app = cdk.App(context=cdk_json_context())
    (stack,) = add_stacks(app, load_config(str(path)))
    rendered: dict[str, Any] = dict(Template.from_stack(stack).to_json())
    return rendered


def _role_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    (policy,) = [
        r
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::IAM::Policy" and "KnowledgeBaseServiceRole" in lid
    ]
    return [
        {key: _rendered(value) for key, value in statement.items()}
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _rendered(value: Any) -> Any:
    """``value`` with every CloudFormation intrinsic in it shown as text (``<LogicalId.Attr>``)."""
    if isinstance(value, list):
        return [_rendered(item) for item in value]
    if isinstance(value, dict) and not any(key.startswith(("Fn::", "Ref")) for key in value):
        return {key: _rendered(item) for key, item in value.items()}
    return intrinsics.render(value) if isinstance(value, dict) else value


def _allows(statements: list[dict[str, Any]], action: str, resource: str) -> list[dict[str, Any]]:
    def listed(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    return [s for s in statements if action in listed(s["Action"]) and resource in listed(s["Resource"])]


def test_the_role_holds_what_the_guide_lists_for_an_opensearch_serverless_knowledge_base(
    template: dict[str, Any],
) -> None:
    statements = _role_statements(template)
    (collection,) = [lid for lid, r in template["Resources"].items() if r["Type"].endswith("::Collection")]
    model = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
    assert _allows(statements, "bedrock:InvokeModel", model)
    assert _allows(statements, "aoss:APIAccessAll", f"<{collection}.Arn>")
    own = {"StringEquals": {"aws:ResourceAccount": "111111111111"}}
    partner = {"StringEquals": {"aws:ResourceAccount": "333333333333"}}
    (list_own,) = _allows(statements, "s3:ListBucket", "arn:aws:s3:::acme-manuals")
    (get_own,) = _allows(statements, "s3:GetObject", "arn:aws:s3:::acme-manuals/guides/*")
    (list_partner,) = _allows(statements, "s3:ListBucket", "arn:aws:s3:::partner-exports")
    (get_partner,) = _allows(statements, "s3:GetObject", "arn:aws:s3:::partner-exports/*")
    assert list_own["Condition"] == get_own["Condition"] == own
    assert list_partner["Condition"] == get_partner["Condition"] == partner
    (decrypt,) = _allows(
        statements,
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:333333333333:key/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4",
    )
    assert decrypt["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-east-1.<AWS::URLSuffix>"}}


def test_the_data_access_policy_grants_the_role_what_the_guide_gives_it_on_its_own_index(
    template: dict[str, Any],
) -> None:
    (policy,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::OpenSearchServerless::AccessPolicy"
    ]
    statements = json.loads(intrinsics.render(policy["Properties"]["Policy"]))
    (role,) = [s for s in statements if "KnowledgeBaseServiceRole" in s["Principal"][0]]
    (kb,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Bedrock::KnowledgeBase"]
    index = kb["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]["VectorIndexName"]
    (index_rule,) = [r for r in role["Rules"] if r["ResourceType"] == "index"]
    (collection,) = [r for r in template["Resources"].values() if r["Type"].endswith("::Collection")]
    assert index_rule["Resource"] == [f"index/{collection['Properties']['Name']}/{index}"]
    assert set(index_rule["Permission"]) >= {"aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"}


def test_owner_account_reaches_the_typed_config(tmp_path: Path) -> None:
    path = tmp_path / "dev.yaml"
    path.write_text(CONFIG)
    (kb,) = load_config(str(path)).knowledge_bases
    own, partner = (source.bucket for source in kb.data_sources)
    assert isinstance(own, ExistingBucket) and isinstance(partner, ExistingBucket)
    assert own.owner_account is None
    assert partner.owner_account == "333333333333"
