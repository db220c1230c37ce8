"""``sync``: ingest the data sources of the knowledge bases, and follow the jobs until they end.

For each data source of each knowledge base (or of the one ``--knowledge-base`` names), in config
order: ``StartIngestionJob``, then ``GetIngestionJob`` every ``interval`` seconds until the job is
COMPLETE, FAILED or STOPPED. Progress goes to ``progress`` (stderr on the command line), one line
each time a job's status or counts change; the final report, one line per data source with the
documents scanned, indexed (new + modified), deleted and failed and the service's failure reasons,
goes to ``out`` (stdout). Exit 1 when a job did not complete, a document failed, or a job could
not be started or followed.

A data source that already has a job running (StartIngestionJob answers ConflictException) is not
started again: its running job is followed instead.

Idempotency: no ``clientToken`` is passed. botocore fills in a fresh one (a uuid4) for each call
and keeps it across its own retries, so a retried request never starts a second job; a token
derived from the config would do harm, since a deliberate second ``sync`` with the same token
would be answered with the first run's job instead of a new ingestion.

Every identifier is read from SSM before anything starts: a missing one starts nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from botocore.exceptions import ClientError

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import KnowledgeBase
from bedrock_platform.operations.arguments import DEFAULT_INTERVAL
from bedrock_platform.operations.clients import Clients, describe, error_code
from bedrock_platform.operations.discovery import UsageError, knowledge_base_parameters, read_parameters
from bedrock_platform.operations.status import counts

COMPLETE = "COMPLETE"
ENDED = frozenset({COMPLETE, "FAILED", "STOPPED"})
RUNNING = ("STARTING", "IN_PROGRESS")
CONFLICT = "ConflictException"
UNKNOWN_KNOWLEDGE_BASE = "unknown knowledge base {name} (declared: {declared})"
NO_KNOWLEDGE_BASES = "unknown knowledge base {name}: the config declares no knowledge bases"
NOTHING_TO_SYNC = "nothing to sync: no data sources declared in {where}"


@dataclass(frozen=True)
class Target:
    """A data source to ingest, with its deployed ids."""

    knowledge_base: str
    data_source: str
    knowledge_base_id: str
    data_source_id: str

    @property
    def label(self) -> str:
        """``<knowledge base>/<data source>``."""
        return f"{self.knowledge_base}/{self.data_source}"

    @property
    def ids(self) -> dict[str, str]:
        """The ids as the bedrock-agent API takes them."""
        return {"knowledgeBaseId": self.knowledge_base_id, "dataSourceId": self.data_source_id}


@dataclass
class Followed:
    """An ingestion job being followed: its last known state, or why it could not be started or read."""

    target: Target
    job_id: str | None = None
    status: str = ""
    statistics: Mapping[str, Any] = field(default_factory=dict)
    failure_reasons: tuple[str, ...] = ()
    error: str | None = None

    @property
    def done(self) -> bool:
        """True once there is nothing more to wait for."""
        return self.error is not None or self.status in ENDED

    @property
    def succeeded(self) -> bool:
        """Complete, and not one document failed."""
        return (
            self.error is None
            and self.status == COMPLETE
            and int(self.statistics.get("numberOfDocumentsFailed", 0)) == 0
        )

    def update(self, job: Mapping[str, Any]) -> bool:
        """Take the state of an IngestionJob; True when the status or a count changed."""
        before = (self.status, dict(self.statistics))
        self.job_id = job["ingestionJobId"]
        self.status = job["status"]
        self.statistics = dict(job.get("statistics", {}))
        self.failure_reasons = tuple(" ".join(reason.split()) for reason in job.get("failureReasons", []))
        return before != (self.status, self.statistics)

    def progress_line(self) -> str:
        """``product-docs/manuals: IN_PROGRESS, 12 scanned, ...``."""
        return f"{self.target.label}: {self.status}, {counts(self.statistics)}"

    def report_lines(self) -> list[str]:
        """The final report of this data source: one line, then its failure reasons."""
        if self.error is not None:
            return [f"{self.target.label}: FAILED: {self.error}"]
        lines = [f"{self.target.label}: {self.status} (job {self.job_id}): {counts(self.statistics)}"]
        return lines + [f"  failure reason: {reason}" for reason in self.failure_reasons]


def sync(
    config: PlatformConfig,
    clients: Clients,
    *,
    knowledge_base: str | None = None,
    interval: float = DEFAULT_INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
    progress: TextIO,
    out: TextIO,
) -> int:
    """Ingest and follow; 0 when every job completed with no failed document, else 1."""
    selected = select(config, knowledge_base)
    targets = resolve_targets(config, selected, clients)
    if not targets:
        where = ", ".join(item.name for item in selected) or "the config"
        print(NOTHING_TO_SYNC.format(where=where), file=out)
        return 0
    agent = clients("bedrock-agent")
    jobs = [start(agent, target, progress) for target in targets]
    while not all(job.done for job in jobs):
        sleep(interval)
        for job in jobs:
            if not job.done:
                poll(agent, job, progress)
    for job in jobs:
        for line in job.report_lines():
            print(line, file=out)
    return 0 if all(job.succeeded for job in jobs) else 1


def select(config: PlatformConfig, name: str | None) -> Sequence[KnowledgeBase]:
    """All knowledge bases, or the one named; UsageError naming the declared ones for another name."""
    if name is None:
        return config.knowledge_bases
    chosen = [item for item in config.knowledge_bases if item.name == name]
    if chosen:
        return chosen
    declared = ", ".join(item.name for item in config.knowledge_bases)
    message = UNKNOWN_KNOWLEDGE_BASE if declared else NO_KNOWLEDGE_BASES
    raise UsageError(message.format(name=repr(name), declared=declared))


def resolve_targets(
    config: PlatformConfig, knowledge_bases: Sequence[KnowledgeBase], clients: Clients
) -> list[Target]:
    """The data sources to ingest with their ids; NotDeployed when an id parameter is missing."""
    environment = config.environment
    names = [name for item in knowledge_bases for name in knowledge_base_parameters(environment, item)]
    if not any(item.data_sources for item in knowledge_bases):
        return []
    found = read_parameters(clients("ssm"), names)
    found.require(names)
    return [
        Target(
            knowledge_base=item.name,
            data_source=source.name,
            knowledge_base_id=found[parameters.knowledge_base_id(environment, item.name)],
            data_source_id=found[parameters.data_source_id(environment, item.name, source.name)],
        )
        for item in knowledge_bases
        for source in item.data_sources
    ]


def start(agent: Any, target: Target, progress: TextIO) -> Followed:
    """Start an ingestion job (or find the one already running) and report it."""
    job = Followed(target)
    try:
        job.update(agent.start_ingestion_job(**target.ids)["ingestionJob"])
    except ClientError as error:
        running = _running_job(agent, target) if error_code(error) == CONFLICT else None
        if running is None:
            job.error = f"StartIngestionJob: {describe(error)}"
            print(f"{target.label}: could not start: {describe(error)}", file=progress, flush=True)
            return job
        job.update(running)
        print(f"{target.label}: already running, following job {job.job_id}", file=progress, flush=True)
    else:
        print(f"{target.label}: started job {job.job_id}", file=progress, flush=True)
    print(job.progress_line(), file=progress, flush=True)
    return job


def _running_job(agent: Any, target: Target) -> Mapping[str, Any] | None:
    """The newest STARTING or IN_PROGRESS job of the data source, if there is one."""
    try:
        summaries = agent.list_ingestion_jobs(
            **target.ids,
            filters=[{"attribute": "STATUS", "operator": "EQ", "values": list(RUNNING)}],
            sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"},
            maxResults=1,
        )["ingestionJobSummaries"]
    except ClientError:
        return None
    return summaries[0] if summaries else None


def poll(agent: Any, job: Followed, progress: TextIO) -> None:
    """Read the job once; print a progress line when its status or counts changed."""
    try:
        response = agent.get_ingestion_job(**job.target.ids, ingestionJobId=job.job_id)
    except ClientError as error:
        job.error = f"GetIngestionJob: {describe(error)} (job {job.job_id} may still be running)"
        print(
            f"{job.target.label}: could not read job {job.job_id}: {describe(error)}",
            file=progress,
            flush=True,
        )
        return
    if job.update(response["ingestionJob"]):
        print(job.progress_line(), file=progress, flush=True)
