"""OpenSearch Serverless vector collections and their security and data access policies."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_opensearchserverless as aoss
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.spec import names as names_spec
from bedrock_platform.spec import vector_stores

_VPC_ENDPOINT = re.compile(r"^vpce-[0-9a-z]{8,32}$")


class IVectorCollection(Protocol):
    """What knowledge bases and indexes need from a collection, created here or imported."""

    @property
    def collection_name(self) -> str: ...
    @property
    def collection_id(self) -> str: ...
    @property
    def collection_arn(self) -> str: ...
    @property
    def private(self) -> bool:
        """True when the collection's network policy admits no public access (only VPC endpoints)."""
        ...

    @property
    def collection_endpoint(self) -> str: ...
    @property
    def data_access_policy(self) -> Construct: ...

    def grant_data_access(
        self,
        principal_arn: str,
        *,
        index_name: str = "*",
        index_permissions: Sequence[str] = permissions.INDEX_READ_WRITE_PERMISSIONS,
        collection_permissions: Sequence[str] = permissions.COLLECTION_DESCRIBE_PERMISSIONS,
    ) -> None: ...

    def grant_api_access(self, grantee: iam.IGrantable) -> iam.Grant: ...


@dataclass(frozen=True)
class _AccessRule:
    principal_arn: str
    index_name: str
    index_permissions: tuple[str, ...]
    collection_permissions: tuple[str, ...]


class _DataAccessPolicy(Construct):
    """A data access policy whose rules are the grants made on the collection.

    Principals are always named (never ``*``); each grant becomes one statement scoped to the
    index it names.
    """

    def __init__(
        self, scope: Construct, id: str, *, collection_name: str, policy_name: str, first_rule: _AccessRule
    ) -> None:
        super().__init__(scope, id)
        self._collection_name = collection_name
        self._rules: list[_AccessRule] = [first_rule]
        self.resource = aoss.CfnAccessPolicy(
            self,
            "Resource",
            name=policy_name,
            type="data",
            description=f"Data access to collection {collection_name}, granted by bedrock-platform",
            policy=self._render(),
        )

    def add(self, rule: _AccessRule) -> None:
        """Add a grant; the policy document is rendered again."""
        if rule not in self._rules:
            self._rules.append(rule)
            self.resource.policy = self._render()

    def _render(self) -> str:
        statements: list[dict[str, Any]] = []
        for rule in self._rules:
            rules: list[dict[str, Any]] = []
            if rule.collection_permissions:
                rules.append(
                    {
                        "ResourceType": "collection",
                        "Resource": [f"collection/{self._collection_name}"],
                        "Permission": list(rule.collection_permissions),
                    }
                )
            if rule.index_permissions:
                rules.append(
                    {
                        "ResourceType": "index",
                        "Resource": [f"index/{self._collection_name}/{rule.index_name}"],
                        "Permission": list(rule.index_permissions),
                    }
                )
            statements.append({"Rules": rules, "Principal": [rule.principal_arn]})
        return cdk.Stack.of(self).to_json_string(statements)


class _VectorCollectionBase(Construct):
    """What created and imported collections share: ARNs, grants, the data access policy."""

    collection_name: str
    collection_id: str
    collection_arn: str
    collection_endpoint: str
    private: bool = False
    """True when the collection's network policy admits no public access: its indexes are then
    created through the control-plane API (see :class:`VectorIndex`)."""
    _access_policy: _DataAccessPolicy | None = None

    def _new_access_policy(self, policy_name: str, deployer_arn: str) -> _DataAccessPolicy:
        """Create the data access policy; the deploying principal may manage every index."""
        deployer = _AccessRule(
            deployer_arn,
            "*",
            permissions.INDEX_ADMIN_PERMISSIONS,
            permissions.COLLECTION_DESCRIBE_PERMISSIONS,
        )
        self._access_policy = _DataAccessPolicy(
            self,
            "DataAccessPolicy",
            collection_name=self.collection_name,
            policy_name=policy_name,
            first_rule=deployer,
        )
        return self._access_policy

    @property
    def data_access_policy(self) -> Construct:
        """The data access policy construct that indexes and knowledge bases depend on."""
        return self._ensure_access_policy()

    def _ensure_access_policy(self) -> _DataAccessPolicy:
        raise NotImplementedError

    def grant_data_access(
        self,
        principal_arn: str,
        *,
        index_name: str = "*",
        index_permissions: Sequence[str] = permissions.INDEX_READ_WRITE_PERMISSIONS,
        collection_permissions: Sequence[str] = permissions.COLLECTION_DESCRIBE_PERMISSIONS,
    ) -> None:
        """Add the principal to the collection's data access policy for one index (or ``*``)."""
        self._ensure_access_policy().add(
            _AccessRule(principal_arn, index_name, tuple(index_permissions), tuple(collection_permissions))
        )

    def grant_api_access(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let the grantee call the collection's data plane (``aoss:APIAccessAll`` on this collection)."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(permissions.COLLECTION_API_ACTIONS),
            resource_arns=[self.collection_arn],
        )


