"""The throughput stack through the YAML path, and what each config change does to a throughput."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml

from bedrock_platform.config import load_config
from bedrock_platform.constructs.provisioned_throughput import RESOURCE_TYPE
from bedrock_platform.stacks import add_stacks, cdk_json_context
from tests.conftest import CONFIG_DIR, Synthesized

DEV_THROUGHPUT = {"name": "support", "model": "anthropic.claude-3-haiku-20240307-v1:0:200k", "model_units": 1}


def _throughputs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == RESOURCE_TYPE}


def _manifest(result: Synthesized, stack: str) -> dict[str, Any]:
    artifact = json.loads((result.outdir / "manifest.json").read_text())["artifacts"][stack]
    properties: dict[str, Any] = artifact["properties"]
    return properties


def test_prod_declares_a_committed_throughput_that_is_retained_and_termination_protected(
    synthesized: dict[str, Synthesized],
) -> None:
    config = load_config("config/prod.yaml")
    assert config.provisioned_throughputs, "config/prod.yaml should declare a provisioned throughput"
    template = synthesized["prod"].templates["prod-bedrock-throughput"]
    resources = _throughputs(template)
    assert len(resources) == len(config.provisioned_throughputs)
    for spec in config.provisioned_throughputs:
        (resource,) = [r for r in resources.values() if r["Properties"]["ModelId"] == spec.model]
        properties = resource["Properties"]
        assert properties["ProvisionedModelName"].startswith(f"prod-{spec.name}-")
        assert properties["ModelUnits"] == spec.model_units
        assert properties["Tags"] == {**config.tags, **spec.tags}
        if spec.commitment != "none":
            assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    assert _manifest(synthesized["prod"], "prod-bedrock-throughput")["terminationProtection"] is True


def test_outputs_give_each_provisioned_model_arn(synthesized: dict[str, Synthesized]) -> None:
    config = load_config("config/prod.yaml")
    template = synthesized["prod"].templates["prod-bedrock-throughput"]
    for spec in config.provisioned_throughputs:
        prefix = "".join(part.capitalize() for part in spec.name.split("-"))
        output = template["Outputs"][f"{prefix}ProvisionedModelArn"]
        assert output["Value"]["Ref"] in _throughputs(template)
        assert "modelId" in output["Description"]


def test_dev_buys_no_throughput_and_has_no_throughput_stack(synthesized: dict[str, Synthesized]) -> None:
    assert not load_config("config/dev.yaml").provisioned_throughputs
    assert "dev-bedrock-throughput" not in synthesized["dev"].templates


def _dev_throughput(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None] = lambda item: None
) -> dict[str, Any]:
    """The throughput resources of dev with one throughput, after ``edit`` of its config entry."""
    raw = yaml.safe_load((CONFIG_DIR / "dev.yaml").read_text())
    item = dict(DEV_THROUGHPUT)
    edit(item)
    raw["provisioned_throughputs"] = [item]
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    path = folder / "dev.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    app = cdk.App(
        context=cdk_json_context(), outdir=str(folder / "out"), builtin_cloud_formation_validation=False
    )
    add_stacks(app, load_config(str(path)))
    stack = app.synth().get_stack_by_name("dev-bedrock-throughput")
    assert stack.termination_protection in (None, False)
    return _throughputs(stack.template)


def test_without_commitment_the_throughput_is_deleted_with_the_stack(tmp_path: Path) -> None:
    (resource,) = _dev_throughput(tmp_path).values()
    assert resource["DeletionPolicy"] == "Delete"
    assert "CommitmentDuration" not in resource["Properties"]


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        (lambda item: item.update(model_units=2), {"ModelUnits", "ProvisionedModelName"}),
        (
            lambda item: item.update(commitment="one_month", acknowledge_commitment=True),
            {"CommitmentDuration", "ProvisionedModelName"},
        ),
        (lambda item: item.update(tags={"app": "support"}), {"Tags"}),
        (lambda item: item.update(display_name="dev-assistant"), {"ProvisionedModelName"}),
    ],
    ids=["model-units", "commitment", "tags", "display-name"],
)
def test_each_config_change_touches_only_its_properties_and_keeps_the_logical_id(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], changed: set[str]
) -> None:
    """The handler decides in place or replacement from the properties; the logical id stays."""
    ((before_id, before),) = _dev_throughput(tmp_path).items()
    ((after_id, after),) = _dev_throughput(tmp_path, edit).items()

    properties = set(before["Properties"]) | set(after["Properties"])
    differs = {key for key in properties if before["Properties"].get(key) != after["Properties"].get(key)}
    assert differs == changed
    assert after_id == before_id


def test_a_new_name_is_a_new_entry_a_new_display_name_renames_in_place(tmp_path: Path) -> None:
    (before_id,) = _dev_throughput(tmp_path)
    (renamed_id,) = _dev_throughput(tmp_path, lambda item: item.update(name="assistant"))
    ((display_id, display),) = _dev_throughput(
        tmp_path, lambda item: item.update(display_name="dev-assistant")
    ).items()

    assert renamed_id != before_id
    assert display_id == before_id
    assert display["Properties"]["ProvisionedModelName"].startswith("dev-assistant-")
