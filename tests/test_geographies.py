"""The cross-Region tables (bedrock_platform.geographies), checked against the guide's examples."""

from __future__ import annotations

import pytest

from bedrock_platform import geographies


def test_geographic_profile_grants_the_source_and_each_destination_region() -> None:
    """User guide, "IAM policy requirements for Geographic cross-Region inference": the example
    from us-east-1 lists the model in us-east-1, us-east-2 and us-west-2 (the union over the US
    profiles from us-east-1 adds us-west-1, which the Pegasus and Marengo profiles route to)."""
    arns = geographies.inference_profile_model_arns(
        "aws", "us-east-1", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    assert arns == tuple(
        f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
        for region in ("us-east-1", "us-east-2", "us-west-2", "us-west-1")
    )


def test_the_source_region_is_granted_even_when_it_is_no_destination() -> None:
    """GovCloud's Claude Sonnet 4.5 profile routes from us-gov-west-1 to us-gov-west-1 only; the
    guide's policy always names the model in the source Region."""
    arns = geographies.inference_profile_model_arns("aws-us-gov", "us-gov-west-1", "us-gov.anthropic.x-v1:0")
    assert arns == ("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.x-v1:0",)


def test_global_profile_grants_the_source_model_and_the_regionless_model() -> None:
    """User guide, "IAM policy requirements for global cross-Region inference": the global FM ARN
    has "no AWS Region or account specified, which is intentional and required"."""
    model = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert geographies.inference_profile_model_arns("aws", "eu-west-1", model) == (
        "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
    )


def test_a_region_that_is_not_a_source_has_no_destinations() -> None:
    with pytest.raises(KeyError):
        geographies.destination_regions("eu", "us-east-1")


def test_unknown_region_gives_the_whole_geography_and_nothing_outside_it() -> None:
    regions = geographies.destination_regions("eu", None)
    assert "eu-central-1" in regions and "il-central-1" in regions
    assert not any(region.startswith(("us-", "ap-")) for region in regions)


@pytest.mark.parametrize(
    ("model", "geography"),
    [
        ("eu.anthropic.claude-3-5-sonnet-20240620-v1:0", "eu"),
        ("us-gov.anthropic.claude-3-haiku-20240307-v1:0", "us-gov"),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "global"),
        ("anthropic.claude-3-haiku-20240307-v1:0", None),
        ("amazon.titan-embed-text-v2:0", None),
        ("arn:aws:bedrock:us-east-1:111111111111:provisioned-model/abc", None),
    ],
)
def test_the_geography_is_the_prefix_of_a_system_defined_profile(model: str, geography: str | None) -> None:
    assert geographies.inference_profile_geography(model) == geography


def test_guardrail_profile_arns_follow_the_guides_example() -> None:
    """User guide, "Permissions for invoking guardrails with cross-Region inference": from
    us-east-1, us.guardrail.v1:0 in us-east-1, us-east-2 and us-west-2, with the account."""
    assert geographies.guardrail_profile_arns("aws", "123456789012", "us-east-1", "us.guardrail.v1:0") == (
        "arn:aws:bedrock:us-east-1:123456789012:guardrail-profile/us.guardrail.v1:0",
        "arn:aws:bedrock:us-east-2:123456789012:guardrail-profile/us.guardrail.v1:0",
        "arn:aws:bedrock:us-west-2:123456789012:guardrail-profile/us.guardrail.v1:0",
    )


def test_guardrail_profile_given_by_arn_is_the_same_profile() -> None:
    arn = "arn:aws:bedrock:eu-central-1:123456789012:guardrail-profile/eu.guardrail.v1:0"
    assert geographies.guardrail_profile_destinations(arn, "eu-central-1") == (
        geographies.guardrail_profile_destinations("eu.guardrail.v1:0", "eu-central-1")
    )


def test_every_table_stays_in_its_geography() -> None:
    prefixes = {
        "us": ("us-", "ca-"),
        "us-gov": ("us-gov-",),
        "eu": ("eu-", "il-"),
        "apac": ("ap-", "me-"),
        "au": ("ap-southeast-2", "ap-southeast-4"),
        "ca": ("ca-",),
        "jp": ("ap-northeast-1", "ap-northeast-3"),
    }
    for geography, table in geographies.INFERENCE_PROFILE_GEOGRAPHIES.items():
        for source, destinations in table.items():
            assert destinations, (geography, source)
            assert all(region.startswith(prefixes[geography]) for region in destinations), (geography, source)
            assert len(set(destinations)) == len(destinations)
    for profile, table in geographies.GUARDRAIL_PROFILES.items():
        for source, destinations in table.items():
            assert source in destinations or profile == "us-gov.guardrail.v1:0", (profile, source)
