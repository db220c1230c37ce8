"""The environment config: load a YAML file, validate it, and get typed, frozen objects.

```python
from bedrock_platform.config import ConfigError, load_config

try:
    config = load_config("config/dev.yaml")
except ConfigError as error:
    print(error, file=sys.stderr)  # one "FILE:LINE:COL: error: PATH: MESSAGE" line per issue
```

The flow is: read the file within safety limits, keeping the position of every key and value
(:mod:`.document`); validate it against ``config/schema.json`` (:mod:`.schema`); read the word
files its guardrails name (:mod:`.files`); run the semantic rules (:mod:`.rules`,
:mod:`.guardrail_rules`, :mod:`.throughput_rules`, :mod:`.job_rules`, :mod:`.stack_rules`); build
the frozen config objects with defaults (:mod:`.model`), placing each knowledge base in its
knowledge stack (:mod:`.placement`).
This package never imports aws_cdk.
"""

from bedrock_platform.config.errors import ConfigError, Issue
from bedrock_platform.config.loader import load_config
from bedrock_platform.config.model import PlatformConfig, build_config
from bedrock_platform.config.schema import SCHEMA_PATH

__all__ = ["SCHEMA_PATH", "ConfigError", "Issue", "PlatformConfig", "build_config", "load_config"]
