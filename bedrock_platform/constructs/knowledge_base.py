"""Bedrock vector knowledge bases on OpenSearch Serverless or Amazon S3 Vectors, with a least-privilege
service role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from bedrock_platform import permissions
from bedrock_platform.constructs.aurora import AuroraVectorStore
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.managed_storage import ManagedStorage
from bedrock_platform.constructs.nag import acknowledge_wildcard
from bedrock_platform.constructs.s3_vectors import S3VectorIndexBase
from bedrock_platform.constructs.service_role import (
    bedrock_service_role,
    grant_bucket_key,
    invoked_model_arns,
)
from bedrock_platform.constructs.vector_index import VectorIndex
from bedrock_platform.spec import knowledge_base as knowledge_base_spec
from bedrock_platform.spec import names as names_spec
from bedrock_platform.spec import vector_stores as stores_spec

_NAME = names_spec.BEDROCK_NAME


class IKnowledgeBase(Protocol):
    """A knowledge base, created here or imported."""

    @property
    def knowledge_base_id(self) -> str: ...
    @property
    def knowledge_base_arn(self) -> str: ...

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant: ...
    def grant_retrieve(self, grantee: iam.IGrantable, *, generate: bool = True) -> iam.Grant: ...


class _KnowledgeBaseBase(Construct):
    """What created and imported knowledge bases share: identifiers and grants."""

    knowledge_base_id: str
    knowledge_base_arn: str

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """Grant ``actions`` on this knowledge base to ``grantee``."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(actions), resource_arns=[self.knowledge_base_arn]
        )

    def grant_retrieve(self, grantee: iam.IGrantable, *, generate: bool = True) -> iam.Grant:
        """Let an application query this knowledge base: ``Retrieve`` on it and, with ``generate``,
        ``RetrieveAndGenerate``, which IAM authorizes only on ``*`` (the IAM reference gives it no
        resource type; the user guide's "Autorisations pour discuter avec votre document" grants
        it so, with ``Retrieve`` on the knowledge base, which is what limits it to this one).

        RetrieveAndGenerate also needs ``bedrock:InvokeModel`` on the model that generates the
        answer; grant that on the model, it is not part of the knowledge base.
        """
        grant = self.grant(grantee, *permissions.KNOWLEDGE_BASE_RETRIEVE_ACTIONS)
        if not generate:
            return grant
        generating = iam.Grant.add_to_principal(
            grantee=grantee, actions=list(permissions.RETRIEVE_AND_GENERATE_ACTIONS), resource_arns=["*"]
        )
        if generating.principal_statement is not None and isinstance(grantee, Construct):
            acknowledge_wildcard(
                grantee,
                "*",
                "RetrieveAndGenerate is authorized on no resource type (IAM reference); "
                "Retrieve on the one knowledge base is what scopes it.",
            )
        return grant.combine(generating)


