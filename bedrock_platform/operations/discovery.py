"""Identifiers of deployed resources, read from the SSM parameters the stacks publish.

The names come from :mod:`bedrock_platform.parameters`. They are read with ``GetParameters``,
ten names per call (the API's limit), so a command reads exactly the parameters of what the
config declares, in a handful of calls, and needs ``ssm:GetParameters`` on those names only.
A name the service does not know comes back in ``InvalidParameters``: that resource is not
deployed (yet, or any more).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import Guardrail, KnowledgeBase

GET_PARAMETERS_LIMIT = 10
"""Names one ``GetParameters`` call takes."""
EVALUATION_JOBS = "evaluation-jobs"
BATCH_INFERENCE_JOBS = "batch-inference-jobs"
"""The job kinds of :func:`bedrock_platform.parameters.job_arn`."""


class OperationsError(Exception):
    """A problem that ends a command with one line on stderr and ``exit_code``."""

    exit_code = 1


class UsageError(OperationsError):
    """A command line that names something the config does not declare."""

    exit_code = 2


class NotDeployed(OperationsError):
    """SSM parameters a command needs are missing: what they name is not deployed."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        if len(self.missing) == 1:
            text = f"not deployed: SSM parameter {self.missing[0]} not found"
        else:
            text = f"not deployed: {len(self.missing)} SSM parameters not found: {', '.join(self.missing)}"
        super().__init__(f"{text} (deploy the environment's stacks first)")


@dataclass(frozen=True)
class Parameters:
    """The values of the parameters that exist, by name."""

    values: Mapping[str, str]

    def get(self, name: str) -> str | None:
        """The value of ``name``; None when the parameter does not exist."""
        return self.values.get(name)

    def require(self, names: Iterable[str]) -> None:
        """Raise :class:`NotDeployed` naming every one of ``names`` that does not exist."""
        missing = [name for name in dict.fromkeys(names) if name not in self.values]
        if missing:
            raise NotDeployed(missing)

    def __getitem__(self, name: str) -> str:
        return self.values[name]


def read_parameters(ssm: Any, names: Iterable[str]) -> Parameters:
    """Read ``names`` (duplicates dropped, order kept) with GetParameters, ten per call."""
    unique = list(dict.fromkeys(names))
    values: dict[str, str] = {}
    for start in range(0, len(unique), GET_PARAMETERS_LIMIT):
        response = ssm.get_parameters(Names=unique[start : start + GET_PARAMETERS_LIMIT])
        for parameter in response.get("Parameters", []):
            values[parameter["Name"]] = parameter["Value"]
    return Parameters(values)


def knowledge_base_parameters(environment: str, knowledge_base: KnowledgeBase) -> Iterator[str]:
    """The id parameters of a knowledge base and of its data sources."""
    yield parameters.knowledge_base_id(environment, knowledge_base.name)
    for data_source in knowledge_base.data_sources:
        yield parameters.data_source_id(environment, knowledge_base.name, data_source.name)


def guardrail_parameters(environment: str, guardrail: Guardrail) -> Iterator[str]:
    """The id parameter of a guardrail and the version parameter of each declared version."""
    yield parameters.guardrail_id(environment, guardrail.name)
    for number in range(1, len(guardrail.versions) + 1):
        yield parameters.guardrail_version(environment, guardrail.name, number)


def all_parameters(config: PlatformConfig) -> list[str]:
    """Every parameter the stacks publish for what ``config`` declares, in config order."""
    environment = config.environment
    names: list[str] = []
    for knowledge_base in config.knowledge_bases:
        names += knowledge_base_parameters(environment, knowledge_base)
    for guardrail in config.guardrails:
        names += guardrail_parameters(environment, guardrail)
    names += (
        parameters.provisioned_model_arn(environment, throughput.name)
        for throughput in config.provisioned_throughputs
    )
    names += (
        parameters.inference_profile_arn(environment, profile.name) for profile in config.inference_profiles
    )
    for kind, jobs in (
        (EVALUATION_JOBS, config.evaluation_jobs),
        (BATCH_INFERENCE_JOBS, config.batch_inference_jobs),
    ):
        for job in jobs:
            names += (
                parameters.job_arn(environment, kind, job.name),
                parameters.job_output_uri(environment, kind, job.name),
            )
    return names
