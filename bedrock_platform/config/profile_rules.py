"""Semantic checks of the cross-Region inference profiles a config names (jobs' models).

A system-defined inference profile (``eu.anthropic...``, ``global.anthropic...``) can be called
only from its source Regions (:mod:`bedrock_platform.geographies`, from the user guide's
"Supported Regions and models for inference profiles"): a job in another Region fails when it
starts, after the deployment created everything else. The guardrail profile has its own rule in
:mod:`.guardrail_rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bedrock_platform import geographies
from bedrock_platform.config.checks import RuleContext, items, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import show

PROFILE_NOT_FROM_REGION = (
    "the {geography} inference profile {model} cannot be called from {region}: its source Regions "
    "are {sources} (use the profile of this Region's geography, or the base model id)"
)


def _model_paths(config: Mapping[str, Any]) -> Iterator[ConfigPath]:
    """Every place a job names a model by id: evaluated models, evaluators, generators, batch models."""
    for path, _ in items(config, ("evaluation_jobs",)):
        models = value(config, (*path, "models"))
        for index in range(len(models) if isinstance(models, list) else 0):
            yield (*path, "models", index)
        yield (*path, "evaluator_model")
        yield (*path, "generator_model")
    for path, _ in items(config, ("batch_inference_jobs",)):
        yield (*path, "model")


def inference_profiles_in_region(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A job's inference profile can be called from the config's Region (one of its source Regions)."""
    region = string(config, context, ("region",))
    if region is None:
        return []
    issues = []
    for path in _model_paths(config):
        model = string(config, context, path)
        geography = geographies.inference_profile_geography(model) if model is not None else None
        if model is None or geography is None:
            continue
        sources = geographies.source_regions(geography)
        if region not in sources:
            message = PROFILE_NOT_FROM_REGION.format(
                geography=show(geography), model=show(model), region=show(region), sources=", ".join(sources)
            )
            issues.append(context.issue(path, message))
    return issues
