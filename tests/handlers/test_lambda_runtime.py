"""The deployed handler asset runs on a bare Python with nothing but boto3, as on the Lambda runtime."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import botocore
import dateutil
import jmespath
import s3transfer
import six
import urllib3

from tests.conftest import Synthesized

LAMBDA_RUNTIME_PACKAGES = (boto3, botocore, dateutil, jmespath, s3transfer, six, urllib3)
"""What the Lambda Python runtime ships besides the standard library (boto3 and its dependencies)."""

PROGRAM = r"""
import json, sys
from datetime import datetime, timezone
from botocore.stub import Stubber
import handlers.custom_resource as custom_resource
import handlers.provisioned_throughput as handler
import handlers.bedrock_job

class Context:  # what the Lambda runtime passes: 2 minutes left
    def get_remaining_time_in_millis(self):
        return 120_000

client = custom_resource.client("bedrock")
custom_resource.client = lambda service: client
arn = "arn:aws:bedrock:eu-central-1:222222222222:provisioned-model/abcdefghijkl"
model = "arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-v2:1:200k"
event = {
    "RequestType": "Create", "RequestId": "r1", "LogicalResourceId": "Support",
    "StackId": "arn:aws:cloudformation:eu-central-1:222222222222:stack/prod-bedrock-throughput/x",
    "ResourceProperties": {"ServiceToken": "t", "ProvisionedModelName": "prod-support-1a2b3c",
                           "ModelId": "anthropic.claude-v2:1:200k", "ModelUnits": "1"},
}
state = {"provisionedModelName": "prod-support-1a2b3c", "provisionedModelArn": arn, "modelUnits": 1,
         "desiredModelUnits": 1, "modelArn": model, "desiredModelArn": model, "foundationModelArn": model,
         "status": "InService", "creationTime": datetime(2026, 11, 21, tzinfo=timezone.utc),
         "lastModifiedTime": datetime(2026, 11, 21, tzinfo=timezone.utc)}
with Stubber(client) as stubber:
    stubber.add_response("create_provisioned_model_throughput", {"provisionedModelArn": arn})
    stubber.add_response("get_provisioned_model_throughput", state)
    stubber.add_response("get_provisioned_model_throughput", state)
    created = handler.on_event(event, Context())
    done = handler.is_complete({**event, **created}, Context())
builtin = set(sys.stdlib_module_names) | {"__main__", "__mp_main__"}
top_level = sorted({name.split(".")[0] for name in sys.modules} - builtin)
config = client.meta.config
timeouts = [config.connect_timeout, config.read_timeout, config.retries]
print(json.dumps({"created": created, "done": done, "imported": top_level, "timeouts": timeouts}))
"""


def handler_asset(assembly: Synthesized) -> Path:
    """The asset folder holding ``handlers/`` in a synthesized cloud assembly."""
    (asset,) = [path for path in assembly.outdir.glob("asset.*") if (path / "handlers").is_dir()]
    return asset


def test_the_handler_asset_runs_with_only_boto3_on_the_path(
    synthesized: dict[str, Synthesized], tmp_path: Path
) -> None:
    packages = tmp_path / "runtime"
    packages.mkdir()
    for package in LAMBDA_RUNTIME_PACKAGES:
        source = Path(package.__file__ or "")
        if source.name == "__init__.py":
            (packages / package.__name__).symlink_to(source.parent)
        else:  # a single-module distribution (six)
            (packages / source.name).symlink_to(source)
    environment = {
        "PYTHONPATH": f"{handler_asset(synthesized['prod'])}:{packages}",
        "AWS_REGION": "eu-central-1",  # Lambda sets both
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "PATH": "/usr/bin:/bin",
    }
    # -S: no site-packages, so neither the project nor its dependencies; PYTHONPATH is the whole path.
    result = subprocess.run(
        [sys.executable, "-S", "-c", PROGRAM], env=environment, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["created"] == {
        "PhysicalResourceId": "arn:aws:bedrock:eu-central-1:222222222222:provisioned-model/abcdefghijkl",
        "Data": {"Bought": "true"},
    }
    # botocore on the runtime honours the handler's timeouts and makes one attempt per call.
    assert report["timeouts"] == [5.0, 15.0, {"mode": "standard", "total_max_attempts": 1}]
    assert report["done"]["IsComplete"] is True
    allowed = {"handlers", *(package.__name__ for package in LAMBDA_RUNTIME_PACKAGES)}
    assert set(report["imported"]) <= allowed, report["imported"]
    assert "bedrock_platform" not in report["imported"]
