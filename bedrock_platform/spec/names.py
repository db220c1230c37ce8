"""The AWS name rules of the resources the toolkit names, as the config rules and the constructs
both check them.

Sources (CloudFormation's resource schemas, as cfn-lint ships them; a test compares):
- ``AWS::Bedrock::KnowledgeBase`` and ``AWS::Bedrock::DataSource`` ``Name``, and Bedrock's other
  resource names in their APIs (provisioned models): ``^([0-9a-zA-Z][_-]?){1,100}$``.
- ``AWS::OpenSearchServerless::Collection`` ``Name``: 3 to 64 characters, a lowercase letter first
  (CloudFormation and CreateCollection). The toolkit names the collection's security and access
  policies like the collection, and a policy name is 3 to 32 characters (botocore's
  ``CreateSecurityPolicy`` and ``CreateAccessPolicy`` ``PolicyName``): the collection's name is held
  to 32 (a test reads both limits).
- ``AWS::OpenSearchServerless::Index`` ``IndexName``: lowercase, not starting with ``_`` or
  ``-`` (OpenSearch's index name rules).
"""

from __future__ import annotations

import re

BEDROCK_NAME = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
"""Bedrock resource names: knowledge bases, data sources, provisioned models."""

COLLECTION_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
COLLECTION_NAME_LIMITS = (3, 32)
"""OpenSearch Serverless collection names as the toolkit writes them: the policy name limits, which
are the tighter (see the module docstring)."""

VECTOR_INDEX_NAME = re.compile(r"^(?![_-])[a-z][a-z0-9_-]*$")
"""OpenSearch index names as the toolkit writes them."""


def collection_name_problem(name: str) -> str | None:
    """Why ``name`` is not a collection name, or None."""
    low, high = COLLECTION_NAME_LIMITS
    if not low <= len(name) <= high:
        return f"is {len(name)} characters, must be {low} to {high}"
    if not COLLECTION_NAME.match(name):
        return "must be lowercase letters, digits and hyphens, starting with a letter"
    return None