class KnowledgeBase(_KnowledgeBaseBase):
    """A ``VECTOR`` knowledge base storing its embeddings in an OpenSearch Serverless index or an S3
    Vectors index.

    Its service role trusts Bedrock only for this account and for knowledge bases of this
    account and Region (``aws:SourceAccount``, ``aws:SourceArn``), and may only invoke the
    embedding model and use its own index: the data plane of its collection (``aoss:APIAccessAll``
    there) and the index in its data access policy, or the ``s3vectors:`` actions Bedrock needs on
    its S3 Vectors index (and the vector bucket's key); data sources add read access to their
    buckets. The knowledge base is created after the index and after the role's policy, so
    Bedrock's checks at creation pass.

    Its AWS name is ``<knowledge_base_name>-<fingerprint>``, six hex digits over its create-only
    settings (embedding model and dimensions, collection, index and field mapping): changing one
    replaces the knowledge base, and the new name keeps CloudFormation from failing with "already
    exists" while the old one is still there. Applications find it by its id
    (:attr:`knowledge_base_id`), not by its name.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base_name: str,
        vector_index: VectorIndex | S3VectorIndexBase | AuroraVectorStore | ManagedStorage,
        embedding_model_id: str,
        description: str | None = None,
        configure_dimensions: bool = True,
        tags: dict[str, str] | None = None,
        multimodal_storage: s3.IBucket | None = None,
        segmentation: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        """Create the knowledge base, its role and its data access grant.

        :param knowledge_base_name: the name before the fingerprint; with it,
            ``([0-9a-zA-Z][_-]?){1,100}`` (so at most 93 characters, ending with a letter or digit).
        :param vector_index: the index it writes to, in an OpenSearch Serverless collection
            (:class:`VectorIndex`), an S3 Vectors bucket (:class:`S3VectorIndex`) or an Aurora
            PostgreSQL table (:class:`AuroraVectorStore`); its store and dimensions are used.
        :param embedding_model_id: foundation model id, e.g. ``amazon.titan-embed-text-v2:0``.
        :param description: 1 to 200 characters. Default: none.
        :param configure_dimensions: pass the index's dimensions to the embedding model (for models
            with a choice of dimensions). Default: True.
        :param tags: tags of the knowledge base itself. Default: none (stack tags still apply).
        :param multimodal_storage: the bucket where multimodal parsing keeps the images and figures it
            extracts (the knowledge base's supplemental data storage, create-only); the role may read,
            write and delete objects in it. A native multimodal embedding model
            (:data:`bedrock_platform.spec.knowledge_base.NATIVE_MULTIMODAL_MODELS`) needs one: the
            knowledge base processes the files there. Default: none.
        :param segmentation: a native multimodal embedding model's audio and video segments:
            ``{"video": ("dynamic", 4), "audio": ("fixed", 10)}`` (method and seconds, see
            :data:`bedrock_platform.spec.knowledge_base.SEGMENTATION_METHODS`); a medium left out gets
            the model's default. Default: the model's defaults.
        """
        super().__init__(scope, id)
        self.native_multimodal = knowledge_base_spec.is_native_multimodal(embedding_model_id)
        """Whether the embedding model takes whole files (native multimodal processing: Retrieve only,
        its data sources parse with MULTI_MODAL_EMBEDDINGS)."""
        model_configuration = (
            knowledge_base_spec.model_configuration(dict(segmentation))
            if self.native_multimodal and segmentation
            else None
        )
        managed = isinstance(vector_index, ManagedStorage)
        if managed:
            # User guide, "Create a managed knowledge base": with a custom embedding model "you must
            # specify the model dimensions (1024) and float32 embedding data type".
            configure_dimensions = True
        dimensions = vector_index.dimensions if configure_dimensions else None
        if isinstance(vector_index, S3VectorIndexBase | AuroraVectorStore | ManagedStorage):
            container, index, fields, storage_type = vector_index.fingerprint_parts()
            self.fingerprint = knowledge_base_spec.name_fingerprint(
                embedding_model=embedding_model_id,
                dimensions=dimensions,
                collection=container,
                index=index,
                fields=fields,
                storage=storage_type,
                supplemental_storage=_storage_identity(multimodal_storage),
                model_configuration=model_configuration,
            )
        else:
            collection = vector_index.collection
            self.fingerprint = knowledge_base_spec.name_fingerprint(
                embedding_model=embedding_model_id,
                dimensions=dimensions,
                collection=None
                if cdk.Token.is_unresolved(collection.collection_name)
                else collection.collection_name,
                index=vector_index.index_name,
                fields=(vector_index.vector_field, vector_index.text_field, vector_index.metadata_field),
                supplemental_storage=_storage_identity(multimodal_storage),
            )
        name = f"{knowledge_base_name}-{self.fingerprint}"
        problems = []
        if not cdk.Token.is_unresolved(knowledge_base_name) and not _NAME.match(name):
            problems.append(f"knowledge base name '{name}' must match {_NAME.pattern}")
        description_problem = knowledge_base_spec.description_problem(description)
        if description_problem:
            problems.append(description_problem)
        problems += _native_multimodal_problems(
            self.native_multimodal, vector_index, multimodal_storage, segmentation
        )
        if problems:
            raise ConstructValidationError(f"KnowledgeBase '{id}': " + "; ".join(problems))

        self.vector_index = vector_index
        self.embedding_model_arn, invoked, _ = invoked_model_arns(self, embedding_model_id)
        """What the knowledge base names: the model's ARN, or its system inference profile's."""
        self.role = bedrock_service_role(
            self,
            "ServiceRole",
            source_resource="knowledge-base",
            description=f"Service role of Bedrock knowledge base {name}",
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.EMBEDDING_MODEL_ACTIONS), resources=list(invoked))
        )
        if self.native_multimodal:
            self._grant_asynchronous_invocations()
        # The guide's knowledge base role ("Autorisations d'accès aux modèles Amazon Bedrock") also
        # lists the models, which IAM authorizes on "*" only.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.MODEL_LIST_ACTIONS), resources=["*"])
        )
        acknowledge_wildcard(
            self.role,
            "*",
            "ListFoundationModels and ListCustomModels (read-only, in the user guide's knowledge base "
            "role) are authorized on no resource type.",
        )
        storage: bedrock.CfnKnowledgeBase.StorageConfigurationProperty | None
        self.managed = isinstance(vector_index, ManagedStorage)
        """Whether it is a MANAGED knowledge base (the service's storage, managed connectors)."""
        if isinstance(vector_index, ManagedStorage):
            storage = None
        elif isinstance(vector_index, S3VectorIndexBase | AuroraVectorStore):
            vector_index.grant_knowledge_base(self.role)
            storage = vector_index.storage_configuration()
        else:
            vector_index.collection.grant_api_access(self.role)
            vector_index.collection.grant_data_access(
                self.role.role_arn,
                index_name=vector_index.index_name,
                index_permissions=permissions.KNOWLEDGE_BASE_INDEX_PERMISSIONS,
            )
            storage = _opensearch_storage(vector_index)

        supplemental = None
        self.multimodal_storage = multimodal_storage
        self.multimodal_storage_key = multimodal_storage.encryption_key if multimodal_storage else None
        """The key of the multimodal storage bucket, if any (Data Automation parsing needs it too)."""
        if multimodal_storage is not None:
            self._grant_multimodal_storage(multimodal_storage)
            supplemental = bedrock.CfnKnowledgeBase.SupplementalDataStorageConfigurationProperty(
                supplemental_data_storage_locations=[
                    bedrock.CfnKnowledgeBase.SupplementalDataStorageLocationProperty(
                        supplemental_data_storage_location_type="S3",
                        s3_location=bedrock.CfnKnowledgeBase.S3LocationProperty(
                            uri=f"s3://{multimodal_storage.bucket_name}"
                        ),
                    )
                ]
            )
        embedding_configuration = None
        if dimensions is not None or model_configuration is not None:
            embedding_configuration = bedrock.CfnKnowledgeBase.EmbeddingModelConfigurationProperty(
                bedrock_embedding_model_configuration=bedrock.CfnKnowledgeBase.BedrockEmbeddingModelConfigurationProperty(
                    dimensions=dimensions,
                    embedding_data_type=stores_spec.MANAGED_EMBEDDING_DATA_TYPE if managed else None,
                    model_configuration=model_configuration,
                )
            )
        self.resource = bedrock.CfnKnowledgeBase(
            self,
            "Resource",
            name=name,
            description=description,
            role_arn=self.role.role_arn,
            knowledge_base_configuration=(
                bedrock.CfnKnowledgeBase.KnowledgeBaseConfigurationProperty(
                    type="MANAGED",
                    managed_knowledge_base_configuration=bedrock.CfnKnowledgeBase.ManagedKnowledgeBaseConfigurationProperty(
                        embedding_model_type="CUSTOM",
                        embedding_model_arn=self.embedding_model_arn,
                        embedding_model_configuration=embedding_configuration,
                        supplemental_data_storage_configuration=supplemental,
                    ),
                )
                if self.managed
                else bedrock.CfnKnowledgeBase.KnowledgeBaseConfigurationProperty(
                    type="VECTOR",
                    vector_knowledge_base_configuration=bedrock.CfnKnowledgeBase.VectorKnowledgeBaseConfigurationProperty(
                        embedding_model_arn=self.embedding_model_arn,
                        embedding_model_configuration=embedding_configuration,
                        supplemental_data_storage_configuration=supplemental,
                    ),
                )
            ),
            storage_configuration=storage,
            tags=tags,
        )
        # Bedrock checks the role's access to the index when it creates the knowledge base. An S3
        # Vectors index it names by its ARN already (a DependsOn would be cfn-lint's W3005).
        if isinstance(vector_index, VectorIndex):
            self.resource.node.add_dependency(vector_index)
        self.role_policy: IConstruct = self.role.node.find_child("DefaultPolicy")
        """The role's policy (``AWS::IAM::Policy``) that holds its grants, data sources' included."""
        self.resource.node.add_dependency(self.role_policy)
        self.knowledge_base_name = name
        """The knowledge base's AWS name: ``<knowledge_base_name>-<fingerprint>``."""
        self.knowledge_base_id = self.resource.attr_knowledge_base_id
        self.knowledge_base_arn = self.resource.attr_knowledge_base_arn

    def _grant_asynchronous_invocations(self) -> None:
        """A native multimodal model embeds files through asynchronous invocations (StartAsyncInvoke,
        authorized as InvokeModel on the model and the invocation) that the knowledge base then reads
        (GetAsyncInvoke): the user guide's managed knowledge base role, "Permissions to access Amazon
        Bedrock models", on ``async-invoke/*`` of its account and Region."""
        invocations = cdk.Stack.of(self).format_arn(
            service="bedrock",
            resource="async-invoke",
            resource_name="*",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(knowledge_base_spec.ASYNC_INVOKE_ACTIONS), resources=[invocations]
            )
        )
        acknowledge_wildcard(
            self.role,
            invocations,
            "The asynchronous invocations the knowledge base starts to embed its files: their ids are the "
            "service's, made at ingestion.",
        )

    def _grant_multimodal_storage(self, bucket: s3.IBucket) -> None:
        """The role reads, writes and deletes the extracted images in the bucket (the user guide's
        "Multimodal storage permissions": standard S3 permissions on the storage bucket), and uses its
        key; Bedrock checks them when it creates the knowledge base, after the role's policy."""
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.S3_LIST_ACTIONS), resources=[bucket.bucket_arn])
        )
        objects = bucket.arn_for_objects("*")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.MULTIMODAL_STORAGE_ACTIONS), resources=[objects])
        )
        acknowledge_wildcard(
            self.role, objects, "The images and figures multimodal parsing extracts into this one bucket."
        )
        if bucket.encryption_key is not None:
            grant_bucket_key(self.role, bucket.encryption_key)

    @classmethod
    def from_knowledge_base_attributes(
        cls, scope: Construct, id: str, *, knowledge_base_id: str
    ) -> IKnowledgeBase:
        """Use an existing knowledge base of this account and Region by its id."""
        return _ImportedKnowledgeBase(scope, id, knowledge_base_id=knowledge_base_id)

    @classmethod
    def from_knowledge_base_arn(cls, scope: Construct, id: str, knowledge_base_arn: str) -> IKnowledgeBase:
        """Use an existing knowledge base by its ARN."""
        knowledge_base_id = cdk.Arn.split(knowledge_base_arn, cdk.ArnFormat.SLASH_RESOURCE_NAME).resource_name
        imported = _ImportedKnowledgeBase(scope, id, knowledge_base_id=knowledge_base_id or "")
        imported.knowledge_base_arn = knowledge_base_arn
        return imported


