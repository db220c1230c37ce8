"""The throughput stack through the YAML path, and what each config change does to a throughput."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml

from bedrock_platform.config import load_config
from bedrock_platform.constructs.provisioned_throughput import RESOURCE_TYPE
from bedrock_platform.stacks import add_stacks, cdk_json_context
from tests.conftest import CONFIG_DIR, Synthesized, copy_config_files

DEV_THROUGHPUT = {"name": "support", "model": "amazon.nova-lite-v1:0:300k", "model_units": 1}
PROD_THROUGHPUT = {
    # prod (eu-central-1) buys none: no Active text model is offered there (issue 16, finding 5);
    # a custom model of its account and Region is what a committed prod throughput would serve.
    "name": "support-assistant",
    "model": "arn:aws:bedrock:eu-central-1:222222222222:custom-model/amazon.nova-lite-v1:0:300k/a1b2c3d4e5f6",
    "model_units": 1,
    "commitment": "six_months",
    "acknowledge_commitment": True,
    "tags": {"app": "support-assistant"},
}


def _throughputs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == RESOURCE_TYPE}


def _prod_with_a_throughput(tmp_path: Path) -> tuple[Any, Any]:
    """config/prod.yaml with :data:`PROD_THROUGHPUT`, synthesized: (its config, the throughput stack)."""
    raw = yaml.safe_load((CONFIG_DIR / "prod.yaml").read_text())
    raw["provisioned_throughputs"] = [PROD_THROUGHPUT]
    copy_config_files(tmp_path)  # its words_file and job data are relative
    path = tmp_path / "prod.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    config = load_config(str(path))
    app = cdk.App(
        context=cdk_json_context(), outdir=str(tmp_path / "out"), builtin_cloud_formation_validation=False
    )
    add_stacks(app, config)
    return config, app.synth().get_stack_by_name("prod-bedrock-throughput")


def test_prod_declares_a_committed_throughput_that_is_retained_and_termination_protected(
    tmp_path: Path,
) -> None:
    config, stack = _prod_with_a_throughput(tmp_path)
    resources = _throughputs(stack.template)
    assert len(resources) == len(config.provisioned_throughputs)
    for spec in config.provisioned_throughputs:
        (resource,) = [r for r in resources.values() if r["Properties"]["ModelId"] == spec.model]
        properties = resource["Properties"]
        assert properties["ProvisionedModelName"].startswith(f"prod-{spec.name}-")
        assert properties["ModelUnits"] == spec.model_units
        assert properties["Tags"] == {**config.tags, **spec.tags}
        if spec.commitment != "none":
            assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    assert stack.termination_protection is True
    for spec in config.provisioned_throughputs:
        prefix = "".join(part.capitalize() for part in spec.name.split("-"))
        output = stack.template["Outputs"][f"{prefix}ProvisionedModelArn"]
        assert output["Value"]["Ref"] in resources
        assert "modelId" in output["Description"]


def test_prod_buys_no_throughput_in_frankfurt(synthesized: dict[str, Synthesized]) -> None:
    assert not load_config("config/prod.yaml").provisioned_throughputs
    assert "prod-bedrock-throughput" not in synthesized["prod"].templates


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
    copy_config_files(folder)  # the job data dev.yaml ships
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
