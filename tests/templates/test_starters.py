"""The starter templates: they validate, synthesize, pass cfn-lint and cdk-nag, and are what they say."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from bedrock_platform.config import SCHEMA_PATH, load_config
from bedrock_platform.spec import control_tower
from bedrock_platform.spec.guardrail import CONTENT_FILTER_TYPES
from tests.conftest import Synthesized
from tests.templates.conftest import TEMPLATES
from tests.test_gates import _templates_with_region

EXPECTED_STACKS = {
    "minimal-rag": {"knowledge"},
    "private-rag": {"knowledge", "guardrails", "logging"},
    "regulated-guardrail": {"guardrails"},
    "evaluation-suite": {"knowledge", "evaluation"},
    "s3-vectors-rag": {"knowledge"},
    "governed-account": {"knowledge", "guardrails", "inference", "evaluation"},
    "wiki-rag": {"knowledge"},
}


def _resources(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def _stack(synthesized: dict[str, Synthesized], name: str, part: str) -> dict[str, Any]:
    return synthesized[name].templates[f"example-bedrock-{part}"]


def test_the_four_starters_are_there() -> None:
    assert set(TEMPLATES) == set(EXPECTED_STACKS)


@pytest.mark.parametrize("name", sorted(EXPECTED_STACKS))
def test_a_starter_begins_with_the_editor_schema_line_and_explains_itself(name: str) -> None:
    lines = TEMPLATES[name].read_text().splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema.json"
    assert (TEMPLATES[name].parent / "../schema.json").resolve() == SCHEMA_PATH.resolve()
    assert f"new-env NAME --from {name} --account ID --region REGION" in "\n".join(lines)
    comments = [line for line in lines if line.lstrip().startswith("#")]
    assert len(comments) >= 8, "a starter says what it is and what to change"
    # new-env edits these lines as text: each is top-level, once.
    for key in ("environment", "account", "region"):
        assert len([line for line in lines if re.match(rf"{key}: \S", line)]) == 1, key


@pytest.mark.parametrize("name", sorted(EXPECTED_STACKS))
def test_a_starter_validates_with_its_placeholders(name: str) -> None:
    config = load_config(TEMPLATES[name])
    assert (config.environment, config.account, config.region) == ("example", "111111111111", "us-east-1")


def test_each_starter_synthesizes_its_stacks(synthesized_templates: dict[str, Synthesized]) -> None:
    assert {
        name: {stack.rsplit("-", 1)[1] for stack in result.templates}
        for name, result in synthesized_templates.items()
    } == EXPECTED_STACKS


def test_cfn_lint_reports_nothing_on_the_starters(synthesized_templates: dict[str, Synthesized]) -> None:
    findings = []
    for path, region in _templates_with_region(synthesized_templates):
        findings += [
            f"{path.name}: {match}" for match in lint_file(path, config=ManualArgs(regions=[region]))
        ]
    assert findings == []


def test_cdk_nag_checked_every_starter(synthesized_templates: dict[str, Synthesized]) -> None:
    """A finding fails synthesis; the report shows the pack ran, and every acknowledgment's reason."""
    reported = set()
    for name, result in synthesized_templates.items():
        report = json.loads((result.outdir / "validation-report.json").read_text())
        for plugin in report["pluginReports"]:
            if plugin["pluginName"] == control_tower.PLUGIN_NAME:
                continue  # report only where a starter leaves it off: tests/nag/test_control_tower.py
            assert plugin["pluginName"] in ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "Bedrock"), (
                name
            )
            assert (plugin["conclusion"], plugin["violations"]) == ("success", []), name
            assert all(len(v["reason"]) >= 40 for v in plugin["suppressedViolations"]), name
            reported.add(name)
    # A guardrail alone meets no rule of the packs, so its report is empty; the others have roles.
    assert reported == set(EXPECTED_STACKS) - {"regulated-guardrail"}


