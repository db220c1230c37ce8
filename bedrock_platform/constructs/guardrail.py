"""Bedrock guardrails and their published versions.

A guardrail is described by keyword arguments: its messages and policies (in CloudFormation
spellings, with :class:`ContentFilter`, :class:`DeniedTopic`, :class:`PiiEntity` and
:class:`RegexFilter`), its key and its versions. Every change to the guardrail is an in-place
update of its DRAFT; a published version is an immutable snapshot, one
``AWS::Bedrock::GuardrailVersion`` each:

- its logical id is its position (``Version1``, ``Version2``...), so appending a version adds
  exactly one resource and changes no other;
- its description ends with ``[policy <hash>]``, the hash of the plain policy it captured, pinned
  when the version was declared, so a later change to the guardrail changes no published version
  (the description is create-only: changing it would publish again);
- it is created after the guardrail update in the same deployment (it references the guardrail),
  and after the version before it (``DependsOn``): CloudFormation would otherwise publish the
  versions of one deployment in parallel, from the same DRAFT, numbered in whatever order the
  service answers;
- the newest version's policy must be the guardrail's current one (:attr:`Guardrail.policy_hash`):
  it is what the DRAFT holds when the version is published. Older entries' pins are history:
  they were current when they were published. On a guardrail that does not exist yet every
  version is published from the current DRAFT, so a new guardrail should declare only its newest
  version (the config rule ``guardrail-version-history`` insists on it);
- it is retained when removed, so applications pinned to it keep working, but deleted when the
  deployment that created it rolls back (``RetainExceptOnCreate``).

A guardrail with a cross-Region profile (``cross_region_profile``) is evaluated in the profile's
destination Regions: :meth:`Guardrail.grant_apply` also grants ApplyGuardrail on the profile
there (see :mod:`bedrock_platform.geographies`).
"""

from __future__ import annotations

import dataclasses
import json
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, overload

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from bedrock_platform import geographies, permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.nag import acknowledge_wildcard
from bedrock_platform.spec import automated_reasoning as reasoning_spec
from bedrock_platform.spec import guardrail as guardrail_spec
from bedrock_platform.spec.guardrail import (
    VERSION_DESCRIPTION_MAX,
    ContentFilter,
    DeniedTopic,
    PiiEntity,
    RegexFilter,
    version_description,
)
from bedrock_platform.spec.guardrail import Guardrail as GuardrailProps
from bedrock_platform.spec.guardrail import GuardrailVersion as GuardrailVersionSpec

if TYPE_CHECKING:
    from bedrock_platform.constructs.automated_reasoning import AutomatedReasoningChecks

__all__ = ["Guardrail", "GuardrailProps", "GuardrailVersion", "IGuardrail"]

_POLICY = re.compile(guardrail_spec.POLICY_HASH_PATTERN)


class IGuardrail(Protocol):
    """A guardrail, created here or imported."""

    @property
    def guardrail_id(self) -> str: ...
    @property
    def guardrail_arn(self) -> str: ...

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant: ...
    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant: ...


