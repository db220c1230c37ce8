"""The delivery pipeline: environments in order, approval before prod, the stacks a laptop deploys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.config import load_config
from tests.conftest import CONFIG_DIR, Synthesized

DELIVERY = load_config(str(CONFIG_DIR / "delivery.yaml"))
assert DELIVERY.pipeline is not None
STAGES = DELIVERY.pipeline.stages


def pipeline_stages(synthesized: dict[str, Synthesized]) -> dict[str, list[dict[str, Any]]]:
    """The CodePipeline's stages (name -> actions) in their order."""
    template = synthesized["delivery"].templates["delivery-bedrock-pipeline"]
    (pipeline,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    return {stage["Name"]: stage["Actions"] for stage in pipeline["Properties"]["Stages"]}


def stage_templates(outdir: Path, stage: str) -> dict[str, dict[str, Any]]:
    """The templates a pipeline stage deploys, by stack name, from its nested cloud assembly."""
    folder = outdir / f"assembly-delivery-bedrock-pipeline-{stage}"
    manifest = json.loads((folder / "manifest.json").read_text())
    return {
        artifact["properties"]["stackName"]: json.loads(
            (folder / artifact["properties"]["templateFile"]).read_text()
        )
        for artifact in manifest["artifacts"].values()
        if artifact["type"] == "aws:cloudformation:stack"
    }


def without_paths(template: dict[str, Any]) -> dict[str, Any]:
    """The template without the paths in its metadata: construct paths (a stage nests them one level
    deeper) and asset folders (a stage's assembly is a subfolder), which only local tools read."""
    copy = json.loads(json.dumps(template))
    for resource in copy.get("Resources", {}).values():
        resource.get("Metadata", {}).pop("aws:cdk:path", None)
        resource.get("Metadata", {}).pop("aws:asset:path", None)
    return copy


def test_the_pipeline_synthesizes_updates_itself_then_deploys_each_environment_in_order(
    synthesized: dict[str, Synthesized],
) -> None:
    names = list(pipeline_stages(synthesized))

    assert names == ["Source", "Build", "UpdatePipeline", "Assets", "Deploy-dev", "Deploy-prod"]
    assert [stage.name for stage in STAGES] == ["dev", "prod"]


def test_the_source_is_the_configured_repository_branch_and_connection(
    synthesized: dict[str, Synthesized],
) -> None:
    assert DELIVERY.pipeline is not None
    (source,) = pipeline_stages(synthesized)["Source"]

    assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    assert source["Configuration"]["ConnectionArn"] == DELIVERY.pipeline.connection_arn
    assert source["Configuration"]["FullRepositoryId"] == DELIVERY.pipeline.repository
    assert source["Configuration"]["BranchName"] == DELIVERY.pipeline.branch


def test_the_build_runs_make_synth_of_the_hosting_environment(synthesized: dict[str, Synthesized]) -> None:
    template = synthesized["delivery"].templates["delivery-bedrock-pipeline"]
    buildspecs = [
        json.loads(resource["Properties"]["Source"]["BuildSpec"])
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::CodeBuild::Project" and "BuildSpec" in resource["Properties"]["Source"]
    ]
    commands = [command for spec in buildspecs for command in spec["phases"]["build"]["commands"]]

    assert "make synth ENV=delivery" in commands


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_each_stage_deploys_its_environments_stacks_into_its_account_and_region(
    synthesized: dict[str, Synthesized], stage: Any
) -> None:
    actions = pipeline_stages(synthesized)[f"Deploy-{stage.name}"]
    deploys = [action for action in actions if action["ActionTypeId"]["Provider"] == "CloudFormation"]
    account, region = stage.config.account, stage.config.region

    assert {action["Configuration"]["StackName"] for action in deploys} == set(
        synthesized[stage.name].templates
    )
    for action in deploys:
        role = json.dumps(action["RoleArn"])
        assert f"cdk-hnb659fds-deploy-role-{account}-{region}" in role
        assert action.get("Region", DELIVERY.region) == region


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_a_manual_approval_comes_before_the_deploy_where_the_config_asks(
    synthesized: dict[str, Synthesized], stage: Any
) -> None:
    actions = pipeline_stages(synthesized)[f"Deploy-{stage.name}"]
    approvals = [action for action in actions if action["ActionTypeId"]["Provider"] == "Manual"]

    assert stage.approval == (stage.name == "prod")  # the default: approval before prod only
    if stage.approval:
        (approval,) = approvals
        first_deploy = min(
            a["RunOrder"] for a in actions if a["ActionTypeId"]["Provider"] == "CloudFormation"
        )
        assert approval["RunOrder"] < first_deploy
    else:
        assert approvals == []


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_a_stage_deploys_the_templates_cdk_deploy_of_that_environment_deploys(
    synthesized: dict[str, Synthesized], stage: Any
) -> None:
    """Same stack names, same logical ids, same properties: a pipeline and a laptop are interchangeable."""
    staged = stage_templates(synthesized["delivery"].outdir, f"Deploy-{stage.name}")
    direct = synthesized[stage.name].templates

    assert set(staged) == set(direct)
    for name in direct:
        assert without_paths(staged[name]) == without_paths(direct[name]), name


def test_the_source_may_use_a_codeconnections_connection(synthesized: dict[str, Synthesized]) -> None:
    """IAM matches the action prefix to the ARN: a codeconnections ARN needs codeconnections:UseConnection."""
    assert DELIVERY.pipeline is not None and ":codeconnections:" in DELIVERY.pipeline.connection_arn
    template = synthesized["delivery"].templates["delivery-bedrock-pipeline"]
    granted = {
        (action, statement["Resource"])
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        if action.endswith(":UseConnection")
    }

    assert ("codeconnections:UseConnection", DELIVERY.pipeline.connection_arn) in granted
