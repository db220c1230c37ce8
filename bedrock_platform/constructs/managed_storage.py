"""Bedrock-managed storage: a ``MANAGED`` knowledge base, whose vectors the service keeps."""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from bedrock_platform.spec import vector_stores as spec


class ManagedStorage:
    """What a :class:`~bedrock_platform.constructs.KnowledgeBase` is given instead of an index to be
    a managed knowledge base (``KnowledgeBaseConfiguration.Type: MANAGED``, no storage
    configuration): the service keeps the vectors, there is nothing to provision and its role needs no
    store permission (user guide, "Create a service role for managed Amazon Bedrock Knowledge
    Bases"). Its data sources are managed connectors (:class:`~bedrock_platform.constructs.DataSource`
    builds their ``connectorParameters``), with the service's parsing and chunking. Offered in
    :data:`bedrock_platform.spec.vector_stores.MANAGED_REGIONS`.

    :param dimensions: the embedding model's dimensions (a catalogued model, chosen as ``CUSTOM``).
    """

    def __init__(self, *, dimensions: int) -> None:
        self.dimensions = dimensions

    def fingerprint_parts(self) -> tuple[str | None, str, tuple[str, ...], str]:
        """(container, index, fields, storage type) for a knowledge base's name fingerprint."""
        return None, "", (), spec.MANAGED_STORE_TYPE.upper()

    def grant_knowledge_base(self, role: iam.IRole) -> None:
        """Nothing: the service's own storage."""
        return None
