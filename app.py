"""Entry point for the CDK CLI (cdk.json runs it).

``cdk synth -c env=NAME`` uses config/NAME.yaml (default: dev); ``cdk synth -c config=PATH``
uses any file. A config error prints every problem as FILE:LINE:COL and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.stacks import add_stacks

ROOT = Path(__file__).resolve().parent


def config_path(app: cdk.App) -> Path:
    """The config file the context names: ``config`` (a path) wins over ``env`` (a name)."""
    explicit = app.node.try_get_context("config")
    if explicit:
        return Path(explicit)
    return ROOT / "config" / f"{app.node.try_get_context('env') or 'dev'}.yaml"


def main() -> None:
    app = cdk.App()
    path = config_path(app)
    try:
        config = load_config(str(path))
    except ConfigError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    add_stacks(app, config)
    app.synth()


if __name__ == "__main__":
    main()
