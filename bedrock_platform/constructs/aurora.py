"""An existing Amazon Aurora PostgreSQL cluster's table as a knowledge base's vector store.

Nothing is created: the table (with pgvector and the columns of
:data:`bedrock_platform.spec.aurora.DEFAULT_FIELDS`) is the user's. The knowledge base reaches it
through the RDS Data API with the cluster's Secrets Manager secret; its role may do exactly that.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.service_role import grant_secret
from bedrock_platform.spec import aurora as spec


class AuroraVectorStore:
    """One table of an existing Aurora PostgreSQL cluster, for one knowledge base.

    :param cluster_arn: ``arn:aws:rds:<region>:<account>:cluster:<id>``; the cluster has the Data
        API on.
    :param secret_arn: the Secrets Manager secret the Data API signs in with.
    :param database: the database's name.
    :param table: the table's name (``schema.table``), one per knowledge base.
    :param dimensions: the vector column's dimensions (the embedding model's).
    :param fields: the column names, by role (``primary_key``, ``vector``, ``text``, ``metadata``).
        Default: the user guide's, ``id``, ``embedding``, ``chunks``, ``metadata``.
    :param secret_key: the customer managed key the secret is encrypted with, if any (the role
        decrypts it through Secrets Manager).
    """

    def __init__(
        self,
        *,
        cluster_arn: str,
        secret_arn: str,
        database: str,
        table: str,
        dimensions: int,
        fields: Mapping[str, str] | None = None,
        secret_key: kms.IKey | None = None,
    ) -> None:
        self.fields = {**spec.DEFAULT_FIELDS, **(fields or {})}
        problems = []
        for what, written, pattern in (
            ("cluster_arn", cluster_arn, spec.CLUSTER_ARN),
            ("secret_arn", secret_arn, spec.SECRET_ARN),
        ):
            if not cdk.Token.is_unresolved(written) and not pattern.match(written):
                problems.append(f"{what} '{written}' must match {pattern.pattern}")
        for what, name, pattern in (
            ("database", database, spec.FIELD_NAME),
            ("table", table, spec.TABLE_NAME),
            *((f"fields.{role}", name, spec.FIELD_NAME) for role, name in self.fields.items()),
        ):
            if not pattern.match(name) or len(name) > spec.NAME_MAX:
                problems.append(
                    f"{what} '{name}' must match {pattern.pattern}, at most {spec.NAME_MAX} characters"
                )
        if set(self.fields) != set(spec.DEFAULT_FIELDS):
            problems.append(f"fields takes {', '.join(spec.DEFAULT_FIELDS)}")
        if problems:
            raise ConstructValidationError("AuroraVectorStore: " + "; ".join(problems))
        self.cluster_arn = cluster_arn
        self.secret_arn = secret_arn
        self.database = database
        self.table = table
        self.dimensions = dimensions
        self.secret_key = secret_key
        self.index_name = table
        """What a knowledge base's name fingerprint takes as its index: the table."""

    def fingerprint_parts(self) -> tuple[str | None, str, tuple[str, ...], str]:
        """(container, index, fields, storage type) for a knowledge base's name fingerprint."""
        cluster = None if cdk.Token.is_unresolved(self.cluster_arn) else self.cluster_arn
        return (
            cluster,
            self.table,
            tuple(self.fields[role] for role in spec.DEFAULT_FIELDS),
            spec.STORAGE_TYPE,
        )

    def storage_configuration(self) -> bedrock.CfnKnowledgeBase.StorageConfigurationProperty:
        return bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
            type=spec.STORAGE_TYPE,
            rds_configuration=bedrock.CfnKnowledgeBase.RdsConfigurationProperty(
                resource_arn=self.cluster_arn,
                credentials_secret_arn=self.secret_arn,
                database_name=self.database,
                table_name=self.table,
                field_mapping=bedrock.CfnKnowledgeBase.RdsFieldMappingProperty(
                    primary_key_field=self.fields["primary_key"],
                    vector_field=self.fields["vector"],
                    text_field=self.fields["text"],
                    metadata_field=self.fields["metadata"],
                ),
            ),
        )

    def grant_knowledge_base(self, role: iam.IRole) -> None:
        """The user guide's Aurora and Secrets Manager statements, on this cluster and secret only."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(spec.CLUSTER_ACTIONS), resources=[self.cluster_arn])
        )
        grant_secret(role, self.secret_arn, self.secret_key)
