"""EvaluationJob and BatchInferenceJob through the construct API: requests, roles, bucket."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from bedrock_platform import permissions
from bedrock_platform.config.model import EvaluationDataset
from bedrock_platform.constructs import (
    AccessLogsBucket,
    BatchInferenceJob,
    ConstructValidationError,
    EvaluationJob,
    JobBucket,
    JobModel,
    KnowledgeBase,
    ProvisionedThroughput,
)
from bedrock_platform.handlers.bedrock_job import BATCH_INFERENCE, EVALUATION, JobKind
from tests.constructs.conftest import new_stack, render
from tests.deploy_proof.iam import Request, action_info, decide

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
JUDGE = "us.anthropic.claude-3-5-sonnet-20240620-v1:0"
JUDGE_MODEL_ARNS = tuple(
    f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
    for region in ("us-east-1", "us-east-2", "us-west-2", "us-west-1")
)
"""The us. profile from us-east-1 routes to these Regions (bedrock_platform.geographies); not every Region."""
GIGAWORD = EvaluationDataset(
    name="Builtin.Gigaword",
    task_type="Summarization",
    metrics=("Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"),
)
CUSTOM = EvaluationDataset(
    name="support-questions",
    task_type="QuestionAndAnswer",
    metrics=("Builtin.Correctness", "Builtin.Helpfulness"),
    key="datasets/support-questions.jsonl",
)
THROUGHPUT_ARN = "arn:aws:bedrock:us-east-1:111111111111:provisioned-model/abcdefghijkl"
INVOCATION_JOBS = "arn:aws:bedrock:us-east-1:111111111111:model-invocation-job/*"
"""AllowSpecificModels (evaluation roles) also names these: Create/StopModelInvocationJob."""


def bucket(stack: cdk.Stack) -> s3.IBucket:
    return s3.Bucket.from_bucket_name(stack, "Jobs", "dev-jobs")


def job_resources(template: Template, resource_type: str) -> list[dict[str, Any]]:
    return [dict(resource) for resource in template.find_resources(resource_type).values()]


def policy_statements(template: Template, role_prefix: str) -> list[dict[str, Any]]:
    """Statements of the policies attached to roles whose logical id starts with ``role_prefix``."""
    statements = []
    for policy in template.find_resources("AWS::IAM::Policy").values():
        roles = [render(role) for role in policy["Properties"]["Roles"]]
        if any(role.startswith(f"<{role_prefix}") for role in roles):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def resources_of(statements: list[dict[str, Any]], action: str) -> set[str]:
    found: set[str] = set()
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if action in actions:
            values = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            found |= {render(value) for value in values}
    return found


def test_an_automated_evaluation_sends_the_api_request_and_its_role_may_do_only_that() -> None:
    stack = new_stack()
    EvaluationJob(
        stack,
        "Summaries",
        job_name_prefix="dev-summarization-baseline",
        kind="automated",
        datasets=[GIGAWORD],
        bucket=bucket(stack),
        output_prefix="evaluations/summarization-baseline/",
        models=[JobModel.of(stack, MODEL)],
        tags={"team": "ml-platform"},
    )
    template = Template.from_stack(stack)

    (job,) = job_resources(template, "Custom::BedrockEvaluationJob")
    properties = job["Properties"]
    assert properties["JobNamePrefix"] == "dev-summarization-baseline"
    assert properties["Wait"] is False
    request = properties["Request"]
    assert render(request["roleArn"]).startswith("<SummariesRole")
    assert request["applicationType"] == "ModelEvaluation"
    assert request["evaluationConfig"] == {
        "automated": {
            "datasetMetricConfigs": [
                {
                    "taskType": "Summarization",
                    "dataset": {"name": "Builtin.Gigaword"},
                    "metricNames": ["Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"],
                }
            ]
        }
    }
    assert request["inferenceConfig"] == {"models": [{"bedrockModel": {"modelIdentifier": MODEL}}]}
    assert request["outputDataConfig"] == {"s3Uri": "s3://dev-jobs/evaluations/summarization-baseline/"}
    assert request["jobTags"] == [{"key": "team", "value": "ml-platform"}]
    # The job starts after its role's policy exists (the role itself is referenced already).
    (dependency,) = job["DependsOn"]
    assert dependency.startswith("SummariesRoleDefaultPolicy")

    statements = policy_statements(template, "SummariesRole")
    assert resources_of(statements, "bedrock:InvokeModel") == {
        f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        INVOCATION_JOBS,
    }
    assert resources_of(statements, "s3:PutObject") == {
        "arn:aws:s3:::dev-jobs/evaluations/summarization-baseline/*"
    }
    # A built-in dataset reads nothing from the bucket: the only readable objects are its own results.
    assert resources_of(statements, "s3:GetObject") == {
        "arn:aws:s3:::dev-jobs/evaluations/summarization-baseline/*"
    }


def test_the_role_trusts_bedrock_only_for_evaluation_jobs_of_this_account_and_region() -> None:
    stack = new_stack()
    EvaluationJob(
        stack,
        "Summaries",
        job_name_prefix="dev-s",
        kind="automated",
        datasets=[GIGAWORD],
        bucket=bucket(stack),
        output_prefix="evaluations/s/",
        models=[JobModel.of(stack, MODEL)],
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "bedrock.amazonaws.com"},
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": "111111111111"},
                            "ArnLike": {
                                "aws:SourceArn": "arn:aws:bedrock:us-east-1:111111111111:evaluation-job/*"
                            },
                        },
                    }
                ],
                "Version": "2012-10-17",
            }
        },
    )


def test_a_judged_evaluation_reads_only_its_dataset_and_invokes_only_its_model_and_judge() -> None:
    stack = new_stack()
    throughput = ProvisionedThroughput.from_provisioned_model_arn(stack, "Throughput", THROUGHPUT_ARN)
    key = kms.Key.from_key_arn(
        stack, "Key", "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    )
    EvaluationJob(
        stack,
        "Quality",
        job_name_prefix="dev-quality",
        kind="llm_judge",
        datasets=[CUSTOM],
        bucket=bucket(stack),
        output_prefix="evaluations/quality/",
        models=[JobModel.from_throughput(throughput)],
        evaluator_model=JobModel.of(stack, JUDGE),
        encryption_key=key,
    )
    template = Template.from_stack(stack)
    (job,) = job_resources(template, "Custom::BedrockEvaluationJob")
    request = job["Properties"]["Request"]
    assert request["evaluationConfig"]["automated"]["evaluatorModelConfig"] == {
        "bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]
    }
    assert request["evaluationConfig"]["automated"]["datasetMetricConfigs"][0]["dataset"] == {
        "name": "support-questions",
        "datasetLocation": {"s3Uri": "s3://dev-jobs/datasets/support-questions.jsonl"},
    }
    assert request["inferenceConfig"]["models"] == [{"bedrockModel": {"modelIdentifier": THROUGHPUT_ARN}}]
    assert request["customerEncryptionKeyId"] == key.key_arn

    statements = policy_statements(template, "QualityRole")
    assert resources_of(statements, "bedrock:InvokeModel") == {
        THROUGHPUT_ARN,
        "arn:aws:bedrock:us-east-1:111111111111:inference-profile/" + JUDGE,
        *JUDGE_MODEL_ARNS,
        INVOCATION_JOBS,
    }
    assert resources_of(statements, "bedrock:GetProvisionedModelThroughput") == {THROUGHPUT_ARN}
    assert resources_of(statements, "s3:GetObject") == {
        "arn:aws:s3:::dev-jobs/datasets/support-questions.jsonl",
        "arn:aws:s3:::dev-jobs/evaluations/quality/*",
    }
    assert resources_of(statements, "kms:GenerateDataKey") == {key.key_arn}


@pytest.mark.parametrize(
    ("rag_type", "actions"),
    [
        ("retrieve", {"bedrock:Retrieve"}),
        ("retrieve_and_generate", {"bedrock:Retrieve", "bedrock:RetrieveAndGenerate"}),
    ],
)
def test_a_rag_evaluation_retrieves_from_its_knowledge_base_only(rag_type: str, actions: set[str]) -> None:
    stack = new_stack()
    knowledge_base = KnowledgeBase.from_knowledge_base_attributes(stack, "Kb", knowledge_base_id="KB12345678")
    EvaluationJob(
        stack,
        "Rag",
        job_name_prefix="dev-rag",
        kind="rag",
        datasets=[CUSTOM],
        bucket=bucket(stack),
        output_prefix="evaluations/rag/",
        evaluator_model=JobModel.of(stack, MODEL),
        knowledge_base=knowledge_base,
        rag_type=rag_type,  # type: ignore[arg-type]
        generator_model=JobModel.of(stack, MODEL) if rag_type == "retrieve_and_generate" else None,
        number_of_results=5,
    )
    template = Template.from_stack(stack)
    (job,) = job_resources(template, "Custom::BedrockEvaluationJob")
    request = job["Properties"]["Request"]
    assert request["applicationType"] == "RagEvaluation"
    (rag,) = request["inferenceConfig"]["ragConfigs"]
    config = rag["knowledgeBaseConfig"]
    if rag_type == "retrieve":
        assert config["retrieveConfig"] == {
            "knowledgeBaseId": "KB12345678",
            "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 5}},
        }
    else:
        generate = config["retrieveAndGenerateConfig"]
        assert generate["type"] == "KNOWLEDGE_BASE"
        assert generate["knowledgeBaseConfiguration"]["modelArn"] == (
            f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}"
        )
    statements = policy_statements(template, "RagRole")
    knowledge_base_arn = "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KB12345678"
    # Retrieve on the knowledge base; RetrieveAndGenerate has no resource type in the IAM
    # reference, so it is granted on "*" (and Retrieve on the one knowledge base scopes it).
    where = {"bedrock:Retrieve": {knowledge_base_arn}, "bedrock:RetrieveAndGenerate": {"*"}}
    granted = {
        action
        for action in ("bedrock:Retrieve", "bedrock:RetrieveAndGenerate")
        if resources_of(statements, action) == where[action]
    }
    assert granted == actions
    assert not resources_of(statements, "bedrock:RetrieveAndGenerate") - {"*"}


def test_a_batch_job_reads_its_input_writes_its_output_and_attaches_only_to_its_subnets() -> None:
    stack = new_stack()
    BatchInferenceJob(
        stack,
        "Nightly",
        job_name_prefix="dev-nightly",
        model=JobModel.of(stack, MODEL),
        bucket=bucket(stack),
        input_key="batch/input/",
        output_prefix="batch/nightly/",
        timeout_hours=72,
        invocation_type="InvokeModel",
        subnet_ids=["subnet-0a1b2c3d"],
        security_group_ids=["sg-0a1b2c3d"],
    )
    template = Template.from_stack(stack)
    (job,) = job_resources(template, "Custom::BedrockBatchInferenceJob")
    request = job["Properties"]["Request"]
    assert request["modelId"] == MODEL
    assert request["inputDataConfig"] == {
        "s3InputDataConfig": {"s3Uri": "s3://dev-jobs/batch/input/", "s3InputFormat": "JSONL"}
    }
    assert request["outputDataConfig"] == {"s3OutputDataConfig": {"s3Uri": "s3://dev-jobs/batch/nightly/"}}
    assert request["timeoutDurationInHours"] == 72
    assert request["modelInvocationType"] == "InvokeModel"
    assert request["vpcConfig"] == {"subnetIds": ["subnet-0a1b2c3d"], "securityGroupIds": ["sg-0a1b2c3d"]}

    statements = policy_statements(template, "NightlyRole")
    assert resources_of(statements, "s3:GetObject") == {
        "arn:aws:s3:::dev-jobs/batch/input/*",
        "arn:aws:s3:::dev-jobs/batch/nightly/*",
    }
    assert resources_of(statements, "s3:PutObject") == {"arn:aws:s3:::dev-jobs/batch/nightly/*"}
    assert resources_of(statements, "ec2:CreateNetworkInterface") == {
        "arn:aws:ec2:us-east-1:111111111111:network-interface/*",
        "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0a1b2c3d",
        "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0a1b2c3d",
    }
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": Match.object_like(
                {
                    "Statement": [
                        Match.object_like(
                            {
                                "Condition": Match.object_like(
                                    {
                                        "ArnLike": {
                                            "aws:SourceArn": "arn:aws:bedrock:us-east-1:111111111111:"
                                            "model-invocation-job/*"
                                        }
                                    }
                                )
                            }
                        )
                    ]
                }
            )
        },
    )


def test_jobs_of_both_kinds_share_one_provider_that_may_pass_only_their_roles() -> None:
    stack = new_stack()
    common: dict[str, Any] = {"bucket": bucket(stack), "output_prefix": "out/"}
    EvaluationJob(
        stack,
        "A",
        job_name_prefix="a",
        kind="automated",
        datasets=[GIGAWORD],
        models=[JobModel.of(stack, MODEL)],
        **common,
    )
    BatchInferenceJob(
        stack, "B", job_name_prefix="b", model=JobModel.of(stack, MODEL), input_key="in.jsonl", **common
    )
    template = Template.from_stack(stack)

    assert len(template.find_resources("AWS::StepFunctions::StateMachine")) == 1
    handler_statements = policy_statements(template, "BedrockJobProviderRole")
    passed = resources_of(handler_statements, "iam:PassRole")
    assert len(passed) == 2 and all(arn.startswith(("<ARole", "<BRole")) for arn in passed)


def test_the_job_bucket_is_private_encrypted_ssl_only_and_lets_the_console_read_results() -> None:
    stack = new_stack()
    JobBucket(stack, "Jobs", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "CorsConfiguration": {
                "CorsRules": [
                    {
                        "AllowedHeaders": ["*"],
                        "AllowedMethods": ["GET", "PUT", "POST", "DELETE"],
                        "AllowedOrigins": ["*"],
                        "ExposedHeaders": ["Access-Control-Allow-Origin"],
                    }
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "BucketEncryption": Match.any_value(),
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                        )
                    ]
                )
            }
        },
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"models": []}, "a automated evaluation needs models"),
        ({"kind": "llm_judge"}, "a llm_judge evaluation needs evaluator_model"),
        (
            {"kind": "rag", "models": []},
            "a rag evaluation needs evaluator_model; a rag evaluation needs knowledge_base",
        ),
        ({"datasets": [GIGAWORD] * 6}, "datasets has 6 entries, 1 to 5"),
        ({"output_prefix": "results"}, "output_prefix 'results' must be S3 key characters ending in /"),
    ],
)
def test_invalid_evaluation_arguments_raise_naming_the_job_and_the_rule(
    changes: dict[str, Any], message: str
) -> None:
    stack = new_stack()
    arguments: dict[str, Any] = {
        "job_name_prefix": "dev-x",
        "kind": "automated",
        "datasets": [GIGAWORD],
        "bucket": bucket(stack),
        "output_prefix": "evaluations/x/",
        "models": [JobModel.of(stack, MODEL)],
        **changes,
    }
    with pytest.raises(ConstructValidationError, match=r"^evaluation job 'X': ") as raised:
        EvaluationJob(stack, "X", **arguments)
    assert message in str(raised.value)


def test_invalid_batch_arguments_raise_naming_the_job_and_the_rule() -> None:
    stack = new_stack()
    with pytest.raises(ConstructValidationError) as raised:
        BatchInferenceJob(
            stack,
            "B",
            job_name_prefix="b",
            model=JobModel.of(stack, MODEL),
            bucket=bucket(stack),
            input_key="in.jsonl",
            output_prefix="out/",
            timeout_hours=12,
            subnet_ids=["subnet-0a1b2c3d"],
        )
    assert str(raised.value) == (
        "batch inference job 'B': timeout_hours is 12, 24 to 168; "
        "subnet_ids and security_group_ids go together"
    )


def test_models_are_named_as_the_api_takes_them_and_allowed_as_iam_needs() -> None:
    stack = new_stack()
    base = JobModel.of(stack, MODEL)
    profile = JobModel.of(stack, JUDGE)
    assert (base.identifier, base.invoke_arns) == (
        MODEL,
        (f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",),
    )
    assert profile.identifier == JUDGE
    assert profile.invoke_arns == (
        f"arn:aws:bedrock:us-east-1:111111111111:inference-profile/{JUDGE}",
        *JUDGE_MODEL_ARNS,
    )


# -- issue 16: what the job handler calls (finding 1), the evaluation roles (6), S3 (7) ----------

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"


def _rendered(value: Any) -> Any:
    """A policy element with every intrinsic rendered as text (``<LogicalId.Arn>``)."""
    if isinstance(value, dict) and not any(key.startswith(("Fn::", "Ref")) for key in value):
        return {key: _rendered(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rendered(item) for item in value]
    return render(value)


def handler_statements(template: Template) -> list[dict[str, Any]]:
    """The job handler Lambda role's statements, rendered."""
    return [_rendered(statement) for statement in policy_statements(template, "BedrockJobProviderRole")]


