"""The import rules of the layers (issue 18): the spec is CDK-free and YAML-free and imports no other
part of the toolkit; the constructs never import the config package (their props are the spec's)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "bedrock_platform"


def _imports(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_constructs_never_import_the_config_package() -> None:
    offending = {
        path: sorted(name for name in names if name.startswith("bedrock_platform.config"))
        for path, names in _imports(PACKAGE / "constructs").items()
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_spec_imports_only_the_standard_library_and_itself() -> None:
    offending = {
        path: sorted(
            name
            for name in names
            if not name.startswith(("bedrock_platform.spec", "__future__"))
            and name.split(".")[0] not in __import__("sys").stdlib_module_names
        )
        for path, names in _imports(PACKAGE / "spec").items()
    }
    assert {path: names for path, names in offending.items() if names} == {}
