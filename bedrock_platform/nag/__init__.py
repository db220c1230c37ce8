"""The Bedrock rule pack: cdk-nag rules for Amazon Bedrock, OpenSearch Serverless and S3 Vectors,
which no other pack checks (cdk-nag's own packs, checkov and Control Tower's proactive controls
skip them).

```python
from bedrock_platform.nag import BedrockChecks

cdk.Validations.of(app).add_plugins(BedrockChecks(app, production=True))
```

``ControlTowerChecks`` runs the AWS Control Tower proactive controls (cfn-guard) in the synth, each
finding an error: ``cdk.Validations.of(app).add_plugins(ControlTowerChecks())``.

The rules, one per module of :mod:`bedrock_platform.nag.rules`, each with its id, what it asks
and its source: :data:`RULES` (and the README's "The Bedrock rule pack").
"""

from __future__ import annotations

from bedrock_platform.nag.control_tower import ControlTowerChecks
from bedrock_platform.nag.pack import (
    PACK_NAME,
    PRODUCTION_CONTEXT,
    BedrockChecks,
    mark_production,
    require_customer_managed_keys,
)
from bedrock_platform.nag.rule import Options, Resource, Rule
from bedrock_platform.nag.rules import RULES

__all__ = [
    "PACK_NAME",
    "PRODUCTION_CONTEXT",
    "RULES",
    "BedrockChecks",
    "ControlTowerChecks",
    "Options",
    "Resource",
    "Rule",
    "mark_production",
    "require_customer_managed_keys",
]
