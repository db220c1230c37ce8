"""The vector index a knowledge base writes to: native ``AWS::OpenSearchServerless::Index``."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_opensearchserverless as aoss
from constructs import Construct

from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.vector_collection import IVectorCollection

_INDEX_NAME = re.compile(r"^(?![_-])[a-z][a-z0-9_-]*$")

DEFAULT_VECTOR_FIELD = "bedrock-knowledge-base-default-vector"
DEFAULT_TEXT_FIELD = "AMAZON_BEDROCK_TEXT_CHUNK"
DEFAULT_METADATA_FIELD = "AMAZON_BEDROCK_METADATA"


class VectorIndex(Construct):
    """A k-NN index with a faiss/HNSW ``knn_vector`` field, the text field and the metadata field.

    No Lambda and no Docker: CloudFormation creates and updates it. It depends on the
    collection's data access policy, which lets the deploying principal create it.
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
        space_type: str = "l2",
        ef_construction: int = 512,
        m: int = 16,
        ef_search: int = 512,
    ) -> None:
        """Create the index in ``collection``.

        :param collection: the collection that holds the index, created
            (:class:`VectorCollection`) or imported (``VectorCollection.from_collection_attributes``).
        :param index_name: lowercase, starting with a letter (``[a-z][a-z0-9_-]*``).
        :param dimensions: vector dimensions, 1 to 4096; must equal the embedding model's.
        :param vector_field: Default ``bedrock-knowledge-base-default-vector``.
        :param text_field: Default ``AMAZON_BEDROCK_TEXT_CHUNK`` (what Bedrock writes).
        :param metadata_field: Default ``AMAZON_BEDROCK_METADATA`` (stored, not indexed).
        :param space_type: distance function. Default ``l2`` (faiss).
        :param ef_construction: HNSW build-time list size. Default 512.
        :param m: HNSW neighbours per node, 2 to 100. Default 16.
        :param ef_search: HNSW query-time list size. Default 512.
        """
        super().__init__(scope, id)
        problems = []
        if not cdk.Token.is_unresolved(index_name) and not _INDEX_NAME.match(index_name):
            problems.append(f"index_name '{index_name}' must match {_INDEX_NAME.pattern}")
        if not 1 <= dimensions <= 4096:
            problems.append(f"dimensions is {dimensions}, must be 1 to 4096")
        if not 2 <= m <= 100:
            problems.append(f"m is {m}, must be 2 to 100")
        if space_type not in ("l2", "innerproduct"):
            problems.append(f"space_type '{space_type}' is not one faiss supports (l2, innerproduct)")
        if problems:
            raise ConstructValidationError(f"VectorIndex '{id}': " + "; ".join(problems))

        self.collection = collection
        self.index_name = index_name
        self.dimensions = dimensions
        self.vector_field = vector_field
        self.text_field = text_field
        self.metadata_field = metadata_field
        self.resource = aoss.CfnIndex(
            self,
            "Resource",
            collection_endpoint=collection.collection_endpoint,
            index_name=index_name,
            settings=aoss.CfnIndex.IndexSettingsProperty(
                index=aoss.CfnIndex.IndexProperty(knn=True, knn_algo_param_ef_search=ef_search)
            ),
            mappings=aoss.CfnIndex.MappingsProperty(
                properties={
                    vector_field: aoss.CfnIndex.PropertyMappingProperty(
                        type="knn_vector",
                        dimension=dimensions,
                        method=aoss.CfnIndex.MethodProperty(
                            name="hnsw",
                            engine="faiss",
                            space_type=space_type,
                            parameters=aoss.CfnIndex.ParametersProperty(ef_construction=ef_construction, m=m),
                        ),
                    ),
                    text_field: aoss.CfnIndex.PropertyMappingProperty(type="text", index=True),
                    metadata_field: aoss.CfnIndex.PropertyMappingProperty(type="text", index=False),
                }
            ),
        )
        self.resource.node.add_dependency(collection.data_access_policy)
