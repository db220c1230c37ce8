"""CloudFormation values as readable text, the way cdk-nag names them in its findings.

``Fn::Join`` is joined, ``Ref`` becomes ``<LogicalId>`` and ``Fn::GetAtt`` ``<LogicalId.Attribute>``;
any other intrinsic stays as sorted JSON. Pure: no CDK, so the review package uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render(value: Any) -> str:
    """``value`` (a string or an intrinsic) as text, e.g. ``<Bucket.Arn>/docs/*``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(render(part) for part in parts)
    if isinstance(value, Mapping) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, Mapping) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return f"<{'.'.join(target) if isinstance(target, list) else target}>"
    return json.dumps(value, sort_keys=True)
