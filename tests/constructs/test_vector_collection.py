"""VectorCollection through the construct API: policies, options, data access, import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import ConstructValidationError, VectorCollection, VectorIndex
from bedrock_platform.spec.vector_stores import COLLECTION_INDEX_REGIONS, collection_name
from tests.constructs.conftest import new_stack, render

EXEC_ROLE = "arn:aws:iam::111111111111:role/deployer"
DEV_DOCS = collection_name("dev-docs", standby_replicas=False, kms_key_arn=None)
"""The AWS name of ``dev-docs`` with the defaults: the name and the hash of its create-only settings."""
PROD_SHARED = collection_name(
    "prod-shared", standby_replicas=True, kms_key_arn="arn:aws:kms:us-east-1:111111111111:key/abc"
)


def _policy(template: Template, policy_type: str, resource_type: str) -> Any:
    resources = template.find_resources(resource_type, {"Properties": {"Type": policy_type}})
    (resource,) = resources.values()
    return json.loads(render(resource["Properties"]["Policy"]))


@pytest.fixture(scope="module")
def defaults() -> Template:
    stack = new_stack()
    VectorCollection(stack, "Store", collection_name="dev-docs", deployment_principal_arn=EXEC_ROLE)
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def private() -> Template:
    stack = new_stack()
    collection = VectorCollection(
        stack,
        "Store",
        collection_name="prod-shared",
        standby_replicas=True,
        deletion_protection=True,
        kms_key_arn="arn:aws:kms:us-east-1:111111111111:key/abc",
        vpc_endpoints=["vpce-0123456789abcdef0"],
        deployment_principal_arn=EXEC_ROLE,
    )
    role = iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    collection.grant_data_access(role.role_arn, index_name="kb", index_permissions=["aoss:ReadDocument"])
    collection.grant_api_access(role)
    return Template.from_stack(stack)


def test_default_collection_is_a_vector_search_collection_without_standby_or_protection(
    defaults: Template,
) -> None:
    defaults.resource_count_is("AWS::OpenSearchServerless::Collection", 1)
    defaults.has_resource(
        "AWS::OpenSearchServerless::Collection",
        {
            "Properties": {
                "Name": DEV_DOCS,
                "Type": "VECTORSEARCH",
                "StandbyReplicas": "DISABLED",
                "DeletionProtection": "DISABLED",
                "Tags": Match.absent(),
            },
            "DeletionPolicy": "Delete",
            "DependsOn": Match.array_with([Match.string_like_regexp("StoreEncryptionPolicy")]),
        },
    )


def test_default_encryption_uses_the_aws_owned_key_and_network_is_public(defaults: Template) -> None:
    assert _policy(defaults, "encryption", "AWS::OpenSearchServerless::SecurityPolicy") == {
        "Rules": [{"ResourceType": "collection", "Resource": [f"collection/{DEV_DOCS}"]}],
        "AWSOwnedKey": True,
    }
    assert _policy(defaults, "network", "AWS::OpenSearchServerless::SecurityPolicy") == [
        {
            "Rules": [{"ResourceType": "collection", "Resource": [f"collection/{DEV_DOCS}"]}],
            "AllowFromPublic": True,
        }
    ]


def test_data_access_policy_names_the_deploying_principal_for_index_management(defaults: Template) -> None:
    assert _policy(defaults, "data", "AWS::OpenSearchServerless::AccessPolicy") == [
        {
            "Rules": [
                {
                    "ResourceType": "collection",
                    "Resource": [f"collection/{DEV_DOCS}"],
                    "Permission": ["aoss:DescribeCollectionItems"],
                },
                {
                    "ResourceType": "index",
                    "Resource": [f"index/{DEV_DOCS}/*"],
                    "Permission": [
                        "aoss:CreateIndex",
                        "aoss:DeleteIndex",
                        "aoss:DescribeIndex",
                        "aoss:UpdateIndex",
                    ],
                },
            ],
            "Principal": [EXEC_ROLE],
        }
    ]


def test_customer_key_vpc_endpoints_standby_and_deletion_protection(private: Template) -> None:
    # The fixed-name collection is retained except on a failed create's rollback, so the retry of a
    # failed first deploy does not fail with "already exists" (RetainExceptOnCreate).
    private.has_resource(
        "AWS::OpenSearchServerless::Collection",
        {
            "Properties": {"StandbyReplicas": "ENABLED", "DeletionProtection": "ENABLED"},
            "DeletionPolicy": "RetainExceptOnCreate",
            "UpdateReplacePolicy": "Retain",
        },
    )
    assert _policy(private, "encryption", "AWS::OpenSearchServerless::SecurityPolicy") == {
        "Rules": [{"ResourceType": "collection", "Resource": [f"collection/{PROD_SHARED}"]}],
        "AWSOwnedKey": False,
        "KmsARN": "arn:aws:kms:us-east-1:111111111111:key/abc",
    }
    (network,) = _policy(private, "network", "AWS::OpenSearchServerless::SecurityPolicy")
    assert network["AllowFromPublic"] is False
    assert network["SourceVPCEs"] == ["vpce-0123456789abcdef0"]
    assert network["SourceServices"] == ["bedrock.amazonaws.com"]


def test_grants_add_named_principals_scoped_to_their_index(private: Template) -> None:
    statements = _policy(private, "data", "AWS::OpenSearchServerless::AccessPolicy")
    assert [statement["Principal"] for statement in statements] == [[EXEC_ROLE], ["<ReaderF7BF189D.Arn>"]]
    assert statements[1]["Rules"] == [
        {
            "ResourceType": "collection",
            "Resource": [f"collection/{PROD_SHARED}"],
            "Permission": ["aoss:DescribeCollectionItems"],
        },
        {
            "ResourceType": "index",
            "Resource": [f"index/{PROD_SHARED}/kb"],
            "Permission": ["aoss:ReadDocument"],
        },
    ]
    private.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "aoss:APIAccessAll",
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [Match.string_like_regexp("Store"), "Arn"]},
                    }
                ]
            }
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"collection_name": "Docs"},
            "collection name 'Docs-[0-9a-f]{6}' must be lowercase letters, digits and hyphens, "
            "starting with a letter",
        ),
        ({"collection_name": "a" * 26}, "is 33 characters, must be 3 to 32"),
        (
            {"collection_name": "dev-docs", "vpc_endpoints": ["endpoint-1"]},
            "vpc_endpoints: 'endpoint-1' is not a VPC endpoint id",
        ),
    ],
)
def test_invalid_arguments_raise_with_the_argument_and_the_rule(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConstructValidationError, match=message):
        VectorCollection(new_stack(), "Store", deployment_principal_arn=EXEC_ROLE, **kwargs)


def test_imported_collection_gets_its_own_data_access_policy_on_first_grant() -> None:
    stack = new_stack()
    collection = VectorCollection.from_collection_attributes(
        stack, "Existing", collection_name="shared-vectors", collection_id="abcdefghij0123456789"
    )
    assert render(stack.resolve(collection.collection_endpoint)) == (
        "https://abcdefghij0123456789.us-east-1.aoss.<AWS::URLSuffix>"
    )
    assert render(stack.resolve(collection.collection_arn)) == (
        "arn:aws:aoss:us-east-1:111111111111:collection/abcdefghij0123456789"
    )
    collection.grant_data_access("arn:aws:iam::111111111111:role/app", index_name="docs")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::OpenSearchServerless::Collection", 0)
    (policy,) = template.find_resources("AWS::OpenSearchServerless::AccessPolicy").values()
    name = policy["Properties"]["Name"]
    assert name.startswith("shared-vectors-") and len(name) <= 32
    statements = json.loads(render(policy["Properties"]["Policy"]))
    assert [statement["Principal"] for statement in statements] == [
        ["arn:<AWS::Partition>:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1"],
        ["arn:aws:iam::111111111111:role/app"],
    ]
    assert statements[1]["Rules"][1]["Resource"] == ["index/shared-vectors/docs"]


def test_imported_collection_by_arn_from_a_token_names_its_policy_as_asked() -> None:
    """How a numbered knowledge stack imports stack 1's collection: ARN and endpoint from SSM."""
    stack = new_stack()
    arn = ssm.StringParameter.value_for_string_parameter(stack, "/collections/docs/arn")
    endpoint = ssm.StringParameter.value_for_string_parameter(stack, "/collections/docs/endpoint")
    collection = VectorCollection.from_collection_attributes(
        stack,
        "Existing",
        collection_name="dev-docs",
        collection_arn=arn,
        collection_endpoint=endpoint,
        access_policy_name="dev-docs-0a1b2c",
    )
    assert collection.collection_arn == arn
    assert collection.collection_endpoint == endpoint
    collection.grant_data_access("arn:aws:iam::111111111111:role/app", index_name="docs")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::OpenSearchServerless::AccessPolicy", {"Name": "dev-docs-0a1b2c", "Type": "data"}
    )