def cloudformation_execution_role_arn(scope: Construct) -> str:
    """The ARN of the role CloudFormation deploys with (the bootstrap's execution role).

    The vector index is created by CloudFormation under that role, so it must be in the data
    access policy. Raises when the stack's synthesizer has no such role.
    """
    synthesizer = cdk.Stack.of(scope).synthesizer
    if not isinstance(synthesizer, cdk.DefaultStackSynthesizer):
        raise ConstructValidationError(
            "the stack does not use the DefaultStackSynthesizer; pass deployment_principal_arn explicitly"
        )
    arn = synthesizer.cloud_formation_execution_role_arn
    return (
        arn.replace("${AWS::Partition}", cdk.Aws.PARTITION)
        .replace("${AWS::AccountId}", cdk.Aws.ACCOUNT_ID)
        .replace("${AWS::Region}", cdk.Aws.REGION)
    )


class VectorCollection(_VectorCollectionBase):
    """An OpenSearch Serverless ``VECTORSEARCH`` collection with its three policies.

    - encryption policy: the AWS owned key, or the customer managed key ``kms_key_arn``;
    - network policy: public, or only through ``vpc_endpoints`` (Bedrock reaches a private
      collection as a source service);
    - data access policy: built from the grants (``grant_data_access``), never ``*``; the
      deploying principal may manage indexes.

    The collection carries no tags: collection tags are create-only, so a tag change would
    replace the collection and lose its vectors.

    Its AWS name (and its policies') is ``<collection_name>-<fingerprint>``
    (:func:`bedrock_platform.spec.vector_stores.collection_name`): a change of its standby replicas or
    encryption key replaces it under a new name, where the same name would fail with "already exists".
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        collection_name: str,
        description: str | None = None,
        standby_replicas: bool = False,
        deletion_protection: bool = False,
        kms_key_arn: str | None = None,
        vpc_endpoints: Sequence[str] = (),
        deployment_principal_arn: str | None = None,
    ) -> None:
        """Create the collection.

        :param collection_name: the name before the fingerprint: 3 to 25 characters,
            ``[a-z][a-z0-9-]*`` (the AWS name, 7 characters longer, also names the policies).
        :param description: collection description. Default: none.
        :param standby_replicas: standby replicas in a second AZ (twice the OCUs). Default: False.
        :param deletion_protection: deletion protection on, and the collection is retained when
            it leaves the stack. Default: False.
        :param kms_key_arn: customer managed key for encryption at rest. Default: AWS owned key.
        :param vpc_endpoints: OpenSearch Serverless VPC endpoint ids; when given the collection is
            not reachable from the internet. Default: public.
        :param deployment_principal_arn: who creates indexes. Default: the bootstrap's
            CloudFormation execution role.
        """
        super().__init__(scope, id)
        base = collection_name
        collection_name = vector_stores.collection_name(
            base,
            standby_replicas=standby_replicas,
            kms_key_arn=None if kms_key_arn is None or cdk.Token.is_unresolved(kms_key_arn) else kms_key_arn,
        )
        problems = []
        problem = (
            None if cdk.Token.is_unresolved(base) else names_spec.collection_name_problem(collection_name)
        )
        if problem is not None:
            problems.append(f"collection name '{collection_name}' {problem}")
        problems += [
            f"vpc_endpoints: '{endpoint}' is not a VPC endpoint id (vpce-...)"
            for endpoint in vpc_endpoints
            if not cdk.Token.is_unresolved(endpoint) and not _VPC_ENDPOINT.match(endpoint)
        ]
        if problems:
            raise ConstructValidationError(f"VectorCollection '{id}': " + "; ".join(problems))

        self.collection_name = collection_name
        self.kms_key_arn = kms_key_arn
        self.vpc_endpoints = tuple(vpc_endpoints)
        self.private = bool(vpc_endpoints)

        collection_rule = [{"ResourceType": "collection", "Resource": [f"collection/{collection_name}"]}]
        encryption: dict[str, Any] = {"Rules": collection_rule}
        encryption.update(
            {"AWSOwnedKey": False, "KmsARN": kms_key_arn} if kms_key_arn else {"AWSOwnedKey": True}
        )
        self.encryption_policy = aoss.CfnSecurityPolicy(
            self,
            "EncryptionPolicy",
            name=collection_name,
            type="encryption",
            description=f"Encryption at rest for collection {collection_name}",
            policy=json.dumps(encryption, separators=(",", ":")),
        )
        network: dict[str, Any] = {"Rules": collection_rule}
        if vpc_endpoints:
            network.update(
                {
                    "AllowFromPublic": False,
                    "SourceVPCEs": list(vpc_endpoints),
                    "SourceServices": [permissions.BEDROCK_SERVICE],
                }
            )
        else:
            network["AllowFromPublic"] = True
        self.network_policy = aoss.CfnSecurityPolicy(
            self,
            "NetworkPolicy",
            name=collection_name,
            type="network",
            description=f"Network access to collection {collection_name}",
            policy=json.dumps([network], separators=(",", ":")),
        )
        self.resource = aoss.CfnCollection(
            self,
            "Resource",
            name=collection_name,
            type=vector_stores.COLLECTION_TYPE,
            description=description,
            standby_replicas="ENABLED" if standby_replicas else "DISABLED",
            deletion_protection="ENABLED" if deletion_protection else "DISABLED",
        )
        self.resource.add_resource_dependency(self.encryption_policy)
        self.resource.add_resource_dependency(self.network_policy)
        # The collection's name is fixed: a plain Retain would keep it when a failed first deploy
        # rolls back, and the retry would fail with "already exists". RetainExceptOnCreate deletes it
        # on a create rollback only. The service refuses to delete a collection with deletion
        # protection ENABLED, so for a protected collection the README's recovery applies.
        self.resource.apply_removal_policy(
            cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE if deletion_protection else cdk.RemovalPolicy.DESTROY
        )
        self.collection_arn = self.resource.attr_arn
        self.collection_id = self.resource.attr_id
        self.collection_endpoint = self.resource.attr_collection_endpoint

        self._new_access_policy(
            collection_name, deployment_principal_arn or cloudformation_execution_role_arn(self)
        )

    def _ensure_access_policy(self) -> _DataAccessPolicy:
        assert self._access_policy is not None
        return self._access_policy

    @classmethod
    def from_collection_attributes(
        cls,
        scope: Construct,
        id: str,
        *,
        collection_name: str,
        collection_id: str | None = None,
        collection_arn: str | None = None,
        collection_endpoint: str | None = None,
        access_policy_name: str | None = None,
        deployment_principal_arn: str | None = None,
        private: bool = False,
    ) -> IVectorCollection:
        """Use an existing collection, by its id or by its ARN (one of the two).

        Grants on it go into a data access policy of this stack (data access policies add up),
        named ``access_policy_name`` (default: the collection name cut to 25 characters, a hyphen
        and a hash of the construct path). The deploying principal is granted index management.

        :param collection_name: the collection's name, which its data access policy rules name.
        :param collection_id: the collection's id. Default: the last part of ``collection_arn``.
        :param collection_arn: ``arn:<partition>:aoss:<region>:<account>:collection/<id>``, also a
            token (an SSM parameter's value). Default: built from ``collection_id`` in this stack's
            account and Region.
        :param collection_endpoint: Default: ``https://<id>.<region>.aoss.<url suffix>``.
        :param private: whether the collection's network policy admits no public access (its indexes
            are then created through the control-plane API). Default: False.
        """
        if (collection_id is None) == (collection_arn is None):
            raise ConstructValidationError(
                f"VectorCollection.from_collection_attributes '{id}': give collection_id or collection_arn, "
                "one of the two"
            )
        if collection_id is None:
            arn = cdk.Arn.split(collection_arn or "", cdk.ArnFormat.SLASH_RESOURCE_NAME)
            collection_id = arn.resource_name
        return _ImportedVectorCollection(
            scope,
            id,
            collection_name=collection_name,
            collection_id=collection_id or "",
            collection_arn=collection_arn,
            collection_endpoint=collection_endpoint,
            access_policy_name=access_policy_name,
            deployment_principal_arn=deployment_principal_arn,
            private=private,
        )


class _ImportedVectorCollection(_VectorCollectionBase):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        collection_name: str,
        collection_id: str,
        collection_arn: str | None,
        collection_endpoint: str | None,
        access_policy_name: str | None,
        deployment_principal_arn: str | None,
        private: bool,
    ) -> None:
        super().__init__(scope, id)
        stack = cdk.Stack.of(self)
        self.collection_name = collection_name
        self.collection_id = collection_id
        self.private = private
        self.collection_arn = collection_arn or stack.format_arn(
            service="aoss", resource="collection", resource_name=collection_id
        )
        self.collection_endpoint = collection_endpoint or (
            f"https://{collection_id}.{stack.region}.aoss.{stack.url_suffix}"
        )
        digest = hashlib.sha256(self.node.path.encode()).hexdigest()[:6]
        self._policy_name = access_policy_name or f"{collection_name[:25]}-{digest}"
        self._deployer = deployment_principal_arn

    def _ensure_access_policy(self) -> _DataAccessPolicy:
        if self._access_policy is None:
            self._new_access_policy(
                self._policy_name, self._deployer or cloudformation_execution_role_arn(self)
            )
        assert self._access_policy is not None
        return self._access_policy
