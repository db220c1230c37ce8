"""The package as other teams install it: a wheel built from the repository's files, offline.

``pip install git+https://...`` clones the repository and builds a wheel from it; this builds
the same wheel from a copy of the files a clone has (so the build leaves nothing in the working
tree), with the build backend of the virtual environment and no network.
"""

from __future__ import annotations

import ast
import email.message
import email.parser
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import bedrock_platform
from tests.conftest import ROOT

PACKAGE = ROOT / "bedrock_platform"
LAMBDA_ONLY = {"handlers"}
"""Subpackages that run on Lambda, where boto3 is part of the runtime: not the package's dependencies."""


@dataclass(frozen=True)
class Wheel:
    """The built wheel: its path and its member names."""

    path: Path
    names: frozenset[str]

    def read(self, name: str) -> bytes:
        """One member's bytes."""
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wheel]:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    (source / "config").mkdir()
    shutil.copy2(ROOT / "config" / "schema.json", source / "config" / "schema.json")
    # symlinks=True: the package's schema.json stays a link to config/schema.json, as in a clone.
    shutil.copytree(
        PACKAGE,
        source / "bedrock_platform",
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    result = subprocess.run(
        [*command, "--quiet", "--disable-pip-version-check", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        yield Wheel(path, frozenset(archive.namelist()))


def _metadata(wheel: Wheel) -> email.message.Message:
    (name,) = [name for name in wheel.names if name.endswith(".dist-info/METADATA")]
    return email.parser.BytesParser().parsebytes(wheel.read(name))


def test_the_wheel_version_is_the_package_version(wheel: Wheel) -> None:
    assert wheel.path.name == f"bedrock_platform-{bedrock_platform.__version__}-py3-none-any.whl"
    assert _metadata(wheel)["Version"] == bedrock_platform.__version__
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"], "one source of the version: bedrock_platform.__version__"


def test_the_wheel_is_typed_and_carries_the_schema_and_the_handlers(wheel: Wheel) -> None:
    assert "bedrock_platform/py.typed" in wheel.names
    schema = wheel.read("bedrock_platform/config/schema.json")
    assert schema == (ROOT / "config" / "schema.json").read_bytes()
    assert json.loads(schema)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    handlers = {path.name for path in (PACKAGE / "handlers").glob("*.py")}
    assert {"__init__.py", "custom_resource.py", "provisioned_throughput.py", "bedrock_job.py"} <= handlers
    assert {f"bedrock_platform/handlers/{name}" for name in handlers} <= wheel.names


def test_the_wheel_holds_the_package_and_nothing_else(wheel: Wheel) -> None:
    modules = {
        path.relative_to(ROOT).as_posix() for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts
    }
    assert modules <= wheel.names
    assert not [name for name in wheel.names if "__pycache__" in name or name.endswith(".pyc")]
    top_level = {name.split("/")[0] for name in wheel.names}
    assert top_level == {"bedrock_platform", f"bedrock_platform-{bedrock_platform.__version__}.dist-info"}


def test_the_wheel_declares_the_console_script(wheel: Wheel) -> None:
    (name,) = [name for name in wheel.names if name.endswith(".dist-info/entry_points.txt")]
    assert "bedrock-platform = bedrock_platform.cli:main" in wheel.read(name).decode()


def _third_party_imports() -> set[str]:
    """Top-level modules the package imports that are neither its own nor the standard library's."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if LAMBDA_ONLY & set(path.relative_to(PACKAGE).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "bedrock_platform"}


def _normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them (``cdklabs.cdk-validator-cfnguard`` is
    ``cdklabs-cdk-validator-cfnguard``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_is_a_declared_dependency(wheel: Wheel) -> None:
    declared = {
        _normalized(requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip())
        for requirement in _metadata(wheel).get_all("Requires-Dist") or []
    }
    distributions = importlib.metadata.packages_distributions()
    imports = _third_party_imports()
    assert {"aws_cdk", "constructs", "cdk_nag", "yaml", "jsonschema"} <= imports
    missing = {
        module: distributions.get(module)
        for module in imports
        if not {_normalized(name) for name in distributions.get(module, [])} & declared
    }
    assert missing == {}, f"imported but not declared in pyproject.toml dependencies: {missing}"


def test_the_installed_wheel_validates_a_config_with_its_own_schema(wheel: Wheel, tmp_path: Path) -> None:
    """Installed (unpacked into a folder on sys.path), away from the repository: the loader finds
    the schema inside the package, and the Lambda asset folder holds the handlers."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel.path) as archive:
        archive.extractall(site)
    shutil.copy2(ROOT / "config" / "dev.yaml", tmp_path / "dev.yaml")
    shutil.copytree(ROOT / "config" / "datasets", tmp_path / "datasets")  # the job data dev.yaml ships
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import bedrock_platform\n"
        "from pathlib import Path\n"
        f"assert Path(bedrock_platform.__file__).is_relative_to({str(site)!r}), bedrock_platform.__file__\n"
        "from bedrock_platform.config import SCHEMA_PATH, load_config\n"
        "assert SCHEMA_PATH.is_relative_to(Path(bedrock_platform.__file__).parent), SCHEMA_PATH\n"
        "config = load_config('dev.yaml')\n"
        "assert config.environment == 'dev', config\n"
        "handlers = Path(bedrock_platform.__file__).parent / 'handlers'\n"
        "assert (handlers / 'provisioned_throughput.py').is_file()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_cfn_lint_is_only_the_review_extras(wheel: Wheel) -> None:
    """Issue 17 item 17: the constructs do not install cfn-lint (about 600 MB); `[review]` does."""
    requirements = _metadata(wheel).get_all("Requires-Dist") or []
    cfn_lint = [requirement for requirement in requirements if requirement.lower().startswith("cfn-lint")]
    assert cfn_lint and all('extra == "review"' in requirement for requirement in cfn_lint), cfn_lint


BLOCK_CFNLINT = """
import importlib.abc, sys
class NoCfnLint(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "cfnlint" or name.startswith("cfnlint."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoCfnLint())
"""


def test_the_library_works_without_cfn_lint(tmp_path: Path) -> None:
    """Without the review extra: the constructs import and synthesize, validate runs, and diff says
    in one line what to install."""
    code = BLOCK_CFNLINT + (
        "import aws_cdk as cdk\n"
        "from bedrock_platform.constructs import VectorCollection\n"
        "from bedrock_platform.cli import main\n"
        "app = cdk.App()\n"
        "stack = cdk.Stack(app, 'S', env=cdk.Environment(account='111111111111', region='us-east-1'))\n"
        "VectorCollection(stack, 'C', collection_name='dev-docs')\n"
        "app.synth()\n"
        "assert main(['validate', 'config/dev.yaml']) == 0\n"
        "assert main(['diff', 'a', 'b']) == 2\n"
        "assert 'cfnlint' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("pip install 'bedrock-platform[review]' (a clone's make setup has it)\n")