def _opensearch_storage(index: VectorIndex) -> bedrock.CfnKnowledgeBase.StorageConfigurationProperty:
    return bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
        type="OPENSEARCH_SERVERLESS",
        opensearch_serverless_configuration=bedrock.CfnKnowledgeBase.OpenSearchServerlessConfigurationProperty(
            collection_arn=index.collection.collection_arn,
            vector_index_name=index.index_name,
            field_mapping=bedrock.CfnKnowledgeBase.OpenSearchServerlessFieldMappingProperty(
                vector_field=index.vector_field,
                text_field=index.text_field,
                metadata_field=index.metadata_field,
            ),
        ),
    )


class _ImportedKnowledgeBase(_KnowledgeBaseBase):
    def __init__(self, scope: Construct, id: str, *, knowledge_base_id: str) -> None:
        super().__init__(scope, id)
        self.knowledge_base_id = knowledge_base_id
        self.knowledge_base_arn = cdk.Stack.of(self).format_arn(
            service="bedrock", resource="knowledge-base", resource_name=knowledge_base_id
        )


def _native_multimodal_problems(
    native: bool,
    vector_index: object,
    multimodal_storage: s3.IBucket | None,
    segmentation: Mapping[str, tuple[str, int]] | None,
) -> list[str]:
    """What a native multimodal embedding model needs (user guide, "Native multimodal processing"),
    and segmentation only for one."""
    if not native:
        problems = (
            ["segmentation applies to a native multimodal embedding model only"] if segmentation else []
        )
        dimensions = getattr(vector_index, "dimensions", None)
        if isinstance(vector_index, ManagedStorage) and dimensions != stores_spec.MANAGED_TEXT_DIMENSIONS:
            problems.append(
                "a managed knowledge base's custom embedding model embeds "
                f"{stores_spec.MANAGED_TEXT_DIMENSIONS} dimensions, not {dimensions}"
            )
        return problems
    problems = []
    if not isinstance(vector_index, ManagedStorage):
        problems.append(
            "a native multimodal embedding model is for a managed knowledge base (ManagedStorage)"
        )
    if multimodal_storage is None:
        problems.append(
            "a native multimodal embedding model needs multimodal_storage (its processing destination)"
        )
    for medium, (method, seconds) in (segmentation or {}).items():
        problems += knowledge_base_spec.segmentation_problems(medium, method, seconds)
    return problems


def _storage_identity(bucket: s3.IBucket | None) -> str | None:
    """What the name fingerprint knows of a multimodal storage bucket: its name, or its construct path in
    its stack when the name is known at deploy time only (the same in an app and in a pipeline stage)."""
    if bucket is None:
        return None
    if cdk.Token.is_unresolved(bucket.bucket_name):
        stack = cdk.Stack.of(bucket).node.path
        return bucket.node.path.removeprefix(f"{stack}/")
    return bucket.bucket_name
