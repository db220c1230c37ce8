"""Valid configs load into frozen, typed objects with every default applied."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_platform.config import PlatformConfig, build_config, load_config
from bedrock_platform.config.files import parse_word_list
from bedrock_platform.config.model import (
    Chunking,
    CreatedBucket,
    CustomTransformation,
    ExistingBucket,
    Parsing,
)
from tests.config.helpers import HEADER, WriteConfig

MINIMAL_KNOWLEDGE_BASE = """\
vector_stores:
  - name: docs
knowledge_bases:
  - name: product-docs
    embedding_model: {model}
    vector_store: docs
    data_sources:
      - name: manuals
        bucket: {{create: true}}
"""


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_shipped_configs_load(name: str) -> None:
    config = load_config(f"config/{name}.yaml")

    assert isinstance(config, PlatformConfig)
    assert config.environment == name


def test_dev_config_objects() -> None:
    config = load_config("config/dev.yaml")

    assert (config.account, config.region, config.is_prod) == ("111111111111", "us-east-1", False)
    assert dict(config.tags) == {"cost-center": "4711", "team": "ml-platform"}
    store = config.vector_store("docs")
    assert (store.type, store.s3_vectors, store.distance_metric, store.kms_key_arn, store.public) == (
        "s3_vectors",
        True,
        "cosine",
        None,
        False,  # no network policy: IAM alone decides
    )
    knowledge_base, guides, handbook, media = config.knowledge_bases
    # Issue 22: native multimodal processing: Marengo embeds whole files on a managed store, with the
    # multimodal storage it needs and its own video segmentation.
    assert (media.embedding_model, media.multimodal_storage) == (
        "twelvelabs.marengo-embed-3-0-v1:0",
        CreatedBucket(),
    )
    assert config.vector_store(media.vector_store).managed
    assert media.segmentation is None  # the model's own segmentation
    assert [source.parsing for source in media.data_sources] == [Parsing(strategy="multimodal_embeddings")]
    # Issue 21: a managed knowledge base (its store is the service's) with an S3 and a custom source.
    assert config.vector_store(handbook.vector_store).managed
    assert [(source.type, source.parsing) for source in handbook.data_sources] == [
        ("s3", Parsing(strategy="smart")),
        ("custom", None),
        ("web", None),
    ]
    # Issue 22: the managed web crawler, on a public site (no sign-in), host only, two links deep.
    crawl = handbook.data_sources[2].web
    assert crawl is not None
    assert (crawl.scope, crawl.crawl_depth, crawl.auth_type, crawl.credentials_secret_arn) == (
        "host_only",
        2,
        "none",
        None,
    )
    (source,) = knowledge_base.data_sources
    assert (source.type, source.bucket, source.parsing) == ("s3", CreatedBucket(), None)
    assert source.chunking == Chunking(strategy="fixed_size", max_tokens=300, overlap_percentage=20)
    assert source.ingest_on_deploy is True
    # Issue 22: a parsed, transformed S3 source and a custom one on a knowledge base with multimodal storage.
    assert guides.multimodal_storage == CreatedBucket()
    scans, notes = guides.data_sources
    assert scans.parsing == Parsing(
        strategy="foundation_model",
        model="amazon.nova-pro-v1:0",
        prompt="Transcribe the page. Render tables as Markdown and describe each figure in one sentence.",
        multimodal=True,
    )
    assert scans.custom_transformation == CustomTransformation(
        lambda_arn="arn:aws:lambda:us-east-1:111111111111:function:field-guide-metadata",
        intermediate_bucket=CreatedBucket(),
    )
    assert (notes.type, notes.bucket, notes.web, notes.connector) == ("custom", None, None, None)


def test_prod_config_objects() -> None:
    config = load_config("config/prod.yaml")

    store = config.vector_store("shared")
    assert store.standby_replicas and store.deletion_protection and not store.public
    assert store.vpc_endpoints == ("vpce-0a1b2c3d4e5f6a7b8",)
    tickets = config.knowledge_bases[1]
    assert tickets.dimensions == 1024  # not in the file: the catalogued model's default
    assert tickets.data_sources[0].bucket == ExistingBucket(
        arn="arn:aws:s3:::acme-support-exports-prod",
        kms_key_arn="arn:aws:kms:eu-central-1:222222222222:key/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4",
    )
    # Cohere Embed v3 embeds 512 tokens: chunks within it (issue 16, finding 14).
    assert tickets.data_sources[0].chunking == Chunking(
        strategy="fixed_size", max_tokens=300, overlap_percentage=10
    )


@pytest.mark.parametrize(("environment", "expected"), [("prod", True), ("dev", False), ("production", False)])
def test_standby_replicas_and_deletion_protection_default_to_prod_only(
    write_config: WriteConfig, environment: str, expected: bool
) -> None:
    path = write_config(
        f'environment: {environment}\naccount: "111111111111"\nregion: us-east-1\n'
        "vector_stores:\n  - name: docs\n    network: {vpc_endpoints: [vpce-0a1b2c3d4e5f6a7b8]}\n"
    )

    (store,) = load_config(path).vector_stores

    assert (store.standby_replicas, store.deletion_protection) == (expected, expected)


def test_data_source_defaults(write_config: WriteConfig) -> None:
    path = write_config(HEADER + MINIMAL_KNOWLEDGE_BASE.format(model="amazon.titan-embed-text-v2:0"))

    (knowledge_base,) = load_config(path).knowledge_bases
    (source,) = knowledge_base.data_sources

    assert knowledge_base.dimensions == 1024
    assert source.chunking == Chunking(strategy="fixed_size", max_tokens=300, overlap_percentage=20)
    assert (source.data_deletion_policy, source.inclusion_prefixes, source.description) == (
        "delete",
        (),
        None,
    )
    assert source.ingest_on_deploy is False


@pytest.mark.parametrize(
    ("chunking", "expected"),
    [
        (
            "{strategy: hierarchical}",
            Chunking(
                strategy="hierarchical", parent_max_tokens=1500, child_max_tokens=300, overlap_tokens=60
            ),
        ),
        (
            "{strategy: semantic, max_tokens: 500}",
            Chunking(strategy="semantic", max_tokens=500, buffer_size=0, breakpoint_percentile_threshold=95),
        ),
        (
            "{strategy: fixed_size, overlap_percentage: 10}",
            Chunking(strategy="fixed_size", max_tokens=300, overlap_percentage=10),
        ),
    ],
)
def test_chunking_defaults(write_config: WriteConfig, chunking: str, expected: Chunking) -> None:
    text = HEADER + MINIMAL_KNOWLEDGE_BASE.format(model="amazon.titan-embed-text-v2:0")
    path = write_config(text + f"        chunking: {chunking}\n")

    assert load_config(path).knowledge_bases[0].data_sources[0].chunking == expected


def test_dimensions_default_from_the_catalog(write_config: WriteConfig) -> None:
    path = write_config(HEADER + MINIMAL_KNOWLEDGE_BASE.format(model="amazon.titan-embed-text-v1"))

    assert load_config(path).knowledge_bases[0].dimensions == 1536


def test_build_config_does_not_change_its_input() -> None:
    with open("config/prod.yaml", encoding="utf-8") as stream:
        raw: dict[str, Any] = yaml.safe_load(stream)
    before = copy.deepcopy(raw)
    words = parse_word_list(Path("config/guardrails/prod-blocked-words.txt").read_text(encoding="utf-8"))

    build_config(raw, word_lists={"guardrails/prod-blocked-words.txt": words.words})

    assert raw == before


def test_config_objects_are_frozen() -> None:
    config = load_config("config/prod.yaml")

    with pytest.raises(dataclasses.FrozenInstanceError):
        config.environment = "dev"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.knowledge_bases[0].data_sources[0].chunking.max_tokens = 1  # type: ignore[misc]
    assert isinstance(config.knowledge_bases, tuple)


def test_anchors_aliases_and_merge_keys(write_config: WriteConfig) -> None:
    path = write_config(
        HEADER
        + """\
vector_stores:
  - name: docs
knowledge_bases:
  - name: product-docs
    embedding_model: amazon.titan-embed-text-v2:0
    vector_store: docs
    data_sources:
      - &manuals
        name: manuals
        bucket: {create: true}
        chunking: &semantic {strategy: semantic, max_tokens: 400}
      - <<: *manuals
        name: faq
        chunking: {<<: *semantic, max_tokens: 200}
"""
    )

    manuals, faq = load_config(path).knowledge_bases[0].data_sources

    assert manuals.chunking.max_tokens == 400
    assert (faq.name, faq.bucket, faq.chunking.strategy, faq.chunking.max_tokens) == (
        "faq",
        CreatedBucket(),
        "semantic",
        200,
    )


def test_yaml_1_1_scalars_and_timestamps_as_strings(write_config: WriteConfig) -> None:
    path = write_config(
        HEADER
        + """\
tags: {created: 2024-01-31, owner: ml-platform}
vector_stores:
  - name: docs
    standby_replicas: yes
    deletion_protection: off
"""
    )

    config = load_config(path)

    assert config.tags["created"] == "2024-01-31"
    assert (config.vector_stores[0].standby_replicas, config.vector_stores[0].deletion_protection) == (
        True,
        False,
    )
