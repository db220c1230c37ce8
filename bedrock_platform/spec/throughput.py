"""Provisioned throughput: what one is (its model, model units and commitment), its AWS name, tags
and model units limits, for the config rules, the construct and the review alike.

Sources: CreateProvisionedModelThroughput (botocore's ``bedrock`` model; tests compare):
``modelUnits`` is a ``PositiveInteger`` with ``min`` 1 and no ``max``, an AWS API integer (32-bit
signed); ``commitmentDuration`` ``OneMonth`` or ``SixMonths``; ``provisionedModelName`` 1 to 63
characters of ``([0-9a-zA-Z][_-]?)+``; at most 50 tags (TagResource).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from bedrock_platform.spec.hashing import short_hash

Commitment = Literal["none", "one_month", "six_months"]
"""How long a provisioned throughput's model units are bought for, as a config writes it."""


class CommitmentDuration(enum.Enum):
    """A term the model units are bought for: billed for the whole term, not released early.

    Each member has its config spelling (``one_month``), the API's value (``OneMonth``) and the
    term in words (``1 month``).
    """

    ONE_MONTH = ("one_month", "OneMonth", "1 month")
    SIX_MONTHS = ("six_months", "SixMonths", "6 months")

    def __init__(self, spelling: str, api_value: str, term: str) -> None:
        self.spelling = spelling
        self.api_value = api_value
        self.term = term

    @classmethod
    def of(cls, commitment: str) -> CommitmentDuration | None:
        """The term a config's ``commitment`` buys: None for ``none``; ValueError if unknown."""
        if commitment == NO_COMMITMENT:
            return None
        for member in cls:
            if member.spelling == commitment:
                return member
        raise ValueError(f"commitment {commitment!r} is not one of {', '.join(COMMITMENTS)}")


NO_COMMITMENT = "none"
COMMITMENTS: tuple[str, ...] = (NO_COMMITMENT, *(member.spelling for member in CommitmentDuration))
"""A config's ``commitment`` values (the schema's enum; a test compares)."""

NAME_MAX = 63
"""CreateProvisionedModelThroughput's limit on provisionedModelName (1 to 63 characters)."""
NAME_PATTERN = re.compile(r"^([0-9a-zA-Z][_-]?)+$")
"""provisionedModelName's characters (botocore's pattern)."""
THROUGHPUT_NAME_SUFFIX_LENGTH = 7
"""Characters the construct appends to a provisioned throughput's AWS name: ``-`` and 6 hex digits."""

MAX_MODEL_UNITS = 2_147_483_647
"""The most model units CreateProvisionedModelThroughput can take: ``modelUnits`` is botocore's
``PositiveInteger`` (``min`` 1, no ``max``), an AWS API integer, 32-bit signed."""
UNACKNOWLEDGED_MODEL_UNITS = 10
"""The most model units a config may buy without ``acknowledge_cost: true``: the toolkit's
threshold (one model unit is billed by the hour at tens of dollars, so 10 are already several
thousand dollars a day), the guard a commitment gets from ``acknowledge_commitment``."""

TAGS_MAX = 50
"""Tags one Bedrock resource can carry (the Bedrock API reference for TagResource)."""
STACK_TAG_KEY = "bedrock-platform:stack"
"""The tag the throughput handler sets on every throughput it buys, to the stack id: its role may
manage only the throughputs that carry it. (``STACK_TAG_KEY`` of
bedrock_platform/handlers/provisioned_throughput.py, which cannot import this package; a test
checks they are equal.)"""

CUSTOM_MODEL_ARN = re.compile(
    r"^arn:aws(-[^:]+)?:bedrock:(?P<region>[a-z0-9-]{1,20}):(?P<account>[0-9]{12}):custom-model/"
    r"(imported|[a-z0-9-]{1,63}[.][a-z0-9-]{1,63})(:[a-z0-9-]{1,63}){0,2}/[a-z0-9]{12}$"
)
"""A custom model ARN, as CreateProvisionedModelThroughput's modelId accepts it."""
BASE_MODEL_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9.:-]+$")
"""A base model id with its context window variant (``amazon.nova-lite-v1:0:300k``)."""
PROVISIONED_MODEL_ARN = re.compile(
    r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:provisioned-model/[a-z0-9]{12}$"
)
"""A provisioned throughput's ARN, what applications pass as ``modelId``."""


def name_fingerprint(model: str, model_units: int, commitment: CommitmentDuration | None) -> str:
    """The 6 hex digits of a throughput's AWS name: what a change of replaces the throughput.

    A replacement is bought under the new name before the old one is deleted, so the two never
    collide. The hash is over the config spellings (``none``, ``one_month``), which the names of
    deployed throughputs were made from.
    """
    return short_hash([model, model_units, commitment.spelling if commitment else NO_COMMITMENT])


def model_problem(model: str) -> str | None:
    """Why ``model`` is neither a base model id nor a custom model ARN, or None."""
    if CUSTOM_MODEL_ARN.match(model) or BASE_MODEL_ID.match(model):
        return None
    return f"model {model!r} is neither a base model id (with its context variant) nor a custom model ARN"


def name_problem(aws_name: str) -> str | None:
    """Why ``aws_name`` cannot be a provisionedModelName, or None."""
    if len(aws_name) > NAME_MAX:
        return f"the AWS name {aws_name!r} is {len(aws_name)} characters, at most {NAME_MAX}"
    if not NAME_PATTERN.match(aws_name):
        return f"the AWS name {aws_name!r} must be letters and digits, each optionally followed by one - or _"
    return None


@dataclass(frozen=True, kw_only=True)
class ProvisionedThroughput:
    """A provisioned throughput as a config declares it: dedicated model units for one model."""

    name: str
    """The config name, the entry's identity (a new name is a new throughput)."""
    model: str
    """A catalogued base model id with its context window variant, or a custom model ARN, as written."""
    model_units: int
    """Model units bought, at least 1."""
    commitment: Commitment = "none"
    """none, one_month or six_months. Default: none (billed by the hour)."""
    acknowledge_commitment: bool = False
    """Whether the file confirmed the commitment (validation requires it with one). Default: false."""
    acknowledge_cost: bool = False
    """Whether the file confirmed buying more than :data:`UNACKNOWLEDGED_MODEL_UNITS` model units
    (validation requires it above). Default: false."""
    removal_policy: Literal["retain", "destroy"] = "destroy"
    """retain or destroy, when it leaves the stack. Default: destroy; a config's: retain with a commitment."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Its own tags, sorted by key. Default: none."""
    display_name: str | None = None
    """The AWS name before its ``-<6 hex digits>`` suffix. Default: None, ``<environment>-<name>``."""

    @property
    def commitment_duration(self) -> CommitmentDuration | None:
        """The term bought, or None (by the hour)."""
        return CommitmentDuration.of(self.commitment)

    def aws_name_base(self, environment: str) -> str:
        """The AWS name before the construct's hash suffix: ``display_name`` or ``<environment>-<name>``."""
        return self.display_name or f"{environment}-{self.name}"


RESOURCE_TYPE = "Custom::BedrockProvisionedThroughput"
"""The CloudFormation type of the toolkit's provisioned throughput."""
