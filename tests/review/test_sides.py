"""The review across stacks and folders (issue 24): stacks that leave the app or move to another
account or Region, pipeline stages, a misspelt --env, new handler code only, knowledge bases moved
between knowledge stacks, and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.cli import EXIT_OK, EXIT_USAGE, main
from bedrock_platform.review.report import JSON_SCHEMA, JSON_VERSION
from bedrock_platform.review.sides import compare_sides, load_folder

US, EU = "aws://111111111111/us-east-1", "aws://111111111111/eu-west-1"
KNOWLEDGE_BASE = {
    "Type": "AWS::Bedrock::KnowledgeBase",
    "Properties": {"Name": "dev-product-docs-1a2b3c", "RoleArn": "arn:aws:iam::111111111111:role/kb"},
}
COLLECTION = {"Type": "AWS::OpenSearchServerless::Collection", "Properties": {"Name": "dev-docs-1a2b3c"}}


def assembly(folder: Path, stacks: dict[str, tuple[dict[str, Any], str]]) -> Path:
    """A cloud assembly: ``stacks`` by name, each its resources and its environment."""
    folder.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for name, (resources, environment) in stacks.items():
        (folder / f"{name}.template.json").write_text(json.dumps({"Resources": resources}))
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": environment,
            "properties": {"templateFile": f"{name}.template.json"},
        }
    (folder / "manifest.json").write_text(json.dumps({"version": "1", "artifacts": artifacts}))
    return folder


def test_a_region_change_is_a_move_that_costs_not_a_deletion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Items 5 and 8: the old stack stays deployed (and billing); nothing is deleted with its data."""
    resources = {"KnowledgeBase": KNOWLEDGE_BASE, "Collection": COLLECTION}
    base = assembly(tmp_path / "base", {"dev-bedrock-knowledge": (resources, US)})
    head = assembly(tmp_path / "head", {"dev-bedrock-knowledge": (resources, EU)})

    (change,) = compare_sides(load_folder(base), load_folder(head))
    assert (change.action, change.severity.label) == ("moved", "cost")
    assert "111111111111/us-east-1 -> 111111111111/eu-west-1" in change.reasons[0]
    assert change.reasons[1] == "both bill: the old one keeps 1 vector collections (minimum OCUs)"
    assert main(["diff", str(base), str(head), "--fail-on", "data-loss"]) == EXIT_OK
    assert "deleted with" not in capsys.readouterr().out


def test_a_stack_that_leaves_the_app_is_left_deployed_with_what_it_bills(tmp_path: Path) -> None:
    base = assembly(tmp_path / "base", {"dev-bedrock-knowledge": ({"Collection": COLLECTION}, US)})
    head = assembly(tmp_path / "head", {})

    (change,) = compare_sides(load_folder(base), load_folder(head))
    assert (change.action, change.severity.label) == ("left deployed", "cost")
    assert "cdk deploy does not delete it" in change.reasons[0]


def test_pipeline_stage_assemblies_are_not_reviewed_twice(tmp_path: Path) -> None:
    """Item 10: the delivery pipeline's stages hold dev and prod again, under assembly-<stage>/."""
    folder = assembly(tmp_path / "out" / "dev", {"dev-bedrock-knowledge": ({"Collection": COLLECTION}, US)})
    assembly(
        folder / "assembly-Deploy-dev", {"Deploy-dev-dev-bedrock-knowledge": ({"Collection": COLLECTION}, US)}
    )

    assert list(load_folder(tmp_path / "out")) == ["dev-bedrock-knowledge"]


def test_a_misspelt_environment_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Item 10: before, `--env prd` printed "No changes." and exited 0."""
    folder = assembly(tmp_path / "out", {"prod-bedrock-knowledge": ({"Collection": COLLECTION}, US)})
    assert main(["diff", str(folder), str(folder), "--env", "prd"]) == EXIT_USAGE
    assert (
        "neither side has a stack of that environment (stacks: prod-bedrock-knowledge)"
        in capsys.readouterr().err
    )
    assert main(["diff", str(folder), str(folder), "--env", "prod", "--fail-on", "routine"]) == EXIT_OK


def test_new_handler_code_alone_never_fails_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 9: the report says no resource changed, and `--fail-on routine` agrees."""

    def handler(digest: str) -> dict[str, Any]:
        code = {"S3Bucket": "cdk-assets", "S3Key": f"{digest * 64}.zip"}
        return {
            "Handler": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": code, "Runtime": "python3.12"},
            }
        }

    base = assembly(tmp_path / "base", {"dev-bedrock-throughput": (handler("a"), US)})
    head = assembly(tmp_path / "head", {"dev-bedrock-throughput": (handler("b"), US)})
    assert main(["diff", str(base), str(head), "--fail-on", "routine"]) == EXIT_OK
    assert "No resource changes; only asset content" in capsys.readouterr().out