def handler_actions(kind: JobKind) -> set[str]:
    """The IAM actions of every client method the job handler calls for ``kind``: the kind table's
    method names (create, get, stop, list), through botocore's own method map."""
    api = boto3.client("bedrock", region_name="us-east-1").meta.method_to_api_mapping
    methods = {getattr(kind, field.name) for field in dataclasses.fields(kind)} & set(api)
    assert {kind.create, kind.get, kind.stop, kind.list} <= methods
    return {f"bedrock:{api[method]}" for method in methods}


def _needed(kind: JobKind, candidates: list[str]) -> list[Request]:
    """Each handler action on the candidate ARNs the IAM reference authorizes it on (``*`` if none)."""
    requests = []
    for action in sorted(handler_actions(kind)):
        info = action_info(action)
        assert info is not None, action
        if not info.takes_resources:
            requests.append(Request(action, "*"))
            continue
        fitting = [arn for arn in candidates if info.resource_type_of(arn) is not None]
        assert fitting, f"{action}: no candidate ARN fits {[t.arn_format for t in info.resource_types]}"
        requests += [Request(action, arn) for arn in fitting]
    return requests


def _evaluation(stack: cdk.Stack, **changes: Any) -> EvaluationJob:
    arguments: dict[str, Any] = {
        "job_name_prefix": "dev-quality",
        "kind": "llm_judge",
        "datasets": [CUSTOM],
        "bucket": bucket(stack),
        "output_prefix": "evaluations/quality/",
        "models": [JobModel.of(stack, MODEL)],
        "evaluator_model": JobModel.of(stack, "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        **changes,
    }
    return EvaluationJob(stack, "Quality", **arguments)


def _batch(stack: cdk.Stack, **changes: Any) -> BatchInferenceJob:
    arguments: dict[str, Any] = {
        "job_name_prefix": "dev-nightly",
        "model": JobModel.of(stack, MODEL),
        "bucket": bucket(stack),
        "input_key": "batch/input/",
        "output_prefix": "batch/nightly/",
        **changes,
    }
    return BatchInferenceJob(stack, "Nightly", **arguments)


@pytest.mark.parametrize("kind", ["evaluation", "batch"])
def test_the_handler_role_may_call_every_operation_the_handler_calls_on_the_resources_iam_checks(
    kind: str,
) -> None:
    """Finding 1: the role held only iam:PassRole; every Custom::Bedrock*Job failed AccessDenied."""
    stack = new_stack()
    tags = {"team": "ml-platform"}
    key = kms.Key.from_key_arn(stack, "Key", KEY_ARN)
    if kind == "evaluation":
        job: EvaluationJob | BatchInferenceJob = _evaluation(stack, tags=tags, encryption_key=key)
        table, resource = EVALUATION, "evaluation-job"
        models = [MODEL, "anthropic.claude-3-5-sonnet-20240620-v1:0"]
    else:
        job = _batch(stack, tags=tags, encryption_key=key)
        table, resource = BATCH_INFERENCE, "model-invocation-job"
        models = [MODEL]
    statements = handler_statements(Template.from_stack(stack))
    job_arn = f"arn:aws:bedrock:us-east-1:111111111111:{resource}/a1b2c3d4e5f6"
    model_arns = [f"arn:aws:bedrock:us-east-1::foundation-model/{model}" for model in models]
    needed = _needed(table, [*model_arns, job_arn])
    role_arn = render(cdk.Stack.of(job).resolve(job.role.role_arn))
    needed += [
        Request("iam:PassRole", role_arn, {"iam:PassedToService": "bedrock.amazonaws.com"}),
        Request(
            "bedrock:TagResource", job_arn, {"aws:RequestTag/team": "ml-platform", "aws:TagKeys": ["team"]}
        ),
        # The caller of Create...Job with a customer managed key (user guide, "Chiffrement des
        # données pour les tâches d'évaluation de modèle" > "Éléments de politique IAM requis").
        Request("kms:Decrypt", KEY_ARN, {"kms:ViaService": "s3.us-east-1.amazonaws.com"}),
        Request("kms:GenerateDataKey", KEY_ARN, {"kms:ViaService": "s3.us-east-1.amazonaws.com"}),
        Request("kms:DescribeKey", KEY_ARN),
    ]
    denied = [request.describe() for request in needed if not decide(statements, request)]
    assert denied == []
    # And not beyond: another account's jobs, another role, another service, another model.
    for request in (
        Request(needed[0].action, "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"),
        Request(table_get(table), f"arn:aws:bedrock:us-east-1:999999999999:{resource}/a1b2c3d4e5f6"),
        Request("iam:PassRole", role_arn, {"iam:PassedToService": "lambda.amazonaws.com"}),
        Request(
            "iam:PassRole",
            "arn:aws:iam::111111111111:role/admin",
            {"iam:PassedToService": "bedrock.amazonaws.com"},
        ),
    ):
        assert not decide(statements, request), request.describe()


def table_get(kind: JobKind) -> str:
    api = boto3.client("bedrock", region_name="us-east-1").meta.method_to_api_mapping
    return f"bedrock:{api[kind.get]}"


def test_the_handler_role_tags_and_uses_keys_only_for_jobs_that_have_them() -> None:
    stack = new_stack()
    _evaluation(stack)
    actions = {
        action
        for statement in handler_statements(Template.from_stack(stack))
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    assert "bedrock:TagResource" not in actions
    assert not {action for action in actions if action.startswith("kms:")}


@pytest.mark.parametrize("kind", ["automated", "llm_judge", "rag"])
def test_every_evaluation_role_holds_the_guides_allow_specific_models_statement(kind: str) -> None:
    """Finding 6. User guide, "Exigences de fonction du service pour les tâches d'évaluation de modèle
    automatique" > "Actions IAM Amazon Bedrock nécessaires", statement AllowSpecificModels:
    bedrock:InvokeModel, InvokeModelWithResponseStream, CreateModelInvocationJob and
    StopModelInvocationJob on the models."""
    stack = new_stack()
    judge = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    if kind == "automated":
        _evaluation(stack, kind="automated", datasets=[GIGAWORD], evaluator_model=None)
        used = [MODEL]
    elif kind == "llm_judge":
        _evaluation(stack)
        used = [MODEL, judge]
    else:
        knowledge_base = KnowledgeBase.from_knowledge_base_attributes(
            stack, "Kb", knowledge_base_id="KB12345678"
        )
        _evaluation(
            stack,
            kind="rag",
            models=[],
            knowledge_base=knowledge_base,
            rag_type="retrieve_and_generate",
            generator_model=JobModel.of(stack, MODEL),
        )
        used = [judge, MODEL]
    statements = [
        _rendered(statement) for statement in policy_statements(Template.from_stack(stack), "QualityRole")
    ]
    needed = [
        Request(action, f"arn:aws:bedrock:us-east-1::foundation-model/{model}")
        for model in used
        for action in (
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream",
            "bedrock:CreateModelInvocationJob",
            "bedrock:StopModelInvocationJob",
        )
    ]
    # Where IAM authorizes the two job actions (the IAM reference: model-invocation-job ARNs).
    needed += [
        Request(action, "arn:aws:bedrock:us-east-1:111111111111:model-invocation-job/a1b2c3d4e5f6")
        for action in ("bedrock:CreateModelInvocationJob", "bedrock:StopModelInvocationJob")
    ]
    assert [request.describe() for request in needed if not decide(statements, request)] == []
    # Nothing the guide does not list: no other Bedrock action on the models.
    other = Request(
        "bedrock:CreateModelCustomizationJob", f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}"
    )
    assert not decide(statements, other)


def test_an_evaluation_key_is_used_through_s3_or_bedrock_and_a_stack_key_admits_bedrock_evaluations() -> None:
    """Finding 6, customer managed key: the role's KMS use (with kms:ViaService), and the key policy
    statement of the user guide ("Éléments de politique AWS KMS clés requis dans Amazon Bedrock") on a
    key the stack creates."""
    stack = new_stack()
    key = kms.Key(stack, "EvaluationKey", enable_key_rotation=True)
    _evaluation(stack, encryption_key=key)
    template = Template.from_stack(stack)
    key_arn = render(stack.resolve(key.key_arn))
    statements = [_rendered(statement) for statement in policy_statements(template, "QualityRole")]
    for service in ("s3", "bedrock"):
        for action in ("kms:Decrypt", "kms:GenerateDataKey"):
            context = {"kms:ViaService": f"{service}.us-east-1.amazonaws.com"}
            assert decide(statements, Request(action, key_arn, context)), (action, service)
    assert decide(statements, Request("kms:DescribeKey", key_arn))
    assert not decide(statements, Request("kms:Decrypt", key_arn))  # not directly, only through a service

    (key_resource,) = template.find_resources("AWS::KMS::Key").values()
    bedrock = [
        _rendered(statement)
        for statement in key_resource["Properties"]["KeyPolicy"]["Statement"]
        if statement.get("Principal") == {"Service": "bedrock.amazonaws.com"}
    ]
    job = "arn:aws:bedrock:us-east-1:111111111111:evaluation-job/quality-1a2b3c4d"
    on_the_key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    for action in ("kms:Decrypt", "kms:GenerateDataKey"):
        context = {"kms:EncryptionContext:evaluationJobArn": job, "aws:SourceArn": job}
        assert decide(bedrock, Request(action, on_the_key, context)), action
        # Only for this account's evaluation jobs.
        other = "arn:aws:bedrock:us-east-1:222222222222:evaluation-job/quality-1a2b3c4d"
        elsewhere = {"kms:EncryptionContext:evaluationJobArn": other, "aws:SourceArn": other}
        assert not decide(bedrock, Request(action, on_the_key, elsewhere)), action
    # DescribeKey carries no encryption context: the guide's single statement would never allow it.
    assert decide(bedrock, Request("kms:DescribeKey", on_the_key, {"aws:SourceArn": job}))
    assert not decide(bedrock, Request("kms:DescribeKey", on_the_key))
    assert not decide(bedrock, Request("kms:Encrypt", on_the_key, {"aws:SourceArn": job}))


def test_evaluation_s3_grants_follow_the_guide_with_the_prefix_condition_on_list_bucket_only() -> None:
    """Finding 7: GetBucketLocation shared a statement with an s3:prefix condition that request never
    carries (never allowed); ListBucketMultipartUploads (AllowAccessToOutputBucket) was missing."""
    stack = new_stack()
    _evaluation(stack)
    statements = [_rendered(s) for s in policy_statements(Template.from_stack(stack), "QualityRole")]
    bucket_arn = "arn:aws:s3:::dev-jobs"
    for action in ("s3:GetBucketLocation", "s3:ListBucketMultipartUploads"):
        assert decide(statements, Request(action, bucket_arn)), action
    assert decide(statements, Request("s3:ListBucket", bucket_arn, {"s3:prefix": "evaluations/quality/"}))
    assert decide(
        statements, Request("s3:ListBucket", bucket_arn, {"s3:prefix": "datasets/support-questions.jsonl"})
    )
    assert not decide(statements, Request("s3:ListBucket", bucket_arn, {"s3:prefix": "other/"}))
    for statement in statements:
        if "s3:prefix" in json.dumps(statement.get("Condition", {})):
            assert statement["Action"] in ("s3:ListBucket", ["s3:ListBucket"]), statement


def test_batch_s3_grants_hold_for_the_bucket_owners_account_only() -> None:
    """Finding 7. User guide, "Configuration des autorisations pour l'inférence par lots": the S3
    statement carries aws:ResourceAccount."""
    stack = new_stack()
    _batch(stack)
    statements = [_rendered(s) for s in policy_statements(Template.from_stack(stack), "NightlyRole")]
    s3_statements = [
        s
        for s in statements
        if any(a.startswith("s3:") for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))
    ]
    assert s3_statements
    for statement in s3_statements:
        assert statement["Condition"]["StringEquals"]["aws:ResourceAccount"] == "111111111111", statement
    own = {"aws:ResourceAccount": "111111111111"}
    assert decide(statements, Request("s3:GetObject", "arn:aws:s3:::dev-jobs/batch/input/a.jsonl", own))
    assert decide(statements, Request("s3:PutObject", "arn:aws:s3:::dev-jobs/batch/nightly/a.jsonl.out", own))
    assert not decide(
        statements,
        Request(
            "s3:GetObject",
            "arn:aws:s3:::dev-jobs/batch/input/a.jsonl",
            {"aws:ResourceAccount": "999999999999"},
        ),
    )


