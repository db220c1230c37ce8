"""examples/app.py: synthesized once per session, through the same gates as the config stacks."""

from __future__ import annotations

import json
import re
from typing import Any

from cfnlint.api import ManualArgs, lint_file

from bedrock_platform.geographies import destination_regions
from examples import app as example_app
from tests.conftest import Synthesized
from tests.test_gates import _templates_with_region

STACKS = {"ExampleRag", "ExampleVectorStore", "ExampleThroughput", "ExampleJobs", "ExampleLogging"}


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def _one(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    (found,) = _resources(template, resource_type).items()
    return found


def _statements(template: dict[str, Any], logical_id_prefix: str) -> list[dict[str, Any]]:
    (policy,) = [
        r for lid, r in _resources(template, "AWS::IAM::Policy").items() if lid.startswith(logical_id_prefix)
    ]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def test_the_example_synthesizes_its_five_stacks(example: Synthesized) -> None:
    assert set(example.templates) == STACKS


def test_cfn_lint_reports_nothing_on_the_example(example: Synthesized) -> None:
    findings = []
    for path, region in _templates_with_region({"example": example}):
        assert region == example_app.REGION
        findings += [
            f"{path.name}: {match}" for match in lint_file(path, config=ManualArgs(regions=[region]))
        ]
    assert findings == []


def test_cdk_nag_checked_the_example_and_every_acknowledgment_has_a_reason(example: Synthesized) -> None:
    report = json.loads((example.outdir / "validation-report.json").read_text())
    plugins = {plugin["pluginName"]: plugin for plugin in report["pluginReports"]}
    for name in ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "Bedrock"):
        nag = plugins[name]
        assert nag["conclusion"] == "success", name
        assert nag["violations"] == [], name
        acknowledged = nag["suppressedViolations"]
        assert acknowledged, f"{name}: the constructs acknowledge findings; none means nag did not run"
        for violation in acknowledged:
            assert len(violation["reason"]) >= 40, violation["ruleName"]


def test_the_knowledge_base_uses_the_existing_collection(example: Synthesized) -> None:
    rag = example.templates["ExampleRag"]
    assert not _resources(rag, "AWS::OpenSearchServerless::Collection")
    assert not _resources(rag, "AWS::OpenSearchServerless::SecurityPolicy")
    _, knowledge_base = _one(rag, "AWS::Bedrock::KnowledgeBase")
    storage = knowledge_base["Properties"]["StorageConfiguration"]["OpensearchServerlessConfiguration"]
    assert storage["CollectionArn"] == (
        f"arn:aws:aoss:{example_app.REGION}:{example_app.ACCOUNT}:collection/{example_app.EXISTING_COLLECTION_ID}"
    )
    assert re.fullmatch("support-docs-[0-9a-f]{6}", storage["VectorIndexName"])  # issue 16, finding 4
    _, index = _one(rag, "AWS::OpenSearchServerless::Index")
    assert index["Properties"]["CollectionEndpoint"] == {
        "Fn::Join": [
            "",
            [
                f"https://{example_app.EXISTING_COLLECTION_ID}.{example_app.REGION}.aoss.",
                {"Ref": "AWS::URLSuffix"},
            ],
        ]
    }

    _, policy = _one(rag, "AWS::OpenSearchServerless::AccessPolicy")
    assert re.fullmatch(
        rf"{example_app.EXISTING_COLLECTION_NAME}-[0-9a-f]{{6}}", policy["Properties"]["Name"]
    )
    document = json.dumps(policy["Properties"]["Policy"])
    assert "cfn-exec-role" in document
    assert f"index/shared-vectors/{storage['VectorIndexName']}" in document
    assert "KnowledgeBaseServiceRole" in document


def test_the_application_role_may_retrieve_apply_and_invoke_and_nothing_else(example: Synthesized) -> None:
    rag = example.templates["ExampleRag"]
    (kb_id,) = _resources(rag, "AWS::Bedrock::KnowledgeBase")
    (guardrail_id,) = _resources(rag, "AWS::Bedrock::Guardrail")
    guardrail_arn = {"Fn::GetAtt": [guardrail_id, "GuardrailArn"]}
    assert _statements(rag, "ApplicationDefaultPolicy") == [
        {
            "Action": "bedrock:Retrieve",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [kb_id, "KnowledgeBaseArn"]},
        },
        {"Action": "bedrock:RetrieveAndGenerate", "Effect": "Allow", "Resource": "*"},
        {
            "Action": "bedrock:ApplyGuardrail",
            "Effect": "Allow",
            "Resource": [guardrail_arn, {"Fn::Join": ["", [guardrail_arn, ":*"]]}],
        },
        {
            "Action": "bedrock:InvokeModel",
            "Effect": "Allow",
            "Resource": f"arn:aws:bedrock:{example_app.REGION}::foundation-model/{example_app.ANSWER_MODEL}",
        },
    ]


