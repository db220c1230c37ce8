"""Shared fixtures: each config in config/, each starter template and the example app are
synthesized once per test run (session fixtures here, so that every test folder shares them; under
pytest-xdist the workers share one synthesis of each through a folder of the run, see
:func:`shared_assembly`)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "config"
CONFIG_FILE_DIRS = ("guardrails", "datasets", "batch")
"""Folders of config/ whose files the configs name by relative path: word lists, job data."""


def copy_config_files(folder: Path) -> None:
    """Copy what the configs of config/ name by relative path (word lists, the job data they ship)
    into ``folder``, so that a copy of a config written there validates."""
    for name in CONFIG_FILE_DIRS:
        if (CONFIG_DIR / name).is_dir() and not (folder / name).exists():
            shutil.copytree(CONFIG_DIR / name, folder / name)


ENVIRONMENT_CONFIGS = sorted(CONFIG_DIR.glob("*.yaml"))

# Tests run from the repository root, so cdk.json (the feature flags) is found like `cdk synth` finds it.
os.chdir(ROOT)


@pytest.fixture(autouse=True)
def fresh_boto3_default_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without boto3's default session, which keeps the first credentials it
    resolved: the fake ones of one test must not reach the next."""
    import boto3

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@dataclass(frozen=True)
class Synthesized:
    """One config's cloud assembly: its folder and each stack's template by stack name."""

    outdir: Path
    templates: dict[str, dict[str, Any]]
    template_files: dict[str, Path]


def synthesize(
    config_file: Path, outdir: Path, *, validation: bool, control_tower_report: bool = False
) -> Synthesized:
    """Synthesize a config file like `python -m bedrock_platform synth` does.

    :param control_tower_report: where the config leaves the Control Tower controls off, run them
        anyway, report only: their findings go to the validation report as warnings.
    """
    import aws_cdk as cdk

    from bedrock_platform.config import load_config
    from bedrock_platform.nag import ControlTowerChecks
    from bedrock_platform.stacks import create_app

    config = load_config(str(config_file))
    app = create_app(config, outdir=str(outdir), validation=validation)
    if control_tower_report and not config.control_tower:
        cdk.Validations.of(app).add_plugins(ControlTowerChecks(report_only=True))
    assembly = app.synth()
    return _assembly(outdir, {stack.stack_name: stack.template_file for stack in assembly.stacks})


def _assembly(outdir: Path, files: dict[str, str]) -> Synthesized:
    paths = {name: outdir / file for name, file in files.items()}
    return Synthesized(
        outdir=outdir,
        templates={name: json.loads(path.read_text()) for name, path in paths.items()},
        template_files=paths,
    )


def shared_assembly(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict[str, str]]
) -> Synthesized:
    """The assembly ``build`` synthesizes into a folder (returning each stack's template file),
    built once per test run: the first pytest-xdist worker to ask builds it under a lock, the
    others read it. Without xdist, the run's temporary folder is the session's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    root = tmp_path_factory.getbasetemp() if worker is None else tmp_path_factory.getbasetemp().parent
    outdir = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        index = root / f"shared-{name}.json"  # names the stacks' templates; written last
        if not index.exists():
            if outdir.exists():
                shutil.rmtree(outdir)  # a build that failed halfway
            outdir.mkdir()
            files = build(outdir)
            index.write_text(json.dumps(files))
    return _assembly(outdir, json.loads(index.read_text()))


def _config_build(config_file: Path, *, validation: bool) -> Callable[[Path], dict[str, str]]:
    def build(outdir: Path) -> dict[str, str]:
        return {
            name: str(path.relative_to(outdir))
            for name, path in synthesize(
                config_file, outdir, validation=validation, control_tower_report=True
            ).template_files.items()
        }

    return build


def _worker_order(items: list[Any]) -> list[Any]:
    """``items`` rotated by the xdist worker's number: workers that need all of them at once build
    different ones side by side (each then reads the others'), instead of queueing on one lock."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    shift = int(worker.removeprefix("gw") or 0) % max(len(items), 1)
    return items[shift:] + items[:shift]


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Synthesized]]:
    """Every config in config/, synthesized once with aws-cdk-lib's schema validation on (the gate)."""
    built = {
        path.stem: shared_assembly(tmp_path_factory, path.stem, _config_build(path, validation=True))
        for path in _worker_order(ENVIRONMENT_CONFIGS)
    }
    yield {path.stem: built[path.stem] for path in ENVIRONMENT_CONFIGS}


@pytest.fixture(scope="session")
def synthesized_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Synthesized]]:
    """Every starter template of config/templates/, synthesized like
    ``python -m bedrock_platform synth --no-validation``.

    They are not in ``ENVIRONMENT_CONFIGS`` (that globs config/*.yaml), so neither the snapshot
    tests nor the config gates see them; tests/templates runs the gates on them instead.
    aws-cdk-lib's schema validation is off (cfn-lint checks the templates); cdk-nag is on, as
    ``add_stacks`` registers it.
    """
    from bedrock_platform.templates import known_templates

    templates = known_templates(CONFIG_DIR / "templates")
    built = {
        name: shared_assembly(
            tmp_path_factory, f"template-{name}", _config_build(templates[name], validation=False)
        )
        for name in _worker_order(list(templates))
    }
    yield {name: built[name] for name in templates}


def _example_build(outdir: Path) -> dict[str, str]:
    import aws_cdk as cdk

    from bedrock_platform.stacks import CLI_CONTEXT, cdk_json_context
    from examples.app import add_example_stacks

    app = cdk.App(
        outdir=str(outdir),
        context={**cdk_json_context(), **CLI_CONTEXT},
        builtin_cloud_formation_validation=False,
    )
    add_example_stacks(app)
    return {stack.stack_name: stack.template_file for stack in app.synth().stacks}


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    """examples/app.py as ``cdk synth`` would synthesize it from the repository root.

    aws-cdk-lib's schema validation is off (cfn-lint checks the templates), as for the starter
    templates. The example registers cdk-nag's packs itself: a finding fails synthesis here.
    """
    yield shared_assembly(tmp_path_factory, "example", _example_build)
