"""The smallest useful ``InvokeModel`` request body for each model family a throughput can serve.

A provisioned throughput is invoked with its ARN as ``modelId`` and the body of its base model's
native API. The family is read from the declared model id (a catalogued base model id with its
context variant, or a custom model ARN, whose base model is the part after ``custom-model/``).
Each body asks for as little as the family allows: a few output tokens, one short embedding, one
small image.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bedrock_platform import geographies

PROMPT = "Reply with the single word OK."
"""What text models are asked."""
EMBEDDING_TEXT = "bedrock-platform smoke test"
"""What embedding models embed."""
IMAGE_PROMPT = "A small red cube on a white table"
"""What image models draw."""
MAX_OUTPUT_TOKENS = 16
IMAGE_SIZE = 512
"""Pixels per side, a size both image models accept (Titan's list of sizes; Nova Canvas' multiples of 16)."""

CUSTOM_MODEL_BASE = re.compile(r":custom-model/(?P<base>.+)/[a-z0-9]{12}$")
"""The base model inside a custom model ARN (``.../custom-model/<base model>/<id>``)."""


class UnknownModelFamily(ValueError):
    """No request body is known for the model."""


def _claude_messages() -> dict[str, Any]:
    return {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": MAX_OUTPUT_TOKENS,
        "messages": [{"role": "user", "content": [{"type": "text", "text": PROMPT}]}],
    }


def _claude_text_completion() -> dict[str, Any]:
    return {"prompt": f"\n\nHuman: {PROMPT}\n\nAssistant:", "max_tokens_to_sample": MAX_OUTPUT_TOKENS}


def _nova_messages() -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": [{"text": PROMPT}]}],
        "inferenceConfig": {"maxTokens": MAX_OUTPUT_TOKENS},
    }


def _titan_embedding() -> dict[str, Any]:
    return {"inputText": EMBEDDING_TEXT}


def _cohere_embedding() -> dict[str, Any]:
    return {"texts": [EMBEDDING_TEXT], "input_type": "search_query"}


def _llama_prompt() -> dict[str, Any]:
    return {"prompt": PROMPT, "max_gen_len": MAX_OUTPUT_TOKENS}


def _text_to_image() -> dict[str, Any]:
    return {
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {"text": IMAGE_PROMPT},
        "imageGenerationConfig": {"numberOfImages": 1, "width": IMAGE_SIZE, "height": IMAGE_SIZE},
    }


@dataclass(frozen=True)
class Family:
    """Models whose id starts with ``prefix`` take the body ``build`` makes."""

    prefix: str
    name: str
    build: Callable[[], Mapping[str, Any]]


FAMILIES: tuple[Family, ...] = (
    # More specific prefixes first: the first match wins.
    Family("amazon.nova-canvas", "Amazon Nova Canvas (text to image)", _text_to_image),
    Family("amazon.nova-", "Amazon Nova (messages)", _nova_messages),
    Family("amazon.titan-image-generator", "Amazon Titan Image Generator (text to image)", _text_to_image),
    Family("amazon.titan-embed-", "Amazon Titan Embeddings (inputText)", _titan_embedding),
    Family("anthropic.claude-v2", "Anthropic Claude 2 (text completions)", _claude_text_completion),
    Family(
        "anthropic.claude-instant", "Anthropic Claude Instant (text completions)", _claude_text_completion
    ),
    Family("anthropic.claude-", "Anthropic Claude (messages)", _claude_messages),
    Family("cohere.embed-", "Cohere Embed (texts)", _cohere_embedding),
    Family("meta.llama", "Meta Llama (prompt)", _llama_prompt),
)
"""Request bodies by model id prefix."""


def base_model(model: str) -> str:
    """The base model id of a declared model: itself, the base inside a custom model ARN, or the
    model a system inference profile (``eu.anthropic...``) routes to."""
    custom = CUSTOM_MODEL_BASE.search(model)
    if custom:
        return custom.group("base")
    return model.partition(".")[2] if geographies.inference_profile_geography(model) else model


def family(model: str) -> Family:
    """The family of a declared model (base model id or custom model ARN); UnknownModelFamily if none."""
    base = base_model(model)
    for candidate in FAMILIES:
        if base.startswith(candidate.prefix):
            return candidate
    raise UnknownModelFamily(f"no request body is known for model {base!r}")


def request_body(model: str) -> bytes:
    """The JSON body of a tiny InvokeModel request to ``model``; UnknownModelFamily if none is known."""
    return json.dumps(family(model).build(), separators=(",", ":")).encode()