def test_the_guardrail_publishes_one_retained_version_of_its_policy(example: Synthesized) -> None:
    rag = example.templates["ExampleRag"]
    (guardrail_id,) = _resources(rag, "AWS::Bedrock::Guardrail")
    _, version = _one(rag, "AWS::Bedrock::GuardrailVersion")
    assert version["DeletionPolicy"] == "RetainExceptOnCreate"  # issue 16, finding 3
    assert version["Properties"]["GuardrailIdentifier"] == {"Fn::GetAtt": [guardrail_id, "GuardrailId"]}
    assert re.fullmatch(r"Initial release \[policy [0-9a-f]{8}\]", version["Properties"]["Description"])


def test_an_existing_role_is_granted_invoke_on_both_throughputs_and_the_teams_profile(
    example: Synthesized,
) -> None:
    """The grant covers the application inference profile and, since it copies a system ``us.``
    profile, that profile and the model in each Region it routes to (user guide, "IAM policy
    requirements for Geographic cross-Region inference")."""
    throughput = example.templates["ExampleThroughput"]
    (purchase,) = _resources(throughput, "Custom::BedrockProvisionedThroughput")
    (profile,) = _resources(throughput, "AWS::Bedrock::ApplicationInferenceProfile")
    (policy,) = [
        r
        for r in _resources(throughput, "AWS::IAM::Policy").values()
        if r["Properties"].get("Roles") == ["support-assistant"]
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {tuple(s["Action"]) for s in statements} == {
        ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
    }
    model = "anthropic.claude-3-5-haiku-20241022-v1:0"
    regions = dict.fromkeys([example_app.REGION, *destination_regions("us", example_app.REGION)])
    assert sorted((r for s in statements for r in s["Resource"]), key=str) == sorted(
        [
            f"arn:aws:bedrock:{example_app.REGION}:{example_app.ACCOUNT}:provisioned-model/abcdefghijkl",
            {"Ref": purchase},
            {"Fn::GetAtt": [profile, "InferenceProfileArn"]},
            f"arn:aws:bedrock:{example_app.REGION}:{example_app.ACCOUNT}:inference-profile/us.{model}",
            *(f"arn:aws:bedrock:{region}::foundation-model/{model}" for region in regions),
        ],
        key=str,
    )


def test_the_rag_evaluation_queries_the_example_knowledge_base_only(example: Synthesized) -> None:
    jobs = example.templates["ExampleJobs"]
    evaluations = _resources(jobs, "Custom::BedrockEvaluationJob")
    assert len(evaluations) == 2
    assert len(_resources(jobs, "Custom::BedrockBatchInferenceJob")) == 1
    (retrieval,) = [r for lid, r in evaluations.items() if lid.startswith("Retrieval")]
    config = retrieval["Properties"]["Request"]["inferenceConfig"]["ragConfigs"][0]["knowledgeBaseConfig"]
    # Fn::GetStackOutput: CloudFormation reads the other stack's output when this one deploys (no export).
    assert config["retrieveConfig"]["knowledgeBaseId"]["Fn::GetStackOutput"]["StackName"] == "ExampleRag"
    (statement,) = [
        s for s in _statements(jobs, "RetrievalRoleDefaultPolicy") if s["Action"] == "bedrock:Retrieve"
    ]
    assert statement["Resource"]["Fn::GetStackOutput"]["StackName"] == "ExampleRag"


def test_the_example_synthesizes_in_a_new_app_without_the_repositorys_feature_flags(tmp_path: Any) -> None:
    """Issue 17 item 18: an app written from docs/constructs.md with a cdk.json of its own (no context,
    so none of this repository's feature flags) synthesizes on its first try. Before, DocumentBucket
    needed @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy and failed with 'objectOwnership must be
    set to "ObjectWriter"'."""
    import aws_cdk as cdk

    app = cdk.App(outdir=str(tmp_path))  # no context: every feature flag at its default
    assert app.node.try_get_context("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy") is None
    example_app.add_example_stacks(app)
    assembly = app.synth()

    (rag,) = [stack for stack in assembly.stacks if stack.stack_name == "ExampleRag"]
    template = rag.template
    buckets = [
        resource
        for resource in _resources(template, "AWS::S3::Bucket").values()
        if "LoggingConfiguration" in resource["Properties"]
    ]
    assert buckets, "the example's document bucket logs its access"
    policies = json.dumps(_resources(template, "AWS::S3::BucketPolicy"))
    assert '"Service": "logging.s3.amazonaws.com"' in policies
    assert "AccessControl" not in json.dumps(template)  # no ACL-based log delivery
