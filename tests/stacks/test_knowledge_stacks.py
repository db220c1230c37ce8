"""Numbered knowledge stacks: a generated config of 32 knowledge bases over knowledge_stacks: 3,
synthesized once (cdk-nag on, as add_stacks registers it; aws-cdk-lib's schema validation off,
cfn-lint checks the templates), and the validation's count of each knowledge stack's resources
and outputs against what is synthesized."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig, load_config
from bedrock_platform.config.checks import RuleContext
from bedrock_platform.config.loader import read_document
from bedrock_platform.config.placement import (
    MAX_OUTPUTS,
    MAX_RESOURCES,
    MAX_TEMPLATE_BYTES,
    StackSize,
    knowledge_stack_name,
    knowledge_stack_of,
)
from bedrock_platform.config.stack_rules import knowledge_stack_sizes_of
from bedrock_platform.intrinsics import render
from bedrock_platform.stacks.knowledge import access_policy_name
from tests.conftest import CONFIG_DIR, Synthesized, synthesize
from tests.stacks.test_discovery import expected_parameters, published

ENV = "split"
STACKS = 3
EXEC_ROLE = "cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1"
MAX_PARAMETERS = 200
RAG_KNOWLEDGE_BASE = "kb07"
MODEL = "amazon.titan-embed-text-v2:0"


def split_config(knowledge_bases: int = 30) -> str:
    """``knowledge_bases`` knowledge bases alternating over two vector stores, spread over 3 stacks.

    Every third data source is on a created bucket (every sixth ingested on deploy), every fifth
    knowledge base has a second data source; plus one knowledge base pinned to stack 1 on a third
    vector store (which no other stack reads), one pinned to stack 3 without data sources, and a
    rag evaluation job that reads one knowledge base.
    """
    lines = [
        f"environment: {ENV}",
        'account: "111111111111"',
        "region: us-east-1",
        f"knowledge_stacks: {STACKS}",
        "vector_stores:",
        "  - name: docs",
        "  - name: tickets",
        "  - name: archive",
        "knowledge_bases:",
    ]
    for number in range(knowledge_bases):
        name = f"kb{number:02d}"
        lines += [
            f"  - name: {name}",
            f"    embedding_model: {MODEL}",
            f"    vector_store: {'docs' if number % 2 else 'tickets'}",
            "    data_sources:",
            "      - name: docs",
        ]
        if number % 3 == 0:
            lines.append("        bucket: {create: true}")
            if number % 6 == 0:
                lines.append("        ingest_on_deploy: true")
        else:
            lines += [
                "        bucket: {arn: arn:aws:s3:::split-documents}",
                f"        inclusion_prefixes: [{name}/]",
            ]
        if number % 5 == 0:
            lines += ["      - name: more", "        bucket: {arn: arn:aws:s3:::split-documents}"]
    lines += [
        f"  - {{name: pinned-one, embedding_model: {MODEL}, vector_store: archive, stack: 1}}",
        f"  - {{name: pinned-three, embedding_model: {MODEL}, vector_store: docs, stack: 3}}",
        "evaluation_jobs:",
        "  - name: split-rag",
        "    kind: rag",
        f"    knowledge_base: {RAG_KNOWLEDGE_BASE}",
        "    rag_type: retrieve",
        "    evaluator_model: anthropic.claude-3-5-sonnet-20240620-v1:0",
        "    datasets: [{name: questions, key: datasets/questions.jsonl, metrics: [context_relevance]}]",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split-config") / "split.yaml"
    path.write_text(split_config())
    return path


@pytest.fixture(scope="module")
def config(config_file: Path) -> PlatformConfig:
    return load_config(str(config_file))


@pytest.fixture(scope="module")
def split(config_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    yield synthesize(config_file, tmp_path_factory.mktemp("split"), validation=False)


def _knowledge_stacks(result: Synthesized, env: str) -> dict[str, dict[str, Any]]:
    pattern = re.compile(rf"{re.escape(env)}-bedrock-knowledge(-[0-9]+)?")
    return {name: template for name, template in result.templates.items() if pattern.fullmatch(name)}


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def _manifest(result: Synthesized) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((result.outdir / "manifest.json").read_text())
    return manifest["artifacts"]


def test_the_generated_config_spreads_its_knowledge_bases_over_every_stack(config: PlatformConfig) -> None:
    assert config.knowledge_stacks == STACKS
    assert config.knowledge_stack_numbers == (1, 2, 3)
    for number in (1, 2, 3):
        assert sum(kb.stack == number for kb in config.knowledge_bases) >= 3


def test_stacks_are_numbered_after_the_first(split: Synthesized) -> None:
    assert set(split.templates) == {
        "split-bedrock-knowledge",
        "split-bedrock-knowledge-2",
        "split-bedrock-knowledge-3",
        "split-bedrock-evaluation",
    }
    assert [knowledge_stack_name(ENV, number) for number in (1, 2, 3)] == [
        "split-bedrock-knowledge",
        "split-bedrock-knowledge-2",
        "split-bedrock-knowledge-3",
    ]


def test_every_stack_is_within_cloudformation_quotas(split: Synthesized) -> None:
    for name, template in split.templates.items():
        assert len(template["Resources"]) <= MAX_RESOURCES, name
        assert len(template.get("Outputs", {})) <= MAX_OUTPUTS, name
        assert len(template.get("Parameters", {})) <= MAX_PARAMETERS, name
        assert split.template_files[name].stat().st_size <= MAX_TEMPLATE_BYTES, name


def test_no_stack_exports_or_imports_a_value(split: Synthesized) -> None:
    for name, template in split.templates.items():
        assert "Fn::ImportValue" not in json.dumps(template), name
        assert all("Export" not in output for output in template.get("Outputs", {}).values()), name


def test_each_knowledge_base_is_in_the_stack_its_placement_gives(
    split: Synthesized, config: PlatformConfig
) -> None:
    placed = {
        re.sub("-[0-9a-f]{6}$", "", resource["Properties"]["Name"]): name  # AWS name: <name>-<hash>
        for name, template in _knowledge_stacks(split, ENV).items()
        for resource in _resources(template, "AWS::Bedrock::KnowledgeBase").values()
    }
    pins = {"pinned-one": 1, "pinned-three": 3}
    expected = {
        f"{ENV}-{kb.name}": knowledge_stack_name(ENV, knowledge_stack_of(kb.name, STACKS, pins.get(kb.name)))
        for kb in config.knowledge_bases
    }
    assert placed == expected
    assert {kb.name: kb.stack for kb in config.knowledge_bases if kb.name in pins} == pins


def test_collections_stay_in_stack_one_which_publishes_those_other_stacks_read(
    split: Synthesized,
) -> None:
    stacks = _knowledge_stacks(split, ENV)
    first = stacks.pop("split-bedrock-knowledge")
    assert len(_resources(first, "AWS::OpenSearchServerless::Collection")) == 3
    published = {
        resource["Properties"]["Name"]: resource["Properties"]["Value"]["Fn::GetAtt"][1]
        for resource in _resources(first, "AWS::SSM::Parameter").values()
        if "/vector-stores/" in resource["Properties"]["Name"]
    }
    # archive has its one knowledge base in stack 1: nothing to publish for it.
    assert published == {
        parameters.vector_store_arn(ENV, "docs"): "Arn",
        parameters.vector_store_endpoint(ENV, "docs"): "CollectionEndpoint",
        parameters.vector_store_arn(ENV, "tickets"): "Arn",
        parameters.vector_store_endpoint(ENV, "tickets"): "CollectionEndpoint",
    }
    for name, template in stacks.items():
        assert not _resources(template, "AWS::OpenSearchServerless::Collection"), name
        read = {
            parameter["Default"]: lid
            for lid, parameter in template["Parameters"].items()
            if parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
            and parameter["Default"].startswith(f"/bedrock-platform/{ENV}/")
        }
        assert set(read) == set(published), name  # both stores have knowledge bases in stacks 2 and 3
        for kb in _resources(template, "AWS::Bedrock::KnowledgeBase").values():
            storage = kb["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]
            assert storage["CollectionArn"]["Ref"] in read.values()
        for index in _resources(template, "AWS::OpenSearchServerless::Index").values():
            assert index["Properties"]["CollectionEndpoint"]["Ref"] in read.values()


def test_every_identifier_is_published_once_and_only_what_the_readme_lists(
    split: Synthesized, config: PlatformConfig
) -> None:
    assert set(published(split)) == expected_parameters(config)


def test_a_numbered_stack_grants_its_own_roles_in_its_own_data_access_policy(split: Synthesized) -> None:
    names = []
    for name, template in _knowledge_stacks(split, ENV).items():
        roles = set(_resources(template, "AWS::IAM::Role"))
        for policy in _resources(template, "AWS::OpenSearchServerless::AccessPolicy").values():
            properties = policy["Properties"]
            names.append(properties["Name"])
            statements = json.loads(render(properties["Policy"]))
            deployer, *grants = statements
            assert EXEC_ROLE in deployer["Principal"][0]
            for grant in grants:
                (principal,) = grant["Principal"]
                assert principal.removeprefix("<").split(".")[0] in roles, (name, principal)
                (index,) = grant["Rules"][1]["Resource"]
                index_name = re.sub("-[0-9a-f]{6}$", "", index.rsplit("/", 1)[1])  # <name>-<hash>
                assert index_name.replace("-", "") == _role_knowledge_base(principal)
            if name != "split-bedrock-knowledge":
                collection = properties["Description"].split()[4].rstrip(",")
                assert properties["Name"] == access_policy_name(collection, name)
    assert len(set(names)) == len(names)
    assert all(3 <= len(name) <= 32 for name in names)


def test_numbered_stacks_deploy_after_stack_one_and_evaluation_after_the_stack_it_reads(
    split: Synthesized, config: PlatformConfig
) -> None:
    artifacts = _manifest(split)

    def depends_on(stack: str) -> set[str]:
        return {name for name in artifacts[stack].get("dependencies", []) if not name.endswith(".assets")}

    assert depends_on("split-bedrock-knowledge") == set()
    assert depends_on("split-bedrock-knowledge-2") == {"split-bedrock-knowledge"}
    assert depends_on("split-bedrock-knowledge-3") == {"split-bedrock-knowledge"}
    rag_stack = knowledge_stack_name(ENV, config.knowledge_base(RAG_KNOWLEDGE_BASE).stack)
    assert depends_on("split-bedrock-evaluation") == {rag_stack}


def test_cfn_lint_reports_nothing_in_a_numbered_stack(split: Synthesized) -> None:
    """Stack 2 holds what only numbered stacks have (SSM-typed parameters, an imported collection's
    policy); stack 1 adds only String parameters to what test_gates lints in dev and prod."""
    matches = lint_file(
        split.template_files["split-bedrock-knowledge-2"], config=ManualArgs(regions=["us-east-1"])
    )
    assert [str(match) for match in matches] == []


@pytest.mark.parametrize("env", ["dev", "prod", ENV])
def test_validation_counts_what_each_knowledge_stack_synthesizes(
    env: str, synthesized: dict[str, Synthesized], split: Synthesized, config_file: Path
) -> None:
    """The quota rule's count (knowledge_stack_sizes_of) equals the synthesized templates', exactly."""
    result, path = (split, config_file) if env == ENV else (synthesized[env], CONFIG_DIR / f"{env}.yaml")
    document = read_document(str(path))
    sizes = knowledge_stack_sizes_of(document.data, RuleContext(document))
    assert sizes is not None
    counted = {knowledge_stack_name(env, number): size for number, size in sizes.items()}
    actual = {
        name: StackSize(len(template["Resources"]), len(template.get("Outputs", {})))
        for name, template in _knowledge_stacks(result, env).items()
    }
    assert counted == actual


def _role_knowledge_base(principal: str) -> str:
    """``kb07`` of ``<KnowledgeBasekb07KnowledgeBaseServiceRoleC2DF4E75.Arn>`` (hyphens are not in ids)."""
    match = re.fullmatch(r"<KnowledgeBase(.+?)KnowledgeBaseServiceRole[0-9A-F]{8}\.Arn>", principal)
    assert match, principal
    return match.group(1)


STORES_CONFIG = Path(__file__).resolve().parents[1] / "deploy_proof" / "configs" / "existing-stores.yaml"


def test_validation_counts_the_stacks_of_every_store_kind(tmp_path: Path) -> None:
    """An existing collection (a policy of the toolkit's on it), an existing vector bucket (nothing)
    and a created one (the bucket), with knowledge bases in stack 2: counted as synthesized."""
    result = synthesize(STORES_CONFIG, tmp_path, validation=False)
    document = read_document(str(STORES_CONFIG))
    sizes = knowledge_stack_sizes_of(document.data, RuleContext(document))
    assert sizes is not None
    counted = {knowledge_stack_name("stores", number): size for number, size in sizes.items()}
    actual = {
        name: StackSize(len(template["Resources"]), len(template.get("Outputs", {})))
        for name, template in _knowledge_stacks(result, "stores").items()
    }
    assert counted == actual
    stack_2 = result.templates["stores-bedrock-knowledge-2"]["Resources"]
    types = sorted(resource["Type"] for resource in stack_2.values())
    assert types.count("AWS::S3Vectors::Index") == 2 and "AWS::S3Vectors::VectorBucket" not in types
    assert types.count("AWS::OpenSearchServerless::CollectionIndex") == 1  # the existing one is private
