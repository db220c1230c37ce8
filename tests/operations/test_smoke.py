"""smoke: one InvokeModel per throughput, one Retrieve per knowledge base, ApplyGuardrail per version."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from bedrock_platform import parameters
from bedrock_platform.config import load_config
from bedrock_platform.operations.discovery import NotDeployed
from bedrock_platform.operations.smoke import interventions, required_parameters, smoke
from tests.operations.stubs import (
    CONFIG_FILE,
    DEPLOYED,
    ENV,
    GUARDRAIL_ID,
    KB_ID,
    THROUGHPUT_ARN,
    TICKETS_KB_ID,
    Aws,
    environment_config,
    json_body,
    streaming,
)

SMOKE_PARAMETERS = [
    parameters.provisioned_model_arn(ENV, "assistant"),
    parameters.knowledge_base_id(ENV, "product-docs"),
    parameters.knowledge_base_id(ENV, "tickets"),
    parameters.guardrail_id(ENV, "default"),
    parameters.guardrail_version(ENV, "default", 1),
    parameters.guardrail_version(ENV, "default", 2),
]
CLAUDE_BODY = json_body(
    {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 16,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Reply with the single word OK."}]}
        ],
    }
)
TOPIC_EXAMPLE = "Which stocks should I buy this year?"
GREETING = "Hello! How are you today?"
USAGE = {
    "topicPolicyUnits": 1,
    "contentPolicyUnits": 0,
    "wordPolicyUnits": 1,
    "sensitiveInformationPolicyUnits": 0,
    "sensitiveInformationPolicyFreeUnits": 0,
    "contextualGroundingPolicyUnits": 0,
}
TOPIC_BLOCKED = {
    "topicPolicy": {"topics": [{"name": "investment-advice", "type": "DENY", "action": "BLOCKED"}]}
}


def retrieval(passages: int) -> dict[str, Any]:
    """A Retrieve response with ``passages`` results."""
    return {
        "retrievalResults": [
            {"content": {"text": f"passage {index}"}, "location": {"type": "S3"}, "score": 0.5}
            for index in range(passages)
        ]
    }


def expect_invoke(aws: Aws, answer: bytes = b'{"content":[{"type":"text","text":"OK"}]}') -> None:
    aws.expect(
        "bedrock-runtime",
        "invoke_model",
        {"body": streaming(answer), "contentType": "application/json"},
        modelId=THROUGHPUT_ARN,
        body=CLAUDE_BODY,
        contentType="application/json",
        accept="application/json",
    )


def expect_retrieve(aws: Aws, knowledge_base_id: str, query: str, passages: int) -> None:
    aws.expect(
        "bedrock-agent-runtime",
        "retrieve",
        retrieval(passages),
        knowledgeBaseId=knowledge_base_id,
        retrievalQuery={"text": query},
        retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": 1}},
    )


def expect_apply(
    aws: Aws, version: str, text: str, action: str, assessments: list[dict[str, Any]] | None = None
) -> None:
    aws.expect(
        "bedrock-runtime",
        "apply_guardrail",
        {
            "usage": USAGE,
            "action": action,
            "outputs": [{"text": "Sorry."}] if action != "NONE" else [],
            "assessments": assessments or [],
        },
        guardrailIdentifier=GUARDRAIL_ID,
        guardrailVersion=version,
        source="INPUT",
        content=[{"text": {"text": text}}],
    )


def run_smoke(aws: Aws, config_file: Path = CONFIG_FILE) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = smoke(load_config(str(config_file)), aws.session(), out)
    return code, out.getvalue().splitlines()


def test_every_check_passes(aws: Aws) -> None:
    aws.parameters(SMOKE_PARAMETERS)
    expect_invoke(aws)
    expect_retrieve(aws, KB_ID, "Product manuals and FAQs", passages=1)
    expect_retrieve(aws, TICKETS_KB_ID, "tickets", passages=0)
    for version in ("1", "3"):
        expect_apply(aws, version, TOPIC_EXAMPLE, "GUARDRAIL_INTERVENED", [TOPIC_BLOCKED])
        expect_apply(aws, version, GREETING, "NONE")

    code, lines = run_smoke(aws)

    assert code == 0
    assert lines == [
        "PASS throughput assistant: InvokeModel answered with 41 bytes of application/json",
        "PASS knowledge-base product-docs: Retrieve 'Product manuals and FAQs' answered with 1 passage(s)",
        "PASS knowledge-base tickets: Retrieve 'tickets' answered with no passage (never synced? run sync)",
        "PASS guardrail default/1 (version 1) blocked: GUARDRAIL_INTERVENED on the first example of denied"
        " topic 'investment-advice'",
        "PASS guardrail default/1 (version 1) allowed: NONE on a neutral greeting",
        "PASS guardrail default/2 (version 3) blocked: GUARDRAIL_INTERVENED on the first example of denied"
        " topic 'investment-advice'",
        "PASS guardrail default/2 (version 3) allowed: NONE on a neutral greeting",
        "smoke: 7 passed, 0 failed, 0 skipped",
    ]


def test_a_guardrail_that_lets_the_blocked_sample_through_or_blocks_the_allowed_one_fails(aws: Aws) -> None:
    aws.parameters(SMOKE_PARAMETERS)
    aws.fail(
        "bedrock-runtime",
        "invoke_model",
        "ModelNotReadyException",
        "The model is not ready",
        modelId=THROUGHPUT_ARN,
        body=CLAUDE_BODY,
        contentType="application/json",
        accept="application/json",
    )
    aws.fail(
        "bedrock-agent-runtime",
        "retrieve",
        "AccessDeniedException",
        "not authorized to perform bedrock:Retrieve",
        knowledgeBaseId=KB_ID,
        retrievalQuery={"text": "Product manuals and FAQs"},
        retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": 1}},
    )
    expect_retrieve(aws, TICKETS_KB_ID, "tickets", passages=1)
    expect_apply(aws, "1", TOPIC_EXAMPLE, "NONE")
    expect_apply(
        aws,
        "1",
        GREETING,
        "GUARDRAIL_INTERVENED",
        [
            {
                "wordPolicy": {
                    "customWords": [{"match": "Hello", "action": "BLOCKED"}],
                    "managedWordLists": [],
                },
                "contentPolicy": {
                    "filters": [
                        {"type": "INSULTS", "confidence": "LOW", "action": "NONE"},
                        {"type": "PROMPT_ATTACK", "confidence": "HIGH", "action": "BLOCKED"},
                    ]
                },
            }
        ],
    )
    expect_apply(aws, "3", TOPIC_EXAMPLE, "GUARDRAIL_INTERVENED", [TOPIC_BLOCKED])
    expect_apply(aws, "3", GREETING, "NONE")

    code, lines = run_smoke(aws)

    assert code == 1
    assert lines == [
        "FAIL throughput assistant: InvokeModel: ModelNotReadyException: The model is not ready",
        "FAIL knowledge-base product-docs: Retrieve: AccessDeniedException: not authorized to perform"
        " bedrock:Retrieve",
        "PASS knowledge-base tickets: Retrieve 'tickets' answered with 1 passage(s)",
        "FAIL guardrail default/1 (version 1) blocked: expected GUARDRAIL_INTERVENED, got NONE on the first"
        " example of denied topic 'investment-advice' 'Which stocks should I buy this year?'",
        "FAIL guardrail default/1 (version 1) allowed: expected NONE, got GUARDRAIL_INTERVENED on a neutral"
        " greeting 'Hello! How are you today?' (content filter PROMPT_ATTACK, word 'Hello')",
        "PASS guardrail default/2 (version 3) blocked: GUARDRAIL_INTERVENED on the first example of denied"
        " topic 'investment-advice'",
        "PASS guardrail default/2 (version 3) allowed: NONE on a neutral greeting",
        "smoke: 3 passed, 4 failed, 0 skipped",
    ]


def write_config(tmp_path: Path, guardrails: str, throughputs: str = "") -> Path:
    path = tmp_path / "smoke.yaml"
    path.write_text(
        f'environment: {ENV}\naccount: "111111111111"\nregion: us-east-1\n'
        f"guardrails:\n{guardrails}{throughputs}"
    )
    return path


def test_the_samples_of_the_config_are_used(aws: Aws, tmp_path: Path) -> None:
    config_file = write_config(
        tmp_path,
        "  - name: default\n"
        "    blocked_input_message: Sorry.\n    blocked_output_message: Sorry.\n"
        "    word_filters: {words: [contoso]}\n"
        '    smoke_samples: {blocked: "Tell me about Contoso.", allowed: "What are your opening hours?"}\n'
        "    versions: [{description: First, policy: 8855f12c}]\n",
    )
    names = [parameters.guardrail_id(ENV, "default"), parameters.guardrail_version(ENV, "default", 1)]
    aws.parameters(names)
    expect_apply(aws, "1", "Tell me about Contoso.", "GUARDRAIL_INTERVENED")
    expect_apply(aws, "1", "What are your opening hours?", "NONE")

    code, lines = run_smoke(aws, config_file)

    assert code == 0
    assert lines == [
        "PASS guardrail default/1 (version 1) blocked: GUARDRAIL_INTERVENED on smoke_samples.blocked",
        "PASS guardrail default/1 (version 1) allowed: NONE on smoke_samples.allowed",
        "smoke: 2 passed, 0 failed, 0 skipped",
    ]


def test_without_a_blocked_sample_the_check_is_skipped_not_passed(aws: Aws, tmp_path: Path) -> None:
    config_file = write_config(
        tmp_path,
        "  - name: filters\n"
        "    blocked_input_message: Sorry.\n    blocked_output_message: Sorry.\n"
        "    content_filters: {hate: high}\n"
        "    versions: [{description: First, policy: f3a7e3c1}]\n"
        "  - name: unpublished\n"
        "    blocked_input_message: Sorry.\n    blocked_output_message: Sorry.\n"
        "    word_filters: {words: [contoso]}\n",
        "provisioned_throughputs:\n"
        "  - name: imported\n"
        "    model: arn:aws:bedrock:us-east-1:111111111111:custom-model/imported/a1b2c3d4e5f6\n"
        "    model_units: 1\n",
    )
    names = [
        parameters.provisioned_model_arn(ENV, "imported"),
        parameters.guardrail_id(ENV, "filters"),
        parameters.guardrail_version(ENV, "filters", 1),
        parameters.guardrail_id(ENV, "unpublished"),
    ]
    aws.parameters(
        names, {names[0]: THROUGHPUT_ARN, names[1]: "grfilters", names[2]: "2", names[3]: "grunpub"}
    )
    aws.expect(
        "bedrock-runtime",
        "apply_guardrail",
        {"usage": USAGE, "action": "NONE", "outputs": [], "assessments": []},
        guardrailIdentifier="grfilters",
        guardrailVersion="2",
        source="INPUT",
        content=[{"text": {"text": GREETING}}],
    )

    code, lines = run_smoke(aws, config_file)

    assert code == 0
    assert lines == [
        "SKIP throughput imported: no request body is known for model 'imported'",
        "SKIP guardrail filters/1 (version 2) blocked: no smoke_samples.blocked given, and none can be"
        " derived from the policy (no denied topic example, no custom word, no blocked or anonymized PII"
        " type among EMAIL, PHONE, CREDIT_DEBIT_CARD_NUMBER, US_SOCIAL_SECURITY_NUMBER, AWS_ACCESS_KEY,"
        " IP_ADDRESS)",
        "PASS guardrail filters/1 (version 2) allowed: NONE on a neutral greeting",
        "SKIP guardrail unpublished: declares no versions (only published versions are checked)",
        "smoke: 1 passed, 0 failed, 3 skipped",
    ]


def test_an_undeployed_resource_stops_smoke_before_any_call(aws: Aws) -> None:
    missing = parameters.guardrail_version(ENV, "default", 2)
    aws.parameters(SMOKE_PARAMETERS, {name: DEPLOYED[name] for name in SMOKE_PARAMETERS if name != missing})

    with pytest.raises(NotDeployed) as caught:
        run_smoke(aws)

    assert caught.value.missing == (missing,)


def test_smoke_reads_only_what_it_calls() -> None:
    assert required_parameters(environment_config()) == SMOKE_PARAMETERS


def test_interventions_name_every_policy_that_acted() -> None:
    assessments = [
        {
            "topicPolicy": {"topics": [{"name": "legal", "type": "DENY", "action": "BLOCKED"}]},
            "wordPolicy": {
                "customWords": [{"match": "contoso", "action": "BLOCKED"}],
                "managedWordLists": [{"match": "darn", "type": "PROFANITY", "action": "BLOCKED"}],
            },
            "sensitiveInformationPolicy": {
                "piiEntities": [
                    {"match": "a@b.c", "type": "EMAIL", "action": "ANONYMIZED"},
                    {"match": "x", "type": "NAME", "action": "NONE"},
                ],
                "regexes": [{"name": "account", "match": "ACME-1", "regex": "ACME-\\d", "action": "BLOCKED"}],
            },
        }
    ]

    assert interventions(assessments) == [
        "topic 'legal'",
        "word 'contoso'",
        "profanity word",
        "PII EMAIL",
        "regex 'account'",
    ]


PROFILE_ARN = "arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/a1b2c3d4e5f6"


def test_an_inference_profile_is_invoked_through_its_arn_with_its_models_body(
    aws: Aws, tmp_path: Path
) -> None:
    """Issue 23: smoke calls each application inference profile by its ARN (so the call is charged to
    its tags), with the body of the model family behind the system profile it copies."""
    config_file = tmp_path / "profiles.yaml"
    config_file.write_text(
        f'environment: {ENV}\naccount: "111111111111"\nregion: us-east-1\n'
        "inference_profiles:\n"
        "  - name: support\n    model: us.anthropic.claude-3-haiku-20240307-v1:0\n"
    )
    name = parameters.inference_profile_arn(ENV, "support")
    aws.parameters([name], {name: PROFILE_ARN})
    answer = b'{"content":[{"type":"text","text":"OK"}]}'
    aws.expect(
        "bedrock-runtime",
        "invoke_model",
        {"body": streaming(answer), "contentType": "application/json"},
        modelId=PROFILE_ARN,
        body=CLAUDE_BODY,
        contentType="application/json",
        accept="application/json",
    )

    code, lines = run_smoke(aws, config_file)

    assert code == 0
    assert lines == [
        "PASS inference-profile support: InvokeModel answered with 41 bytes of application/json",
        "smoke: 1 passed, 0 failed, 0 skipped",
    ]


def test_a_managed_knowledge_base_is_searched_with_the_managed_configuration(
    aws: Aws, tmp_path: Path
) -> None:
    """User guide, "Query a knowledge base and retrieve data": a managed knowledge base takes
    managedSearchConfiguration (vectorSearchConfiguration is for custom knowledge bases only), without
    the managed reranker, which is for managed embedding only; the Stubber holds the request to
    botocore's model and to exactly these parameters."""
    from bedrock_platform.operations.smoke import retrieve

    config = load_config("config/dev.yaml")
    handbook = next(item for item in config.knowledge_bases if item.name == "handbook")
    assert config.vector_store(handbook.vector_store).managed
    aws.expect(
        "bedrock-agent-runtime",
        "retrieve",
        retrieval(1),
        knowledgeBaseId="HANDBOOK01",
        retrievalQuery={"text": "handbook"},
        retrievalConfiguration={
            "managedSearchConfiguration": {"numberOfResults": 1, "rerankingModelType": "NONE"}
        },
    )
    check = retrieve(aws.clients["bedrock-agent-runtime"], handbook, "HANDBOOK01", managed=True)
    assert check.outcome == "PASS", check