@pytest.mark.parametrize(
    "ids", [{}, {"collection_id": "abc", "collection_arn": "arn:aws:aoss:x:1:collection/abc"}]
)
def test_an_import_takes_the_id_or_the_arn(ids: dict[str, Any]) -> None:
    with pytest.raises(
        ConstructValidationError, match="give collection_id or collection_arn, one of the two"
    ):
        VectorCollection.from_collection_attributes(
            new_stack(), "Existing", collection_name="dev-docs", **ids
        )


def test_collection_index_regions_are_those_cfn_lint_knows_the_type_in() -> None:
    """The Regions where validation lets a collection be private are exactly those whose CloudFormation
    resource schemas (as cfn-lint ships them) have AWS::OpenSearchServerless::CollectionIndex."""
    providers = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"
    regions = {
        path.stem
        for path in providers.glob("*.json")
        if path.stem != "sam" and "AWS::OpenSearchServerless::CollectionIndex" in json.loads(path.read_text())
    }
    assert regions == set(COLLECTION_INDEX_REGIONS)
    assert "eu-central-1" in regions  # prod's Region


def test_an_imported_private_collection_gets_control_plane_indexes_on_its_id() -> None:
    stack = new_stack()
    arn = ssm.StringParameter.value_for_string_parameter(
        stack, "/bedrock-platform/dev/vector-stores/docs/arn"
    )
    collection = VectorCollection.from_collection_attributes(
        stack,
        "Imported",
        collection_name="dev-docs",
        collection_arn=arn,
        deployment_principal_arn=EXEC_ROLE,
        private=True,
    )
    VectorIndex(stack, "Index", collection=collection, index_name="manuals", dimensions=512)
    template = Template.from_stack(stack)
    assert template.find_resources("AWS::OpenSearchServerless::Index") == {}
    (index,) = template.find_resources("AWS::OpenSearchServerless::CollectionIndex").values()
    assert "Fn::Select" in json.dumps(index["Properties"]["Id"])
    (policy,) = template.find_resources("AWS::OpenSearchServerless::AccessPolicy")
    assert index["DependsOn"] == [policy]


