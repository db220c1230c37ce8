"""CloudFormation's resource schemas as the installed cfn-lint ships them, for the spec tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"


def resource_schema(resource_type: str) -> dict[str, Any]:
    """The resource schema of ``resource_type`` (us-east-1's provider file names it)."""
    providers = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema: dict[str, Any] = json.loads(
        (SCHEMAS / "resources" / f"{providers[resource_type]}.json").read_text()
    )
    return schema
