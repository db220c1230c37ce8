"""The guardrails stack through the YAML path, and the versioning rules a production user relies on."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.stacks import add_stacks, cdk_json_context
from tests.conftest import CONFIG_DIR, Synthesized, copy_config_files


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_each_guardrail_and_each_declared_version_is_synthesized(
    env: str, synthesized: dict[str, Synthesized]
) -> None:
    config = load_config(f"config/{env}.yaml")
    assert config.guardrails, f"config/{env}.yaml should declare guardrails"
    template = synthesized[env].templates[f"{env}-bedrock-guardrails"]
    guardrails = _resources(template, "AWS::Bedrock::Guardrail")
    assert sorted(g["Properties"]["Name"] for g in guardrails.values()) == sorted(
        f"{env}-{g.name}" for g in config.guardrails
    )
    versions = _resources(template, "AWS::Bedrock::GuardrailVersion")
    expected = [f"{v.description} [policy {v.policy}]" for g in config.guardrails for v in g.versions]
    assert sorted(v["Properties"]["Description"] for v in versions.values()) == sorted(expected)
    # Issue 16, finding 3: retained, except by the rollback of the deployment that created them.
    assert all(v["DeletionPolicy"] == "RetainExceptOnCreate" for v in versions.values())


def test_outputs_give_ids_arns_version_numbers_and_latest(synthesized: dict[str, Synthesized]) -> None:
    config = load_config("config/prod.yaml")
    template = synthesized["prod"].templates["prod-bedrock-guardrails"]
    outputs = template["Outputs"]
    for guardrail in config.guardrails:
        prefix = "".join(part.capitalize() for part in guardrail.name.split("-"))
        assert f"{prefix}GuardrailId" in outputs and f"{prefix}GuardrailArn" in outputs
        for number in range(1, len(guardrail.versions) + 1):
            assert outputs[f"{prefix}Version{number}"]["Value"]["Fn::GetAtt"][1] == "Version"
            assert f"{prefix}Version{number}Arn" in outputs
        if guardrail.versions:
            last = len(guardrail.versions)
            assert outputs[f"{prefix}LatestVersion"]["Value"] == outputs[f"{prefix}Version{last}"]["Value"]


def _guardrails_only(tmp_path: Path, edit: Any) -> dict[str, dict[str, Any]]:
    """Resources of the prod guardrails stack after ``edit(raw_config)``, synthesized from a copy."""
    raw = yaml.safe_load((CONFIG_DIR / "prod.yaml").read_text())
    raw.pop("vector_stores", None)
    raw.pop("knowledge_bases", None)
    edit(raw)
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    copy_config_files(folder)
    path = folder / "prod.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    app = cdk.App(
        context=cdk_json_context(), outdir=str(folder / "out"), builtin_cloud_formation_validation=False
    )
    add_stacks(app, load_config(str(path)))
    template = app.synth().get_stack_by_name("prod-bedrock-guardrails").template
    resources: dict[str, dict[str, Any]] = template["Resources"]
    return resources


def _versioned(raw: dict[str, Any]) -> dict[str, Any]:
    guardrail: dict[str, Any] = next(g for g in raw["guardrails"] if g.get("versions"))
    return guardrail


def _tighten(raw: dict[str, Any]) -> None:
    _versioned(raw)["blocked_input_message"] = "This request is not allowed."


def test_guardrail_change_without_a_new_entry_is_refused_with_the_hash_to_publish(tmp_path: Path) -> None:
    """Issue 16, finding 9: the newest entry pins the current policy (a version publishes the DRAFT)."""
    with pytest.raises(ConfigError, match="the newest entry pins e57e6ceb, but the guardrail"):
        _guardrails_only(tmp_path, _tighten)


def test_one_more_version_entry_adds_exactly_one_resource_and_changes_nothing_else(tmp_path: Path) -> None:
    before = _guardrails_only(tmp_path, lambda raw: None)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    raw = yaml.safe_load((CONFIG_DIR / "prod.yaml").read_text())
    _tighten(raw)
    copy_config_files(scratch)
    (scratch / "prod.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(ConfigError) as caught:
        load_config(str(scratch / "prod.yaml"))
    policy = str(caught.value).rsplit("append an entry with policy: ", 1)[1].split(" ", 1)[0]
    shutil.rmtree(scratch)

    def publish(raw: dict[str, Any]) -> None:
        _tighten(raw)
        versions = _versioned(raw)["versions"]
        versions[-1]["published"] = True
        versions.append({"description": "stricter blocked message", "policy": policy})

    published = _guardrails_only(tmp_path, publish)
    added = set(published) - set(before)
    # One version, and the SSM parameter with its number; nothing else changes but the guardrail
    # and the parameter naming the newest version.
    assert sorted(published[lid]["Type"] for lid in added) == [
        "AWS::Bedrock::GuardrailVersion",
        "AWS::SSM::Parameter",
    ]
    (new,) = (lid for lid in added if published[lid]["Type"] == "AWS::Bedrock::GuardrailVersion")
    assert published[new]["Properties"]["Description"] == f"stricter blocked message [policy {policy}]"
    (previous,) = (lid for lid in before if before[lid]["Type"] == "AWS::Bedrock::GuardrailVersion")
    assert published[new]["DependsOn"] == [previous]
    changed = {lid for lid in before if published[lid] != before[lid]}
    assert {published[lid]["Type"] for lid in changed} == {"AWS::Bedrock::Guardrail", "AWS::SSM::Parameter"}
    (latest,) = (lid for lid in changed if published[lid]["Type"] == "AWS::SSM::Parameter")
    assert published[latest]["Properties"]["Name"].endswith("/latest-version")
    assert published[latest]["Properties"]["Value"] == {"Fn::GetAtt": [new, "Version"]}
