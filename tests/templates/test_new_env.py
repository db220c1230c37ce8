"""``new-env``: through a parser built with ``add_commands`` and ``run``, as the CLI will call them."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest

from bedrock_platform.config import load_config
from bedrock_platform.templates import NewEnvError, add_commands, render_template, run
from tests.conftest import CONFIG_DIR
from tests.templates.conftest import TEMPLATES

ACCOUNT, REGION = "222222222222", "eu-central-1"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bedrock-platform")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def _new_env(*argv: str) -> int | None:
    return run(_parser().parse_args(["new-env", *argv]))


def _args(
    name: str, out: Path, template: str = "minimal-rag", account: str = ACCOUNT, region: str = REGION
) -> list[str]:
    return [name, "--from", template, "--account", account, "--region", region, "--out", str(out)]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_new_env_writes_the_template_with_the_values_and_its_comments(
    template: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new_env(*_args("staging", tmp_path, template)) == 0

    written = tmp_path / "staging.yaml"
    config = load_config(written)
    assert (config.environment, config.account, config.region) == ("staging", ACCOUNT, REGION)
    text = written.read_text()
    source = TEMPLATES[template].read_text()
    # The schema line points at config/schema.json from where the file is.
    first, _, rest = text.partition("\n")
    schema = first.removeprefix("# yaml-language-server: $schema=")
    assert schema != first and (tmp_path / schema).resolve() == (CONFIG_DIR / "schema.json").resolve()
    # Every comment of the template is kept, and its placeholders are gone.
    comments = [line for line in source.splitlines()[1:] if line.lstrip().startswith("#")]
    assert [line for line in rest.splitlines() if line.lstrip().startswith("#")] == [
        comment.replace("us-east-1", REGION) for comment in comments
    ]
    assert "111111111111" not in text and "us-east-1" not in text
    assert 'account: "222222222222"\n' in text
    assert capsys.readouterr().out.startswith(
        f"{written.as_posix()}: written from template '{template}', valid\n"
    )


def test_in_the_config_folder_the_schema_line_is_dot_slash_schema_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default --out is config/ of the current directory, the repository root."""
    shutil.copytree(CONFIG_DIR / "templates", tmp_path / "config" / "templates")
    shutil.copy2(CONFIG_DIR / "schema.json", tmp_path / "config" / "schema.json")
    monkeypatch.chdir(tmp_path)

    assert _new_env("qa", "--from", "minimal-rag", "--account", ACCOUNT, "--region", REGION) == 0

    assert (
        (tmp_path / "config" / "qa.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=./schema.json\n")
    )
    assert "`make synth ENV=qa`" in capsys.readouterr().out


def test_an_existing_file_is_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "staging.yaml"
    existing.write_text("mine\n")

    assert _new_env(*_args("staging", tmp_path)) == 1

    assert existing.read_text() == "mine\n"
    assert capsys.readouterr().err == (
        f"new-env: error: {existing.as_posix()} exists; "
        "new-env never overwrites a file (choose another NAME)\n"
    )


def test_an_unknown_template_lists_the_known_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new_env(*_args("staging", tmp_path, template="minmal-rag")) == 1

    assert capsys.readouterr().err == (
        "new-env: error: unknown template 'minmal-rag' (did you mean 'minimal-rag'?); known templates: "
        "evaluation-suite, governed-account, minimal-rag, private-rag, regulated-guardrail, s3-vectors-rag, "
        "wiki-rag\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "account", "region", "message"),
    [
        (
            "Staging",
            ACCOUNT,
            REGION,
            "NAME 'Staging' is not valid: 1 to 16 lowercase letters, digits and hyphens, "
            "starting with a letter",
        ),
        (
            "a-very-long-environment",
            ACCOUNT,
            REGION,
            "NAME 'a-very-long-environment' is not valid: 1 to 16 "
            "lowercase letters, digits and hyphens, starting with a letter",
        ),
        ("staging", "12345", REGION, "--account '12345' is not valid: 12 digits"),
        ("staging", ACCOUNT, "Frankfurt", "--region 'Frankfurt' is not valid: a Region name like us-east-1"),
    ],
)
def test_an_invalid_argument_is_one_line_and_nothing_is_written(
    name: str, account: str, region: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new_env(*_args(name, tmp_path, account=account, region=region)) == 1

    assert capsys.readouterr().err == f"new-env: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_result_that_does_not_validate_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """me-central-1 has no knowledge bases: the validator's errors name the file that was not written."""
    assert _new_env(*_args("staging", tmp_path, region="me-central-1")) == 1

    errors = capsys.readouterr().err.splitlines()
    target = (tmp_path / "staging.yaml").as_posix()
    assert re.match(
        rf"{re.escape(target)}:\d+:9: error: region: region 'me-central-1' has no Amazon Bedrock", errors[0]
    )
    assert (
        errors[-1]
        == "new-env: error: not written: template 'minimal-rag' does not validate with these values"
    )
    assert list(tmp_path.iterdir()) == [], "neither the file nor the candidate that was validated is left"


def test_out_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new_env(*_args("staging", tmp_path / "missing")) == 1
    assert (
        capsys.readouterr().err
        == f"new-env: error: --out {(tmp_path / 'missing').as_posix()!r} is not a directory\n"
    )


def test_run_leaves_other_commands_alone() -> None:
    assert run(argparse.Namespace(command="validate", files=["config/dev.yaml"])) is None


def test_from_account_and_region_are_required() -> None:
    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args(["new-env", "staging", "--account", ACCOUNT, "--region", REGION])
    assert exit_.value.code == 2


def test_render_keeps_trailing_comments_and_refuses_a_template_without_the_lines() -> None:
    text = (
        "# yaml-language-server: $schema=../schema.json\n"
        "environment: example  # the name\n"
        'account: "111111111111"\n'
        "region: us-east-1\n"
        "guardrails: []  # us-east-1 guardrails of 111111111111\n"
    )
    rendered = render_template(
        text, template="t", environment="prod", account=ACCOUNT, region=REGION, schema_path="./schema.json"
    )
    assert rendered == (
        "# yaml-language-server: $schema=./schema.json\n"
        "environment: prod  # the name\n"
        f'account: "{ACCOUNT}"\n'
        f"region: {REGION}\n"
        f"guardrails: []  # {REGION} guardrails of {ACCOUNT}\n"
    )
    with pytest.raises(
        NewEnvError,
        match=re.escape("template 't' must have exactly one top-level 'region: ...' line, it has 0"),
    ):
        render_template(
            text.replace("region: us-east-1\n", ""),
            template="t",
            environment="prod",
            account=ACCOUNT,
            region=REGION,
            schema_path="./schema.json",
        )
    with pytest.raises(NewEnvError, match="does not begin with '# yaml-language-server"):
        render_template(
            text.partition("\n")[2],
            template="t",
            environment="prod",
            account=ACCOUNT,
            region=REGION,
            schema_path="x",
        )
