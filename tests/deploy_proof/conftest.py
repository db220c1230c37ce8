"""Every synthesized assembly the deploy proof checks: each config of config/, each starter template
of config/templates/ and the example app, all from the session's one synthesis of each, and the
proof's own configs (``configs/``: what no shipped config declares, such as a committed throughput)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedrock_platform.templates import known_templates
from tests.conftest import CONFIG_DIR, ENVIRONMENT_CONFIGS, Synthesized, synthesize
from tests.deploy_proof.assembly import Assembly
from tests.deploy_proof.simulate import Run, handlers, run_handler

PROOF_CONFIGS = sorted((Path(__file__).parent / "configs").glob("*.yaml"))
ASSEMBLIES = [
    *(f"config/{path.stem}" for path in ENVIRONMENT_CONFIGS),
    *(f"template/{name}" for name in known_templates(CONFIG_DIR / "templates")),
    "example",
    *(f"proof/{path.stem}" for path in PROOF_CONFIGS),
]
"""What the proof runs on, by name: ``config/<env>``, ``template/<name>``, ``example``, ``proof/<name>``."""
EXAMPLE_ENV = ("123456789012", "us-east-1")


def _assembly(synthesized: Synthesized) -> Assembly:
    return Assembly.from_templates(synthesized.templates, synthesized.outdir, default_env=EXAMPLE_ENV)


@pytest.fixture(scope="session")
def assemblies(
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    example: Synthesized,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Assembly]:
    """Each assembly of :data:`ASSEMBLIES`, resolvable."""
    found = {
        **{f"config/{name}": _assembly(value) for name, value in synthesized.items()},
        **{f"template/{name}": _assembly(value) for name, value in synthesized_templates.items()},
        "example": _assembly(example),
        **{
            f"proof/{path.stem}": _assembly(
                synthesize(path, tmp_path_factory.mktemp(f"proof-{path.stem}"), validation=False)
            )
            for path in PROOF_CONFIGS
        },
    }
    assert sorted(found) == sorted(ASSEMBLIES)
    return found


@pytest.fixture(scope="session")
def handler_runs(assemblies: dict[str, Assembly]) -> dict[str, list[Run]]:
    """Every custom-resource handler of every assembly, run through its life in every fault scenario."""
    return {
        name: [run_handler(assembly, handler) for handler in handlers(assembly)]
        for name, assembly in assemblies.items()
    }
