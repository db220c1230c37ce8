"""Every model a throughput can be bought for gets a tiny InvokeModel body of its family's API."""

from __future__ import annotations

import json

import pytest

from bedrock_platform.config.catalog import THROUGHPUT_MODELS
from bedrock_platform.operations.bodies import (
    FAMILIES,
    UnknownModelFamily,
    base_model,
    family,
    request_body,
)

CLAUDE_MESSAGES = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "Reply with the single word OK."}]}],
}
TEXT_TO_IMAGE = {
    "taskType": "TEXT_IMAGE",
    "textToImageParams": {"text": "A small red cube on a white table"},
    "imageGenerationConfig": {"numberOfImages": 1, "width": 512, "height": 512},
}


@pytest.mark.parametrize("model", [model.model_id for model in THROUGHPUT_MODELS])
def test_every_catalogued_throughput_model_gets_a_body(model: str) -> None:
    body = json.loads(request_body(model))

    assert body, model
    # Every body asks for a bounded answer: a few tokens, one embedding of one text, or one image.
    assert (
        body.get("max_tokens") == 16
        or body.get("max_tokens_to_sample") == 16
        or body.get("max_gen_len") == 16
        or body.get("inferenceConfig") == {"maxTokens": 16}
        or body.get("inputText") == "bedrock-platform smoke test"
        or body.get("texts") == ["bedrock-platform smoke test"]
        or body.get("imageGenerationConfig", {}).get("numberOfImages") == 1
    ), body


def test_every_family_serves_a_catalogued_model() -> None:
    used = {family(model.model_id).prefix for model in THROUGHPUT_MODELS}

    assert used == {candidate.prefix for candidate in FAMILIES}


@pytest.mark.parametrize(
    ("model", "body"),
    [
        ("anthropic.claude-3-haiku-20240307-v1:0:200k", CLAUDE_MESSAGES),
        ("anthropic.claude-3-5-sonnet-20241022-v2:0:18k", CLAUDE_MESSAGES),
        (
            "anthropic.claude-v2:1:200k",
            {"prompt": "\n\nHuman: Reply with the single word OK.\n\nAssistant:", "max_tokens_to_sample": 16},
        ),
        (
            "anthropic.claude-instant-v1:2:100k",
            {"prompt": "\n\nHuman: Reply with the single word OK.\n\nAssistant:", "max_tokens_to_sample": 16},
        ),
        (
            "amazon.nova-pro-v1:0:300k",
            {
                "messages": [{"role": "user", "content": [{"text": "Reply with the single word OK."}]}],
                "inferenceConfig": {"maxTokens": 16},
            },
        ),
        (
            "amazon.nova-2-lite-v1:0:256k",
            {
                "messages": [{"role": "user", "content": [{"text": "Reply with the single word OK."}]}],
                "inferenceConfig": {"maxTokens": 16},
            },
        ),
        ("amazon.nova-canvas-v1:0", TEXT_TO_IMAGE),
        ("amazon.titan-image-generator-v2:0", TEXT_TO_IMAGE),
        ("amazon.titan-embed-text-v1:2:8k", {"inputText": "bedrock-platform smoke test"}),
        ("amazon.titan-embed-image-v1:0", {"inputText": "bedrock-platform smoke test"}),
        (
            "cohere.embed-multilingual-v3:0:512",
            {"texts": ["bedrock-platform smoke test"], "input_type": "search_query"},
        ),
        (
            "meta.llama3-2-90b-instruct-v1:0:128k",
            {"prompt": "Reply with the single word OK.", "max_gen_len": 16},
        ),
    ],
)
def test_each_family_body(model: str, body: dict[str, object]) -> None:
    assert json.loads(request_body(model)) == body
    assert request_body(model) == json.dumps(body, separators=(",", ":")).encode()


def test_a_custom_model_takes_the_body_of_its_base_model() -> None:
    arn = (
        "arn:aws:bedrock:us-east-1:111111111111:custom-model/"
        "anthropic.claude-3-haiku-20240307-v1:0:200k/a1b2c3d4e5f6"
    )

    assert base_model(arn) == "anthropic.claude-3-haiku-20240307-v1:0:200k"
    assert json.loads(request_body(arn)) == CLAUDE_MESSAGES


@pytest.mark.parametrize(
    "model",
    [
        "arn:aws:bedrock:us-east-1:111111111111:custom-model/imported/a1b2c3d4e5f6",
        "mistral.mistral-large-2402-v1:0",
    ],
)
def test_a_model_of_no_known_family_is_an_error(model: str) -> None:
    with pytest.raises(UnknownModelFamily, match="no request body is known for model"):
        request_body(model)
