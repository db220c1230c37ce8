"""An application inference profile: a team's or an application's own handle on a model, for cost
allocation by its tags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.bedrock_job import JobModel
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.spec import inference_profiles as spec

APPLICATION_PROFILE_ARN = re.compile(
    r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:[0-9]{12}:application-inference-profile/[a-z0-9]{12}$"
)
"""An application inference profile's ARN (botocore's GetInferenceProfile identifier pattern)."""


class IApplicationInferenceProfile(Protocol):
    """An application inference profile, created here or imported by ARN."""

    @property
    def inference_profile_arn(self) -> str: ...

    @property
    def model(self) -> JobModel: ...

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant: ...


class _ApplicationInferenceProfileBase(Construct):
    """What created and imported profiles share: the ARN, what it routes to, the grant."""

    _arn: str
    _model: JobModel

    @property
    def inference_profile_arn(self) -> str:
        """What applications pass as ``modelId``."""
        return self._arn

    @property
    def model(self) -> JobModel:
        """The base model or system inference profile it copies."""
        return self._model

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` invoke through this profile: ``bedrock:InvokeModel`` (and its streaming
        form) on the profile and on what it routes to (the model, or a system profile and its model
        in each destination Region of its geography)."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(permissions.MODEL_INVOKE_ACTIONS),
            resource_arns=list(JobModel.from_inference_profile(self).invoke_arns),
        )


class _ImportedApplicationInferenceProfile(_ApplicationInferenceProfileBase):
    def __init__(self, scope: Construct, id: str, arn: str, model_id: str) -> None:
        super().__init__(scope, id)
        self._arn = arn
        self._model = JobModel.of(self, model_id)


class ApplicationInferenceProfile(_ApplicationInferenceProfileBase):
    """An ``AWS::Bedrock::ApplicationInferenceProfile`` copied from a foundation model or a system
    cross-Region profile (``eu.anthropic...``), with tags that Bedrock's cost allocation reports by.

    Its AWS name is ``<inference_profile_name>-<6 hex digits>`` over its create-only settings (model
    source, description): a change makes a new profile with a new ARN, which applications must
    pick up (from the stack output or SSM).

    :param inference_profile_name: the name before the fingerprint: letters, digits, single spaces,
        hyphens or underscores between them, at most 57 characters.
    :param model_id: a base model id, or a system inference profile id.
    :param description: 1 to 200 letters, digits, colons, dots, single spaces, hyphens, underscores.
        Default: none.
    :param tags: its cost-allocation tags. Default: none (stack tags still apply).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        inference_profile_name: str,
        model_id: str,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id)
        name = spec.profile_name(inference_profile_name, model=model_id, description=description)
        problems = []
        if not cdk.Token.is_unresolved(name) and (len(name) > spec.NAME_MAX or not spec.NAME.match(name)):
            problems.append(
                f"name '{name}' must match {spec.NAME.pattern}, at most {spec.NAME_MAX} characters"
            )
        if description is not None and (
            len(description) > spec.DESCRIPTION_MAX or not spec.DESCRIPTION.match(description)
        ):
            problems.append(
                f"description must match {spec.DESCRIPTION.pattern}, at most {spec.DESCRIPTION_MAX}"
            )
        if problems:
            raise ConstructValidationError(f"ApplicationInferenceProfile '{id}': " + "; ".join(problems))
        self._model = JobModel.of(self, model_id)
        self.resource = bedrock.CfnApplicationInferenceProfile(
            self,
            "Resource",
            inference_profile_name=name,
            description=description,
            model_source=bedrock.CfnApplicationInferenceProfile.InferenceProfileModelSourceProperty(
                copy_from=self._model.arn
            ),
            tags=[cdk.CfnTag(key=key, value=value) for key, value in sorted((tags or {}).items())] or None,
        )
        self.inference_profile_name = name
        self._arn = self.resource.attr_inference_profile_arn
        self.inference_profile_id = self.resource.attr_inference_profile_id

    @classmethod
    def from_inference_profile_attributes(
        cls, scope: Construct, id: str, *, inference_profile_arn: str, model_id: str
    ) -> IApplicationInferenceProfile:
        """A profile that exists already, by its ARN, with the base model or system profile id it
        copies (IAM must allow invoking what it routes to, so a grant needs it)."""
        arn = inference_profile_arn
        if not cdk.Token.is_unresolved(arn) and not APPLICATION_PROFILE_ARN.match(arn):
            raise ConstructValidationError(
                f"ApplicationInferenceProfile {id!r}: {arn!r} is not an application inference profile ARN "
                "(arn:aws:bedrock:<region>:<account>:application-inference-profile/<12 characters>)"
            )
        return _ImportedApplicationInferenceProfile(scope, id, arn, model_id)
