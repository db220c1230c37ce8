"""The name rules are CloudFormation's, and the config rules and the constructs read them from one
place (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint

from bedrock_platform.config import checks, rules
from bedrock_platform.constructs import data_source, knowledge_base
from bedrock_platform.spec import names, vector_stores

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"


def _property(resource_type: str, name: str) -> dict[str, Any]:
    providers = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema = json.loads((SCHEMAS / "resources" / f"{providers[resource_type]}.json").read_text())
    found: dict[str, Any] = schema["properties"][name]
    return found


def test_bedrock_names_are_cloudformations() -> None:
    for resource_type in ("AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::DataSource"):
        assert _property(resource_type, "Name")["pattern"] == names.BEDROCK_NAME.pattern


def test_collection_names_fit_the_collection_and_its_policies() -> None:
    """The collection takes 3 to 64 characters; its policies, named like it, 3 to 32 (botocore)."""
    import botocore.session

    name = _property("AWS::OpenSearchServerless::Collection", "Name")
    low, high = names.COLLECTION_NAME_LIMITS
    assert name["minLength"] <= low and high <= name["maxLength"]
    model = botocore.session.get_session().get_service_model("opensearchserverless")
    for operation in ("CreateSecurityPolicy", "CreateAccessPolicy"):
        policy_name = model.operation_model(operation).input_shape.members["name"].metadata
        assert (policy_name["min"], policy_name["max"]) == names.COLLECTION_NAME_LIMITS
    assert names.collection_name_problem("dev-docs-1a2b3c") is None
    assert (
        names.collection_name_problem("Dev")
        == "must be lowercase letters, digits and hyphens, starting with a letter"
    )
    assert names.collection_name_problem("ab") == "is 2 characters, must be 3 to 32"


def test_the_rules_and_the_constructs_read_the_spec() -> None:
    assert checks.AWS_RESOURCE_NAME is names.BEDROCK_NAME
    assert knowledge_base._NAME is data_source._NAME is names.BEDROCK_NAME
    assert rules.VECTOR_INDEX_NAME is vector_stores.VECTOR_INDEX_NAME is names.VECTOR_INDEX_NAME
    assert rules.COLLECTION_NAME is names.COLLECTION_NAME