def _collection_name(**arguments: Any) -> str:
    stack = new_stack()
    collection = VectorCollection(
        stack, "Store", collection_name="dev-docs", deployment_principal_arn=EXEC_ROLE, **arguments
    )
    (resource,) = Template.from_stack(stack).find_resources("AWS::OpenSearchServerless::Collection").values()
    assert resource["Properties"]["Name"] == collection.collection_name
    return collection.collection_name


@pytest.mark.parametrize(
    "change", [{"standby_replicas": True}, {"kms_key_arn": "arn:aws:kms:us-east-1:111111111111:key/abc"}]
)
def test_a_create_only_change_renames_the_collection_and_its_policies(change: dict[str, Any]) -> None:
    """StandbyReplicas is create-only (and the encryption key is fixed when the collection is created):
    the replacement is created before the old collection is deleted or retained, so it needs a new
    name, and so do the encryption and network policies that must match it first (issue 16)."""
    assert _collection_name(**change) != _collection_name()


@pytest.mark.parametrize(
    "change",
    [{"deletion_protection": True}, {"vpc_endpoints": ["vpce-0123456789abcdef0"]}, {"description": "Docs"}],
)
def test_a_change_made_in_place_keeps_the_collection_name(change: dict[str, Any]) -> None:
    assert _collection_name(**change) == _collection_name()
