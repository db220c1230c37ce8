"""What typed rules read: the parts of a config that passed the schema and the document rules, typed.

Validation runs in two passes (:func:`bedrock_platform.config.rules.check_rules`):

1. **Document rules** read the YAML mapping. They are the rules about the file's form (either/or
   keys, names written twice with their lines, which keys are written beside which, word files,
   references to other items' names as written, so that a typo in a key and a wrong reference in
   one item are reported together), the rules across every section (KMS keys, stack quotas) and
   the rules that establish what the model's builders rely on (an evaluation job's kind and
   metrics, a catalogued embedding model).
2. **Typed rules** read :class:`Checked`: each item of a section built by the same builder as
   :func:`bedrock_platform.config.model.build_config` uses, with every default applied, for the
   items the schema accepted whole and no gating document rule reported (``Rule.gates``: the ones the
   builders rely on). They never see raw YAML, so they make no defensive reads; an item with an
   error found by the schema or a gating rule gets its typed checks once that error is fixed.

Nothing here imports aws_cdk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bedrock_platform.config.checks import RuleContext, items, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.model import (
    PROD_ENVIRONMENT,
    BatchInferenceJob,
    EvaluationJob,
    Guardrail,
    InferenceProfile,
    KnowledgeBase,
    ProvisionedThroughput,
    VectorStore,
    build_batch_inference_job,
    build_evaluation_job,
    build_guardrail,
    build_inference_profile,
    build_knowledge_base,
    build_provisioned_throughput,
    build_vector_store,
    reasoning_identities,
)
from bedrock_platform.config.placement import DEFAULT_KNOWLEDGE_STACKS

T = TypeVar("T")


@dataclass(frozen=True)
class At(Generic[T]):
    """A typed item and where it is in the file, to report at its keys."""

    path: ConfigPath
    item: T

    def at(self, *keys: str | int) -> ConfigPath:
        """The path of one of the item's keys (``job.at("models", 0)``), for an issue there."""
        return (*self.path, *keys)


@dataclass(frozen=True)
class Checked:
    """The config's parts that passed the schema and the document rules, typed, with their paths."""

    environment: str | None
    """The environment, or None when the schema refused it (or it is missing)."""
    region: str | None
    account: str | None
    tags: Mapping[str, str]
    """The top-level tags (none when the schema refused them)."""
    vector_stores: tuple[At[VectorStore], ...]
    knowledge_bases: tuple[At[KnowledgeBase], ...]
    guardrails: tuple[At[Guardrail], ...]
    """With the words of their ``words_file``; a guardrail whose file could not be read is left out."""
    provisioned_throughputs: tuple[At[ProvisionedThroughput], ...]
    evaluation_jobs: tuple[At[EvaluationJob], ...]
    batch_inference_jobs: tuple[At[BatchInferenceJob], ...]
    inference_profiles: tuple[At[InferenceProfile], ...] = ()

    @property
    def is_prod(self) -> bool:
        return self.environment == PROD_ENVIRONMENT


def checked(config: Mapping[str, Any], context: RuleContext, reported: Iterable[Issue]) -> Checked:
    """The typed view of ``config``, leaving out every item under an issue of ``reported`` (the
    gating document rules') or under a path the schema refused.

    Only a context whose invalid paths come from the schema may be typed: the builders assume a
    schema-valid item. A context without them (a test's) gives no items.
    """
    reported_items = {issue.at[:2] for issue in reported}
    environment = string(config, context, ("environment",))
    knowledge_stacks = value(config, ("knowledge_stacks",))
    if not isinstance(knowledge_stacks, int) or not context.valid(("knowledge_stacks",)):
        knowledge_stacks = DEFAULT_KNOWLEDGE_STACKS
    stacks: int = knowledge_stacks
    is_prod = environment == PROD_ENVIRONMENT

    def section(
        name: str,
        build: Callable[[Mapping[str, Any]], T],
        ready: Callable[[Mapping[str, Any]], bool] = lambda _: True,
    ) -> tuple[At[T], ...]:
        if not context.schema_checked:
            return ()
        return tuple(
            At(path, build(item))
            for path, item in items(config, (name,))
            if context.valid_tree(path) and path not in reported_items and ready(item)
        )

    def words_file(guardrail: Mapping[str, Any]) -> str | None:
        found = guardrail.get("word_filters", {}).get("words_file")
        return found if isinstance(found, str) else None

    def file_words(guardrail: Mapping[str, Any]) -> tuple[str, ...]:
        name = words_file(guardrail)
        return () if name is None else context.word_lists[name].words

    tags = value(config, ("tags",))
    return Checked(
        environment=environment,
        region=string(config, context, ("region",)),
        account=string(config, context, ("account",)),
        tags=tags if isinstance(tags, dict) and context.valid_tree(("tags",)) else {},
        vector_stores=section("vector_stores", lambda raw: build_vector_store(raw, is_prod)),
        knowledge_bases=section("knowledge_bases", lambda raw: build_knowledge_base(raw, stacks)),
        guardrails=section(
            "guardrails",
            lambda raw: build_guardrail(raw, file_words(raw), reasoning_identities(config)),
            # Its words file read, and a policy in every version (rule guardrail-versions says which
            # lacks one; the rule's other findings leave the guardrail as buildable as it was).
            ready=lambda raw: (
                words_file(raw) in (None, *context.word_lists)
                and all("policy" in version for version in raw.get("versions", []))
            ),
        ),
        provisioned_throughputs=section("provisioned_throughputs", build_provisioned_throughput),
        evaluation_jobs=section("evaluation_jobs", build_evaluation_job),
        batch_inference_jobs=section("batch_inference_jobs", build_batch_inference_job),
        inference_profiles=section("inference_profiles", build_inference_profile),
    )


TypedCheck = Callable[[Checked, RuleContext], list[Issue]]


@dataclass(frozen=True)
class TypedRule:
    """A semantic check on :class:`Checked` (pass 2), with a stable id."""

    id: str
    check: TypedCheck

    @property
    def description(self) -> str:
        """The first line of the check's docstring."""
        return (self.check.__doc__ or "").strip().splitlines()[0]
