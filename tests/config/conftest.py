"""Fixtures for the config tests: the repository root, and config files written to a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.config.helpers import ROOT, WriteConfig


@pytest.fixture(autouse=True)
def at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every config test from the repository root, so relative config paths resolve."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    """Write text or bytes to a file in a temp folder and return its path as a string."""

    def write(content: str | bytes, name: str = "config.yaml") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write
