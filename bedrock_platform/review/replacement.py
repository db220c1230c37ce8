"""Which property changes replace a resource: CloudFormation's own schemas, and the toolkit's custom types.

The create-only properties of every CloudFormation type come from the resource schemas that
cfn-lint ships (``cfnlint/data/schemas``), not from a hand-kept list. The toolkit's custom
resources say themselves what replaces them (their handlers decide it at deploy time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
DEFAULT_REGION = "us-east-1"

CUSTOM_REPLACING: Mapping[str, tuple[str, ...]] = {
    # handlers/provisioned_throughput.py: REPLACING_PROPERTIES (and the name hash follows them)
    "Custom::BedrockProvisionedThroughput": (
        "/properties/ModelUnits",
        "/properties/CommitmentDuration",
        "/properties/ModelId",
    ),
    # handlers/bedrock_job.py: any change of the request but its tags starts a new job
    "Custom::BedrockEvaluationJob": ("/properties/JobNamePrefix", "/properties/Request"),
    "Custom::BedrockBatchInferenceJob": ("/properties/JobNamePrefix", "/properties/Request"),
}
"""Properties whose change replaces each of the toolkit's custom resources."""
CUSTOM_NOT_REPLACING: Mapping[str, tuple[str, ...]] = {
    "Custom::BedrockEvaluationJob": ("/properties/Request/jobTags",),
    "Custom::BedrockBatchInferenceJob": ("/properties/Request/tags",),
}
"""Exceptions inside a replacing property (a job's tags are applied without a new job)."""


@cache
def _provider_index(region: str) -> Mapping[str, str]:
    path = SCHEMAS / "providers" / f"{region}.json"
    if not path.is_file():
        path = SCHEMAS / "providers" / f"{DEFAULT_REGION}.json"
    index: Mapping[str, str] = json.loads(path.read_text())
    return index


@cache
def _schema(resource_type: str, region: str) -> Mapping[str, Any]:
    schema_id = _provider_index(region).get(resource_type)
    if schema_id is None:
        return {}
    schema: Mapping[str, Any] = json.loads((SCHEMAS / "resources" / f"{schema_id}.json").read_text())
    return schema


@cache
def replacing_paths(resource_type: str, region: str = DEFAULT_REGION) -> tuple[str, ...]:
    """JSON pointers (``/properties/...``) whose change replaces a resource of this type."""
    if resource_type in CUSTOM_REPLACING:
        return CUSTOM_REPLACING[resource_type]
    return tuple(_schema(resource_type, region).get("createOnlyProperties", ()))


@cache
def identifying_paths(resource_type: str, region: str = DEFAULT_REGION) -> tuple[str, ...]:
    """The schema's ``primaryIdentifier``: the properties that together name one resource."""
    return tuple(_schema(resource_type, region).get("primaryIdentifier", ()))


def replaces(resource_type: str, path: str, region: str = DEFAULT_REGION) -> bool:
    """Whether a change at ``path`` (``/properties/A/B``) replaces the resource."""
    if any(_within(path, kept) for kept in CUSTOM_NOT_REPLACING.get(resource_type, ())):
        return False
    return any(
        _within(path, created) or _within(created, path) for created in replacing_paths(resource_type, region)
    )


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
