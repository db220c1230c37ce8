"""JobModel.of: what a job role may invoke through a system-defined cross-Region inference profile."""

from __future__ import annotations

import aws_cdk as cdk

from bedrock_platform.constructs.bedrock_job import JobModel
from tests.constructs.conftest import new_stack

EU_DESTINATIONS = ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")
"""Destinations of the eu. profiles from eu-central-1 (user guide, "Supported Regions and models for
inference profiles")."""


def _stack_in(region: str) -> cdk.Stack:
    stack = new_stack()
    app = stack.node.scope
    assert isinstance(app, cdk.App)
    return cdk.Stack(app, f"In-{region}", env=cdk.Environment(account="111111111111", region=region))


def test_a_geographic_profile_grants_exactly_its_destination_regions() -> None:
    """Issue 16, finding 8: not `arn:aws:bedrock:*::foundation-model/...` (every Region), but the
    model in the source Region and in each destination Region of the profile's geography."""
    model = "eu.anthropic.claude-3-5-sonnet-20240620-v1:0"
    job_model = JobModel.of(_stack_in("eu-central-1"), model)
    assert job_model.profile_arn == f"arn:aws:bedrock:eu-central-1:111111111111:inference-profile/{model}"
    assert job_model.invoke_arns == (
        job_model.profile_arn,
        *(
            f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
            for region in EU_DESTINATIONS
        ),
    )
    assert not any(":bedrock:*:" in arn for arn in job_model.invoke_arns)


def test_a_global_profile_grants_the_three_arns_the_guide_names() -> None:
    """User guide, "IAM policy requirements for global cross-Region inference": the profile in the
    source Region, the model in the source Region, and the model ARN with no Region and no account."""
    model = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    job_model = JobModel.of(_stack_in("us-west-2"), model)
    assert job_model.invoke_arns == (
        f"arn:aws:bedrock:us-west-2:111111111111:inference-profile/{model}",
        "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
    )


def test_a_base_model_is_granted_in_its_region_only() -> None:
    job_model = JobModel.of(_stack_in("eu-central-1"), "anthropic.claude-3-haiku-20240307-v1:0")
    assert job_model.profile_arn is None
    assert job_model.invoke_arns == (
        "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    )
