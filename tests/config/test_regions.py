"""The Region rule (issue 17 item 7): every declared section is checked against what it needs from
the Region, and the catalog's Region lists are CloudFormation's, as cfn-lint ships its schemas."""

from __future__ import annotations

import json
from pathlib import Path

import cfnlint
import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.catalog import (
    AUTOMATED_REASONING_REGIONS,
    GUARDRAIL_REGIONS,
    INFERENCE_PROFILE_REGIONS,
    KNOWLEDGE_BASE_REGIONS,
    bedrock_api_regions,
)
from tests.config.helpers import WriteConfig

PROVIDERS = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"


def _regions_with(*types: str) -> set[str]:
    found = set()
    for path in PROVIDERS.glob("*.json"):
        if path.stem != "sam" and all(name in json.loads(path.read_text()) for name in types):
            found.add(path.stem)
    return found


def test_knowledge_base_regions_are_cloudformations() -> None:
    assert set(KNOWLEDGE_BASE_REGIONS) == _regions_with(
        "AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::DataSource", "AWS::OpenSearchServerless::Index"
    )


def test_guardrail_regions_are_cloudformations() -> None:
    assert set(GUARDRAIL_REGIONS) == _regions_with(
        "AWS::Bedrock::Guardrail", "AWS::Bedrock::GuardrailVersion"
    )
    assert "af-south-1" not in GUARDRAIL_REGIONS


def test_automated_reasoning_regions_are_cloudformations() -> None:
    assert set(AUTOMATED_REASONING_REGIONS) == _regions_with(
        "AWS::Bedrock::AutomatedReasoningPolicy", "AWS::Bedrock::AutomatedReasoningPolicyVersion"
    )


def test_inference_profile_regions_are_cloudformations() -> None:
    assert set(INFERENCE_PROFILE_REGIONS) == _regions_with("AWS::Bedrock::ApplicationInferenceProfile")
    assert "us-west-1" not in INFERENCE_PROFILE_REGIONS


def test_bedrock_api_regions_come_from_botocore_in_every_partition() -> None:
    regions = bedrock_api_regions()
    assert {"us-east-1", "eu-central-1", "us-gov-west-1"} <= set(regions)
    assert "cn-north-1" not in regions  # botocore lists no bedrock endpoint in aws-cn
    # Read from the data file, as botocore's own session lists them.
    import botocore.session

    session = botocore.session.get_session()
    assert list(regions) == sorted(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("bedrock", partition_name=partition)
    )


HEADER = 'environment: dev\naccount: "111111111111"\n'
SECTIONS = {
    "guardrails": (
        "guardrails:\n  - name: g\n    blocked_input_message: No.\n    blocked_output_message: No.\n"
        "    word_filters: {words: [acme]}\n"
    ),
    "invocation_logging": "invocation_logging:\n  cloudwatch: {retention_days: 30}\n",
    "provisioned_throughputs": (
        "provisioned_throughputs:\n  - name: pt\n    model: amazon.nova-lite-v1:0:300k\n    model_units: 1\n"
    ),
}


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_a_region_without_bedrock_is_refused_whatever_the_sections(
    write_config: WriteConfig, section: str
) -> None:
    """Before, only knowledge bases and vector stores had their Region checked."""
    path = write_config(HEADER + "region: cn-north-1\n" + SECTIONS[section])
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    region_issues = [str(issue) for issue in caught.value.issues if issue.path == "region"]
    assert region_issues == [
        f"{path}:3:9: error: region: region 'cn-north-1' has no Amazon Bedrock endpoint in botocore's "
        "endpoint data: not a Region, or one without Bedrock (did you mean 'eu-north-1'?) "
        "[region-offers-sections]"
    ]


def test_guardrails_need_the_guardrail_type_where_the_api_exists(write_config: WriteConfig) -> None:
    assert "af-south-1" in bedrock_api_regions()
    logging_only = write_config(HEADER + "region: af-south-1\n" + SECTIONS["invocation_logging"], "a.yaml")
    assert load_config(logging_only).region == "af-south-1"

    with pytest.raises(ConfigError) as caught:
        load_config(write_config(HEADER + "region: af-south-1\n" + SECTIONS["guardrails"]))
    assert [issue.message for issue in caught.value.issues] == [
        "region 'af-south-1' has no AWS::Bedrock::Guardrail in CloudFormation, which guardrails need "
        "(did you mean 'ap-south-1'?)"
    ]


def test_s3_vectors_regions_are_cloudformations() -> None:
    from bedrock_platform.spec import s3_vectors

    assert set(s3_vectors.REGIONS) == _regions_with(
        s3_vectors.VECTOR_BUCKET_TYPE, s3_vectors.INDEX_TYPE, s3_vectors.VECTOR_BUCKET_POLICY_TYPE
    )
