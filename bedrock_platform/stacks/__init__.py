"""Stacks that turn a validated config into constructs, and the app that holds them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from bedrock_platform.config import PlatformConfig, placement
from bedrock_platform.config.placement import knowledge_stack_name
from bedrock_platform.constructs.nag import add_bedrock_checks, add_checks, add_control_tower_checks
from bedrock_platform.nag import mark_production, require_customer_managed_keys
from bedrock_platform.spec import automated_reasoning as reasoning_spec
from bedrock_platform.spec import inference_profiles as profiles_spec
from bedrock_platform.stacks.evaluation import EvaluationStack
from bedrock_platform.stacks.guardrails import GuardrailsStack
from bedrock_platform.stacks.inference import InferenceStack
from bedrock_platform.stacks.knowledge import KnowledgeBasesStack, KnowledgeStack
from bedrock_platform.stacks.logging import LoggingStack
from bedrock_platform.stacks.throughput import ThroughputStack

__all__ = [
    "EvaluationStack",
    "GuardrailsStack",
    "KnowledgeBasesStack",
    "KnowledgeStack",
    "LoggingStack",
    "ThroughputStack",
    "add_knowledge_stacks",
    "add_stacks",
    "apply_tags",
    "cdk_json_context",
    "create_app",
]

COLLECTION_TYPE = "AWS::OpenSearchServerless::Collection"

REPO_ROOT = Path(__file__).resolve().parents[2]

# What the CDK CLI adds to the context of every app it runs; the python synth path adds it too,
# so both paths write the same templates.
CLI_CONTEXT: Mapping[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
}


def stack_name(config: PlatformConfig, part: str) -> str:
    """``<env>-bedrock-<part>``."""
    return placement.stack_name(config.environment, part)


def add_stacks(app: cdk.Stage, config: PlatformConfig) -> list[cdk.Stack]:
    """Add the stacks of one environment to ``app`` (a cdk.App, or a pipeline's cdk.Stage); a part
    with nothing declared gets no stack. The knowledge bases may fill several numbered knowledge
    stacks (:func:`add_knowledge_stacks`).

    Registers cdk-nag's AwsSolutions, NIST 800-53 rev. 5 and HIPAA Security packs and the Bedrock
    pack on the app, and the Control Tower proactive controls on ``app`` when the config turns them
    on: an unacknowledged finding fails synthesis.
    """
    add_checks(app)
    add_bedrock_checks(app)
    if config.control_tower:
        add_control_tower_checks(app)
    stacks: list[cdk.Stack] = []
    knowledge = add_knowledge_stacks(app, config)
    stacks += knowledge.values()
    throughput = None
    if config.guardrails or config.automated_reasoning_policies:
        stacks.append(GuardrailsStack(app, stack_name(config, "guardrails"), config=config))
    if config.provisioned_throughputs:
        throughput = ThroughputStack(app, stack_name(config, "throughput"), config=config)
        stacks.append(throughput)
    inference = None
    if config.inference_profiles:
        inference = InferenceStack(app, stack_name(config, "inference"), config=config)
        stacks.append(inference)
    if config.evaluation_jobs or config.batch_inference_jobs:
        evaluation = EvaluationStack(app, stack_name(config, "evaluation"), config=config)
        # It reads their SSM parameters, so it deploys after the stacks that hold them.
        for number in sorted({config.knowledge_base(name).stack for name in evaluation.knowledge_bases_read}):
            evaluation.add_stack_dependency(knowledge[number], "reads knowledge base ids from SSM")
        if evaluation.uses_throughputs and throughput is not None:
            evaluation.add_stack_dependency(throughput, "reads provisioned throughput ARNs from SSM")
        if evaluation.uses_inference_profiles and inference is not None:
            evaluation.add_stack_dependency(inference, "reads inference profile ARNs from SSM")
        stacks.append(evaluation)
    if config.invocation_logging is not None:
        stacks.append(LoggingStack(app, stack_name(config, "logging"), config=config))
    if config.pipeline is not None:
        # Imported here: CDK Pipelines costs every other synth about 0.1 s of jsii loading.
        from bedrock_platform.stacks.pipeline import PipelineStack

        name = stack_name(config, "pipeline")
        stacks.append(
            PipelineStack(app, name, config=config, pipeline=config.pipeline, build_stage=add_stacks)
        )
    for stack in stacks:
        apply_tags(stack, config.tags)
    for stack in stacks:
        if config.is_prod:
            # The Bedrock pack's production rules (private, replicated collections) apply to them.
            mark_production(stack)
        if config.require_customer_managed_keys:
            require_customer_managed_keys(stack)  # and its key rules (BR5, BR8)
    return stacks


def add_knowledge_stacks(app: cdk.Stage, config: PlatformConfig) -> dict[int, cdk.Stack]:
    """The knowledge stacks of ``config`` by number: stack 1 (every collection) when there is a vector
    store or a knowledge base, and each numbered stack a knowledge base is placed in, which deploys
    after stack 1 (it reads the collections' SSM parameters)."""
    stacks: dict[int, cdk.Stack] = {}
    for number in config.knowledge_stack_numbers:
        name = knowledge_stack_name(config.environment, number)
        if number == 1:
            stacks[number] = KnowledgeStack(app, name, config=config)
            continue
        stack = KnowledgeBasesStack(app, name, config=config, number=number)
        stack.add_stack_dependency(stacks[1], "reads collection ARNs and endpoints from SSM")
        stacks[number] = stack
    return stacks


def apply_tags(stack: cdk.Stack, tags: Mapping[str, str]) -> None:
    """Config tags on every taggable resource of ``stack`` except collections and inference profiles.

    Collection tags are create-only: a tag change would replace the collection and lose its vectors;
    an Automated Reasoning policy version's too (a new version, the old one retained).
    An inference profile gets the config's tags with its own as properties, its own winning: they
    are what its spend is charged back by, and the stack's would override them.
    """
    for key, value in tags.items():
        cdk.Tags.of(stack).add(
            key,
            value,
            exclude_resource_types=[
                COLLECTION_TYPE,
                profiles_spec.RESOURCE_TYPE,
                reasoning_spec.VERSION_TYPE,
            ],
        )


def cdk_json_context(cdk_json: Path | None = None) -> dict[str, Any]:
    """The ``context`` of cdk.json (the feature flags), from the current directory or the repo."""
    candidates = [cdk_json] if cdk_json else [Path.cwd() / "cdk.json", REPO_ROOT / "cdk.json"]
    for path in candidates:
        if path.is_file():
            context: dict[str, Any] = json.loads(path.read_text())["context"]
            return context
    return {}


def create_app(config: PlatformConfig, *, outdir: str, validation: bool = True) -> cdk.App:
    """A CDK app with the stacks of ``config``, synthesizing into ``outdir`` like ``cdk synth``.

    :param validation: aws-cdk-lib's built-in CloudFormation schema validation. Default: on.
    """
    context = {**cdk_json_context(), **CLI_CONTEXT}
    app = cdk.App(outdir=outdir, context=context, builtin_cloud_formation_validation=validation)
    add_stacks(app, config)
    return app
