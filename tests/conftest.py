"""Shared fixtures: each config in config/ is synthesized once per test session."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "config"
ENVIRONMENT_CONFIGS = sorted(CONFIG_DIR.glob("*.yaml"))

# Tests run from the repository root, so cdk.json (the feature flags) is found like `cdk synth` finds it.
os.chdir(ROOT)


@dataclass(frozen=True)
class Synthesized:
    """One config's cloud assembly: its folder and each stack's template by stack name."""

    outdir: Path
    templates: dict[str, dict[str, Any]]
    template_files: dict[str, Path]


def synthesize(config_file: Path, outdir: Path, *, validation: bool) -> Synthesized:
    """Synthesize a config file like `python -m bedrock_platform synth` does."""
    from bedrock_platform.config import load_config
    from bedrock_platform.stacks import create_app

    assembly = create_app(load_config(str(config_file)), outdir=str(outdir), validation=validation).synth()
    files = {stack.stack_name: outdir / stack.template_file for stack in assembly.stacks}
    return Synthesized(
        outdir=outdir,
        templates={name: json.loads(path.read_text()) for name, path in files.items()},
        template_files=files,
    )


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Synthesized]]:
    """Every config in config/, synthesized once with aws-cdk-lib's schema validation on (the gate)."""
    yield {
        path.stem: synthesize(path, tmp_path_factory.mktemp(path.stem), validation=True)
        for path in ENVIRONMENT_CONFIGS
    }