def test_minimal_rag_is_one_public_collection_one_knowledge_base_one_data_source(
    synthesized_templates: dict[str, Synthesized],
) -> None:
    knowledge = _stack(synthesized_templates, "minimal-rag", "knowledge")
    assert len(_resources(knowledge, "AWS::OpenSearchServerless::Collection")) == 1
    assert len(_resources(knowledge, "AWS::Bedrock::KnowledgeBase")) == 1
    assert len(_resources(knowledge, "AWS::Bedrock::DataSource")) == 1
    policies = {
        p["Properties"]["Type"]: json.loads(p["Properties"]["Policy"])
        for p in _resources(knowledge, "AWS::OpenSearchServerless::SecurityPolicy")
    }
    assert policies["encryption"]["AWSOwnedKey"] is True
    assert policies["network"][0]["AllowFromPublic"] is True


def test_private_rag_uses_vpc_endpoints_and_customer_managed_keys_wherever_it_can(
    synthesized_templates: dict[str, Synthesized],
) -> None:
    config = load_config(TEMPLATES["private-rag"])
    (store,) = config.vector_stores
    assert store.vpc_endpoints and store.kms_key_arn and store.standby_replicas and store.deletion_protection
    (guardrail,) = config.guardrails
    assert guardrail.kms_key_arn
    sources = [source for kb in config.knowledge_bases for source in kb.data_sources]
    assert sources and all(getattr(source.bucket, "kms_key_arn", None) for source in sources)

    knowledge = _stack(synthesized_templates, "private-rag", "knowledge")
    policies = {
        p["Properties"]["Type"]: json.loads(p["Properties"]["Policy"])
        for p in _resources(knowledge, "AWS::OpenSearchServerless::SecurityPolicy")
    }
    assert policies["network"][0]["AllowFromPublic"] is False
    assert policies["network"][0]["SourceVPCEs"] == list(store.vpc_endpoints)
    assert policies["encryption"]["KmsARN"] == store.kms_key_arn
    (guardrail_resource,) = _resources(
        _stack(synthesized_templates, "private-rag", "guardrails"), "AWS::Bedrock::Guardrail"
    )
    assert guardrail_resource["Properties"]["KmsKeyArn"] == guardrail.kms_key_arn


def test_regulated_guardrail_declares_every_policy_and_a_version(
    synthesized_templates: dict[str, Synthesized],
) -> None:
    (guardrail,) = load_config(TEMPLATES["regulated-guardrail"]).guardrails
    assert {f.type for f in guardrail.content_filters} == set(CONTENT_FILTER_TYPES)
    assert all(f.input_strength == "HIGH" for f in guardrail.content_filters)
    actions = {
        action for entity in guardrail.pii_entities for action in (entity.input_action, entity.output_action)
    }
    assert {"BLOCK", "ANONYMIZE"} <= actions
    assert guardrail.denied_topics and guardrail.regexes
    assert guardrail.grounding_threshold and guardrail.relevance_threshold
    assert len(guardrail.versions) == 1

    guardrails = _stack(synthesized_templates, "regulated-guardrail", "guardrails")
    (resource,) = _resources(guardrails, "AWS::Bedrock::Guardrail")
    properties = resource["Properties"]
    for policy in (
        "ContentPolicyConfig",
        "TopicPolicyConfig",
        "WordPolicyConfig",
        "SensitiveInformationPolicyConfig",
        "ContextualGroundingPolicyConfig",
    ):
        assert policy in properties, policy
    (version,) = _resources(guardrails, "AWS::Bedrock::GuardrailVersion")
    assert version["Properties"]["Description"].endswith(f"[policy {guardrail.policy_hash}]")


def test_evaluation_suite_has_one_job_of_each_kind(synthesized_templates: dict[str, Synthesized]) -> None:
    config = load_config(TEMPLATES["evaluation-suite"])
    assert sorted(job.kind for job in config.evaluation_jobs) == ["automated", "llm_judge", "rag"]
    evaluation = _stack(synthesized_templates, "evaluation-suite", "evaluation")
    applications = sorted(
        r["Properties"]["Request"]["applicationType"]
        for r in _resources(evaluation, "Custom::BedrockEvaluationJob")
    )
    assert applications == ["ModelEvaluation", "ModelEvaluation", "RagEvaluation"]


def test_starters_are_not_environment_configs() -> None:
    """The snapshot tests and gates take config/*.yaml; the starters live one folder down."""
    from tests.conftest import ENVIRONMENT_CONFIGS

    assert not {Path(path).resolve() for path in ENVIRONMENT_CONFIGS} & {
        p.resolve() for p in TEMPLATES.values()
    }
