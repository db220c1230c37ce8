"""Every identifier an application needs is published in SSM, under the names the README gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig, load_config
from tests.conftest import CONFIG_DIR, Synthesized


def expected_parameters(config: PlatformConfig) -> set[str]:
    env = config.environment
    names = set()
    for store in {kb.vector_store for kb in config.knowledge_bases if kb.stack != 1}:
        names |= {parameters.vector_store_arn(env, store), parameters.vector_store_endpoint(env, store)}
    for kb in config.knowledge_bases:
        names.add(parameters.knowledge_base_id(env, kb.name))
        names |= {parameters.data_source_id(env, kb.name, source.name) for source in kb.data_sources}
    for guardrail in config.guardrails:
        names.add(parameters.guardrail_id(env, guardrail.name))
        names |= {
            parameters.guardrail_version(env, guardrail.name, number)
            for number in range(1, len(guardrail.versions) + 1)
        }
        if guardrail.versions:
            names.add(parameters.guardrail_latest_version(env, guardrail.name))
    names |= {parameters.provisioned_model_arn(env, t.name) for t in config.provisioned_throughputs}
    names |= {parameters.inference_profile_arn(env, p.name) for p in config.inference_profiles}
    for kind, jobs in (
        ("evaluation-jobs", config.evaluation_jobs),
        ("batch-inference-jobs", config.batch_inference_jobs),
    ):
        for job in jobs:
            names |= {parameters.job_arn(env, kind, job.name), parameters.job_output_uri(env, kind, job.name)}
    return names


def published(synthesized: Synthesized) -> dict[str, Any]:
    return {
        resource["Properties"]["Name"]: resource["Properties"]["Value"]
        for template in synthesized.templates.values()
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::SSM::Parameter"
    }


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_each_declared_resource_publishes_its_identifiers(
    synthesized: dict[str, Synthesized], env: str
) -> None:
    config = load_config(str(CONFIG_DIR / f"{env}.yaml"))
    names = published(synthesized[env])
    assert set(names) == expected_parameters(config)
    assert all(name.startswith(f"/bedrock-platform/{env}/") for name in names)


def test_guardrail_versions_publish_the_number_the_service_gave_them(
    synthesized: dict[str, Synthesized],
) -> None:
    names = published(synthesized["prod"])
    config = load_config(str(CONFIG_DIR / "prod.yaml"))
    guardrail = config.guardrails[0]
    numbers = [
        names[parameters.guardrail_version("prod", guardrail.name, n)]
        for n in range(1, len(guardrail.versions) + 1)
    ]
    latest = names[parameters.guardrail_latest_version("prod", guardrail.name)]
    assert all(number["Fn::GetAtt"][1] == "Version" for number in numbers)
    assert len({json.dumps(number) for number in numbers}) == len(numbers)  # one version resource each
    assert latest == numbers[-1]
