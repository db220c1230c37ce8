"""``python -m bedrock_platform diff`` end to end on synthesized folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bedrock_platform.cli import main
from tests.conftest import CONFIG_DIR, Synthesized, synthesize


def test_a_chunking_change_in_dev_is_reported_as_a_data_loss_replacement(
    synthesized: dict[str, Synthesized], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    dev = config / "dev.yaml"
    text = dev.read_text()
    assert "strategy: fixed_size, max_tokens: 300" in text
    dev.write_text(
        text.replace("strategy: fixed_size, max_tokens: 300", "strategy: fixed_size, max_tokens: 512", 1)
    )
    synthesize(dev, tmp_path / "head" / "dev", validation=False)

    status = main(
        [
            "diff",
            str(synthesized["dev"].outdir),
            str(tmp_path / "head"),
            "--env",
            "dev",
            "--fail-on",
            "data-loss",
        ]
    )
    report = capsys.readouterr().out
    assert status == 1
    assert "- data loss: 1 change" in report
    assert "replaced `KnowledgeBaseproductdocsDataSource" in report
    assert "MaxTokens`: 300 -> 512" in report


def test_the_same_output_on_both_sides_is_no_change(
    synthesized: dict[str, Synthesized], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(synthesized["prod"].outdir)
    assert main(["diff", folder, folder, "--fail-on", "routine", "--format", "text"]) == 0
    assert capsys.readouterr().out == "No changes.\n"


def test_a_side_that_is_neither_a_folder_nor_a_ref_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tmp_path), "no-such-ref-anywhere"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and error.endswith("\n") and error.count("\n") == 1


def test_git_refs_are_synthesized_in_a_temporary_worktree(capsys: pytest.CaptureFixture[str]) -> None:
    """HEAD against itself: the ref's own code synthesizes its own config, and nothing differs."""
    import subprocess

    before = subprocess.run(["git", "worktree", "list"], capture_output=True, text=True, check=True).stdout
    assert main(["diff", "HEAD", "HEAD", "--env", "dev", "--fail-on", "routine"]) == 0
    assert capsys.readouterr().out == "No changes.\n"
    after = subprocess.run(["git", "worktree", "list"], capture_output=True, text=True, check=True).stdout
    assert after == before, "the temporary worktree is removed"
