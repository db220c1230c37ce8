"""The AWS Control Tower proactive controls in the synth: on every config and starter template, what
they find, and that a finding fails the synth even once another one is acknowledged."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3

from bedrock_platform.config import load_config
from bedrock_platform.config.compliance_rules import MODEL_SECTIONS
from bedrock_platform.config.model import HANDLER_SECTIONS
from bedrock_platform.constructs.nag import acknowledge_control_tower
from bedrock_platform.nag import ControlTowerChecks
from bedrock_platform.nag.rules.invocation_logging_in_production import MODEL_RESOURCE_TYPES
from bedrock_platform.spec import control_tower
from tests.conftest import CONFIG_DIR, ENVIRONMENT_CONFIGS, Synthesized

NOT_ON = "control_tower is off here (it is on by default in prod only)"
KMS = f"{NOT_ON}: without it, buckets and handler log groups use S3's and CloudWatch's own keys"
VPC = f"{NOT_ON}: without it, handlers run outside a VPC (no handler_vpc)"
RETENTION = "the config keeps its invocation logs less than a year (retention_days)"
PIPELINE = (
    "the pipeline stack (CDK Pipelines: artifact bucket, CodeBuild, its KMS key) is not made to meet the "
    "controls yet; a pipeline host runs with control_tower off"
)
EXPECTED: Mapping[str, Mapping[str, str]] = {
    "config/dev": {
        "cloudwatch_log_group_encrypted_check": KMS,
        "s3_bucket_default_encryption_kms_check": KMS,
        "lambda_inside_vpc_check": VPC,
        "cloudwatch_log_group_retention_period_check": RETENTION,
    },
    "config/delivery": {
        "cloudwatch_log_group_encrypted_check": KMS,
        "s3_bucket_default_encryption_kms_check": KMS,
        "lambda_inside_vpc_check": VPC,
        "cloudwatch_log_group_retention_period_check": RETENTION,
        "codebuild_project_logging_enabled_check": PIPELINE,
        "kms_create_grant_aws_service_check": PIPELINE,
        "s3_bucket_logging_enabled_check": PIPELINE,
        "s3_bucket_versioning_enabled_check": PIPELINE,
        "s3_lifecycle_policy_check": PIPELINE,
    },
    "config/prod": {},
    "template/evaluation-suite": {
        "cloudwatch_log_group_encrypted_check": KMS,
        "s3_bucket_default_encryption_kms_check": KMS,
        "lambda_inside_vpc_check": VPC,
    },
    "template/minimal-rag": {"s3_bucket_default_encryption_kms_check": KMS},
    "template/s3-vectors-rag": {"s3_bucket_default_encryption_kms_check": KMS},
    "template/wiki-rag": {},
    "template/private-rag": {},
    "template/regulated-guardrail": {},
    "template/governed-account": {
        "cloudwatch_log_group_encrypted_check": KMS,
        "s3_bucket_default_encryption_kms_check": KMS,
        "lambda_inside_vpc_check": VPC,
    },
}
"""What the controls find in each shipped config, with why: none where control_tower is on."""


def _findings(synthesized: Synthesized, kind: str = "violations") -> dict[str, bool]:
    """Control Tower's findings in a synth's validation report (``kind``: ``suppressedViolations``
    for the acknowledged ones): rule name to whether it would fail."""
    path = synthesized.outdir / "validation-report.json"
    report = json.loads(path.read_text()) if path.exists() else {"pluginReports": []}
    plugins = [found for found in report["pluginReports"] if found["pluginName"] == control_tower.PLUGIN_NAME]
    # A plugin with nothing to report, found or acknowledged, is left out of the report.
    return {
        violation["ruleName"]: violation["severity"] == "error"
        for plugin in plugins
        for violation in plugin.get(kind, [])
    }


def _config_of(name: str) -> Path:
    kind, stem = name.split("/", 1)
    return CONFIG_DIR / f"{stem}.yaml" if kind == "config" else CONFIG_DIR / "templates" / f"{stem}.yaml"


def test_the_table_names_every_shipped_config() -> None:
    shipped = {f"config/{path.stem}" for path in ENVIRONMENT_CONFIGS}
    shipped |= {f"template/{path.stem}" for path in (CONFIG_DIR / "templates").glob("*.yaml")}
    assert set(EXPECTED) == shipped


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_controls_find_in_each_config_exactly_what_the_table_says(
    name: str, synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized]
) -> None:
    """Every config runs the controls: for real where control_tower is on (its synth would fail on a
    finding), report only elsewhere (tests/conftest.py), so that a change that breaks a control shows."""
    kind, stem = name.split("/", 1)
    synthesis = synthesized[stem] if kind == "config" else synthesized_templates[stem]
    findings = _findings(synthesis)
    assert sorted(findings) == sorted(EXPECTED[name])
    assert not any(findings.values()), "a report-only run found an error"
    if load_config(str(_config_of(name))).control_tower:
        assert findings == {}


def test_a_config_with_control_tower_on_fails_its_synth_on_a_finding(tmp_path: Path) -> None:
    """add_stacks registers the controls for a config that turns them on: a bucket without KMS added to
    one of its stacks fails the synth."""
    from bedrock_platform.stacks import create_app

    config = load_config(str(CONFIG_DIR / "templates" / "regulated-guardrail.yaml"))
    assert config.control_tower
    app = create_app(config, outdir=str(tmp_path), validation=False)
    stack = next(child for child in app.node.children if isinstance(child, cdk.Stack))
    s3.CfnBucket(stack, "Unencrypted")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()


def _app_with_two_findings(tmp_path: Path) -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))
    s3.CfnBucket(stack, "Bucket")  # no KMS, no logging, no versioning: several rules
    lambda_.CfnFunction(
        stack,
        "Function",
        code=lambda_.CfnFunction.CodeProperty(zip_file="def handler(event, context): pass"),
        role="arn:aws:iam::111111111111:role/r",
        runtime="python3.13",
        handler="index.handler",
    )
    cdk.Validations.of(app).add_plugins(ControlTowerChecks())
    return app, stack


def test_an_acknowledged_finding_leaves_the_others_failing(tmp_path: Path) -> None:
    """aws-cdk-lib recomputes a plugin's success from its violations' severity once one of them is
    acknowledged; CfnGuardValidator gives none, so everything would pass. ControlTowerChecks gives
    every finding a severity: the Lambda outside a VPC still fails the synth."""
    app, stack = _app_with_two_findings(tmp_path)
    for rule in control_tower.rules():
        if rule.startswith("s3_"):
            acknowledge_control_tower(
                stack.node.find_child("Bucket"), rule, "a test bucket, only here to be found"
            )
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    (plugin,) = [
        found for found in report["pluginReports"] if found["pluginName"] == control_tower.PLUGIN_NAME
    ]
    assert {violation["ruleName"] for violation in plugin["violations"]} == {control_tower.LAMBDA_IN_VPC}


def test_the_exemptions_name_rules_of_the_installed_rule_set() -> None:
    rules = control_tower.rules()
    assert len(rules) > 200  # the rule set is read from the package, not a copy
    for rule in (*control_tower.PLATFORM_EXEMPTIONS, *control_tower.ACCESS_LOG_BUCKET_EXEMPTIONS):
        assert rule in rules
    assert control_tower.LAMBDA_IN_VPC in rules
    assert control_tower.disabled_files() == sorted(rules[rule] for rule in control_tower.PLATFORM_EXEMPTIONS)


EXEMPT_PROD = """\
environment: prod
account: "222222222222"
region: us-east-1
compliance:
  exemptions:
    lambda_inside_vpc_check: the account has no VPC yet; the handlers call only AWS APIs
