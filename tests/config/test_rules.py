"""The semantic rules as pure functions: registry, robustness, and checks the schema makes unreachable."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.document import parse_document
from bedrock_platform.config.model import KnowledgeBase
from bedrock_platform.config.rules import RULES, RuleContext, check_rules, knowledge_base_names
from bedrock_platform.config.typed import At, Checked
from tests.config.helpers import HEADER, WriteConfig


def run_rules(text: str, file: str = "f.yaml") -> list[str]:
    """Every rule over a document, without the schema (so nothing is marked invalid); job data
    ``source`` paths are relative to ``file``'s folder."""
    document = parse_document(text, file)
    return [str(issue) for issue in check_rules(document.data, RuleContext(document))]


def test_rules_have_unique_ids_and_descriptions() -> None:
    ids = [rule.id for rule in RULES]

    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id) for rule_id in ids)
    assert all(rule.description for rule in RULES)


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_rules_find_nothing_in_the_shipped_configs(name: str) -> None:
    with open(f"config/{name}.yaml", encoding="utf-8") as stream:
        assert run_rules(stream.read(), f"config/{name}.yaml") == []


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n",
        "environment: 5\nregion: [us-east-1]\naccount: {x: 1}\n",
        "vector_stores: docs\nknowledge_bases: 7\n",
        "vector_stores: [1, null, {name: 5}, {name: [a]}, {encryption: x}, {encryption: {kms_key_arn: 5}}]\n",
        "knowledge_bases: [1, {name: 5, vector_store: [x], embedding_model: {}, dimensions: x}]\n",
        "knowledge_bases: [{data_sources: [null, {name: 1, chunking: {strategy: 5}}]}]\n",
        "knowledge_bases: [{data_sources: [{chunking: {strategy: hierarchical, child_max_tokens: true}}]}]\n",
        "knowledge_bases: [{data_sources: [{chunking: {strategy: nope, max_tokens: 1}}]}]\n",
        "knowledge_bases: [{data_sources: {a: b}}]\n",
        "region: us-east-1\nvector_stores: [{encryption: {kms_key_arn: 'arn:aws:kms'}}]\n",
        "guardrails: 5\n",
        "guardrails: [1, null, [x], {name: [a]}, {versions: 7}, {versions: [1, {policy: [x]}, {}]}]\n",
        "guardrails: [{content_filters: 5, denied_topics: [], word_filters: x, versions: [{}]}]\n",
        "guardrails: [{content_filters: {hate: [1], prompt_attack: {output: [x]}, tier: {}},"
        " versions: [{}]}]\n",
        "guardrails: [{word_filters: {words: [{a: 1}, [b]], words_file: [x], managed: 3}, versions: [{}]}]\n",
        "guardrails: [{sensitive_information: {pii: [email], regexes: {a: b}},"
        " versions: [{description: 5}]}]\n",
        "guardrails: [{sensitive_information: {regexes: [1, {pattern: 5}, {pattern: '('}]},"
        " versions: [{}]}]\n",
        "guardrails: [{sensitive_information: {pii: {email: 5}}, contextual_grounding: [],"
        " versions: [{}]}]\n",
        "guardrails: [{denied_topics: {tier: [], topics: [1, {definition: [x]}]}, kms_key_arn: 5}]\n",
        "environment: 5\n"
        "guardrails: [{name: x, cross_region_profile: [], content_filters: {tier: standard}}]\n",
        "provisioned_throughputs: 5\n",
        "provisioned_throughputs: [1, null, [x], {name: [a], model: 5, commitment: [x],"
        " acknowledge_commitment: x}]\n",
        "environment: dev\nregion: [x]\naccount: 5\n"
        "provisioned_throughputs: [{name: '', model: 'arn:'}, {model: ''}, {model: 'arn:aws:bedrock:x:1:/'},"
        " {commitment: six_months, acknowledge_commitment: [true]}, {commitment: none}]\n",
        "region: us-west-1\nvector_stores: 7\n"
        "provisioned_throughputs: [{model: 'anthropic.claude-v2:1:200k'}]\n",
        "evaluation_jobs: 5\nbatch_inference_jobs: x\njob_bucket: 3\n",
        "evaluation_jobs: [1, null, [x], {name: [a], kind: 5, datasets: 7, models: x, task_type: []}]\n",
        "environment: dev\nevaluation_jobs: [{kind: automated, task_type: summarization, models: [1, {}],"
        " datasets: [1, {builtin: [x], metrics: x}, {builtin: 5, name: 5, key: [x]},"
        " {metrics: [1, null]}]}]\n",
        "evaluation_jobs: [{kind: rag, rag_type: [x], knowledge_base: 5, generator_model: 7,"
        " datasets: [{name: x, metrics: [a, 3]}]}, {kind: llm_judge, models: {a: b}, generator_model: x}]\n",
        "knowledge_bases: 5\nprovisioned_throughputs: [{name: 3}]\n"
        "evaluation_jobs: [{kind: rag, rag_type: retrieve_and_generate, knowledge_base: kb,"
        " generator_model: {provisioned_throughput: [x]}, datasets: [{metrics: [correctness]}]}]\n",
        "environment: [x]\nbatch_inference_jobs: [1, {name: 5, model: {provisioned_throughput: 5}, input: 3},"
        " {model: [x], input: a.txt, kms_key_arn: 5}]\njob_bucket: {create: true}\n",
        "environment: prod\nvector_stores: [1, {network: 5}, {network: {vpc_endpoints: 5}}, {network: [x]},"
        " {allow_public_network: 5}, {allow_public_network: {reason: [x]}, network: {vpc_endpoints: []}},"
        " {allow_public_network: [], network: {vpc_endpoints: [x]}}]\n",
    ],
)
def test_rules_never_raise_on_wrongly_typed_input(text: str) -> None:
    run_rules(text)


