"""The starter templates of config/templates/, synthesized once per test session.

They are not in ``tests.conftest.ENVIRONMENT_CONFIGS`` (that globs config/*.yaml), so neither the
snapshot tests nor the config gates see them; these tests run the gates on them instead.
aws-cdk-lib's schema validation is off (cfn-lint checks the templates); cdk-nag is on, as
``add_stacks`` registers it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bedrock_platform.templates import known_templates
from tests.conftest import CONFIG_DIR, Synthesized, synthesize

TEMPLATES = known_templates(CONFIG_DIR / "templates")


@pytest.fixture(scope="session")
def synthesized_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Synthesized]]:
    """Every starter template, synthesized like ``python -m bedrock_platform synth --no-validation``."""
    yield {
        name: synthesize(path, tmp_path_factory.mktemp(f"template-{name}"), validation=False)
        for name, path in TEMPLATES.items()
    }
