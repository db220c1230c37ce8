"""Provisioned throughput: what one is (its model, model units and commitment), the AWS name suffix,
and the model unit limits.

Sources: CreateProvisionedModelThroughput (botocore's ``bedrock`` model): ``modelUnits`` is a
``PositiveInteger`` with ``min`` 1 and no ``max``, an AWS API integer (32-bit signed);
``commitmentDuration`` ``OneMonth`` or ``SixMonths``; ``provisionedModelName`` 1 to 63 characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Commitment = Literal["none", "one_month", "six_months"]
"""How long a provisioned throughput's model units are bought for: none (by the hour) or a term."""

THROUGHPUT_NAME_SUFFIX_LENGTH = 7
"""Characters the construct appends to a provisioned throughput's AWS name: ``-`` and 6 hex digits."""

MAX_MODEL_UNITS = 2_147_483_647
"""The most model units CreateProvisionedModelThroughput can take: ``modelUnits`` is botocore's
``PositiveInteger`` (``min`` 1, no ``max``), an AWS API integer, 32-bit signed."""
UNACKNOWLEDGED_MODEL_UNITS = 10
"""The most model units a throughput may buy without ``acknowledge_cost: true``: the toolkit's
threshold (one model unit is billed by the hour at tens of dollars, so 10 are already several
thousand dollars a day), the guard a commitment gets from ``acknowledge_commitment``."""


@dataclass(frozen=True, kw_only=True)
class ProvisionedThroughput:
    """A provisioned throughput: dedicated model units for one model."""

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

    def aws_name_base(self, environment: str) -> str:
        """The AWS name before the construct's hash suffix: ``display_name`` or ``<environment>-<name>``."""
        return self.display_name or f"{environment}-{self.name}"
