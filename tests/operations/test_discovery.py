"""Reading the SSM parameters the stacks publish: ten names per GetParameters call, missing ones absent."""

from __future__ import annotations

import pytest

from bedrock_platform import parameters
from bedrock_platform.operations.discovery import (
    NotDeployed,
    Parameters,
    all_parameters,
    read_parameters,
)
from tests.operations.stubs import DEPLOYED, ENV, Aws, environment_config


def test_every_parameter_of_the_config_in_config_order() -> None:
    assert all_parameters(environment_config()) == list(DEPLOYED)


def test_parameters_are_read_ten_names_per_call(aws: Aws) -> None:
    names = [parameters.knowledge_base_id(ENV, f"kb-{index:02}") for index in range(23)]
    values = {name: f"ID{index:08}" for index, name in enumerate(names) if index % 5}
    aws.parameters(names, values)  # calls of 10, 10 and 3 names

    found = read_parameters(aws.clients["ssm"], names)

    assert found.values == values
    assert found.get(names[0]) is None
    assert found[names[1]] == "ID00000001"


def test_a_name_asked_twice_is_read_once(aws: Aws) -> None:
    name = parameters.guardrail_id(ENV, "default")
    aws.parameters([name])

    assert read_parameters(aws.clients["ssm"], [name, name]).values == {name: DEPLOYED[name]}


def test_nothing_to_read_makes_no_call(aws: Aws) -> None:
    assert read_parameters(aws.clients["ssm"], []).values == {}


def test_require_names_the_one_missing_parameter() -> None:
    name = parameters.knowledge_base_id(ENV, "product-docs")

    with pytest.raises(NotDeployed) as caught:
        Parameters({}).require([name, name])

    assert str(caught.value) == (
        "not deployed: SSM parameter /bedrock-platform/test/knowledge-bases/product-docs/id not found "
        "(deploy the environment's stacks first)"
    )
    assert caught.value.missing == (name,)


def test_require_names_every_missing_parameter_on_one_line() -> None:
    present = parameters.guardrail_id(ENV, "default")
    missing = [parameters.guardrail_version(ENV, "default", number) for number in (1, 2)]

    with pytest.raises(NotDeployed) as caught:
        Parameters({present: "gr1"}).require([present, *missing])

    assert str(caught.value) == (
        "not deployed: 2 SSM parameters not found: /bedrock-platform/test/guardrails/default/versions/1, "
        "/bedrock-platform/test/guardrails/default/versions/2 (deploy the environment's stacks first)"
    )
    Parameters({present: "gr1"}).require([present])  # nothing missing: no error
