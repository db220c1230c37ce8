"""An existing Amazon Aurora PostgreSQL cluster as a knowledge base's vector store (``RDS`` storage).

The toolkit creates nothing in the cluster: the table, with pgvector, is the user's (the README says
what it needs). Sources:
- The table's columns and their default names (user guide, "Create a vector store in Amazon Aurora"):
  ``id`` (UUID primary key, ``primaryKeyField``), ``embedding`` (vector, ``vectorField``), ``chunks``
  (text, ``textField``) and ``metadata`` (JSON, ``metadataField``).
- The knowledge base role's statements (user guide, knowledge base service role, "(Optional)
  Permissions to access your Amazon Aurora database cluster" and "... configured with an AWS Secrets
  Manager secret"): ``rds:DescribeDBClusters``, ``rds-data:BatchExecuteStatement`` and
  ``rds-data:ExecuteStatement`` on the cluster, ``secretsmanager:GetSecretValue`` on the secret.
- ``AWS::Bedrock::KnowledgeBase`` ``RdsConfiguration`` (cfn-lint's resource schemas; tests compare):
  the ARN patterns, names of at most 63 characters.
"""

from __future__ import annotations

import re

STORE_TYPE = "aurora_postgresql"
STORAGE_TYPE = "RDS"

CLUSTER_ARN = re.compile(
    r"^arn:aws(|-cn|-us-gov):rds:(?P<region>[a-z0-9-]*):(?P<account>[0-9]{12}):cluster:[a-zA-Z0-9-]{1,63}$"
)
SECRET_ARN = re.compile(
    r"^arn:aws(|-cn|-us-gov):secretsmanager:(?P<region>[a-z0-9-]{1,20}):(?P<account>[0-9]{12}):secret:[a-zA-Z0-9!/_+=.@-]{1,512}$"
)
FIELD_NAME = re.compile(r"^[a-zA-Z0-9_\-]+$")
TABLE_NAME = re.compile(r"^[a-zA-Z0-9_.\-]+$")
NAME_MAX = 63

DEFAULT_FIELDS = {"primary_key": "id", "vector": "embedding", "text": "chunks", "metadata": "metadata"}
"""The columns of the user guide's table, by the role Bedrock gives each."""

CLUSTER_ACTIONS: tuple[str, ...] = (
    "rds-data:BatchExecuteStatement",
    "rds-data:ExecuteStatement",
    "rds:DescribeDBClusters",
)

ONLY_FIELDS: tuple[str, ...] = ("aurora",)
"""The keys of a vector store that only an Aurora store takes (and must)."""
