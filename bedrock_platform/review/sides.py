"""The two sides of a review: synthesized output folders, or git refs synthesized in a worktree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bedrock_platform.config.errors import printable, progress
from bedrock_platform.review.compare import Change, Severity, compare_templates, references


class SideError(Exception):
    """A side that is neither a synthesized folder nor a git ref that synthesizes."""


@dataclass(frozen=True)
class StackTemplate:
    """One synthesized stack: its template and the Region it deploys to (and its account)."""

    template: dict[str, Any]
    region: str
    account: str = "unknown-account"

    @property
    def where(self) -> str:
        """``<account>/<region>``, as the assembly's environment gives them."""
        return f"{self.account}/{self.region}"


STACK = "AWS::CloudFormation::Stack"
BILLED_TYPES: dict[str, str] = {
    "AWS::OpenSearchServerless::Collection": "vector collections (minimum OCUs)",
    "Custom::BedrockProvisionedThroughput": "provisioned throughputs (model units by the hour)",
    "AWS::S3::Bucket": "buckets (storage)",
    "AWS::Logs::LogGroup": "log groups (storage)",
    "AWS::KMS::Key": "KMS keys (monthly)",
}
"""What a stack left deployed keeps billing, by resource type."""


def load_folder(folder: Path) -> dict[str, StackTemplate]:
    """Every stack of every cloud assembly (``manifest.json``) under ``folder``, by stack name."""
    stacks: dict[str, StackTemplate] = {}
    # A pipeline's stages are nested assemblies (assembly-<stage>/) holding the stacks of the
    # environments it deploys: those are reviewed as the environments' own, not twice.
    manifests = sorted(
        path
        for path in folder.rglob("manifest.json")
        if not any(part.startswith("assembly-") for part in path.relative_to(folder).parts[:-1])
    )
    if not manifests:
        raise SideError(f"{printable(str(folder))}: no synthesized output (no manifest.json) in it")
    for manifest_path in manifests:
        try:
            manifest = json.loads(manifest_path.read_text())
            for name, artifact in sorted(manifest.get("artifacts", {}).items()):
                if artifact.get("type") != "aws:cloudformation:stack":
                    continue
                template_file = manifest_path.parent / artifact["properties"]["templateFile"]
                environment = str(artifact.get("environment", "aws://unknown-account/us-east-1"))
                account, _, region = environment.removeprefix("aws://").partition("/")
                stacks[name] = StackTemplate(json.loads(template_file.read_text()), region, account)
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as error:
            raise SideError(
                f"{printable(str(manifest_path))}: not a readable cloud assembly: {printable(str(error))}"
            ) from None
    return stacks


@contextmanager
def synthesized_ref(ref: str, repository: Path, environment: str | None = None) -> Iterator[Path]:
    """Synthesize ``config/<environment>.yaml`` (default: every ``config/*.yaml``) of git ``ref`` in a
    temporary worktree; yields the output folder."""
    with tempfile.TemporaryDirectory(prefix="bedrock-platform-review-") as temporary:
        worktree = Path(temporary) / "worktree"
        out = Path(temporary) / "out"
        _git(repository, "worktree", "add", "--detach", str(worktree), ref)
        try:
            configs = sorted((worktree / "config").glob(f"{environment or '*'}.yaml"))
            out.mkdir()  # synth --out refuses a missing parent folder
            for config in configs:
                progress(f"diff: synthesizing config/{config.name} as of {ref} (10 to 60 seconds)...")
                _synth(worktree, config, out / config.stem)
            if not configs:  # the environment does not exist at this ref: every stack of it is new
                (out / "manifest.json").write_text('{"version": "1", "artifacts": {}}')
            yield out
        finally:
            _git(repository, "worktree", "remove", "--force", str(worktree))


