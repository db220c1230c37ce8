"""Golden reports: pairs of templates (``golden/<case>.json``) and the report they must give (``<case>.md``).

Each case file holds ``before`` and ``after`` templates (whole, or as merge patches of a base
template: :mod:`tests.review.golden_cases`), the stack and its Region, and a description of what
the case shows. Regenerate the reports after an intended change of the
wording with ``UPDATE_GOLDEN=1 pytest tests/review/test_golden.py``, and read the diff.
"""

from __future__ import annotations

import os

import pytest

from bedrock_platform.review import Severity, compare_templates
from bedrock_platform.review.report import render
from tests.review.golden_cases import CASES, GOLDEN, load_case


@pytest.mark.parametrize("case", CASES)
def test_the_report_for_each_pair_of_templates_is_the_golden_one(case: str) -> None:
    spec = load_case(case)
    changes = compare_templates(spec["stack"], spec["before"], spec["after"], region=spec["region"])
    report = render(changes, markdown=True)

    expected_file = GOLDEN / f"{case}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(report)
    assert report == expected_file.read_text(), spec["description"]


def test_every_case_has_its_report_and_a_description() -> None:
    reports = sorted(path.stem for path in GOLDEN.glob("*.md"))
    assert reports == CASES
    assert all(load_case(case)["description"] for case in CASES)
    assert len(CASES) >= 30


GATED = [case for case in CASES if "worst" in load_case(case)]
"""The cases that say what their worst change is (the issue's), besides their golden report."""


@pytest.mark.parametrize("case", GATED)
def test_the_gate_fails_at_the_severity_each_case_deserves(case: str) -> None:
    """Issue 24: the cases of the issue say what the worst change of each is, independently of the
    report's wording; `--fail-on data-loss` fails exactly when it is data loss or worse."""
    spec = load_case(case)
    changes = compare_templates(spec["stack"], spec["before"], spec["after"], region=spec["region"])
    worst = max(change.severity for change in changes)
    assert worst.label == spec["worst"], [(c.logical_id, c.severity.label, c.reasons) for c in changes]
    assert (worst >= Severity.DATA_LOSS) == (spec["worst"] in ("data loss", "deploy failure"))


def test_merge_patches_round_trip() -> None:
    from tests.review.golden_cases import diff_patch, merge_patch

    before = {"Resources": {"A": {"Type": "T", "Properties": {"X": 1, "L": [1, 2]}}, "B": {"Type": "U"}}}
    after = {"Resources": {"A": {"Type": "T", "Properties": {"X": 2, "L": [2]}}, "C": {"Type": "V"}}}
    assert merge_patch(before, diff_patch(before, after)) == after