def _knowledge_bases_named(name: str) -> tuple[Checked, RuleContext]:
    """A typed view holding one knowledge base called ``name`` (built directly: the schema refuses the
    names these tests give, and a typed rule runs on any typed item)."""
    document = parse_document(f"environment: dev\nknowledge_bases: [{{name: {name}}}]\n", "f.yaml")
    knowledge_base = KnowledgeBase(
        name=name, embedding_model="amazon.titan-embed-text-v2:0", dimensions=1024, vector_store="docs"
    )
    view = Checked(
        environment="dev",
        region=None,
        account=None,
        tags={},
        vector_stores=(),
        knowledge_bases=(At(("knowledge_bases", 0), knowledge_base),),
        guardrails=(),
        provisioned_throughputs=(),
        evaluation_jobs=(),
        batch_inference_jobs=(),
    )
    return view, RuleContext(document)


def test_vector_index_name_rule_catches_what_the_schema_would() -> None:
    """The name pattern makes this unreachable through load_config; the rule still holds on its own."""
    issues = knowledge_base_names(*_knowledge_bases_named("Product-Docs"))

    assert [issue.message for issue in issues] == [
        "the vector index name 'Product-Docs' (the knowledge base name) must be lowercase letters, digits, "
        "hyphens and underscores, starting with a letter"
    ]


def test_a_knowledge_base_aws_name_over_100_letters_and_digits() -> None:
    (issue,) = knowledge_base_names(*_knowledge_bases_named("k" * 120))

    assert issue.message.endswith("would have more than 100 letters and digits")


def test_rules_skip_values_the_schema_rejected(write_config: WriteConfig) -> None:
    """dimensions: 8192 is over the schema's maximum; the catalog rule does not report it a second time."""
    path = write_config(
        HEADER
        + "vector_stores: [{name: docs}]\n"
        + "knowledge_bases: [{name: kb, embedding_model: amazon.titan-embed-text-v2:0, dimensions: 8192,"
        + " vector_store: docs}]\n"
    )

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert [issue.message for issue in caught.value.issues] == ["must be at most 4096, got 8192"]


def test_references_to_a_misnamed_vector_store_are_not_reported_twice(write_config: WriteConfig) -> None:
    path = write_config(
        HEADER
        + "vector_stores: [{name: Docs}]\n"
        + "knowledge_bases: [{name: kb, embedding_model: amazon.titan-embed-text-v2:0, vector_store: Docs}]\n"
    )

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    messages: list[Any] = [issue.message for issue in caught.value.issues]
    assert messages == ["'Docs' must be lowercase letters, digits and hyphens, starting with a letter"]
