"""The README's config reference is the schema's, and the README documents the two commands."""

from __future__ import annotations

import json
from pathlib import Path

from bedrock_platform.config.reference import rewrite
from tests.conftest import ROOT


def test_readme_config_reference_is_generated_from_the_schema() -> None:
    readme = (ROOT / "README.md").read_text()
    schema = json.loads((ROOT / "config" / "schema.json").read_text())
    assert rewrite(readme, schema) == readme, "README is stale: run `make docs`"


def test_readme_shows_the_two_commands_and_every_config_has_the_editor_schema_line() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make synth" in readme and "make test" in readme
    for config in sorted((ROOT / "config").glob("*.yaml")):
        assert Path(config).read_text().startswith("# yaml-language-server: $schema=./schema.json\n"), config