class _GuardrailBase(Construct):
    """What created and imported guardrails share: identifiers and grants."""

    guardrail_id: str
    guardrail_arn: str
    kms_key: kms.IKey | None = None
    cross_region_profile: str | None = None
    """The guardrail profile id or ARN (``eu.guardrail.v1:0``), when the guardrail has one."""
    reasoning_version_arns: tuple[str, ...] = ()
    """The Automated Reasoning policy versions it checks answers against, when it has any."""

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """Grant ``actions`` on the guardrail and every one of its versions (``<arn>:*``)."""
        versions = f"{self.guardrail_arn}:*"
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=list(actions), resource_arns=[self.guardrail_arn, versions]
        )
        if isinstance(grantee, Construct):
            acknowledge_wildcard(
                grantee,
                versions,
                "The wildcard is the version suffix of this one guardrail's ARN: the grant covers its "
                "published versions, which are numbered by the service.",
            )
        return grant

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let an application apply the guardrail (any version), and decrypt with its key if it has one;
        the grant returned holds all of it (``grant.principal_statements``, ``grant.assert_success()``).

        With a cross-Region profile, ApplyGuardrail is also granted on the guardrail profile in the
        guardrail's Region and in each destination Region of the profile from there (user guide,
        "Permissions for invoking guardrails with cross-Region inference"): the request is
        authorized on the profile in the Region that evaluates it.
        """
        grant = self.grant(grantee, *permissions.GUARDRAIL_APPLY_ACTIONS)
        if self.cross_region_profile is not None:
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=grantee,
                    actions=list(permissions.GUARDRAIL_APPLY_ACTIONS),
                    resource_arns=list(self.guardrail_profile_arns()),
                )
            )
        if self.reasoning_version_arns:
            # User guide, "Permissions for Automated Reasoning policies with ApplyGuardrail".
            grant = grant.combine(
                iam.Grant.add_to_principal(
                    grantee=grantee,
                    actions=list(reasoning_spec.INVOKE_ACTIONS),
                    resource_arns=list(self.reasoning_version_arns),
                )
            )
        if self.kms_key is not None:
            grant = grant.combine(self.kms_key.grant(grantee, *permissions.KMS_DECRYPT_ACTIONS))
        return grant

    def guardrail_profile_arns(self) -> tuple[str, ...]:
        """The guardrail-profile ARNs ApplyGuardrail is checked against; none without a profile.

        The guardrail's Region (the profile's source Region) and the profile's destination Regions
        from it, in this account. A stack whose Region is unknown at synth gets every destination
        Region of the profile.
        """
        if self.cross_region_profile is None:
            return ()
        stack = cdk.Stack.of(self)
        region = None if cdk.Token.is_unresolved(stack.region) else stack.region
        return geographies.guardrail_profile_arns(
            stack.partition, stack.account, region, self.cross_region_profile
        )


class GuardrailVersion(Construct):
    """One published version of a guardrail (``AWS::Bedrock::GuardrailVersion``), retained on removal
    (not when the deployment that created it rolls back)."""

    def __init__(
        self, scope: Construct, id: str, *, guardrail: Guardrail, description: str, policy: str
    ) -> None:
        """Publish a version of ``guardrail``; usually created by :meth:`Guardrail.add_version`.

        :param guardrail: the guardrail whose DRAFT the version snapshots.
        :param description: what changed; the version's description is this and `` [policy <policy>]``.
        :param policy: the guardrail's :attr:`Guardrail.policy_hash` when the version was declared.
        """
        super().__init__(scope, id)
        self.description = version_description(description, policy)
        self.policy = policy
        self.resource = bedrock.CfnGuardrailVersion(
            self, "Resource", guardrail_identifier=guardrail.guardrail_id, description=self.description
        )
        previous = guardrail.latest_version
        if previous is not None:
            # Published one after the other: in parallel they would all snapshot the same DRAFT
            # and take the service's version numbers in whatever order it answers.
            self.resource.add_dependency(previous.resource)
        # Referencing the guardrail's id also orders the version after this deployment's guardrail
        # update, so it snapshots the new DRAFT. Retained when removed or replaced, but deleted
        # when the deployment that created it rolls back (RetainExceptOnCreate): a failed deploy
        # leaves no stray published version behind (versions count against a quota of 20).
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        self.version = self.resource.attr_version
        self.version_arn = cdk.Fn.join(":", [guardrail.guardrail_arn, self.version])


class Guardrail(_GuardrailBase):
    """A Bedrock guardrail with every policy a guardrail can declare, and its published versions."""

    @overload
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        guardrail_name: str,
        blocked_input_message: str,
        blocked_output_message: str,
        description: str | None = None,
        kms_key: kms.IKey | None = None,
        cross_region_profile: str | None = None,
        content_filters: Sequence[ContentFilter] = (),
        content_filter_tier: str = "CLASSIC",
        denied_topics: Sequence[DeniedTopic] = (),
        topic_tier: str = "CLASSIC",
        managed_word_lists: Sequence[str] = (),
        words: Sequence[str] = (),
        pii_entities: Sequence[PiiEntity] = (),
        regexes: Sequence[RegexFilter] = (),
        grounding_threshold: float | None = None,
        relevance_threshold: float | None = None,
        versions: Sequence[GuardrailVersionSpec] = (),
        automated_reasoning: AutomatedReasoningChecks | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: GuardrailProps,
        guardrail_name: str | None = None,
        kms_key: kms.IKey | None = None,
    ) -> None: ...

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        guardrail_name: str | None = None,
        blocked_input_message: str | None = None,
        blocked_output_message: str | None = None,
        description: str | None = None,
        kms_key: kms.IKey | None = None,
        cross_region_profile: str | None = None,
        content_filters: Sequence[ContentFilter] = (),
        content_filter_tier: str = "CLASSIC",
        denied_topics: Sequence[DeniedTopic] = (),
        topic_tier: str = "CLASSIC",
        managed_word_lists: Sequence[str] = (),
        words: Sequence[str] = (),
        pii_entities: Sequence[PiiEntity] = (),
        regexes: Sequence[RegexFilter] = (),
        grounding_threshold: float | None = None,
        relevance_threshold: float | None = None,
        versions: Sequence[GuardrailVersionSpec] = (),
        automated_reasoning: AutomatedReasoningChecks | None = None,
        props: GuardrailProps | None = None,
    ) -> None:
        """Create the guardrail and the versions listed in ``versions``.

        :param guardrail_name: the AWS name, ``[0-9a-zA-Z-_]{1,50}`` (:mod:`bedrock_platform.spec.guardrail`).
        :param blocked_input_message: what the guardrail answers for a blocked prompt, 1 to 500 characters.
        :param blocked_output_message: what it answers for a blocked response, 1 to 500 characters.
        :param description: Default: none.
        :param kms_key: customer managed key. Default: an AWS owned key.
        :param cross_region_profile: a guardrail profile id (``eu.guardrail.v1:0``) or ARN; needed
            for the STANDARD tiers. Default: none.
        :param content_filters: Default: none.
        :param content_filter_tier: ``CLASSIC`` or ``STANDARD``. Default: ``CLASSIC``.
        :param denied_topics: Default: none.
        :param topic_tier: ``CLASSIC`` or ``STANDARD``. Default: ``CLASSIC``.
        :param managed_word_lists: ``PROFANITY``. Default: none.
        :param words: custom words, at most 10,000 of at most 100 characters. Default: none.
        :param pii_entities: Default: none.
        :param regexes: Default: none.
        :param grounding_threshold: contextual grounding threshold, 0 to 0.99. Default: none.
        :param relevance_threshold: relevance threshold, 0 to 0.99. Default: none.
        :param versions: published versions, oldest first; the newest pins the current
            :attr:`policy_hash`. Default: none (add them with :meth:`add_version`).
        :param automated_reasoning: 1 or 2 Automated Reasoning policy versions to check answers
            against, and their confidence threshold; part of the policy. Default: none.
        :param props: deprecated, removed in the next release: the config's typed guardrail
            (``GuardrailProps``), with ``guardrail_name`` defaulting to ``props.name`` and
            ``kms_key`` to ``props.kms_key_arn``. Pass the keywords instead (docs/constructs.md,
            "Migrating from props=").
        """
        super().__init__(scope, id)
        if props is not None:
            warnings.warn(
                "Guardrail(props=...) is deprecated: pass guardrail_name=, the messages, the policies, "
                "kms_key= and versions= as keywords (docs/constructs.md)",
                DeprecationWarning,
                stacklevel=2,
            )
            guardrail_name = guardrail_name or props.name
            if kms_key is None and props.kms_key_arn:
                kms_key = kms.Key.from_key_arn(self, "Key", props.kms_key_arn)
            spec = props
        else:
            missing = [
                label
                for label, given in (
                    ("guardrail_name", guardrail_name),
                    ("blocked_input_message", blocked_input_message),
                    ("blocked_output_message", blocked_output_message),
                )
                if given is None
            ]
            if missing:
                raise ConstructValidationError(f"Guardrail '{id}': {', '.join(missing)} required")
            assert guardrail_name is not None and blocked_input_message is not None
            assert blocked_output_message is not None
            spec = GuardrailProps(
                name=guardrail_name,
                description=description,
                blocked_input_message=blocked_input_message,
                blocked_output_message=blocked_output_message,
                kms_key_arn=_key_identity(self, kms_key),
                cross_region_profile=cross_region_profile,
                content_filters=tuple(content_filters),
                content_filter_tier=content_filter_tier,
                denied_topics=tuple(denied_topics),
                topic_tier=topic_tier,
                managed_word_lists=tuple(managed_word_lists),
                words=tuple(words),
                pii_entities=tuple(pii_entities),
                regexes=tuple(regexes),
                grounding_threshold=grounding_threshold,
                relevance_threshold=relevance_threshold,
                versions=tuple(versions),
            )
        assert guardrail_name is not None
        name = guardrail_name
        problems = []
        if automated_reasoning is not None:
            checked = automated_reasoning.versions
            threshold = automated_reasoning.confidence_threshold
            if not 1 <= len(checked) <= reasoning_spec.MAX_POLICIES_PER_GUARDRAIL:
                most = reasoning_spec.MAX_POLICIES_PER_GUARDRAIL
                problems.append(f"automated_reasoning takes 1 to {most} policy versions")
            if threshold is not None and not (
                reasoning_spec.CONFIDENCE_MIN <= threshold <= reasoning_spec.CONFIDENCE_MAX
            ):
                problems.append("automated_reasoning confidence_threshold must be 0 to 1")
            if spec.cross_region_profile is None:
                # User guide, "Deploy your Automated Reasoning policy in your application".
                problems.append(
                    "automated_reasoning needs cross_region_profile: CreateGuardrail refuses Automated "
                    "Reasoning checks without a guardrail profile"
                )
            spec = dataclasses.replace(
                spec,
                automated_reasoning_policies=tuple(version.identity for version in checked),
                automated_reasoning_threshold=threshold,
            )
            self.reasoning_version_arns = tuple(version.version_arn for version in checked)
        # A name known at deploy time only is CloudFormation's to check.
        known = not cdk.Token.is_unresolved(name)
        if known and (not guardrail_spec.NAME_PATTERN.match(name) or len(name) > guardrail_spec.NAME_MAX):
            problems.append(
                f"guardrail_name '{name}' must be 1 to {guardrail_spec.NAME_MAX} of [0-9a-zA-Z-_]"
            )
        for label, message in (
            ("blocked_input_message", spec.blocked_input_message),
            ("blocked_output_message", spec.blocked_output_message),
        ):
            if not 1 <= len(message) <= guardrail_spec.BLOCKED_MESSAGE_MAX:
                problems.append(
                    f"{label} is {len(message)} characters, must be 1 to {guardrail_spec.BLOCKED_MESSAGE_MAX}"
                )
        if not spec.declares_policy:
            problems.append(
                "declares no policy: give at least one of content filters, denied topics, words, "
                "sensitive information or contextual grounding"
            )
        if spec.versions and spec.versions[-1].policy != spec.policy_hash:
            problems.append(
                f"version {len(spec.versions)}, the newest, publishes the current policy "
                f"{spec.policy_hash}: its policy is {spec.versions[-1].policy}"
            )
        stack = cdk.Stack.of(self)
        if spec.cross_region_profile:
            problems += _profile_problems(spec.cross_region_profile, stack.region)
        if problems:
            raise ConstructValidationError(f"Guardrail '{id}': " + "; ".join(problems))

        self.kms_key = kms_key
        self.cross_region_profile = spec.cross_region_profile
        self._spec = spec
        self.guardrail_name = name
        self.resource = bedrock.CfnGuardrail(
            self,
            "Resource",
            name=name,
            description=spec.description,
            blocked_input_messaging=spec.blocked_input_message,
            blocked_outputs_messaging=spec.blocked_output_message,
            kms_key_arn=kms_key.key_arn if kms_key else None,
            cross_region_config=(
                bedrock.CfnGuardrail.GuardrailCrossRegionConfigProperty(
                    guardrail_profile_arn=_profile_arn(stack, spec.cross_region_profile)
                )
                if spec.cross_region_profile
                else None
            ),
            content_policy_config=_content_policy(spec),
            topic_policy_config=_topic_policy(spec),
            word_policy_config=_word_policy(spec),
            sensitive_information_policy_config=_sensitive_information_policy(spec),
            contextual_grounding_policy_config=_grounding_policy(spec),
            automated_reasoning_policy_config=(
                bedrock.CfnGuardrail.AutomatedReasoningPolicyConfigProperty(
                    policies=list(self.reasoning_version_arns),
                    confidence_threshold=automated_reasoning.confidence_threshold,
                )
                if automated_reasoning is not None
                else None
            ),
        )
        self.guardrail_id = self.resource.attr_guardrail_id
        self.guardrail_arn = self.resource.attr_guardrail_arn
        self.versions: list[GuardrailVersion] = []
        for version in spec.versions:
            self._add_version(version)

    @property
    def policy_hash(self) -> str:
        """The hash of the guardrail's current plain policy (what a new version would capture)."""
        return self._spec.policy_hash

    @property
    def latest_version(self) -> GuardrailVersion | None:
        """The newest declared version, or None before the first one."""
        return self.versions[-1] if self.versions else None

    def add_version(self, description: str, *, policy: str | None = None) -> GuardrailVersion:
        """Publish a version of the current policy (``policy`` defaults to :attr:`policy_hash`).

        Versions are append-only: add them in order and never remove or reorder one, or the
        positions (and so the logical ids) of the later ones change. The version publishes the
        DRAFT as it is, so ``policy``, if given, must be :attr:`policy_hash`.
        """
        if policy is not None and policy != self.policy_hash:
            raise ConstructValidationError(
                f"Guardrail '{self.node.id}' version {len(self.versions) + 1}: a new version publishes "
                f"the current policy {self.policy_hash}, not {policy}"
            )
        return self._add_version(
            GuardrailVersionSpec(description=description, policy=policy or self.policy_hash)
        )

    def _add_version(self, spec: GuardrailVersionSpec) -> GuardrailVersion:
        number = len(self.versions) + 1
        problems = []
        if not _POLICY.match(spec.policy):
            problems.append(f"policy '{spec.policy}' must be 8 lowercase hex digits")
        if not 1 <= len(spec.description) <= VERSION_DESCRIPTION_MAX:
            problems.append(
                f"description is {len(spec.description)} characters, must be 1 to {VERSION_DESCRIPTION_MAX}"
            )
        if problems:
            raise ConstructValidationError(
                f"Guardrail '{self.node.id}' version {number}: " + "; ".join(problems)
            )
        version = GuardrailVersion(
            self, f"Version{number}", guardrail=self, description=spec.description, policy=spec.policy
        )
        self.versions.append(version)
        return version

    @classmethod
    def from_guardrail_attributes(
        cls,
        scope: Construct,
        id: str,
        *,
        guardrail_id: str,
        kms_key: kms.IKey | None = None,
        cross_region_profile: str | None = None,
    ) -> IGuardrail:
        """Use an existing guardrail of this account and Region by its id.

        :param cross_region_profile: its guardrail profile id or ARN, if it has one, so that
            :meth:`grant_apply` covers the profile's Regions. Default: none.
        """
        return _ImportedGuardrail(
            scope, id, guardrail_id=guardrail_id, kms_key=kms_key, cross_region_profile=cross_region_profile
        )

    @classmethod
    def from_guardrail_arn(
        cls, scope: Construct, id: str, guardrail_arn: str, *, cross_region_profile: str | None = None
    ) -> IGuardrail:
        """Use an existing guardrail by its ARN (``cross_region_profile``: as for the attributes)."""
        guardrail_id = cdk.Arn.split(guardrail_arn, cdk.ArnFormat.SLASH_RESOURCE_NAME).resource_name
        imported = _ImportedGuardrail(
            scope,
            id,
            guardrail_id=guardrail_id or "",
            kms_key=None,
            cross_region_profile=cross_region_profile,
        )
        imported.guardrail_arn = guardrail_arn
        return imported


