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
from bedrock_platform.config.checks import RuleContext, items, string
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.job_rules import models_run
from bedrock_platform.config.messages import show
from bedrock_platform.config.typed import Checked
from bedrock_platform.spec import inference_profiles as profiles_spec

PROFILE_NOT_FROM_REGION = (
    "the {geography} inference profile {model} cannot be called from {region}: its source Regions "
    "are {sources} (use the profile of this Region's geography, or the base model id)"
)


PROFILE_NAME_LENGTH = (
    "the inference profile's AWS name would be {length} characters, at most {limit} (it is "
    "<environment>-<name>-<6 hex digits>): shorten the name to at most {room} characters"
)


def inference_profile_names(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """An application inference profile's AWS name, ``<environment>-<name>-<6 hex digits>``, is at most
    64 characters (its characters are the schema's)."""
    environment = string(config, context, ("environment",))
    if environment is None:
        return []
    issues = []
    for path, _ in items(config, ("inference_profiles",)):
        name = string(config, context, (*path, "name"))
        if name is None:
            continue
        length = len(f"{environment}-{name}") + profiles_spec.SUFFIX_LENGTH
        if length > profiles_spec.NAME_MAX:
            room = profiles_spec.NAME_MAX - len(f"{environment}-") - profiles_spec.SUFFIX_LENGTH
            message = PROFILE_NAME_LENGTH.format(length=length, limit=profiles_spec.NAME_MAX, room=room)
            issues.append(context.issue((*path, "name"), message))
    return issues


def _model_ids(checked: Checked) -> Iterator[tuple[ConfigPath, str]]:
    """(path, id) of every model a job names by id: evaluated models, evaluators, generators, batch models."""
    for job in checked.evaluation_jobs:
        yield from ((path, model.model_id) for path, model in models_run(job) if model.model_id is not None)
        if job.item.evaluator_model is not None:
            yield job.at("evaluator_model"), job.item.evaluator_model
    for profile in checked.inference_profiles:
        yield profile.at("model"), profile.item.model
    for batch in checked.batch_inference_jobs:
        if batch.item.model.model_id is not None:
            yield batch.at("model"), batch.item.model.model_id


def inference_profiles_in_region(checked: Checked, context: RuleContext) -> list[Issue]:
    """A job's or an application inference profile's system profile can be called from the config's
    Region (one of its source Regions)."""
    region = checked.region
    if region is None:
        return []
    issues = []
    for path, model in _model_ids(checked):
        geography = geographies.inference_profile_geography(model)
        if geography is None:
            continue
        sources = geographies.source_regions(geography)
        if region not in sources:
            message = PROFILE_NOT_FROM_REGION.format(
                geography=show(geography), model=show(model), region=show(region), sources=", ".join(sources)
            )
            issues.append(context.issue(path, message))
    return issues