def test_a_knowledge_base_moved_between_knowledge_stacks_is_one_linked_move(tmp_path: Path) -> None:
    """Item 12: its removal and its addition name each other."""
    base = assembly(
        tmp_path / "base",
        {
            "dev-bedrock-knowledge": ({"KnowledgeBase": KNOWLEDGE_BASE}, US),
            "dev-bedrock-knowledge-2": ({}, US),
        },
    )
    head = assembly(
        tmp_path / "head",
        {
            "dev-bedrock-knowledge": ({}, US),
            "dev-bedrock-knowledge-2": ({"KnowledgeBaseMoved": KNOWLEDGE_BASE}, US),
        },
    )
    removed, added = sorted(
        compare_sides(load_folder(base), load_folder(head)), key=lambda c: c.action != "removed"
    )
    assert removed.reasons[0].startswith(
        "moved to dev-bedrock-knowledge-2 (added there as KnowledgeBaseMoved)"
    )
    assert added.reasons[0] == "moved from dev-bedrock-knowledge (removed there as KnowledgeBase)"
    assert removed.severity.label == "data loss"


def test_the_json_report_is_a_versioned_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Item 13: --format json for other tools; the comment stays Markdown."""
    base = assembly(tmp_path / "base", {"dev-bedrock-knowledge": ({"Collection": COLLECTION}, US)})
    head = assembly(tmp_path / "head", {"dev-bedrock-knowledge": ({}, US)})
    comment = tmp_path / "comment.md"
    assert main(["diff", str(base), str(head), "--format", "json", "--comment", str(comment)]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert (document["schema"], document["version"]) == (JSON_SCHEMA, JSON_VERSION)
    assert document["summary"] == {"routine": 0, "access": 0, "cost": 0, "data loss": 1, "deploy failure": 0}
    (change,) = document["changes"]
    assert {key: change[key] for key in ("logical_id", "action", "severity", "replacement", "cascade")} == {
        "logical_id": "Collection",
        "action": "removed",
        "severity": "data loss",
        "replacement": False,
        "cascade": [],
    }
    assert change["reasons"] == ["deleted with its vectors"]
    assert comment.read_text().startswith("<!-- bedrock-platform-diff -->\n## Bedrock infrastructure changes")


def test_the_delivery_pipelines_stages_are_left_to_the_environments(synthesized: dict[str, Any]) -> None:
    """The real delivery synth: its stage assemblies hold dev's and prod's stacks again."""
    outdir = Path(synthesized["delivery"].outdir)
    assert list(outdir.glob("assembly-*/manifest.json")), "the pipeline has stage assemblies"
    nested = json.loads(next(outdir.glob("assembly-*/manifest.json")).read_text())["artifacts"]
    assert any(artifact.get("type") == "aws:cloudformation:stack" for artifact in nested.values())
    assert set(load_folder(outdir)) == {
        name
        for name, artifact in json.loads((outdir / "manifest.json").read_text())["artifacts"].items()
        if artifact.get("type") == "aws:cloudformation:stack"
    }


def test_a_replacement_reaches_a_numbered_knowledge_stack_through_its_ssm_parameter(tmp_path: Path) -> None:
    """Issue 24 (1) across stacks: knowledge stack 2 reads its collection's ARN from SSM (a template
    parameter), so its template does not change when the collection is replaced in stack 1; its
    knowledge base and data source are replaced at its next deploy all the same."""
    name = "/bedrock-platform/dev/vector-stores/docs/arn"

    def stack_one(collection_name: str) -> dict[str, Any]:
        collection = {
            "Type": "AWS::OpenSearchServerless::Collection",
            "Properties": {"Name": collection_name},
        }
        parameter = {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": name, "Type": "String", "Value": {"Fn::GetAtt": ["Collection", "Arn"]}},
        }
        return {"Collection": collection, "CollectionArnParameter": parameter}

    knowledge_base = {
        "Type": "AWS::Bedrock::KnowledgeBase",
        "Properties": {
            "Name": "dev-manuals-1a2b3c",
            "StorageConfiguration": {
                "OpensearchServerlessConfiguration": {"CollectionArn": {"Ref": "CollectionArn"}}
            },
        },
    }
    data_source = {
        "Type": "AWS::Bedrock::DataSource",
        "Properties": {"KnowledgeBaseId": {"Ref": "KnowledgeBase"}},
    }
    two = {"KnowledgeBase": knowledge_base, "DataSource": data_source}

    def folder(where: Path, collection_name: str) -> Path:
        out = assembly(
            where,
            {"dev-bedrock-knowledge": (stack_one(collection_name), US), "dev-bedrock-knowledge-2": (two, US)},
        )
        template = json.loads((out / "dev-bedrock-knowledge-2.template.json").read_text())
        template["Parameters"] = {
            "CollectionArn": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": name}
        }
        (out / "dev-bedrock-knowledge-2.template.json").write_text(json.dumps(template))
        return out

    changes = compare_sides(
        load_folder(folder(tmp_path / "a", "dev-docs-1a2b3c")),
        load_folder(folder(tmp_path / "b", "dev-docs-9f8e7d")),
    )
    replaced = {(change.stack, change.logical_id): change for change in changes if change.replacement}
    assert set(replaced) == {
        ("dev-bedrock-knowledge", "Collection"),
        ("dev-bedrock-knowledge-2", "KnowledgeBase"),
        ("dev-bedrock-knowledge-2", "DataSource"),
    }
    assert replaced[("dev-bedrock-knowledge-2", "KnowledgeBase")].reasons[0] == (
        f"replaced because the SSM parameter {name} it reads gets a new value (dev-bedrock-knowledge: "
        "Collection is replaced): its StorageConfiguration refers to CollectionArn"
    )
    assert replaced[("dev-bedrock-knowledge-2", "DataSource")].severity.label == "data loss"
