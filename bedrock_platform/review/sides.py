"""The two sides of a review: synthesized output folders, or git refs synthesized in a worktree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedrock_platform.config.errors import printable, progress
from bedrock_platform.review.compare import Change, compare_templates


class SideError(Exception):
    """A side that is neither a synthesized folder nor a git ref that synthesizes."""


@dataclass(frozen=True)
class StackTemplate:
    """One synthesized stack: its template and the Region it deploys to."""

    template: dict[str, Any]
    region: str


def load_folder(folder: Path) -> dict[str, StackTemplate]:
    """Every stack of every cloud assembly (``manifest.json``) under ``folder``, by stack name."""
    stacks: dict[str, StackTemplate] = {}
    manifests = sorted(folder.rglob("manifest.json"))
    if not manifests:
        raise SideError(f"{printable(str(folder))}: no synthesized output (no manifest.json) in it")
    for manifest_path in manifests:
        try:
            manifest = json.loads(manifest_path.read_text())
            for name, artifact in sorted(manifest.get("artifacts", {}).items()):
                if artifact.get("type") != "aws:cloudformation:stack":
                    continue
                template_file = manifest_path.parent / artifact["properties"]["templateFile"]
                region = str(artifact.get("environment", "aws://unknown/us-east-1")).rsplit("/", 1)[-1]
                stacks[name] = StackTemplate(json.loads(template_file.read_text()), region)
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
        side = new or old
        region = side.region if side else "us-east-1"
        changes += compare_templates(
            name, old.template if old else None, new.template if new else None, region=region
        )
    return changes
