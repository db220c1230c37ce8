"""A synthesis failure points at the config item it comes from (issue 17 item 11): a construct's
refusal while an item is built, and a finding at synth (cdk-nag) that names a construct path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bedrock_platform.cli import main
from bedrock_platform.config.loader import read_document
from bedrock_platform.constructs import provisioned_throughput as throughput_construct
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.stacks import knowledge, sources
from bedrock_platform.stacks import throughput as throughput_stack
from tests.config.helpers import HEADER

THROUGHPUTS = HEADER + (
    "provisioned_throughputs:\n"
    "  - name: first\n    model: amazon.nova-lite-v1:0:300k\n    model_units: 1\n"
    "  - name: second\n    model: amazon.nova-lite-v1:0:300k\n    model_units: 2\n"
)


def _line_of(file: Path, path: tuple[Any, ...]) -> str:
    position = read_document(str(file)).position(path)
    return f"{file}:{position.line}:{position.column}"


def test_items_named_reads_the_item_of_the_first_construct_path() -> None:
    text = (
        "Validation failed: [Error at "
        "/dev-bedrock-knowledge-2/KnowledgeBase-docs/DataSource-manuals/Resource] "
        "AwsSolutions-IAM5 ... [Error at /dev-bedrock-guardrails/Guardrail-default/Resource]"
    )
    assert sources.items_named(text) == (("knowledge_bases", "docs"), ("data_sources", "manuals"))
    assert sources.items_named("no construct path here: a/b") == ()
    shared = "ERROR ... dev-bedrock-throughput/ProvisionedThroughputProvider/Role/DefaultPolicy/Resource"
    assert sources.items_named(shared) == (("provisioned_throughputs", None),)


def test_a_construct_refusal_is_printed_at_its_items_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "throughputs.yaml"
    config.write_text(THROUGHPUTS)
    real = throughput_stack.ProvisionedThroughput

    def refuse_the_second(scope: Any, id: str, **kwargs: Any) -> Any:
        if id.endswith("-second"):
            raise ConstructValidationError("provisioned throughput 'second': model_units is 2, at most 1")
        return real(scope, id, **kwargs)

    monkeypatch.setattr(throughput_stack, "ProvisionedThroughput", refuse_the_second)
    assert main(["synth", str(config), "--out", str(tmp_path / "out"), "--no-validation"]) == 1

    err = capsys.readouterr().err
    assert err == (
        f"{_line_of(config, ('provisioned_throughputs', 1))}: error: provisioned_throughputs[second]: "
        "synthesis failed: provisioned throughput 'second': model_units is 2, at most 1\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_nested_items_refusal_names_the_data_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("bucket policy refused")

    monkeypatch.setattr(knowledge.KnowledgeBasesHost, "_data_source", refuse)
    config = Path("config/dev.yaml")
    assert main(["synth", str(config), "--out", str(tmp_path / "out"), "--no-validation"]) == 1
    err = capsys.readouterr().err
    document = read_document(str(config))
    kb = next(i for i, item in enumerate(document.data["knowledge_bases"]) if item["data_sources"])
    path = ("knowledge_bases", kb, "data_sources", 0)
    assert err.startswith(f"{_line_of(config, path)}: error: {document.render(path)}: synthesis failed: ")
    assert "bucket policy refused" in err


def test_a_cdk_nag_finding_on_a_shared_construct_is_printed_at_its_sections_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the throughput construct's acknowledgments, cdk-nag fails the synth naming the
    construct path of the handler's policy, which the stack's throughputs share."""
    config = tmp_path / "throughputs.yaml"
    config.write_text(THROUGHPUTS.split("  - name: second")[0])
    monkeypatch.setattr(throughput_construct, "acknowledge_wildcard", lambda *args, **kwargs: None)
    assert main(["synth", str(config), "--out", str(tmp_path / "out"), "--no-validation"]) == 1

    err = capsys.readouterr().err
    assert err.startswith(
        f"{_line_of(config, ('provisioned_throughputs',))}: error: provisioned_throughputs: "
        "synthesis failed: "
    ), err
    assert "AwsSolutions-IAM5" in err
