"""Whole-template snapshots of every stack of every config in config/, for review.

Update deliberately with `make snapshot-update`; the snapshot diff is what reviewers read.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.conftest import ENVIRONMENT_CONFIGS, Synthesized

_ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")
_ASSET_DESTINATION = re.compile(r"(<asset-hash>:\d{12}-[a-z]{2}(?:-[a-z]+)+-\d)-[0-9a-f]{8}\b")
"""A pipeline's asset publishing names each destination ``<asset hash>:<account>-<region>-<8 hex>``,
the 8 hex digits also derived from the asset's content."""


def normalise(template: dict[str, Any]) -> dict[str, Any]:
    """The template with asset hashes (which change with CDK and handler code) replaced."""
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(template))
    return json.loads(_ASSET_DESTINATION.sub(r"\1-<destination-hash>", text))


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("env", [path.stem for path in ENVIRONMENT_CONFIGS])
def test_templates_match_their_snapshots(
    env: str, synthesized: dict[str, Synthesized], snapshot_json: SnapshotAssertion
) -> None:
    for stack_name, template in sorted(synthesized[env].templates.items()):
        assert normalise(template) == snapshot_json(name=stack_name)
