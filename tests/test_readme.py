"""The README's config reference is the schema's, and the README documents the two commands."""

from __future__ import annotations

import json
import re
import subprocess
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


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _headings(text: str) -> list[str]:
    fence = False
    found = []
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"^#{1,4} ", line):
            found.append(line.lstrip("#").strip())
    return found


def test_every_link_of_the_readme_and_docs_reaches_a_heading_or_a_file() -> None:
    """Issue 17 item 13: the table of contents and every cross-reference stay true as sections move."""
    pages = [ROOT / "README.md", ROOT / "DEPLOY.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            if target.startswith(("http://", "https://")):
                continue
            file, _, anchor = target.partition("#")
            linked = (page.parent / file).resolve() if file else page
            if not linked.exists() or (
                anchor
                and linked.suffix == ".md"
                and anchor not in map(_anchor, _headings(linked.read_text()))
            ):
                broken.append((page.name, target))
    assert broken == []


def test_the_contents_list_every_section_and_the_quick_start_comes_first() -> None:
    readme = (ROOT / "README.md").read_text()
    sections = [line[3:] for line in readme.splitlines() if line.startswith("## ")]
    assert sections[:3] == ["Quick start", "Contents", "The two commands"]
    contents = readme.split("## Contents", 1)[1].split("\n## ", 1)[0]
    assert [section for section in sections if f"(#{_anchor(section)})" not in contents] == ["Contents"]


def test_the_quick_start_make_commands_exist() -> None:
    """Each `make ...` line of the quick start is a target make can run as written (dry run)."""
    quick_start = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make [^#\n]*?)\s*(?:#.*)?$", quick_start, flags=re.MULTILINE)
    assert len(commands) >= 6, commands
    for command in commands:
        result = subprocess.run(
            [*command.split(), "-n"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (command, result.stderr)


def test_docs_list_every_check_id_from_the_rules() -> None:
    """Issue 18: every error carries its check's id; docs/validation.md lists them all (make docs)."""
    from bedrock_platform.config.reference import render_rules, rewrite_rules
    from bedrock_platform.config.rules import RULES

    page = (ROOT / "docs" / "validation.md").read_text()
    assert rewrite_rules(page) == page, "docs/validation.md is stale: run `make docs`"
    assert all(f"| `{rule.id}` |" in render_rules() for rule in RULES)
    expected = "\n".join(
        path.read_text() for path in (ROOT / "tests" / "config" / "invalid").glob("*.expected")
    )
    lines = [line for line in expected.splitlines() if line]
    assert lines and all(line.endswith("]") for line in lines), "every error line names its check"
