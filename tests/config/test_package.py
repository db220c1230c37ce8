"""The config package's public API, its error type, and its independence from aws_cdk."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

import bedrock_platform.config as config_package
from bedrock_platform.config import ConfigError, Issue
from tests.config.helpers import ROOT


def test_public_api() -> None:
    assert set(config_package.__all__) >= {
        "load_config",
        "ConfigError",
        "Issue",
        "PlatformConfig",
        "SCHEMA_PATH",
    }
    for name in config_package.__all__:
        assert getattr(config_package, name).__doc__ or name == "SCHEMA_PATH", name


@pytest.mark.parametrize(
    "use",
    [
        "import bedrock_platform.config\nbedrock_platform.config.load_config('config/dev.yaml')",
        "import bedrock_platform.cli\nassert bedrock_platform.cli.main(['validate', 'config/dev.yaml']) == 0",
        "import bedrock_platform.operations.commands",
    ],
    ids=["config", "validate", "operations"],
)
def test_validating_and_the_operations_never_import_aws_cdk(use: str) -> None:
    """``validate`` never starts Node, and status/sync/smoke run on boto3 alone."""
    code = (
        "import sys\n"
        f"{use}\n"
        "cdk = ('aws_cdk', 'jsii', 'constructs')\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in cdk)\n"
        "assert not loaded, loaded\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr


def test_issue_is_a_frozen_dataclass_printed_as_one_line() -> None:
    issue = Issue(
        "config/dev.yaml", 42, 7, "knowledge_bases[product-docs].vector_store", "unknown vector store 'dcos'"
    )

    assert str(issue) == (
        "config/dev.yaml:42:7: error: knowledge_bases[product-docs].vector_store: unknown vector store 'dcos'"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.line = 1  # type: ignore[misc]


def test_config_error_sorts_by_position_and_drops_duplicates() -> None:
    late = Issue("f.yaml", 9, 1, "b", "late")
    early = Issue("f.yaml", 2, 5, "a", "early")
    same_line = Issue("f.yaml", 2, 3, "c", "same line, earlier column")

    error = ConfigError([late, early, late, same_line])

    assert error.issues == (same_line, early, late)
    assert str(error) == "\n".join(str(issue) for issue in (same_line, early, late))
    assert isinstance(error, Exception)
