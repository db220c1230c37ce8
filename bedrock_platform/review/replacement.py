"""Which property changes replace a resource: CloudFormation's own schemas, and the toolkit's custom types.

The create-only properties of every CloudFormation type come from the resource schemas that
cfn-lint ships (``cfnlint/data/schemas``), not from a hand-kept list. The toolkit's custom
resources say themselves what replaces them (their handlers decide it at deploy time).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint

from bedrock_platform.handlers import provisioned_throughput as throughput_handler

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
DEFAULT_REGION = "us-east-1"

THROUGHPUT = "Custom::BedrockProvisionedThroughput"
CUSTOM_REPLACING: Mapping[str, tuple[str, ...]] = {
    # The handler's own list (and the name hash follows them); ModelId too, but see IN_PLACE.
    THROUGHPUT: tuple(
        f"/properties/{name}" for name in (*throughput_handler.REPLACING_PROPERTIES, "ModelId")
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


def resource_schema(resource_type: str, region: str = DEFAULT_REGION) -> Mapping[str, Any]:
    """The CloudFormation resource schema of ``resource_type`` that the installed cfn-lint ships;
    empty for a type it does not know."""
    return _schema(resource_type, region)


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


def _custom_model(old: Any, new: Any) -> bool:
    return isinstance(old, str) and throughput_handler.CUSTOM_MODEL_ARN_PART in old


IN_PLACE: Mapping[tuple[str, str], Callable[[Any, Any], bool]] = {
    # handlers/provisioned_throughput.py, needs_replacement: a custom-model throughput moves to
    # another custom model in place (UpdateProvisionedModelThroughput desiredModelId).
    (THROUGHPUT, "/properties/ModelId"): _custom_model,
}
"""Changes of a replacing property that the handler still makes in place, by the old and new values."""


def replaces(
    resource_type: str, path: str, region: str = DEFAULT_REGION, old: Any = None, new: Any = None
) -> bool:
    """Whether a change at ``path`` (``/properties/A/B``) from ``old`` to ``new`` replaces the resource."""
    if any(_within(path, kept) for kept in CUSTOM_NOT_REPLACING.get(resource_type, ())):
        return False
    in_place = IN_PLACE.get((resource_type, path))
    if in_place is not None and in_place(old, new):
        return False
    return any(
        _within(path, created) or _within(created, path) for created in replacing_paths(resource_type, region)
    )


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