class _ImportedGuardrail(_GuardrailBase):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        guardrail_id: str,
        kms_key: kms.IKey | None,
        cross_region_profile: str | None,
    ) -> None:
        super().__init__(scope, id)
        self.guardrail_id = guardrail_id
        self.kms_key = kms_key
        self.cross_region_profile = cross_region_profile
        self.guardrail_arn = cdk.Stack.of(self).format_arn(
            service="bedrock", resource="guardrail", resource_name=guardrail_id
        )


def _key_identity(scope: Construct, key: kms.IKey | None) -> str | None:
    """The key as the policy hash sees it: its ARN, or for a key known at deploy time only the
    CloudFormation expression of its ARN (the same app gives the same expression)."""
    if key is None:
        return None
    if not cdk.Token.is_unresolved(key.key_arn):
        return key.key_arn
    return json.dumps(cdk.Stack.of(scope).resolve(key.key_arn), sort_keys=True)


def _profile_problems(profile: str, region: str) -> list[str]:
    """Why ``profile`` cannot serve a guardrail in ``region`` (nothing while the Region is a token)."""
    profile_id = geographies.guardrail_profile_id(profile)
    sources = geographies.GUARDRAIL_PROFILES.get(profile_id)
    if sources is None:
        known = ", ".join(geographies.GUARDRAIL_PROFILES)
        return [f"cross_region_profile '{profile_id}' is not a guardrail profile the toolkit knows ({known})"]
    if cdk.Token.is_unresolved(region) or region in sources:
        return []
    return [
        f"cross_region_profile '{profile_id}' cannot be used from {region}: its source Regions are "
        + ", ".join(sources)
    ]


