"""Quality gates over every synthesized template: cfn-lint, cdk-nag, CDK schema validation, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from cfnlint.api import ManualArgs, lint_all, lint_file

from bedrock_platform.config import load_config
from bedrock_platform.spec import control_tower
from bedrock_platform.stacks import add_stacks, cdk_json_context
from tests.conftest import ENVIRONMENT_CONFIGS, Synthesized, synthesize


def _templates_with_region(synthesized: dict[str, Synthesized]) -> list[tuple[Path, str]]:
    """Every template file with the Region its stack deploys to (cfn-lint checks that Region)."""
    found = []
    for result in synthesized.values():
        manifest = json.loads((result.outdir / "manifest.json").read_text())
        regions = {
            artifact["properties"].get("stackName", artifact_id): artifact["environment"].rsplit("/", 1)[1]
            for artifact_id, artifact in manifest["artifacts"].items()
            if artifact["type"] == "aws:cloudformation:stack"
        }
        for name, path in result.template_files.items():
            found.append((path, regions[name]))
    return found


def test_every_config_synthesizes_at_least_one_stack(synthesized: dict[str, Synthesized]) -> None:
    assert set(synthesized) == {path.stem for path in ENVIRONMENT_CONFIGS} >= {"dev", "prod"}
    for env in ("dev", "prod"):
        assert {f"{env}-bedrock-knowledge", f"{env}-bedrock-guardrails"} <= set(synthesized[env].templates)
    # No shipped config buys throughput (Frankfurt offers none for an Active text model): the
    # throughput stack is synthesized by tests/stacks/test_throughput_stack.py and the example app.
    assert "delivery-bedrock-pipeline" in synthesized["delivery"].templates


def test_cfn_lint_reports_nothing(synthesized: dict[str, Synthesized]) -> None:
    findings = []
    for path, region in _templates_with_region(synthesized):
        matches = lint_file(path, config=ManualArgs(regions=[region]))
        findings += [f"{path.name}: {match}" for match in matches]
    assert findings == []


def test_cfn_lint_catches_a_broken_template(tmp_path: Path) -> None:
    """The gate can fail: a knowledge base without its required properties is reported."""
    broken = '{"Resources": {"KB": {"Type": "AWS::Bedrock::KnowledgeBase", "Properties": {"Name": "x"}}}}'
    rules = {str(match.rule.id) for match in lint_all(broken)}
    assert "E3003" in rules


def _app(validation: bool = False) -> cdk.App:
    return cdk.App(
        context={**cdk_json_context(), "aws:cdk:enable-path-metadata": True},
        builtin_cloud_formation_validation=validation,
    )


def test_every_nag_acknowledgment_carries_a_reason() -> None:
    app = _app()
    for path in ENVIRONMENT_CONFIGS:
        add_stacks(app, load_config(str(path)))
    acknowledged = {
        rule: reason
        for construct in app.node.find_all()
        for entry in construct.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
    }
    assert acknowledged, "the configs need acknowledgments; none found means the walk is wrong"
    packs = {rule.split("::", 1)[0] for rule in acknowledged}
    assert packs == {"AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "Bedrock", control_tower.PLUGIN_NAME}
    for rule, reason in acknowledged.items():
        pack, finding = rule.split("::", 1)
        if pack == control_tower.PLUGIN_NAME:
            assert finding in control_tower.rules(), rule  # Control Tower names its rules in words
        else:
            assert finding.startswith(f"{pack}-"), rule
        assert len(reason) >= 40, f"{rule}: the reason must say why it is safe"


def test_an_unacknowledged_nag_finding_fails_synthesis(tmp_path: Path) -> None:
    app = _app()
    config = load_config("config/dev.yaml")
    stack = add_stacks(app, config)[0]
    role = iam.Role(stack, "TooBroad", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"]))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()


def test_cdk_schema_validation_turns_a_bad_property_into_an_error() -> None:
    app = _app(validation=True)
    stack = cdk.Stack(app, "Broken", env=cdk.Environment(account="111111111111", region="us-east-1"))
    guardrail = bedrock.CfnGuardrail(
        stack, "Guardrail", name="g", blocked_input_messaging="no", blocked_outputs_messaging="no"
    )
    guardrail.add_property_override("BlockedOutputMessaging", "typo")
    with pytest.raises(RuntimeError, match="BlockedOutputMessaging"):
        app.synth()


def test_same_yaml_gives_byte_identical_templates_with_or_without_schema_validation(
    synthesized: dict[str, Synthesized], tmp_path: Path
) -> None:
    again = synthesize(Path("config/prod.yaml"), tmp_path, validation=False)
    for name, path in synthesized["prod"].template_files.items():
        assert again.template_files[name].read_bytes() == path.read_bytes()