# -- finding 11: job data shipped in the repository is uploaded before the job starts ------------


def _uploads(template: Template) -> dict[str, dict[str, Any]]:
    return {
        logical_id: dict(resource)
        for logical_id, resource in template.find_resources("Custom::CDKBucketDeployment").items()
    }


def test_a_dataset_with_a_source_is_uploaded_to_its_key_before_the_job_starts(tmp_path: Any) -> None:
    dataset_file = tmp_path / "questions.jsonl"
    dataset_file.write_text('{"prompt": "What is 2 + 2?", "referenceResponse": "4"}\n')
    stack = new_stack()
    shipped = dataclasses.replace(CUSTOM, source=str(dataset_file))
    _evaluation(stack, datasets=[shipped, GIGAWORD])
    template = Template.from_stack(stack)

    (upload_id,) = _uploads(template)
    upload = _uploads(template)[upload_id]["Properties"]
    assert upload["DestinationBucketName"] == "dev-jobs"
    assert upload["DestinationBucketKeyPrefix"] == "datasets/"
    assert (upload["Prune"], upload["RetainOnDelete"]) == (False, True)
    (job,) = job_resources(template, "Custom::BedrockEvaluationJob")
    assert upload_id in job["DependsOn"]
    # The data's fingerprint is part of the job's name (the handler hashes it): new data, new job.
    fingerprint = job["Properties"]["DataFingerprint"]
    assert len(fingerprint) == 16
    dataset_file.write_text('{"prompt": "What is 3 + 3?", "referenceResponse": "6"}\n')
    other = new_stack("Other")
    _evaluation(other, datasets=[shipped, GIGAWORD])
    (changed,) = job_resources(Template.from_stack(other), "Custom::BedrockEvaluationJob")
    assert changed["Properties"]["DataFingerprint"] != fingerprint

    uploader = [_rendered(s) for s in policy_statements(template, "JobDataUploaderRole")]
    (asset_key,) = upload["SourceObjectKeys"]
    asset = f"arn:aws:s3:::cdk-hnb659fds-assets-111111111111-us-east-1/{asset_key}"
    assert decide(uploader, Request("s3:GetObject", asset))
    assert decide(uploader, Request("s3:PutObject", "arn:aws:s3:::dev-jobs/datasets/support-questions.jsonl"))
    assert decide(uploader, Request("s3:ListBucket", "arn:aws:s3:::dev-jobs", {"s3:prefix": "datasets/"}))
    assert not decide(uploader, Request("s3:PutObject", "arn:aws:s3:::dev-jobs/datasets/other.jsonl"))
    assert not decide(
        uploader, Request("s3:DeleteObject", "arn:aws:s3:::dev-jobs/datasets/support-questions.jsonl")
    )
    # The upload function runs as that role, which holds no managed policy.
    (function,) = [
        resource
        for logical_id, resource in template.find_resources("AWS::Lambda::Function").items()
        if logical_id.startswith("CustomCDKBucketDeployment")
    ]
    assert render(function["Properties"]["Role"]).startswith("<JobDataUploaderRole")
    (role,) = [
        resource
        for logical_id, resource in template.find_resources("AWS::IAM::Role").items()
        if logical_id.startswith("JobDataUploaderRole")
    ]
    assert "ManagedPolicyArns" not in role["Properties"]


