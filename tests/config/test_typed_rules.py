"""The two passes of validation: document rules on the YAML, typed rules on the items they let through."""

from __future__ import annotations

import inspect

import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.checks import Rule
from bedrock_platform.config.rules import RULES
from bedrock_platform.config.typed import Checked, TypedRule
from tests.config.helpers import HEADER, WriteConfig

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
LONG = "x" * 60
"""A job name that makes ``dev-<name>-<6 hex digits>`` longer than Bedrock's 63 characters."""
EVALUATION = (
    "evaluation_jobs:\n"
    "  - name: %s\n"
    "    kind: automated\n"
    "    task_type: classification\n"
    "    models: [anthropic.claude-3-haiku-20240307-v1:0]\n"
    "    datasets: [{builtin: womens_ecommerce_clothing_reviews, metrics: [%s]}]\n"
)


def _rules(path: str) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [(issue.path, issue.rule) for issue in caught.value.issues]


def test_typed_rules_read_only_the_typed_view() -> None:
    """A typed rule's first parameter is Checked: it cannot read the YAML (mypy holds the body to it)."""
    typed = [rule for rule in RULES if isinstance(rule, TypedRule)]

    assert {rule.id for rule in typed} >= {"throughput-models", "job-names", "knowledge-base-names"}
    for rule in typed:
        (first, _) = inspect.signature(rule.check, eval_str=True).parameters.values()
        assert first.annotation is Checked, rule.id


def test_an_item_the_schema_refused_gets_no_typed_check(write_config: WriteConfig) -> None:
    """The name is too long (typed rule job-names) and timeout_hours is out of range (schema): only the
    schema's issue is reported for that item, while a valid item's typed issue is."""
    path = write_config(
        HEADER
        + "batch_inference_jobs:\n"
        + f"  - {{name: {LONG}, model: {MODEL}, input: a.jsonl, timeout_hours: 1}}\n"
        + f"  - {{name: y{LONG}, model: {MODEL}, input: a.jsonl}}\n"
    )

    assert _rules(path) == [
        (f"batch_inference_jobs[{LONG}].timeout_hours", "schema"),
        (f"batch_inference_jobs[y{LONG}].name", "job-names"),
    ]


def test_a_gating_rule_holds_back_the_typed_checks_of_its_item(write_config: WriteConfig) -> None:
    """evaluation-metrics gates (the job's builder maps each metric to its API name): with a metric of
    another task type (classification computes no toxicity) the job is not built, so its long name
    waits; fixed, the name is reported."""
    wrong = write_config(HEADER + EVALUATION % (LONG, "toxicity"), name="wrong.yaml")
    fixed = write_config(HEADER + EVALUATION % (LONG, "accuracy"), name="fixed.yaml")

    assert _rules(wrong) == [(f"evaluation_jobs[{LONG}].datasets[0].metrics[0]", "evaluation-metrics")]
    assert _rules(fixed) == [(f"evaluation_jobs[{LONG}].name", "job-names")]


def test_a_rule_that_does_not_gate_leaves_its_item_typed(write_config: WriteConfig) -> None:
    """unique-names does not gate: the second job of a name still gets its input checked."""
    path = write_config(
        HEADER
        + "batch_inference_jobs:\n"
        + "  - {name: j, model: anthropic.claude-3-haiku-20240307-v1:0, input: a.jsonl}\n"
        + "  - {name: j, model: anthropic.claude-3-haiku-20240307-v1:0, input: a.json}\n"
    )

    assert _rules(path) == [
        ("batch_inference_jobs[j].name", "unique-names"),
        ("batch_inference_jobs[j].input", "batch-inputs"),
    ]


def test_the_gating_rules_are_the_ones_the_builders_rely_on() -> None:
    gating = {rule.id for rule in RULES if isinstance(rule, Rule) and rule.gates}

    assert gating == {
        "embedding-models",
        "evaluation-kinds",
        "evaluation-fields",
        "evaluation-dataset-forms",
        "evaluation-builtin-datasets",
        "evaluation-metrics",
        "regex-actions",
        "data-source-fields",  # a data source's builder reads the keys its kind needs
    }