def _profile_arn(stack: cdk.Stack, profile: str) -> str:
    if profile.startswith("arn:"):
        return profile
    return stack.format_arn(service="bedrock", resource="guardrail-profile", resource_name=profile)


def _content_policy(props: GuardrailProps) -> bedrock.CfnGuardrail.ContentPolicyConfigProperty | None:
    if not props.content_filters:
        return None
    return bedrock.CfnGuardrail.ContentPolicyConfigProperty(
        filters_config=[
            bedrock.CfnGuardrail.ContentFilterConfigProperty(
                type=f.type,
                input_strength=f.input_strength,
                output_strength=f.output_strength,
                input_modalities=list(f.input_modalities),
                output_modalities=list(f.output_modalities),
                input_action=f.input_action,
                output_action=f.output_action,
            )
            for f in props.content_filters
        ],
        content_filters_tier_config=bedrock.CfnGuardrail.ContentFiltersTierConfigProperty(
            tier_name=props.content_filter_tier
        ),
    )


def _topic_policy(props: GuardrailProps) -> bedrock.CfnGuardrail.TopicPolicyConfigProperty | None:
    if not props.denied_topics:
        return None
    return bedrock.CfnGuardrail.TopicPolicyConfigProperty(
        topics_config=[
            bedrock.CfnGuardrail.TopicConfigProperty(
                name=t.name, definition=t.definition, examples=list(t.examples) or None, type="DENY"
            )
            for t in props.denied_topics
        ],
        topics_tier_config=bedrock.CfnGuardrail.TopicsTierConfigProperty(tier_name=props.topic_tier),
    )