invocation_logging:
  cloudwatch: {retention_days: 731}
"""


def test_a_config_exemption_is_acknowledged_on_its_stacks(tmp_path: Path) -> None:
    """prod without handler_vpc synthesizes once the config names the exemption, with its reason."""
    from tests.conftest import synthesize

    config = tmp_path / "prod.yaml"
    config.write_text(EXEMPT_PROD, encoding="utf-8")
    result = synthesize(config, tmp_path / "out", validation=False)
    functions = [
        resource
        for template in result.templates.values()
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Lambda::Function"
    ]
    assert functions and all("VpcConfig" not in function["Properties"] for function in functions)
    assert _findings(result) == {}
    assert control_tower.LAMBDA_IN_VPC in _findings(result, "suppressedViolations")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_sections_validation_reads_are_what_the_templates_hold(
    name: str, synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized]
) -> None:
    """Validation decides from the config's sections whether the handlers must run in a VPC
    (HANDLER_SECTIONS, PlatformConfig.runs_handlers) and whether prod must log invocations
    (MODEL_SECTIONS): each config's templates hold Lambda functions, and resources BR12 is about,
    exactly when those sections say so."""
    kind, stem = name.split("/", 1)
    synthesis = synthesized[stem] if kind == "config" else synthesized_templates[stem]
    types = {
        resource["Type"]
        for template in synthesis.templates.values()
        for resource in template["Resources"].values()
    }
    config = load_config(str(_config_of(name)))
    raw = yaml.safe_load(_config_of(name).read_text(encoding="utf-8"))
    assert config.runs_handlers == ("AWS::Lambda::Function" in types)
    assert any(raw.get(section) for section in HANDLER_SECTIONS) <= config.runs_handlers
    serves_models = any(raw.get(section) for section in MODEL_SECTIONS)
    assert serves_models == bool(types & set(MODEL_RESOURCE_TYPES))


def test_the_log_retention_minimum_is_the_control_s_own() -> None:
    """Rule control-tower-log-retention refuses before the synth what CT.CLOUDWATCH.PR.2 refuses in it."""
    import tarfile

    assert control_tower.rules()[
        control_tower.LOG_RETENTION
    ] == control_tower.LOG_RETENTION_CONTROL.lower().replace(".", "-")
    with tarfile.open(control_tower._archive()) as archive:
        member = next(
            m
            for m in archive
            if m.name.endswith(f"/{control_tower.rules()[control_tower.LOG_RETENTION]}.guard")
        )
        stream = archive.extractfile(member)
        assert stream is not None
        text = stream.read().decode()
    assert f"let MINIMUM_RETENTION_IN_DAYS = {control_tower.MIN_LOG_RETENTION_DAYS}\n" in text
