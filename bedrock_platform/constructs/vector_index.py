"""The vector index a knowledge base writes to, created by CloudFormation itself (no Lambda).

Two CloudFormation types create an index, and which one works depends on the collection's network:

- ``AWS::OpenSearchServerless::Index`` sends the index's mapping to the collection's own endpoint
  (its ``CollectionEndpoint``) from CloudFormation's side, so it works only when the collection's
  network policy admits the public network;
- ``AWS::OpenSearchServerless::CollectionIndex`` calls the control-plane ``CreateIndex`` API of
  OpenSearch Serverless (``aoss:CreateIndex``, ``aoss:GetIndex``, ``aoss:APIAccessAll``, per its
  resource schema), which the collection's network policy does not gate; a collection reachable
  only through VPC endpoints and Bedrock (``AllowFromPublic: false``) needs it. It exists in fewer
  Regions (:data:`bedrock_platform.spec.vector_stores.COLLECTION_INDEX_REGIONS`) and its ``IndexSchema``
  is at most 2,480 characters.

Both are authorized by the collection's data access policy (the deploying principal's
``aoss:CreateIndex``/``aoss:DescribeIndex``/``aoss:UpdateIndex``/``aoss:DeleteIndex`` on the index),
which the index depends on.
"""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_opensearchserverless as aoss
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.vector_collection import IVectorCollection
from bedrock_platform.spec import vector_stores as stores_spec
from bedrock_platform.spec.vector_stores import (
    DEFAULT_EF_CONSTRUCTION,
    DEFAULT_EF_SEARCH,
    DEFAULT_M,
    DEFAULT_METADATA_FIELD,
    DEFAULT_SPACE_TYPE,
    DEFAULT_TEXT_FIELD,
    DEFAULT_VECTOR_FIELD,
    MAX_INDEX_SCHEMA,
)


class VectorIndex(Construct):
    """A k-NN index with a faiss/HNSW ``knn_vector`` field, the text field and the metadata field.

    No Lambda and no Docker: CloudFormation creates and updates it, through the collection's endpoint
    (``AWS::OpenSearchServerless::Index``) or, for a private collection, through the control-plane
    ``CreateIndex`` API (``AWS::OpenSearchServerless::CollectionIndex``); see the module docstring.
    It depends on the collection's data access policy, which lets the deploying principal create it.

    Its AWS name is ``<index_name>-<fingerprint>``, the fingerprint six hex digits over what the
    index cannot change in place (dimensions, fields, method, the API that creates it): a change
    creates a new index under a new name, where the same name would fail with "already exists" (and
    OpenSearch refuses to change a ``knn_vector`` field's dimension in place).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        collection: IVectorCollection,
        index_name: str,
        dimensions: int,
        vector_field: str = DEFAULT_VECTOR_FIELD,
        text_field: str = DEFAULT_TEXT_FIELD,
        metadata_field: str = DEFAULT_METADATA_FIELD,
        space_type: str = DEFAULT_SPACE_TYPE,
        ef_construction: int = DEFAULT_EF_CONSTRUCTION,
        m: int = DEFAULT_M,
        ef_search: int = DEFAULT_EF_SEARCH,
        control_plane: bool | None = None,
    ) -> None:
        """Create the index in ``collection``.

        :param collection: the collection that holds the index, created
            (:class:`VectorCollection`) or imported (``VectorCollection.from_collection_attributes``).
        :param index_name: the name before the fingerprint: lowercase, starting with a letter
            (``[a-z][a-z0-9_-]*``).
        :param dimensions: vector dimensions, 1 to 4096; must equal the embedding model's.
        :param vector_field: Default ``bedrock-knowledge-base-default-vector``.
        :param text_field: Default ``AMAZON_BEDROCK_TEXT_CHUNK`` (what Bedrock writes).
        :param metadata_field: Default ``AMAZON_BEDROCK_METADATA`` (stored, not indexed).
        :param space_type: distance function. Default ``l2`` (faiss).
        :param ef_construction: HNSW build-time list size. Default 512.
        :param m: HNSW neighbours per node, 2 to 100. Default 16.
        :param ef_search: HNSW query-time list size (a setting, updated in place). Default 512.
        :param control_plane: create the index through the control-plane ``CreateIndex`` API
            (``AWS::OpenSearchServerless::CollectionIndex``). Default: when the collection is private
            (``collection.private``), which only that path reaches.
        """
        super().__init__(scope, id)
        known_name = None if cdk.Token.is_unresolved(index_name) else index_name
        problems = stores_spec.index_problems(known_name, dimensions, m, space_type)
        if problems:
            raise ConstructValidationError(f"VectorIndex '{id}': " + "; ".join(problems))

        self.collection = collection
        self.control_plane = collection.private if control_plane is None else control_plane
        self.dimensions = dimensions
        self.vector_field = vector_field
        self.text_field = text_field
        self.metadata_field = metadata_field
        method = stores_spec.hnsw_method(space_type, ef_construction, m)
        self.fingerprint = stores_spec.index_fingerprint(
            dimensions, (vector_field, text_field, metadata_field), method, control_plane=self.control_plane
        )
        self.index_name = f"{index_name}-{self.fingerprint}"
        """The index's AWS name: ``<index_name>-<fingerprint>``."""
        self.resource: cdk.CfnResource
        if self.control_plane:
            index_schema = json.dumps(
                {
                    "settings": {"index": {"knn": True, "knn.algo_param.ef_search": ef_search}},
                    "mappings": {
                        "properties": {
                            vector_field: {"type": "knn_vector", "dimension": dimensions, "method": method},
                            text_field: {"type": "text", "index": True},
                            metadata_field: {"type": "text", "index": False},
                        }
                    },
                },
                separators=(",", ":"),
            )
            if len(index_schema) > MAX_INDEX_SCHEMA:
                raise ConstructValidationError(
                    f"VectorIndex '{id}': the index schema is {len(index_schema)} characters, "
                    f"at most {MAX_INDEX_SCHEMA} through the control plane (shorten the field names)"
                )
            # A distinct logical id: CloudFormation refuses to change a resource's type in place.
            self.resource = aoss.CfnCollectionIndex(
                self,
                "CollectionIndex",
                id=collection.collection_id,
                index_name=self.index_name,
                index_schema=index_schema,
            )
        else:
            self.resource = self._endpoint_index(collection, method, ef_search)
        self.resource.node.add_dependency(collection.data_access_policy)

    def _endpoint_index(
        self, collection: IVectorCollection, method: dict[str, Any], ef_search: int
    ) -> aoss.CfnIndex:
        return aoss.CfnIndex(
            self,
            "Resource",
            collection_endpoint=collection.collection_endpoint,
            index_name=self.index_name,
            settings=aoss.CfnIndex.IndexSettingsProperty(
                index=aoss.CfnIndex.IndexProperty(knn=True, knn_algo_param_ef_search=ef_search)
            ),
            mappings=aoss.CfnIndex.MappingsProperty(
                properties={
                    self.vector_field: aoss.CfnIndex.PropertyMappingProperty(
                        type="knn_vector",
                        dimension=self.dimensions,
                        method=aoss.CfnIndex.MethodProperty(
                            name=method["name"],
                            engine=method["engine"],
                            space_type=method["space_type"],
                            parameters=aoss.CfnIndex.ParametersProperty(**method["parameters"]),
                        ),
                    ),
                    self.text_field: aoss.CfnIndex.PropertyMappingProperty(type="text", index=True),
                    self.metadata_field: aoss.CfnIndex.PropertyMappingProperty(type="text", index=False),
                }
            ),
        )