def _word_policy(props: GuardrailProps) -> bedrock.CfnGuardrail.WordPolicyConfigProperty | None:
    if not (props.words or props.managed_word_lists):
        return None
    return bedrock.CfnGuardrail.WordPolicyConfigProperty(
        managed_word_lists_config=[
            bedrock.CfnGuardrail.ManagedWordsConfigProperty(type=kind) for kind in props.managed_word_lists
        ]
        or None,
        words_config=[bedrock.CfnGuardrail.WordConfigProperty(text=word) for word in props.words] or None,
    )


def _sensitive_information_policy(
    props: GuardrailProps,
) -> bedrock.CfnGuardrail.SensitiveInformationPolicyConfigProperty | None:
    if not (props.pii_entities or props.regexes):
        return None
    return bedrock.CfnGuardrail.SensitiveInformationPolicyConfigProperty(
        pii_entities_config=[
            bedrock.CfnGuardrail.PiiEntityConfigProperty(
                type=p.type,
                action=p.output_action,
                input_action=p.input_action,
                output_action=p.output_action,
            )
            for p in props.pii_entities
        ]
        or None,
        regexes_config=[
            bedrock.CfnGuardrail.RegexConfigProperty(
                name=r.name,
                description=r.description,
                pattern=r.pattern,
                action=r.output_action,
                input_action=r.input_action,
                output_action=r.output_action,
            )
            for r in props.regexes
        ]
        or None,
    )


def _grounding_policy(
    props: GuardrailProps,
) -> bedrock.CfnGuardrail.ContextualGroundingPolicyConfigProperty | None:
    filters = [
        bedrock.CfnGuardrail.ContextualGroundingFilterConfigProperty(type=kind, threshold=threshold)
        for kind, threshold in (
            ("GROUNDING", props.grounding_threshold),
            ("RELEVANCE", props.relevance_threshold),
        )
        if threshold is not None
    ]
    if not filters:
        return None
    return bedrock.CfnGuardrail.ContextualGroundingPolicyConfigProperty(filters_config=filters)