def test_a_batch_input_folder_is_uploaded_under_its_prefix_before_the_job_starts(tmp_path: Any) -> None:
    (tmp_path / "a.jsonl").write_text('{"recordId": "A", "modelInput": {"inputText": "x"}}\n')
    stack = new_stack()
    _batch(stack, input_source=str(tmp_path))
    template = Template.from_stack(stack)
    (upload_id,) = _uploads(template)
    assert _uploads(template)[upload_id]["Properties"]["DestinationBucketKeyPrefix"] == "batch/input/"
    (job,) = job_resources(template, "Custom::BedrockBatchInferenceJob")
    assert upload_id in job["DependsOn"]
    uploader = [_rendered(s) for s in policy_statements(template, "JobDataUploaderRole")]
    assert decide(uploader, Request("s3:PutObject", "arn:aws:s3:::dev-jobs/batch/input/a.jsonl"))
    assert not decide(uploader, Request("s3:PutObject", "arn:aws:s3:::dev-jobs/batch/nightly/a.jsonl"))


def test_a_folder_source_needs_a_prefix_key(tmp_path: Any) -> None:
    stack = new_stack()
    with pytest.raises(
        ConstructValidationError, match=r"is a folder, so key 'batch/in\.jsonl' must be a prefix"
    ):
        _batch(stack, input_key="batch/in.jsonl", input_source=str(tmp_path))


