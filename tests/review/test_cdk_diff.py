"""The review against the CDK CLI's own comparison (issue 24): over every golden case, the diff finds
every replacement `cdk diff --template` finds, plus the Bedrock create-only and custom-resource ones
it misses. The CDK side runs the aws-cdk package's DiffFormatter (the comparison `cdk diff`
prints) over all cases in one Node process (tests/review/cdk_diff.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bedrock_platform.review import compare_templates
from tests.conftest import ROOT
from tests.review.golden_cases import CASES, load_case

NODE = ROOT / "node_modules" / ".bin" / "node"
CDK = ROOT / "node_modules" / "aws-cdk" / "lib" / "index.js"


@pytest.fixture(scope="module")
def cdk_replacements() -> dict[str, list[str]]:
    if not (NODE.exists() and CDK.exists()) and shutil.which("node") is None:
        pytest.skip("the CDK CLI is not installed here (make setup installs it)")
    cases = {case: {side: load_case(case)[side] for side in ("before", "after")} for case in CASES}
    result = subprocess.run(
        [str(NODE), str(Path(__file__).parent / "cdk_diff.js"), str(CDK)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    replaced: dict[str, list[str]] = json.loads(result.stdout)
    return replaced


def _ours(case: str) -> set[str]:
    spec = load_case(case)
    changes = compare_templates(spec["stack"], spec["before"], spec["after"], region=spec["region"])
    return {change.logical_id for change in changes if change.replacement}


def test_every_replacement_cdk_diff_finds_the_review_finds(cdk_replacements: dict[str, list[str]]) -> None:
    missed = {case: sorted(set(cdk) - _ours(case)) for case, cdk in cdk_replacements.items()}
    assert {case: ids for case, ids in missed.items() if ids} == {}
    # The cascade (a collection replaced replaces its index, knowledge base and data source) is in
    # the corpus, and both see it.
    assert (
        set(cdk_replacements["cascade-collection-standby"])
        == _ours("cascade-collection-standby")
        == {
            "Collection",
            "Index",
            "KnowledgeBase",
            "DataSource",
        }
    )


def test_the_review_finds_the_bedrock_and_custom_resource_replacements_cdk_diff_misses(
    cdk_replacements: dict[str, list[str]],
) -> None:
    more = {case: sorted(_ours(case) - set(cdk)) for case, cdk in cdk_replacements.items()}
    more = {case: ids for case, ids in more.items() if ids}
    # Chunking and parsing (DataSource), the index analysis settings, the embedding model, and the
    # provisioned throughput's model units and commitment (a custom resource CDK knows nothing of).
    assert more["data-loss-chunking"] == ["DataSource"]
    assert more["family-data-source-parsing"] == ["DataSource"]
    assert more["family-index-analysis"] == ["Index"]
    assert more["cost-model-units"] == ["Throughput"]
    assert "KnowledgeBase" in more["family-knowledge-base-embedding"]
