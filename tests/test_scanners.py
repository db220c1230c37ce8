"""Scanners that no one here wrote, over every synthesized template: checkov, key rotation, TLS only.

cdk-nag's packs run at synthesis (``add_checks``): a config, starter template or the example
that synthesizes has no unacknowledged finding. checkov runs here, once per session, over the
template files of all of them, plus two canary templates that prove the gate can fail and that
it reads the skips the constructs write.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Synthesized

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
"""checkov has a virtual environment of its own (requirements-checkov.txt, made by make setup)."""
CANARY_FAILS = "CanaryUnencrypted"
CANARY_SKIPS = "CanarySkipped"


def _everything(
    synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized], example: Synthesized
) -> dict[str, Synthesized]:
    return {
        **synthesized,
        **{f"templates/{name}": result for name, result in synthesized_templates.items()},
        "examples/app.py": example,
    }


def _canary(directory: Path) -> Path:
    """A template with an unencrypted log group (checkov CKV_AWS_158), and one that skips the check."""
    log_group = {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}}
    skip = {"checkov": {"skip": [{"id": "CKV_AWS_158", "comment": "the canary's skip, read from metadata"}]}}
    template = {"Resources": {CANARY_FAILS: log_group, CANARY_SKIPS: {**log_group, "Metadata": skip}}}
    path = directory / "canary.template.json"
    path.write_text(json.dumps(template))
    return path


@pytest.fixture(scope="session")
def checkov_failures(
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    example: Synthesized,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[dict[str, Any]]]:
    """checkov's failed checks over every template file, in one run (its start-up takes seconds)."""
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV.relative_to(ROOT)} is missing: run make setup")
    files = [
        path
        for result in _everything(synthesized, synthesized_templates, example).values()
        for path in result.template_files.values()
    ]
    files.append(_canary(tmp_path_factory.mktemp("checkov")))
    run = subprocess.run(
        [str(CHECKOV), "--framework", "cloudformation", "--quiet", "--compact", "-o", "json"]
        + ["--skip-download"]  # no calls to the Prisma Cloud API: ids and skips work offline
        + [argument for path in files for argument in ("-f", str(path))],
        capture_output=True,
        text=True,
        env={**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"},
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    reports = json.loads(run.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    summaries = [report["summary"] for report in reports if "summary" in report]
    assert summaries and all(summary["parsing_errors"] == 0 for summary in summaries), summaries
    yield [check for report in reports for check in report.get("results", {}).get("failed_checks", [])]


def test_checkov_fails_nothing_but_the_canary(checkov_failures: list[dict[str, Any]]) -> None:
    failed = sorted(
        f"{check['check_id']} {check['resource']} {Path(check['file_path']).name}: {check['check_name']}"
        for check in checkov_failures
        if not check["file_path"].endswith("canary.template.json")
    )
    assert failed == [], "checkov failed checks (fix, or skip_checkov with the reason):\n" + "\n".join(failed)


def test_checkov_can_fail_and_reads_the_skips_in_the_metadata(checkov_failures: list[dict[str, Any]]) -> None:
    canary = {
        (check["check_id"], check["resource"])
        for check in checkov_failures
        if check["file_path"].endswith("canary.template.json")
    }
    assert canary == {("CKV_AWS_158", f"AWS::Logs::LogGroup.{CANARY_FAILS}")}


def _resources(
    synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized], example: Synthesized
) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(where, logical id, resource, its template) of every resource of every template."""
    for source, result in sorted(_everything(synthesized, synthesized_templates, example).items()):
        for stack, template in sorted(result.templates.items()):
            for logical_id, resource in sorted(template["Resources"].items()):
                yield f"{source}: {stack}", logical_id, resource, template


def test_every_checkov_skip_names_the_check_and_why_it_is_safe(
    synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized], example: Synthesized
) -> None:
    skips = [
        (f"{where}/{logical_id}", skip)
        for where, logical_id, resource, _ in _resources(synthesized, synthesized_templates, example)
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "the constructs skip checks; none found means the walk is wrong"
    for where, skip in skips:
        assert set(skip) == {"id", "comment"} and skip["id"].startswith("CKV_"), (where, skip)
        assert len(skip["comment"]) >= 40, f"{where} {skip['id']}: the comment must say why it is safe"


def test_every_kms_key_rotates(
    synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized], example: Synthesized
) -> None:
    keys = {
        f"{where}/{logical_id}": resource["Properties"].get("EnableKeyRotation")
        for where, logical_id, resource, _ in _resources(synthesized, synthesized_templates, example)
        if resource["Type"] == "AWS::KMS::Key"
    }
    assert keys, "the dev logging stack and the example create keys; none found means the walk is wrong"
    assert {where: rotates for where, rotates in keys.items() if rotates is not True} == {}


def _denies_insecure_transport(statement: dict[str, Any], bucket: str) -> bool:
    """``Deny s3:* to * on the bucket and its objects when aws:SecureTransport is false``."""
    resources = json.dumps(statement.get("Resource"))
    return (
        statement.get("Effect") == "Deny"
        and statement.get("Principal") in ({"AWS": "*"}, "*")
        and statement.get("Action") in ("s3:*", ["s3:*"])
        and statement.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        and resources.count(f'"{bucket}"') == 2  # the bucket ARN and its objects' ARN
    )


def test_every_bucket_is_encrypted_and_its_policy_denies_requests_without_tls(
    synthesized: dict[str, Synthesized], synthesized_templates: dict[str, Synthesized], example: Synthesized
) -> None:
    buckets = []
    problems = []
    for where, logical_id, resource, template in _resources(synthesized, synthesized_templates, example):
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        buckets.append(logical_id)
        if "BucketEncryption" not in resource["Properties"]:
            problems.append(f"{where}/{logical_id}: no default encryption")
        statements = [
            statement
            for policy in template["Resources"].values()
            if policy["Type"] == "AWS::S3::BucketPolicy"
            and policy["Properties"]["Bucket"] == {"Ref": logical_id}
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]
        if not any(_denies_insecure_transport(statement, logical_id) for statement in statements):
            problems.append(f"{where}/{logical_id}: its policy does not deny aws:SecureTransport false")
    assert buckets, "the configs create buckets; none found means the walk is wrong"
    assert problems == []
