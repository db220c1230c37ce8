"""The GitHub Actions workflows: the review comment and the guarded deploys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return workflow


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def test_the_pull_request_workflow_diffs_base_and_head_and_fails_on_data_loss_unless_labelled() -> None:
    workflow = load("pr-diff.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key "on" as True
    assert workflow["permissions"]["pull-requests"] == "write"
    runs = "\n".join(step.get("run", "") for step in steps(workflow, "diff"))
    assert "make setup" in runs
    assert 'diff "origin/${{ github.base_ref }}" HEAD' in runs and "--fail-on data-loss" in runs
    script = next(step for step in steps(workflow, "diff") if "github-script" in step.get("uses", ""))
    assert "updateComment" in script["with"]["script"] and "createComment" in script["with"]["script"]
    gate = steps(workflow, "diff")[-1]
    assert gate["if"].startswith("steps.diff.outputs.status == '1'")
    assert "allow-data-loss" in gate["if"] and "exit 1" in gate["run"]
    # A replacement that cannot deploy fails whatever the labels say (issue 24, 2).
    blocking = steps(workflow, "diff")[-2]
    assert "allow-data-loss" not in blocking["if"] and "^- deploy failure:" in blocking["run"]
    from bedrock_platform.review.compare import Severity

    assert f"- {Severity.DEPLOY_FAILURE.label}:" in blocking["run"]
    # The workflow posts comment.md as it is: the marker it finds its comment by is in the file.
    assert "fs.readFileSync('comment.md', 'utf8');" in script["with"]["script"]
    # A head that does not synthesize (exit 3) fails whatever the labels say.
    broken = steps(workflow, "diff")[-3]
    assert "allow-data-loss" not in broken["if"] and "exit 1" in broken["run"]
    assert "status != '0'" in broken["if"] and "status != '1'" in broken["if"]
    upload = next(step for step in steps(workflow, "diff") if "upload-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] in runs, "the artifact is the file the diff writes the full report to"


def test_deploys_use_an_oidc_role_and_prod_waits_for_its_environment() -> None:
    deploy = load("deploy.yml")
    assert deploy["permissions"]["id-token"] == "write"
    assert deploy["jobs"]["prod"]["needs"] == "dev"
    environment = load("deploy-environment.yml")
    job = environment["jobs"]["deploy"]
    assert job["environment"] == "${{ inputs.environment }}"
    credentials = next(step for step in job["steps"] if "configure-aws-credentials" in step.get("uses", ""))
    assert credentials["with"]["role-to-assume"] == "${{ vars.DEPLOY_ROLE_ARN }}"
    deploy_step = job["steps"][-1]["run"]
    assert 'cdk deploy -c env="${{ inputs.environment }}" --all' in deploy_step
