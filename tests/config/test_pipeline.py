"""The ``pipeline`` section: its environments are config files next to it, loaded and checked with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedrock_platform.config import ConfigError, load_config
from tests.config.helpers import WriteConfig

CONNECTION = "arn:aws:codeconnections:us-east-1:333333333333:connection/0f4c3a5e-8d2b-4c61-9a7e-2b5d8e1f6c90"
HOST = f"""environment: delivery
account: "333333333333"
region: us-east-1
pipeline:
  source:
    repository: acme/bedrock-platform
    connection_arn: {CONNECTION}
  environments:
"""
STAGE = 'environment: {name}\naccount: "{account}"\nregion: eu-west-1\n'


def write_stages(write_config: WriteConfig, *names: str) -> None:
    for number, name in enumerate(names, start=1):
        write_config(STAGE.format(name=name, account=f"{number:012d}"), f"{name}.yaml")


def messages(error: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return [str(issue).split(": error: ", 1)[1].rsplit(" [", 1)[0] for issue in error.value.issues]


def test_environments_load_in_order_with_approval_before_prod_by_default(write_config: WriteConfig) -> None:
    write_stages(write_config, "dev", "staging", "prod")
    path = write_config(
        HOST + "    - name: dev\n    - name: staging\n      approval: true\n    - name: prod\n"
    )

    pipeline = load_config(path).pipeline

    assert pipeline is not None
    assert (pipeline.repository, pipeline.branch) == ("acme/bedrock-platform", "main")
    assert [(stage.name, stage.approval) for stage in pipeline.stages] == [
        ("dev", False),
        ("staging", True),
        ("prod", True),
    ]
    assert [stage.config.account for stage in pipeline.stages] == [
        "000000000001",
        "000000000002",
        "000000000003",
    ]


def test_prod_can_opt_out_of_the_approval(write_config: WriteConfig) -> None:
    write_stages(write_config, "prod")
    path = write_config(HOST + "    - name: prod\n      approval: false\n")

    pipeline = load_config(path).pipeline

    assert pipeline is not None and not pipeline.stages[0].approval


def test_a_missing_environment_file_is_reported_at_its_name(write_config: WriteConfig) -> None:
    path = write_config(HOST + "    - name: staging\n")

    with pytest.raises(ConfigError) as error:
        load_config(path)

    (issue,) = error.value.issues
    assert (issue.file, issue.line, issue.path) == (path, 9, "pipeline.environments[staging].name")
    assert issue.message.startswith(f"no config file {Path(path).parent / 'staging.yaml'}: ")


def test_an_invalid_environment_file_is_reported_with_its_own_errors(write_config: WriteConfig) -> None:
    stage = write_config('environment: dev\naccount: "1"\nregion: eu-west-1\n', "dev.yaml")
    path = write_config(HOST + "    - name: dev\n")

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert [(issue.file, issue.line) for issue in error.value.issues] == [(path, 9), (stage, 2)]
    assert (
        messages(error)[0]
        == f"pipeline.environments[dev].name: {stage} is invalid (its errors are listed with it)"
    )
    assert "account must be 12 digits" in messages(error)[1]


def test_pipelines_do_not_nest_and_a_file_never_loads_itself(write_config: WriteConfig) -> None:
    nested = HOST.replace("environment: delivery", "environment: other") + "    - name: config\n"
    write_config(nested, "other.yaml")
    path = write_config(HOST + "    - name: other\n    - name: config\n", "config.yaml")

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert [message.split(": ", 1)[1].split(" declares")[0] for message in messages(error)] == [
        str(Path(path).parent / "other.yaml"),
        path,
    ]


@pytest.mark.parametrize(
    ("environments", "expected"),
    [
        (
            "    - name: dev\n    - name: dev\n",
            "pipeline.environments[dev].name: "
            "duplicate pipeline environment name 'dev' (first defined at line 9)",
        ),
        (
            "    - name: delivery\n",
            "pipeline.environments[delivery].name: 'delivery' is the environment hosting the pipeline: "
            "its stacks are deployed with cdk deploy, a stage would deploy them a second time",
        ),
    ],
    ids=["duplicate", "itself"],
)
def test_each_environment_once_and_never_the_host(
    write_config: WriteConfig, environments: str, expected: str
) -> None:
    write_stages(write_config, "dev")
    path = write_config(HOST + environments)

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert expected in messages(error)


def test_the_connection_must_be_in_the_pipelines_account_and_region(write_config: WriteConfig) -> None:
    write_stages(write_config, "dev")
    path = write_config(
        HOST.replace(":us-east-1:333333333333:", ":eu-west-1:444444444444:") + "    - name: dev\n"
    )

    with pytest.raises(ConfigError) as error:
        load_config(path)

    assert messages(error) == [
        "pipeline.source.connection_arn: the connection is in account 444444444444, Region eu-west-1, "
        "but the pipeline runs in account 333333333333, Region us-east-1: use a connection there"
    ]
