"""Knowledge bases: their descriptions, and the AWS name a change of create-only settings renews.

Sources (CloudFormation's resource schemas, as cfn-lint ships them; tests compare):
- ``AWS::Bedrock::KnowledgeBase`` ``Description``: 1 to 200 characters; ``AWS::Bedrock::DataSource``
  ``Description`` the same.
- ``AWS::Bedrock::KnowledgeBase`` ``Name``: :data:`bedrock_platform.spec.names.BEDROCK_NAME`.
- Create-only: the embedding model and its configuration and the storage configuration (the
  collection, the index and its field mapping): a change replaces the knowledge base.
"""

from __future__ import annotations

import hashlib
import json

DESCRIPTION_LIMITS = (1, 200)
"""Characters of a knowledge base's or a data source's description."""

FINGERPRINT_LENGTH = 6
"""Hex digits a knowledge base's AWS name ends with: ``<name>-<fingerprint>``."""


def description_problem(description: str | None) -> str | None:
    """Why ``description`` cannot be a knowledge base's or a data source's, or None."""
    low, high = DESCRIPTION_LIMITS
    if description is None or low <= len(description) <= high:
        return None
    return f"description is {len(description)} characters, must be {low} to {high}"


def name_fingerprint(
    *,
    embedding_model: str,
    dimensions: int | None,
    collection: str | None,
    index: str,
    fields: tuple[str, ...],
    storage: str | None = None,
    supplemental_storage: str | None = None,
) -> str:
    """The hex digits over a knowledge base's create-only settings.

    A change of one of them replaces the knowledge base, which CloudFormation creates before it
    deletes the old one: under the same name the create would fail with "already exists".
    ``dimensions`` is None when the embedding model is not told them; ``collection`` None when its
    name is known at deploy time only. ``storage`` is the store type for a store other than
    OpenSearch Serverless (left out for it, so that its knowledge bases keep their names);
    ``collection`` is then the store's container (an S3 Vectors bucket) and ``fields`` what the
    index keeps beside the vectors. ``supplemental_storage`` names the multimodal storage bucket
    (left out without one).
    """
    create_only = {
        "embedding_model": embedding_model,
        "dimensions": dimensions,
        "collection": collection,
        "index": index,
        "fields": list(fields),
    }
    if storage is not None:
        create_only["storage"] = storage
    if supplemental_storage is not None:
        create_only["supplemental_storage"] = supplemental_storage
    return hashlib.sha256(json.dumps(create_only, sort_keys=True).encode()).hexdigest()[:FINGERPRINT_LENGTH]
