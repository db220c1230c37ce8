"""Native multimodal processing: the facts live in spec/knowledge_base.py and the catalog, and the
config schema's descriptions state them (user guide, "Native multimodal processing" and the
"TwelveLabs Marengo Embed 3.0" model card)."""

from __future__ import annotations

from bedrock_platform.config.catalog import embedding_model
from bedrock_platform.config.schema import load_schema
from bedrock_platform.geographies import destination_regions, region_geography
from bedrock_platform.spec import knowledge_base as spec
from bedrock_platform.spec.vector_stores import MANAGED_REGIONS


def test_every_native_model_is_catalogued_where_managed_knowledge_bases_are() -> None:
    for model_id in spec.NATIVE_MULTIMODAL_MODELS:
        model = embedding_model(model_id)
        assert model is not None and model.native_multimodal
        assert set(model.regions) <= set(MANAGED_REGIONS), model.regions
        for region in model.profile_regions:
            assert region in model.regions
            geography = region_geography(region)
            assert geography is not None and region in destination_regions(geography, region)
            assert model.knowledge_base_model_id(region) == f"{geography}.{model_id}"
    assert not any(
        model.native_multimodal for model in map(embedding_model, ("amazon.titan-embed-text-v2:0",)) if model
    )


def test_the_schema_states_the_segmentation_ranges_and_defaults() -> None:
    segmentation = load_schema()["$defs"]["knowledge_base"]["properties"]["segmentation"]
    for medium, methods in spec.SEGMENTATION_METHODS.items():
        described = segmentation["properties"][medium]
        assert set(described["properties"]) == set(methods)
        for method in methods:
            low, high = spec.SEGMENTATION_SECONDS[method]
            assert f"{low} to {high} seconds" in described["description"], (medium, method)


def test_the_model_configuration_takes_the_models_own_segmentation_objects() -> None:
    # Only the media given: the others keep the model's own defaults.
    assert spec.model_configuration({"video": ("fixed", 6)}) == {
        "version": "1",
        "video": {"segmentation": {"method": "fixed", "fixed": {"durationSec": 6}}},
    }
    assert spec.model_configuration({"audio": ("fixed", 5), "video": ("dynamic", 3)}) == {
        "version": "1",
        "video": {"segmentation": {"method": "dynamic", "dynamic": {"minDurationSec": 3}}},
        "audio": {"segmentation": {"method": "fixed", "fixed": {"durationSec": 5}}},
    }
    assert spec.segmentation_problems("video", "dynamic", 5) == []
    assert spec.segmentation_problems("audio", "dynamic", 4) == ["audio segmentation is fixed, not dynamic"]
