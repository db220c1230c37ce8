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
    chunking = "chunking: {strategy: fixed_size, max_tokens: 300, overlap_percentage: 20}"
    assert chunking in text
    dev.write_text(text.replace(chunking, "chunking: {strategy: hierarchical}", 1))
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
            "--report",
            str(tmp_path / "report.md"),
        ]
    )
    report = capsys.readouterr().out
    assert status == 1
    assert "- data loss: 1 change" in report
    assert "[data loss] replaced `KnowledgeBaseproductdocsDataSource" in report
    assert 'ChunkingStrategy`: "FIXED_SIZE" -> "HIERARCHICAL"' in report
    assert (tmp_path / "report.md").read_text() == report


def test_the_same_output_on_both_sides_is_no_change(
    synthesized: dict[str, Synthesized], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(synthesized["prod"].outdir)
    assert main(["diff", folder, folder, "--fail-on", "routine", "--format", "text"]) == 0
    assert capsys.readouterr().out == "No changes.\n"


def test_a_side_that_is_neither_a_folder_nor_a_ref_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comment = tmp_path / "comment.md"
    assert main(["diff", str(tmp_path), "no-such-ref-anywhere", "--comment", str(comment)]) == 3
    error = capsys.readouterr().err
    assert error.startswith("error: ") and error.endswith("\n") and error.count("\n") == 1
    assert "no-such-ref-anywhere" in comment.read_text(), "the pull request is told why there is no diff"


def test_a_cut_comment_names_the_file_with_the_full_report(
    synthesized: dict[str, Synthesized], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bedrock_platform.review.report as report_module

    monkeypatch.setattr(report_module, "COMMENT_LIMIT", 200)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "manifest.json").write_text('{"version": "1", "artifacts": {}}')
    full, comment = tmp_path / "report.md", tmp_path / "comment.md"
    status = main(
        ["diff", str(empty), str(synthesized["dev"].outdir), "--report", str(full), "--comment", str(comment)]
    )
    assert status == 0
    assert len(comment.read_text()) <= 200
    assert comment.read_text().endswith(f"the full report is in {full}._\n")
    shown = comment.read_text().removeprefix("<!-- bedrock-platform-diff -->\n").split("\n\n_")[0]
    assert len(full.read_text()) > 1000 and full.read_text().startswith(shown)


def test_git_refs_are_synthesized_in_a_temporary_worktree(capsys: pytest.CaptureFixture[str]) -> None:
    """HEAD against itself: the ref's own code synthesizes its own config, and nothing differs."""
    import subprocess

    before = subprocess.run(["git", "worktree", "list"], capture_output=True, text=True, check=True).stdout
    assert main(["diff", "HEAD", "HEAD", "--env", "dev", "--fail-on", "routine"]) == 0
    assert capsys.readouterr().out == "No changes.\n"
    after = subprocess.run(["git", "worktree", "list"], capture_output=True, text=True, check=True).stdout
    assert after == before, "the temporary worktree is removed"


def test_an_environment_missing_at_the_base_ref_is_all_additions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bedrock_platform.review.sides import synthesized_ref

    with synthesized_ref("HEAD", Path.cwd(), "no-such-environment") as folder:
        assert main(["diff", str(folder), str(folder)]) == 0
    assert capsys.readouterr().out == "No changes.\n"


def test_a_broken_manifest_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 3
    assert "not a readable cloud assembly" in capsys.readouterr().err
