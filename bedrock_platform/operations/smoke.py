"""``smoke``: one small real call through each deployed throughput, inference profile, knowledge base
and guardrail version.

- Each provisioned throughput and application inference profile: an ``InvokeModel`` with its ARN
  as ``modelId`` and the tiny body of its model family (:mod:`.bodies`). It passes when the model
  answers (through a profile, the call is charged to the profile's tags).
- Each knowledge base: one ``Retrieve`` of at most :data:`RETRIEVE_RESULTS` passages for its
  description (or its name). It passes when the call succeeds, with or without passages: a
  knowledge base whose data sources were never ingested returns none (the line says so).
- Each declared version of each guardrail: ``ApplyGuardrail`` on input with a text it must block
  (``GUARDRAIL_INTERVENED``) and one it must let through (``NONE``); see :mod:`.samples`. Without a
  blocked text the check is skipped, with the reason, and a guardrail without versions is skipped.

One line per check, ``PASS``, ``FAIL`` or ``SKIP``, then a summary. Exit 1 when any check failed.
Every identifier is read from SSM first: a missing one stops the command before any call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from botocore.exceptions import ClientError

from bedrock_platform import parameters
from bedrock_platform.config import PlatformConfig
from bedrock_platform.config.model import Guardrail, KnowledgeBase
from bedrock_platform.operations.bodies import UnknownModelFamily, request_body
from bedrock_platform.operations.clients import Clients, describe
from bedrock_platform.operations.discovery import Parameters, guardrail_parameters, read_parameters
from bedrock_platform.operations.samples import Sample, samples

Outcome = Literal["PASS", "FAIL", "SKIP"]
RETRIEVE_RESULTS = 1
"""Passages one smoke Retrieve asks for."""
INTERVENED = "GUARDRAIL_INTERVENED"
NOT_INTERVENED = "NONE"
JSON = "application/json"


@dataclass(frozen=True)
class Check:
    """The result of one smoke check."""

    outcome: Outcome
    subject: str
    """``throughput support-assistant``, ``guardrail default/1 blocked``, ..."""
    detail: str

    def line(self) -> str:
        """``PASS guardrail default/1 blocked: ...``."""
        return f"{self.outcome} {self.subject}: {self.detail}"


def smoke(config: PlatformConfig, clients: Clients, out: TextIO) -> int:
    """Run every check of ``config``, printing one line each and a summary; 1 when any failed."""
    names = required_parameters(config)
    found = read_parameters(clients("ssm"), names)
    found.require(names)
    results: list[Check] = []
    for check in checks(config, clients, found):
        results.append(check)
        print(check.line(), file=out, flush=True)
    print(summary(results), file=out)
    return 1 if any(check.outcome == "FAIL" for check in results) else 0


def required_parameters(config: PlatformConfig) -> list[str]:
    """The parameters smoke needs: throughput and inference profile ARNs, knowledge base ids, guardrail
    ids and versions."""
    environment = config.environment
    names = [
        parameters.provisioned_model_arn(environment, item.name) for item in config.provisioned_throughputs
    ]
    names += [parameters.inference_profile_arn(environment, item.name) for item in config.inference_profiles]
    names += [parameters.knowledge_base_id(environment, item.name) for item in config.knowledge_bases]
    for guardrail in config.guardrails:
        names += guardrail_parameters(environment, guardrail)
    return names


def checks(config: PlatformConfig, clients: Clients, found: Parameters) -> Iterator[Check]:
    """Every check, in order: throughputs, inference profiles, knowledge bases, guardrail versions."""
    environment = config.environment
    for throughput in config.provisioned_throughputs:
        arn = found[parameters.provisioned_model_arn(environment, throughput.name)]
        yield invoke(clients("bedrock-runtime"), f"throughput {throughput.name}", throughput.model, arn)
    for profile in config.inference_profiles:
        arn = found[parameters.inference_profile_arn(environment, profile.name)]
        yield invoke(clients("bedrock-runtime"), f"inference-profile {profile.name}", profile.model, arn)
    for knowledge_base in config.knowledge_bases:
        knowledge_base_id = found[parameters.knowledge_base_id(environment, knowledge_base.name)]
        managed = config.vector_store(knowledge_base.vector_store).managed
        yield retrieve(clients("bedrock-agent-runtime"), knowledge_base, knowledge_base_id, managed=managed)
    for guardrail in config.guardrails:
        guardrail_id = found[parameters.guardrail_id(environment, guardrail.name)]
        versions = [
            found[parameters.guardrail_version(environment, guardrail.name, number)]
            for number in range(1, len(guardrail.versions) + 1)
        ]
        yield from guardrail_checks(clients("bedrock-runtime"), guardrail, guardrail_id, versions)


def invoke(runtime: Any, subject: str, model: str, arn: str) -> Check:
    """InvokeModel through a throughput's or an inference profile's ARN with the tiny body of the
    family of ``model``, the model behind it."""
    try:
        body = request_body(model)
    except UnknownModelFamily as error:
        return Check("SKIP", subject, str(error))
    try:
        response = runtime.invoke_model(modelId=arn, body=body, contentType=JSON, accept=JSON)
        answer = response["body"].read()
    except ClientError as error:
        return Check("FAIL", subject, f"InvokeModel: {describe(error)}")
    return Check(
        "PASS", subject, f"InvokeModel answered with {len(answer)} bytes of {response['contentType']}"
    )


def retrieve(
    agent_runtime: Any, knowledge_base: KnowledgeBase, knowledge_base_id: str, *, managed: bool = False
) -> Check:
    """One Retrieve of :data:`RETRIEVE_RESULTS` passage for the knowledge base's description or name; a
    managed knowledge base is searched with ``managedSearchConfiguration`` (user guide, "Query a
    knowledge base and retrieve data", managed knowledge base considerations: "The
    vectorSearchConfiguration field is used for custom knowledge bases only")."""
    subject = f"knowledge-base {knowledge_base.name}"
    query = knowledge_base.description or knowledge_base.name
    configuration: dict[str, Any] = (
        # "Managed reranking is available only for knowledge bases that use managed embedding. If your
        # knowledge base uses a custom embedding model, you can use custom reranking or disable
        # reranking" (the same page): the toolkit's managed knowledge bases name their model.
        {"managedSearchConfiguration": {"numberOfResults": RETRIEVE_RESULTS, "rerankingModelType": "NONE"}}
        if managed
        else {"vectorSearchConfiguration": {"numberOfResults": RETRIEVE_RESULTS}}
    )
    try:
        response = agent_runtime.retrieve(
            knowledgeBaseId=knowledge_base_id,
            retrievalQuery={"text": query},
            retrievalConfiguration=configuration,
        )
    except ClientError as error:
        return Check("FAIL", subject, f"Retrieve: {describe(error)}")
    found = len(response["retrievalResults"])
    if not found:
        return Check("PASS", subject, f"Retrieve {query!r} answered with no passage (never synced? run sync)")
    return Check("PASS", subject, f"Retrieve {query!r} answered with {found} passage(s)")


def guardrail_checks(
    runtime: Any, guardrail: Guardrail, guardrail_id: str, versions: Sequence[str]
) -> Iterator[Check]:
    """Per declared version: the blocked sample must be intervened on, the allowed one must pass."""
    if not versions:
        yield Check(
            "SKIP",
            f"guardrail {guardrail.name}",
            "declares no versions (only published versions are checked)",
        )
        return
    chosen = samples(guardrail)
    for number, version in enumerate(versions, start=1):
        subject = f"guardrail {guardrail.name}/{number} (version {version})"
        if chosen.blocked is None:
            yield Check("SKIP", f"{subject} blocked", chosen.skipped_because)
        else:
            yield apply_guardrail(
                runtime, guardrail_id, version, chosen.blocked, INTERVENED, f"{subject} blocked"
            )
        yield apply_guardrail(
            runtime, guardrail_id, version, chosen.allowed, NOT_INTERVENED, f"{subject} allowed"
        )


def apply_guardrail(
    runtime: Any, guardrail_id: str, version: str, sample: Sample, expected: str, subject: str
) -> Check:
    """ApplyGuardrail on ``sample`` as input; passes when the action is ``expected``."""
    try:
        response = runtime.apply_guardrail(
            guardrailIdentifier=guardrail_id,
            guardrailVersion=version,
            source="INPUT",
            content=[{"text": {"text": sample.text}}],
        )
    except ClientError as error:
        return Check("FAIL", subject, f"ApplyGuardrail: {describe(error)}")
    action = response["action"]
    if action == expected:
        return Check("PASS", subject, f"{action} on {sample.origin}")
    detail = f"expected {expected}, got {action} on {sample.origin} {sample.text!r}"
    matched = interventions(response.get("assessments", []))
    return Check("FAIL", subject, f"{detail} ({', '.join(matched)})" if matched else detail)


def interventions(assessments: Sequence[Mapping[str, Any]]) -> list[str]:
    """What intervened, from ApplyGuardrail's assessments: ``topic 'x'``, ``word 'y'``, ``PII EMAIL``, ..."""
    found: list[str] = []
    for assessment in assessments:
        topics = assessment.get("topicPolicy", {}).get("topics", [])
        found += [f"topic {item['name']!r}" for item in topics if item["action"] != "NONE"]
        filters = assessment.get("contentPolicy", {}).get("filters", [])
        found += [f"content filter {item['type']}" for item in filters if item["action"] != "NONE"]
        words = assessment.get("wordPolicy", {})
        found += [
            f"word {item['match']!r}" for item in words.get("customWords", []) if item["action"] != "NONE"
        ]
        found += [
            f"{item['type'].lower()} word"
            for item in words.get("managedWordLists", [])
            if item["action"] != "NONE"
        ]
        sensitive = assessment.get("sensitiveInformationPolicy", {})
        found += [
            f"PII {item['type']}" for item in sensitive.get("piiEntities", []) if item["action"] != "NONE"
        ]
        found += [
            f"regex {item.get('name', '?')!r}"
            for item in sensitive.get("regexes", [])
            if item["action"] != "NONE"
        ]
    return found


def summary(results: Sequence[Check]) -> str:
    """``smoke: 4 passed, 1 failed, 1 skipped``."""
    passed, failed, skipped = (
        sum(check.outcome == outcome for check in results) for outcome in ("PASS", "FAIL", "SKIP")
    )
    return f"smoke: {passed} passed, {failed} failed, {skipped} skipped"