def _git(repository: Path, *arguments: str) -> None:
    result = subprocess.run(["git", *arguments], cwd=repository, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SideError(f"git {' '.join(arguments[:2])}: {' '.join(result.stderr.split())}")


def _synth(worktree: Path, config: Path, out: Path) -> None:
    """The ref's own code synthesizes its own config (without the built-in validation: cfn-lint covers it)."""
    environment = {**os.environ, "PYTHONPATH": str(worktree)}
    if "JSII_NODE" in environment:  # a path relative to here would not resolve inside the worktree
        environment["JSII_NODE"] = str(Path(environment["JSII_NODE"]).resolve())
    command = [
        sys.executable,
        "-m",
        "bedrock_platform",
        "synth",
        str(config),
        "--out",
        str(out),
        "--no-validation",
    ]
    result = subprocess.run(
        command, cwd=worktree, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SideError(
            f"{config.name}: the ref's own code could not synthesize it: {failure_summary(result.stderr)}; "
            "synthesize that side yourself (python -m bedrock_platform synth ... --out DIR) and pass DIR"
        )


def failure_summary(stderr: str) -> str:
    """What a failed command said, in one line: its last error line (``...: error: ...``, or a
    traceback's final ``SomeError: ...``), else its last line, at most 300 characters."""
    lines = [" ".join(line.split()) for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line.lower() or line.split(":", 1)[0].endswith("Error")]
    found = (errors or lines or ["no output"])[-1]
    return found if len(found) <= 300 else found[:297] + "..."


def compare_sides(
    base: dict[str, StackTemplate], head: dict[str, StackTemplate], environment: str | None = None
) -> list[Change]:
    """Every change from ``base`` to ``head``, stack by stack (``<env>-bedrock-*``, one env or all)."""
    names = sorted(set(base) | set(head))
    if environment is not None:
        names = [name for name in names if name.startswith(f"{environment}-")]
    changes: list[Change] = []
    for name in names:
        old, new = base.get(name), head.get(name)
        if old is not None and new is None:
            changes.append(_left_deployed(name, old))
        elif old is not None and new is not None and old.where != new.where:
            changes.append(_moved(name, old, new))
        elif new is not None:
            changes += compare_templates(name, old.template if old else None, new.template, region=new.region)
    return _link_moves(_through_parameters(changes, base, head, names))


SSM_PARAMETER = "AWS::SSM::Parameter"
SSM_VALUE_TYPE = "AWS::SSM::Parameter::Value<"


def _through_parameters(
    changes: list[Change], base: dict[str, StackTemplate], head: dict[str, StackTemplate], names: list[str]
) -> list[Change]:
    """Replacements that reach other stacks through SSM parameters: a stack that reads (as a template
    parameter) the SSM parameter whose value a replaced resource gives (a numbered knowledge stack
    reads its collection's ARN) gets the new value at its next deploy, and what refers to it in a
    create-only property is replaced then. Repeated until nothing more is reached."""
    reached: dict[str, dict[str, str]] = {}
    while True:
        rewritten = _rewritten_parameters(changes, head)
        found = False
        for name in names:
            old, new = base.get(name), head.get(name)
            if old is None or new is None or old.where != new.where:
                continue
            inputs = {
                logical_id: rewritten[parameter["Default"]]
                for logical_id, parameter in new.template.get("Parameters", {}).items()
                if str(parameter.get("Type", "")).startswith(SSM_VALUE_TYPE)
                and parameter.get("Default") in rewritten
            }
            if inputs and inputs != reached.get(name):
                reached[name] = inputs
                found = True
                changes = [change for change in changes if change.stack != name]
                changes += compare_templates(
                    name, old.template, new.template, region=new.region, new_inputs=inputs
                )
        if not found:
            return changes


def _rewritten_parameters(changes: list[Change], head: dict[str, StackTemplate]) -> dict[str, str]:
    """SSM parameter names whose value a replacement changes, with why."""
    replaced: dict[str, set[str]] = {}
    for change in changes:
        if change.replacement:
            replaced.setdefault(change.stack, set()).add(change.logical_id)
    rewritten = {}
    for stack, logical_ids in replaced.items():
        for resource in head[stack].template.get("Resources", {}).values():
            properties = resource.get("Properties", {})
            if resource.get("Type") != SSM_PARAMETER or not isinstance(properties.get("Name"), str):
                continue
            sources = sorted(references(properties.get("Value")) & logical_ids)
            if sources:
                why = (
                    f"the SSM parameter {properties['Name']} it reads gets a new value "
                    f"({stack}: {sources[0]} is replaced)"
                )
                rewritten[properties["Name"]] = why
    return rewritten


MOVED_TYPES = frozenset(
    {
        "AWS::Bedrock::KnowledgeBase",
        "AWS::Bedrock::DataSource",
        "AWS::OpenSearchServerless::Index",
        "AWS::S3Vectors::Index",
    }
)
"""What moves between knowledge stacks when a knowledge base's ``stack:`` pin changes."""


def _link_moves(changes: list[Change]) -> list[Change]:
    """A removal in one stack and an addition of the same type and name in another are one move."""

    def by_name(action: str) -> dict[tuple[str, str | None], Change]:
        return {
            (change.resource_type, change.name): change
            for change in changes
            if change.action == action and change.name and change.resource_type in MOVED_TYPES
        }

    added, removed = by_name("added"), by_name("removed")
    linked = []
    for change in changes:
        if change.action == "removed" and (twin := added.get((change.resource_type, change.name))):
            if twin.stack != change.stack:
                reason = (
                    f"moved to {twin.stack} (added there as {twin.logical_id}): the new one starts empty "
                    "and is filled by the next ingestion; this one is deleted"
                )
                change = replace(change, reasons=(reason, *change.reasons))
        elif (
            change.action == "added"
            and (twin := removed.get((change.resource_type, change.name)))
            and twin.stack != change.stack
        ):
            reason = f"moved from {twin.stack} (removed there as {twin.logical_id})"
            change = replace(change, reasons=(reason, *change.reasons))
        linked.append(change)
    return linked


def _billed(stack: StackTemplate) -> list[str]:
    types = [resource.get("Type") for resource in stack.template.get("Resources", {}).values()]
    return [f"{types.count(kind)} {what}" for kind, what in BILLED_TYPES.items() if kind in types]


def _left_deployed(name: str, old: StackTemplate) -> Change:
    """A stack that leaves the app: cdk deploy never deletes a stack, so it stays, and bills."""
    billed = _billed(old)
    reasons = [
        f"no longer in the app: cdk deploy does not delete it, it stays deployed in {old.where} "
        f"(delete it with cdk destroy {name} or in CloudFormation)"
    ]
    if billed:
        reasons.append(f"it still bills: {', '.join(billed)}")
    return Change(
        name,
        name,
        STACK,
        "left deployed",
        Severity.COST if billed else Severity.ROUTINE,
        reasons=tuple(reasons),
    )


def _moved(name: str, old: StackTemplate, new: StackTemplate) -> Change:
    """A stack whose account or Region changed: a new stack there, the old one left where it was."""
    billed = _billed(old)
    reasons = [
        f"account or Region changed ({old.where} -> {new.where}): cdk deploy creates a new stack "
        f"with new, empty resources in {new.where}; the old stack stays deployed in {old.where}, "
        "with its data, until it is deleted there"
    ]
    if billed:
        reasons.append(f"both bill: the old one keeps {', '.join(billed)}")
    return Change(name, name, STACK, "moved", Severity.COST, reasons=tuple(reasons))
