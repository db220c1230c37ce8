"""The command line: validate and synth, and the CDK CLI path that must give the same templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_platform.cli import main
from tests.conftest import ROOT, Synthesized


def test_validate_valid_files_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "config/dev.yaml", "config/prod.yaml"]) == 0
    assert capsys.readouterr().out == "config/dev.yaml: valid\nconfig/prod.yaml: valid\n"


def test_validate_invalid_file_exits_1_with_file_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "typo.yaml"
    bad.write_text(Path("config/dev.yaml").read_text().replace("embedding_model:", "embeding_model:"))
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{bad}:23:5: error: knowledge_bases[product-docs]: unknown key 'embeding_model' "
        "(did you mean 'embedding_model'?) [schema]\n"
    ) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [[], ["validate"], ["frobnicate"], ["synth", "config/dev.yaml"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_module_entry_point_validates_without_starting_node() -> None:
    code = (
        "import sys; from bedrock_platform.cli import main; rc = main(['validate', 'config/dev.yaml']);"
        "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules; sys.exit(rc)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "bedrock_platform", "validate", "config/missing.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("config/missing.yaml:1:1: error: ")


def test_synth_writes_the_assembly_and_refuses_an_invalid_config_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["synth", "config/dev.yaml", "--out", str(out), "--no-validation"]) == 0
    assert (out / "dev-bedrock-knowledge.template.json").is_file()
    assert f"dev-bedrock-knowledge: {out / 'dev-bedrock-knowledge.template.json'}" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("environment: dev\n")
    other = tmp_path / "other"
    assert main(["synth", str(bad), "--out", str(other)]) == 1
    assert not other.exists()


@pytest.mark.cli
def test_cdk_cli_synth_gives_the_same_templates_as_the_python_path(
    synthesized: dict[str, Synthesized], tmp_path: Path
) -> None:
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    if not cdk.exists():
        pytest.fail("node_modules/.bin/cdk is missing: run the tests through `make test`, which runs npm ci")
    # aws-cdk-lib's schema validation does not change the bytes, and the fixture already ran it.
    env = {**os.environ, "PATH": f"{cdk.parent}{os.pathsep}{os.environ['PATH']}", "CDK_VALIDATION": "false"}
    result = subprocess.run(
        [
            str(cdk),
            "synth",
            "-c",
            "config=config/prod.yaml",
            "--output",
            str(tmp_path),
            "--quiet",
            "--no-notices",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "feature flags are not configured" not in result.stderr + result.stdout
    for name, path in synthesized["prod"].template_files.items():
        assert (tmp_path / path.name).read_text() == path.read_text(), name
    shutil.rmtree(tmp_path / "cdk.out", ignore_errors=True)


def test_app_picks_the_config_from_context(tmp_path: Path) -> None:
    import aws_cdk as cdk

    sys.path.insert(0, str(ROOT))
    try:
        import app as cdk_app
    finally:
        sys.path.remove(str(ROOT))
    assert cdk_app.config_path(cdk.App(context={"env": "prod"})) == ROOT / "config" / "prod.yaml"
    assert cdk_app.config_path(cdk.App()) == ROOT / "config" / "dev.yaml"
    assert cdk_app.config_path(cdk.App(context={"env": "prod", "config": "x.yaml"})) == Path("x.yaml")


def test_the_operations_commands_are_wired_and_fail_in_one_line_without_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    assert main(["status", "config/dev.yaml"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "credentials" in error.lower()
    assert main(["sync", "config/dev.yaml", "--knowledge-base", "no-such-kb"]) == 2
    assert "product-docs" in capsys.readouterr().err


def test_progress_lines_go_to_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17 item 15: long commands say what they do when a person watches; pipes stay clean."""
    from bedrock_platform.config.errors import progress

    progress("synth: config/dev.yaml: synthesizing...")
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    progress("synth: x\n\x1b[2Kforged")
    assert capsys.readouterr().err == "synth: x\\n\\x1b[2Kforged\n"


def _clean_environment() -> dict[str, str]:
    """A shell as a new user has it: no .venv, no node_modules/.bin on PATH, no JSII_NODE."""
    drop = ("JSII_NODE", "VIRTUAL_ENV", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "PYTHONPATH")
    environment = {key: value for key, value in os.environ.items() if key not in drop}
    environment["PATH"] = os.pathsep.join(
        part for part in environment["PATH"].split(os.pathsep) if str(ROOT) not in part
    )
    return environment


def test_env_sh_makes_the_readme_commands_run_as_written() -> None:
    """Issue 17 item 14: after `source env.sh`, `python -m bedrock_platform` runs from the project's
    .venv and jsii gets the pinned Node 22 (no end-of-life banner)."""
    script = (
        "source env.sh && python -m bedrock_platform validate config/dev.yaml && "
        'echo "$JSII_NODE" && command -v cdk && node --version'
    )
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=_clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "config/dev.yaml: valid"
    assert lines[1:3] == [
        str(ROOT / "node_modules" / ".bin" / "node"),
        str(ROOT / "node_modules" / ".bin" / "cdk"),
    ]
    assert lines[3].startswith("v22.")


def test_make_synth_empties_cdk_out_before_synthesizing() -> None:
    """Issue 17 item 16: cdk.out holds the templates of the environment just synthesized only."""
    result = subprocess.run(
        ["make", "-n", "synth", "ENV=prod"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    commands = result.stdout.splitlines()
    emptied = commands.index("rm -rf cdk.out")
    assert emptied < next(index for index, line in enumerate(commands) if line.startswith("cdk synth"))


def test_a_command_nothing_handles_is_a_usage_error_not_a_synth(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: a parsed command that no module runs used to fall through to synth."""
    import argparse

    from bedrock_platform import cli

    real = cli._parser

    def parser_with_a_stray_command() -> argparse.ArgumentParser:
        parser = real()
        commands = next(
            action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
        )
        commands.add_parser("stray")
        return parser

    monkeypatch.setattr(cli, "_parser", parser_with_a_stray_command)
    monkeypatch.setattr(cli, "synth", lambda *args, **kwargs: pytest.fail("fell through to synth"))
    assert main(["stray"]) == 2
    assert capsys.readouterr().err == "bedrock-platform: error: command 'stray' is not handled\n"
