"""Issue 17 (1, 3, 12): what a user types cannot delete folders, forge error lines or pick dev by accident.

``synth --out`` replaces only an empty folder or an assembly it wrote; a file name is escaped in every
error line; ``-c env=`` / ``-c config=`` with an empty or path-like value is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bedrock_platform.cli import ASSEMBLY_MARKER, EXIT_NO_DIFF, main
from tests.conftest import ROOT


def _tree(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a config in cfg/ and a file that must survive every refused synth."""
    shutil.copytree(ROOT / "config", tmp_path / "cfg")
    (tmp_path / "keep.txt").write_text("precious\n")
    (tmp_path / "cfg" / "keep.txt").write_text("precious\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "keep.txt").write_text("precious\n")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


@pytest.mark.parametrize(
    ("out", "says"),
    [
        (".", "is the working folder"),
        ("", "--out is empty"),
        ("  ", "--out is empty"),
        ("..", "is the working folder"),  # an ancestor of the working folder and of cfg/
        ("../cfg", "is the working folder, the config's folder"),
        ("../cfg/..", "is the working folder"),
        (str(ROOT), "the repository"),
        ("/", "one of their parents"),
        ("../keep.txt", "is not a folder"),
        ("../missing/out", "does not exist"),
        ("../other", "holds files and is not a cloud assembly written by synth"),
    ],
)
def test_synth_out_refuses_a_folder_it_did_not_write_and_deletes_nothing(
    workspace: Path, out: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "other").mkdir()
    (workspace / "other" / "manifest.json").write_text("{}")  # looks like an assembly, has no marker
    before = _tree(workspace)
    assert main(["synth", "../cfg/dev.yaml", "--out", out, "--no-validation"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err
    assert err.startswith("synth: error: ")
    assert _tree(workspace) == before  # nothing deleted, no temporary folder left behind
    assert (workspace / "keep.txt").read_text() == "precious\n"


def test_synth_out_refuses_a_symlink_and_a_forged_name_stays_on_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "link").symlink_to(workspace / "work")
    assert main(["synth", "../cfg/dev.yaml", "--out", "../link"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert main(["synth", "../cfg/dev.yaml", "--out", "../missing\n\x1b[31mforged: error/x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\\n\\x1b[31mforged" in err


def test_synth_replaces_its_own_assembly_and_a_failure_leaves_nothing_behind(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = workspace / "out"
    out.mkdir()  # an empty folder may be written
    assert main(["synth", "../cfg/dev.yaml", "--out", str(out), "--no-validation"]) == 0
    assert (out / ASSEMBLY_MARKER).is_file() and (out / "manifest.json").is_file()
    (out / "stale.template.json").write_text("{}")  # a stale file of the previous assembly goes
    first = (out / "dev-bedrock-knowledge.template.json").read_bytes()
    assert main(["synth", "../cfg/dev.yaml", "--out", str(out), "--no-validation"]) == 0
    assert (out / "dev-bedrock-knowledge.template.json").read_bytes() == first
    assert not (out / "stale.template.json").exists()
    assert sorted(path.name for path in workspace.iterdir()) == ["cfg", "keep.txt", "out", "work"]
    capsys.readouterr()

    import bedrock_platform.stacks

    def fail(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bedrock_platform.stacks, "create_app", fail)
    assert main(["synth", "../cfg/dev.yaml", "--out", str(out)]) == 1
    assert "synthesis failed: boom" in capsys.readouterr().err
    assert (out / "dev-bedrock-knowledge.template.json").read_bytes() == first  # the old one is kept
    assert sorted(path.name for path in workspace.iterdir()) == ["cfg", "keep.txt", "out", "work"]


FORGED = "x\n\x1b[2Kprod.yaml:1:1: error: forged\x1b[0m.yaml"


@pytest.mark.parametrize("content", ["environment: dev\n", None])
def test_a_file_name_cannot_forge_error_lines(
    tmp_path: Path, content: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / FORGED
    if content is not None:
        path.write_text(content)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2K" in err
    assert all(line.startswith(str(tmp_path)) for line in err.splitlines()), err
    assert main(["synth", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and all(line.startswith(str(tmp_path)) for line in err.splitlines()), err


def test_a_valid_file_with_a_forged_name_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    path = tmp_path / "config" / FORGED
    shutil.copy(ROOT / "config" / "dev.yaml", path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\x1b" not in out and out.endswith(": valid\n")


def _app_module() -> ModuleType:
    sys.path.insert(0, str(ROOT))
    try:
        import app as cdk_app
    finally:
        sys.path.remove(str(ROOT))
    return cdk_app


@pytest.mark.parametrize(
    ("context", "says"),
    [
        ({"config": ""}, "-c config= is empty"),
        ({"config": " "}, "-c config= is empty"),
        ({"config": "", "env": "prod"}, "-c config= is empty"),
        ({"env": ""}, "is not an environment name"),
        ({"env": "../.."}, "is not an environment name"),
        ({"env": "../config/prod"}, "is not an environment name"),
        ({"env": "Prod"}, "is not an environment name"),
        ({"env": "prod\n\x1b[31m"}, "is not an environment name"),
        ({"env": "nope"}, "there is no config/nope.yaml"),
    ],
)
def test_app_refuses_an_empty_or_path_like_context(context: dict[str, str], says: str) -> None:
    import aws_cdk as cdk

    cdk_app = _app_module()
    with pytest.raises(cdk_app.ContextError, match=says) as caught:
        cdk_app.config_path(cdk.App(context=context))
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


@pytest.mark.cli
def test_cdk_cli_with_an_empty_env_fails_in_one_line_instead_of_synthesizing_dev(tmp_path: Path) -> None:
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    if not cdk.exists():
        pytest.fail("node_modules/.bin/cdk is missing: run the tests through `make test`, which runs npm ci")
    env = {**os.environ, "PATH": f"{cdk.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [str(cdk), "synth", "-c", "env=", "--output", str(tmp_path / "out"), "--quiet", "--no-notices"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert "error: -c env='' is not an environment name" in result.stderr
    assert not (tmp_path / "out" / "dev-bedrock-knowledge.template.json").exists()


@pytest.mark.parametrize("env", ["", "../..", "a;touch pwned", "dev\n\x1b[31m", "nope"])
def test_make_refuses_an_env_that_is_not_a_config_name(env: str) -> None:
    result = subprocess.run(
        ["make", "-s", "check-env", f"ENV={env}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert result.stderr.startswith("error: ENV=") and "\x1b" not in result.stderr
    assert not (ROOT / "pwned").exists()


def test_make_accepts_an_env_of_config() -> None:
    result = subprocess.run(
        ["make", "-s", "check-env", "ENV=prod"], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_diff_and_its_comment_escape_a_forged_folder_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's side errors reach the terminal and the pull-request comment: escaped in both."""
    forged = tmp_path / FORGED
    forged.mkdir()
    comment = tmp_path / "comment.md"
    assert main(["diff", str(forged), str(forged), "--comment", str(comment)]) == EXIT_NO_DIFF
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\\x1b[2K" in err, err
    written = comment.read_text()
    assert "\x1b" not in written and "\\n\\x1b[2K" in written


def test_new_env_prints_a_forged_out_folder_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / FORGED
    out.mkdir()
    argv = ["staging", "--from", "minimal-rag", "--account", "222222222222", "--region", "eu-west-1"]
    assert main(["new-env", *argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and printed.count("\n") == 2, printed


def test_a_failed_synthesis_of_an_old_ref_is_summarized_in_one_line() -> None:
    """Item 16: a diff against a ref whose own code fails shows its last error line, not a flattened
    traceback."""
    from bedrock_platform.review.sides import failure_summary

    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/tmp/w/bedrock_platform/cli.py", line 10, in <module>\n'
        "    import missing_module\n"
        "ModuleNotFoundError: No module named 'missing_module'\n"
    )
    assert failure_summary(traceback) == "ModuleNotFoundError: No module named 'missing_module'"
    located = "config/dev.yaml:3:9: error: region: unknown region 'x'\n"
    assert failure_summary(located) == "config/dev.yaml:3:9: error: region: unknown region 'x'"
    assert failure_summary("") == "no output"
