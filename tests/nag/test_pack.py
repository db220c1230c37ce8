"""The Bedrock pack in an app: one line adds it, a finding fails the synth, an acknowledgment
passes it, production rules follow the stage, and the toolkit's own stacks run it."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_opensearchserverless as aoss

from bedrock_platform.nag import PRODUCTION_CONTEXT, BedrockChecks, require_customer_managed_keys
from bedrock_platform.spec import logging as logging_spec

ENV = cdk.Environment(account="111111111111", region="us-east-1")


def _findings(outdir: Path) -> dict[str, list[str]]:
    """Each failing rule of the validation report and the construct paths it names."""
    report = json.loads((outdir / "validation-report.json").read_text())
    found: dict[str, list[str]] = {}
    for plugin in report["pluginReports"]:
        for violation in plugin["violations"]:
            paths = [construct["constructPath"] for construct in violation["violatingConstructs"]]
            found.setdefault(violation["ruleName"], []).extend(paths)
    return found


def _untrusted_role(stack: cdk.Stack) -> iam.Role:
    """A role Bedrock may assume from any account's resource (no confused-deputy condition)."""
    return iam.Role(stack, "Untrusted", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))


def test_one_line_adds_the_pack_and_a_finding_fails_the_synth(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    _untrusted_role(cdk.Stack(app, "Stack", env=ENV))
    cdk.Validations.of(app).add_plugins(BedrockChecks(app))

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path) == {"Bedrock-BR1": ["Stack/Untrusted/Resource"]}


def test_an_acknowledged_finding_passes(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    role = _untrusted_role(cdk.Stack(app, "Stack", env=ENV))
    cdk.Validations.of(role).acknowledge(
        cdk.Acknowledgment(id="Bedrock::Bedrock-BR1", reason="a test role that is never deployed anywhere")
    )
    cdk.Validations.of(app).add_plugins(BedrockChecks(app))

    app.synth()


def test_production_rules_follow_the_stage(tmp_path: Path) -> None:
    """One pack serves a pipeline's stages: the production rules apply where the stage says so."""
    app = cdk.App(outdir=str(tmp_path))
    for name, production in (("Dev", False), ("Prod", True)):
        stage = cdk.Stage(app, name)
        stage.node.set_context(PRODUCTION_CONTEXT, production)
        stack = cdk.Stack(stage, "Vectors", env=ENV)
        aoss.CfnCollection(stack, "Collection", name=f"{name.lower()}-vectors", standby_replicas="DISABLED")
    cdk.Validations.of(app).add_plugins(BedrockChecks(app))

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path) == {"Bedrock-BR6": ["Prod/Vectors/Collection"]}


def test_the_toolkits_stacks_run_the_pack(tmp_path: Path) -> None:
    from bedrock_platform.config import load_config
    from bedrock_platform.stacks import create_app

    app = create_app(load_config("config/dev.yaml"), outdir=str(tmp_path), validation=False)
    _untrusted_role(app.node.find_child("dev-bedrock-guardrails"))  # type: ignore[arg-type]

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path)["Bedrock-BR1"] == ["dev-bedrock-guardrails/Untrusted/Resource"]


def test_the_toolkit_applies_the_production_rules_to_the_stacks_of_prod(tmp_path: Path) -> None:
    from bedrock_platform.config import load_config
    from bedrock_platform.stacks import create_app

    app = create_app(load_config("config/prod.yaml"), outdir=str(tmp_path), validation=False)
    stack = app.node.find_child("prod-bedrock-guardrails")
    aoss.CfnCollection(stack, "Unreplicated", name="unreplicated", standby_replicas="DISABLED")

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path)["Bedrock-BR6"] == ["prod-bedrock-guardrails/Unreplicated"]


def _production_app_with_a_knowledge_base(tmp_path: Path) -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Knowledge", env=ENV)
    bedrock.CfnKnowledgeBase(
        stack,
        "KnowledgeBase",
        name="kb",
        role_arn="arn:aws:iam::111111111111:role/kb",
        knowledge_base_configuration=bedrock.CfnKnowledgeBase.KnowledgeBaseConfigurationProperty(
            type="VECTOR"
        ),
    )
    cdk.Validations.of(app).add_plugins(BedrockChecks(app, production=True))
    return app, stack


def test_a_production_app_without_invocation_logging_fails(tmp_path: Path) -> None:
    app, _ = _production_app_with_a_knowledge_base(tmp_path)

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path) == {"Bedrock-BR12": ["Knowledge/KnowledgeBase"]}


def test_invocation_logging_anywhere_in_the_stage_satisfies_br12(tmp_path: Path) -> None:
    app, _ = _production_app_with_a_knowledge_base(tmp_path)
    logging_stack = cdk.Stack(app, "Logging", env=ENV)
    cdk.CfnResource(
        logging_stack,
        "InvocationLogging",
        type=logging_spec.RESOURCE_TYPE,
        properties={"ServiceToken": "arn"},
    )

    app.synth()


def test_the_key_rules_follow_the_scopes_that_require_keys(tmp_path: Path) -> None:
    """The toolkit marks the stacks of a config with compliance.require_customer_managed_keys: a
    guardrail without a key fails there, and passes in a stack that is not marked."""
    app = cdk.App(outdir=str(tmp_path))
    for name, keyed in (("Plain", False), ("Keyed", True)):
        stack = cdk.Stack(app, name, env=ENV)
        bedrock.CfnGuardrail(
            stack,
            "Guardrail",
            name=f"{name.lower()}-guardrail",
            blocked_input_messaging="Sorry.",
            blocked_outputs_messaging="Sorry.",
            content_policy_config=bedrock.CfnGuardrail.ContentPolicyConfigProperty(
                filters_config=[
                    bedrock.CfnGuardrail.ContentFilterConfigProperty(
                        type="HATE", input_strength="HIGH", output_strength="HIGH"
                    )
                ]
            ),
        )
        if keyed:
            require_customer_managed_keys(stack)
    cdk.Validations.of(app).add_plugins(BedrockChecks(app))

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert _findings(tmp_path) == {"Bedrock-BR8": ["Keyed/Guardrail"]}
