"""What every Bedrock-facing construct needs: foundation model ARNs and Bedrock service roles."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from bedrock_platform import geographies, permissions
from bedrock_platform.constructs.nag import acknowledge_role_policy

__all__ = [
    "bedrock_service_role",
    "foundation_model_arn",
    "grant_bucket_key",
    "grant_secret",
    "invoked_model_arns",
]


def invoked_model_arns(scope: Construct, model: str) -> tuple[str, tuple[str, ...], str | None]:
    """What a request naming ``model`` (a base model id, a system inference profile id or an ARN)
    names, what IAM must allow for it, and the profile's ARN if it is a system profile.

    A system profile: the profile, and the model in the source Region and in each destination Region
    of the profile's geography from there; a global profile, the model in the source Region and the
    Region-less global model ARN (user guide, "IAM policy requirements for Geographic cross-Region
    inference" and "... for global cross-Region inference"; see bedrock_platform.geographies).
    """
    stack = cdk.Stack.of(scope)
    if model.startswith("arn:"):
        return model, (model,), None
    if geographies.inference_profile_geography(model) is not None:
        profile = stack.format_arn(
            service="bedrock",
            resource="inference-profile",
            resource_name=model,
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        region = None if cdk.Token.is_unresolved(stack.region) else stack.region
        models = geographies.inference_profile_model_arns(stack.partition, region, model)
        return profile, (profile, *models), profile
    foundation = foundation_model_arn(scope, model)
    return foundation, (foundation,), None


def foundation_model_arn(scope: Construct, model_id: str) -> str:
    """The ARN of a foundation model in the scope's Region.

    ``arn:<partition>:bedrock:<region>::foundation-model/<id>``
    """
    stack = cdk.Stack.of(scope)
    return stack.format_arn(
        service="bedrock",
        account="",
        resource="foundation-model",
        resource_name=model_id,
        arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
    )


def bedrock_service_role(scope: Construct, id: str, *, source_resource: str, description: str) -> iam.Role:
    """A role Bedrock may assume only for ``source_resource/*`` of this account and Region.

    ``aws:SourceAccount`` and ``aws:SourceArn`` guard against the confused deputy.
    """
    stack = cdk.Stack.of(scope)
    role = iam.Role(
        scope,
        id,
        description=description,
        assumed_by=iam.ServicePrincipal(
            permissions.BEDROCK_SERVICE,
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": stack.format_arn(
                        service="bedrock", resource=source_resource, resource_name="*"
                    )
                },
            },
        ),
    )
    acknowledge_role_policy(role)
    return role


def grant_bucket_key(role: iam.IRole, key: kms.IKey) -> None:
    """Let ``role`` read and write objects encrypted with ``key`` in S3: decrypt and generate data keys,
    through S3 only (``kms:ViaService``)."""
    stack = cdk.Stack.of(role)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(permissions.KMS_ENCRYPT_DECRYPT_ACTIONS),
            resources=[key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"}},
        )
    )


SECRET_READ_ACTIONS: tuple[str, ...] = ("secretsmanager:GetSecretValue",)
SECRET_WRITE_ACTIONS: tuple[str, ...] = ("secretsmanager:PutSecretValue",)
SECRET_KEY_READ_ACTIONS: tuple[str, ...] = ("kms:Decrypt",)
SECRET_KEY_WRITE_ACTIONS: tuple[str, ...] = ("kms:GenerateDataKey",)
"""Writing a secret's value needs a new data key of its key besides decrypting (Secrets Manager user
guide, "Secret encryption and decryption")."""


def grant_secret(role: iam.IRole, secret_arn: str, key: kms.IKey | None, *, write: bool = False) -> None:
    """Let ``role`` read exactly the secret ``secret_arn`` (and put its value with ``write``), and use
    its customer managed ``key`` through Secrets Manager only (``kms:ViaService``), as the user guide's
    knowledge base role statements for Aurora and for connectors give them."""
    actions = [*SECRET_READ_ACTIONS, *(SECRET_WRITE_ACTIONS if write else ())]
    role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=[secret_arn]))
    if key is not None:
        stack = cdk.Stack.of(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[*SECRET_KEY_READ_ACTIONS, *(SECRET_KEY_WRITE_ACTIONS if write else ())],
                resources=[key.key_arn],
                conditions={
                    "StringEquals": {"kms:ViaService": f"secretsmanager.{stack.region}.{stack.url_suffix}"}
                },
            )
        )
