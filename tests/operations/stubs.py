"""Stubbed AWS for the operations tests: real botocore clients whose every request Stubber checks.

(conftest modules are not meant to be imported; what tests import lives here.)
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.response import StreamingBody
from botocore.stub import Stubber

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig, load_config
from bedrock_platform.operations.clients import Clients
from tests.fake_aws import fake_client

HERE = Path(__file__).resolve().parent
CONFIG_FILE = HERE / "environment.yaml"
"""The test environment: two knowledge bases (three data sources), a guardrail with two versions,
a throughput, an evaluation job and a batch inference job."""
ENV = "test"
REGION = "us-east-1"
SERVICES = (
    "ssm",
    "bedrock",
    "bedrock-agent",
    "bedrock-runtime",
    "bedrock-agent-runtime",
    "s3vectors",
    "opensearchserverless",
    "rds",
    "logs",
)

KB_ID = "KBPRODDOCS"
TICKETS_KB_ID = "KBTICKETS1"
MANUALS_ID = "DSMANUALS1"
FAQ_ID = "DSFAQ00001"
RESOLVED_ID = "DSRESOLVED"
GUARDRAIL_ID = "gr0a1b2c3d4e"
THROUGHPUT_ARN = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/abcdefghijkl"
EVALUATION_ARN = "arn:aws:bedrock:us-east-1:111111111111:evaluation-job/abcdefghijkl"
EVALUATION_OUTPUT = "s3://test-jobs/evaluations/summaries/"
BATCH_ARN = "arn:aws:bedrock:us-east-1:111111111111:model-invocation-job/abcdefghijkl"
BATCH_OUTPUT = "s3://test-jobs/batch/tickets/"
NOW = datetime(2026, 11, 21, 10, 30, tzinfo=UTC)

DEPLOYED: dict[str, str] = {
    parameters.knowledge_base_id(ENV, "product-docs"): KB_ID,
    parameters.data_source_id(ENV, "product-docs", "manuals"): MANUALS_ID,
    parameters.data_source_id(ENV, "product-docs", "faq"): FAQ_ID,
    parameters.knowledge_base_id(ENV, "tickets"): TICKETS_KB_ID,
    parameters.data_source_id(ENV, "tickets", "resolved"): RESOLVED_ID,
    parameters.guardrail_id(ENV, "default"): GUARDRAIL_ID,
    parameters.guardrail_version(ENV, "default", 1): "1",
    parameters.guardrail_version(ENV, "default", 2): "3",
    parameters.provisioned_model_arn(ENV, "assistant"): THROUGHPUT_ARN,
    parameters.job_arn(ENV, "evaluation-jobs", "summaries"): EVALUATION_ARN,
    parameters.job_output_uri(ENV, "evaluation-jobs", "summaries"): EVALUATION_OUTPUT,
    parameters.job_arn(ENV, "batch-inference-jobs", "tickets"): BATCH_ARN,
    parameters.job_output_uri(ENV, "batch-inference-jobs", "tickets"): BATCH_OUTPUT,
}
"""Every parameter the stacks publish for the test environment, in config order."""


def environment_config() -> PlatformConfig:
    """The test environment, loaded like the commands load it."""
    return load_config(str(CONFIG_FILE))


class Aws:
    """One stubbed client per service, handed out by :meth:`factory` like boto3 would make them."""

    def __init__(self) -> None:
        self.clients = {service: fake_client(service, REGION) for service in SERVICES}
        self.stubs = {service: Stubber(client) for service, client in self.clients.items()}
        self.regions: set[str] = set()

    def factory(self, service: str, region: str) -> Any:
        """The client factory of the commands: records the Region it was asked for."""
        self.regions.add(region)
        return self.clients[service]

    def session(self) -> Clients:
        """The Clients of one command in the test environment's Region."""
        return Clients(REGION, self.factory)

    def expect(self, service: str, operation: str, response: Mapping[str, Any], **params: Any) -> None:
        """Queue ``response`` for a call of ``operation`` with exactly ``params``."""
        self.stubs[service].add_response(operation, dict(response), params)

    def fail(self, service: str, operation: str, code: str, message: str, **params: Any) -> None:
        """Queue a service error for a call of ``operation`` with exactly ``params``."""
        self.stubs[service].add_client_error(
            operation,
            service_error_code=code,
            service_message=message,
            http_status_code=400,
            expected_params=params,
        )

    def parameters(self, names: Iterable[str], values: Mapping[str, str] = DEPLOYED) -> None:
        """Queue the GetParameters calls for ``names`` (ten per call), answering from ``values``."""
        listed = list(names)
        for start in range(0, len(listed), 10):
            batch = listed[start : start + 10]
            found = [
                {"Name": name, "Type": "String", "Value": values[name], "Version": 1}
                for name in batch
                if name in values
            ]
            missing = [name for name in batch if name not in values]
            response: dict[str, Any] = {"Parameters": found}
            if missing:
                response["InvalidParameters"] = missing
            self.expect("ssm", "get_parameters", response, Names=batch)

    def activate(self) -> None:
        for stub in self.stubs.values():
            stub.activate()

    def verify(self) -> None:
        """Every queued response was used, and each client was made in the config's Region."""
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()
            stub.deactivate()
        assert self.regions <= {REGION}


def streaming(data: bytes) -> StreamingBody:
    """A response body as botocore returns it."""
    return StreamingBody(io.BytesIO(data), len(data))


def statistics(
    scanned: int = 0, new: int = 0, modified: int = 0, deleted: int = 0, failed: int = 0
) -> dict[str, int]:
    """IngestionJobStatistics."""
    return {
        "numberOfDocumentsScanned": scanned,
        "numberOfMetadataDocumentsScanned": 0,
        "numberOfNewDocumentsIndexed": new,
        "numberOfModifiedDocumentsIndexed": modified,
        "numberOfMetadataDocumentsModified": 0,
        "numberOfDocumentsDeleted": deleted,
        "numberOfDocumentsFailed": failed,
        "numberOfDocumentsSkipped": 0,
    }


def ingestion_job(
    job_id: str,
    status: str,
    knowledge_base_id: str = KB_ID,
    data_source_id: str = MANUALS_ID,
    counts: Mapping[str, int] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An IngestionJob (or its summary: the same fields)."""
    return {
        "knowledgeBaseId": knowledge_base_id,
        "dataSourceId": data_source_id,
        "ingestionJobId": job_id,
        "status": status,
        "statistics": dict(counts or statistics()),
        "startedAt": NOW,
        "updatedAt": NOW,
        **extra,
    }


def json_body(data: Mapping[str, Any]) -> bytes:
    """A request body as the smoke command sends it."""
    return json.dumps(data, separators=(",", ":")).encode()


def collection_name() -> str:
    """The AWS name of the test environment's collection (docs), as its knowledge stack names it."""
    from bedrock_platform.spec.vector_stores import collection_name as named

    store = environment_config().vector_store("docs")
    return named("test-docs", standby_replicas=store.standby_replicas, kms_key_arn=store.kms_key_arn)


def expect_collection(aws: Aws, status: str | None = "ACTIVE") -> None:
    """The status read of the test environment's collection: ``status``, or none found (None)."""
    name = collection_name()
    details = [] if status is None else [{"name": name, "status": status, "standbyReplicas": "DISABLED"}]
    aws.expect("opensearchserverless", "batch_get_collection", {"collectionDetails": details}, names=[name])