def test_an_evaluation_on_an_inference_profile_is_created_on_the_models_it_routes_to() -> None:
    """The IAM reference authorizes CreateEvaluationJob on foundation-model, custom-model and
    prompt-router ARNs, not on inference profiles: a profile is authorized as its models."""
    stack = new_stack()
    job = _evaluation(stack, evaluator_model=JobModel.of(stack, JUDGE))
    statements = handler_statements(Template.from_stack(stack))
    for arn in JUDGE_MODEL_ARNS:
        assert decide(statements, Request("bedrock:CreateEvaluationJob", arn)), arn
    assert not decide(statements, Request("bedrock:CreateEvaluationJob", "*"))
    role_arn = render(stack.resolve(job.role.role_arn))
    passed = {"iam:PassedToService": "bedrock.amazonaws.com"}
    assert decide(statements, Request("iam:PassRole", role_arn, passed))
    assert not decide(statements, Request("iam:PassRole", "arn:aws:iam::111111111111:role/other", passed))


def test_an_evaluation_of_a_provisioned_throughput_is_created_on_star_only_with_its_own_role() -> None:
    """A throughput's model is known only when deployed: CreateEvaluationJob on "*", which
    permissions.UNSCOPED_ACTIONS lists with the reason."""
    stack = new_stack()
    throughput = ProvisionedThroughput.from_provisioned_model_arn(stack, "Throughput", THROUGHPUT_ARN)
    _evaluation(stack, models=[JobModel.from_throughput(throughput)])
    statements = handler_statements(Template.from_stack(stack))
    assert decide(statements, Request("bedrock:CreateEvaluationJob", "*"))
    assert "bedrock:CreateEvaluationJob" in permissions.UNSCOPED_ACTIONS


def test_an_upload_leaves_no_construct_path_tag_on_the_bucket(tmp_path: Any) -> None:
    """CDK tags a BucketDeployment's bucket with a hash of the construct path, which differs between
    a pipeline stage and `cdk deploy` (the templates must be the same); the uploads keep their objects,
    so the tag (used only to keep a deleting upload off another's objects) is dropped."""
    dataset_file = tmp_path / "questions.jsonl"
    dataset_file.write_text('{"prompt": "What is 2 + 2?"}\n')
    stack = new_stack()
    jobs = JobBucket(stack, "JobData", access_logs_bucket=AccessLogsBucket(stack, "Logs"))
    _evaluation(stack, bucket=jobs, datasets=[dataclasses.replace(CUSTOM, source=str(dataset_file))])
    template = Template.from_stack(stack)
    for resource in template.find_resources("AWS::S3::Bucket").values():
        keys = [tag["Key"] for tag in resource["Properties"].get("Tags", [])]
        assert not [key for key in keys if key.startswith("aws-cdk:cr-owned")], keys
