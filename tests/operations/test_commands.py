"""The three subcommands end to end: arguments, config errors, AWS errors as one line (never a traceback)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from bedrock_platform.operations import commands
from bedrock_platform.operations.clients import boto3_client
from bedrock_platform.operations.commands import add_commands, run
from tests.operations.stubs import (
    CONFIG_FILE,
    DEPLOYED,
    ENV,
    RESOLVED_ID,
    TICKETS_KB_ID,
    Aws,
    expect_collection,
    ingestion_job,
    statistics,
)

CONFIG = str(CONFIG_FILE)


def no_aws(service: str, region: str) -> Any:
    """A client factory for commands that must stop before they need AWS."""
    raise AssertionError(f"unexpected {service} client in {region}")


def parse(*argv: str) -> argparse.Namespace:
    """Parse like the CLI will: a parser whose subcommands include these three."""
    parser = argparse.ArgumentParser(prog="bedrock-platform")
    subparsers = parser.add_subparsers(dest="command", required=True)
    subparsers.add_parser("validate")
    add_commands(subparsers)
    return parser.parse_args(argv)


def test_the_three_commands_and_their_arguments() -> None:
    assert vars(parse("status", "config/dev.yaml")) == {"command": "status", "file": "config/dev.yaml"}
    assert vars(parse("smoke", "config/dev.yaml")) == {"command": "smoke", "file": "config/dev.yaml"}
    assert vars(parse("sync", "config/dev.yaml")) == {
        "command": "sync",
        "file": "config/dev.yaml",
        "knowledge_base": None,
        "interval": 10.0,
    }
    assert vars(parse("sync", "c.yaml", "--knowledge-base", "docs", "--interval", "2.5")) == {
        "command": "sync",
        "file": "c.yaml",
        "knowledge_base": "docs",
        "interval": 2.5,
    }


@pytest.mark.parametrize("interval", ["0", "-1", "soon"])
def test_a_bad_interval_is_a_usage_error(interval: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        parse("sync", "c.yaml", "--interval", interval)

    assert caught.value.code == 2
    assert "--interval" in capsys.readouterr().err


def test_other_commands_are_not_run() -> None:
    assert run(argparse.Namespace(command="validate", files=["x.yaml"])) is None


def test_a_config_error_is_printed_as_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_file = tmp_path / "bad.yaml"
    config_file.write_text('environment: dev\naccount: "111111111111"\nregion: us-east-1\nguardrail: []\n')

    code = run(parse("status", str(config_file)), client_factory=no_aws)

    assert code == 1
    assert capsys.readouterr().err == (
        f"{config_file}:4:1: error: config: unknown key 'guardrail' (did you mean 'guardrails'?) [schema]\n"
    )


def test_status_prints_its_table_to_stdout(aws: Aws, capsys: pytest.CaptureFixture[str]) -> None:
    aws.parameters(DEPLOYED, values={})
    model = "amazon.titan-embed-text-v2:0"  # the lifecycle of the catalogued model it uses
    details = {"modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{model}", "modelId": model}
    aws.expect("bedrock", "get_foundation_model", {"modelDetails": details}, modelIdentifier=model)
    expect_collection(aws)

    code = run(parse("status", CONFIG), client_factory=aws.factory)

    output = capsys.readouterr()
    assert code == 0
    assert output.out.splitlines()[0].split() == ["KIND", "NAME", "STATE", "DETAILS"]
    assert len(output.out.splitlines()) == 14  # the header, the collection and 12 more
    assert output.err == ""


def test_sync_reports_progress_on_stderr_and_the_result_on_stdout(
    aws: Aws, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.parameters(list(DEPLOYED)[3:5])
    aws.expect(
        "bedrock-agent",
        "start_ingestion_job",
        {"ingestionJob": ingestion_job("JOBRESOLVE", "STARTING", TICKETS_KB_ID, RESOLVED_ID)},
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
    )
    aws.expect(
        "bedrock-agent",
        "get_ingestion_job",
        {
            "ingestionJob": ingestion_job(
                "JOBRESOLVE", "COMPLETE", TICKETS_KB_ID, RESOLVED_ID, statistics(scanned=2, new=2)
            )
        },
        knowledgeBaseId=TICKETS_KB_ID,
        dataSourceId=RESOLVED_ID,
        ingestionJobId="JOBRESOLVE",
    )
    waits: list[float] = []

    code = run(
        parse("sync", CONFIG, "--knowledge-base", "tickets", "--interval", "3"),
        client_factory=aws.factory,
        sleep=waits.append,
    )

    output = capsys.readouterr()
    assert code == 0
    assert waits == [3.0]
    assert output.err.splitlines()[0] == "tickets/resolved: started job JOBRESOLVE"
    assert output.out == (
        "tickets/resolved: COMPLETE (job JOBRESOLVE): 2 scanned, 2 indexed (2 new, 0 modified),"
        " 0 deleted, 0 failed\n"
    )


def test_an_unknown_knowledge_base_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(parse("sync", CONFIG, "--knowledge-base", "nope"), client_factory=no_aws)

    assert code == 2
    assert capsys.readouterr().err == (
        f"{CONFIG}: error: unknown knowledge base 'nope' (declared: product-docs, tickets)\n"
    )


def test_smoke_stops_with_one_line_when_something_is_not_deployed(
    aws: Aws, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [
        f"/bedrock-platform/{ENV}/provisioned-throughputs/assistant/arn",
        f"/bedrock-platform/{ENV}/knowledge-bases/product-docs/id",
        f"/bedrock-platform/{ENV}/knowledge-bases/tickets/id",
        f"/bedrock-platform/{ENV}/guardrails/default/id",
        f"/bedrock-platform/{ENV}/guardrails/default/versions/1",
        f"/bedrock-platform/{ENV}/guardrails/default/versions/2",
    ]
    aws.parameters(names, {name: DEPLOYED[name] for name in names[:-1]})

    code = run(parse("smoke", CONFIG), client_factory=aws.factory)

    output = capsys.readouterr()
    assert code == 1
    assert output.out == ""
    assert output.err == (
        f"{CONFIG}: error: not deployed: SSM parameter /bedrock-platform/test/guardrails/default/versions/2"
        " not found (deploy the environment's stacks first)\n"
    )


def test_a_refused_parameter_read_is_one_line(aws: Aws, capsys: pytest.CaptureFixture[str]) -> None:
    aws.fail(
        "ssm",
        "get_parameters",
        "AccessDeniedException",
        "User: arn:aws:iam::111111111111:user/dev is not authorized to perform: ssm:GetParameters",
        Names=list(DEPLOYED)[:10],
    )

    code = run(parse("status", CONFIG), client_factory=aws.factory)

    output = capsys.readouterr()
    assert code == 1
    assert output.out == ""
    assert output.err == (
        f"{CONFIG}: error: GetParameters: AccessDeniedException: User: arn:aws:iam::111111111111:user/dev"
        " is not authorized to perform: ssm:GetParameters\n"
    )


@pytest.mark.parametrize("command", ["status", "sync", "smoke"])
def test_no_credentials_is_one_line_not_a_traceback(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The real client factory; the conftest removed every source of credentials.
    code = run(parse(command, CONFIG), client_factory=boto3_client)

    output = capsys.readouterr()
    assert code == 1
    assert output.err == (
        f"{CONFIG}: error: no AWS credentials found: set AWS_PROFILE (after `aws sso login` if it is an"
        " SSO profile) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
    )
    assert "Traceback" not in output.out + output.err


def test_an_unreachable_endpoint_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def unreachable(service: str, region: str) -> Any:
        client = boto3.client(
            service,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}),
        )

        def refuse(request: Any, **_: Any) -> None:
            raise EndpointConnectionError(endpoint_url=request.url)

        client.meta.events.register("before-send", refuse)
        return client

    code = run(parse("status", CONFIG), client_factory=unreachable)

    assert code == 1
    assert capsys.readouterr().err == (
        f'{CONFIG}: error: Could not connect to the endpoint URL: "https://ssm.us-east-1.amazonaws.com/"\n'
    )


def test_an_interrupted_sync_says_its_jobs_keep_running(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "sync", interrupted)

    code = run(parse("sync", CONFIG), client_factory=no_aws)

    assert code == 130
    assert capsys.readouterr().err == "interrupted (the ingestion jobs it started keep running)\n"
