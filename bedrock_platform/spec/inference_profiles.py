"""Application inference profiles: one per team or application, copied from a foundation model or a
system cross-Region profile, carrying cost-allocation tags (Bedrock bills each invocation through a
profile to its tags: the way to charge model spend back).

Source: ``AWS::Bedrock::ApplicationInferenceProfile`` (cfn-lint's resource schemas; tests compare):
``InferenceProfileName`` 1 to 64 characters of ``([0-9a-zA-Z][ _-]?)+``, ``Description`` 1 to 200 of
``([0-9a-zA-Z:.][ _-]?)+``, both create-only with ``ModelSource``; at most 200 tags.
"""

from __future__ import annotations

import hashlib
import json
import re

RESOURCE_TYPE = "AWS::Bedrock::ApplicationInferenceProfile"
NAME = re.compile(r"^([0-9a-zA-Z][ _-]?)+$")
NAME_MAX = 64
DESCRIPTION = re.compile(r"^([0-9a-zA-Z:.][ _-]?)+$")
DESCRIPTION_MAX = 200
SUFFIX_LENGTH = 7
"""``-`` and 6 hex digits of the create-only settings, after ``<environment>-<name>``."""


def profile_name(base: str, *, model: str, description: str | None) -> str:
    """``<base>-<6 hex digits>`` over what cannot change in place (model source, description): a
    change makes a new profile, with a new ARN, under a new name."""
    digest = hashlib.sha256(json.dumps([model, description]).encode()).hexdigest()[:6]
    return f"{base}-{digest}"
