"""Entry point for the CDK CLI (cdk.json runs it).

``cdk synth -c env=NAME`` uses config/NAME.yaml (default, with no -c: dev); ``cdk synth -c
config=PATH`` uses any file. An empty value, or an env that is not a plain name (a-z, 0-9, -) with
a file in config/, is one line on stderr and exit 2: ``-c config=$UNSET`` never means dev.
A config error prints every problem as FILE:LINE:COL and exits 1; so does a synthesis failure,
at the line of the config item it comes from when it names one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import aws_cdk as cdk

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.errors import printable
from bedrock_platform.stacks import add_stacks
from bedrock_platform.stacks.sources import synthesis_error_line

ROOT = Path(__file__).resolve().parent


ENV_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class ContextError(Exception):
    """``-c env=`` or ``-c config=`` does not name a config file."""


def config_path(app: cdk.App) -> Path:
    """The config file the context names: ``config`` (a path) wins over ``env`` (a name).

    No context means ``env=dev``. An empty ``config=`` or ``env=`` (``-c env=$UNSET``) is an error,
    not dev; ``env`` must be a plain name (a-z, 0-9, -) with a file config/<env>.yaml.
    """
    explicit = app.node.try_get_context("config")
    if explicit is not None:
        if not isinstance(explicit, str) or not explicit.strip():
            raise ContextError("-c config= is empty: name a config file, e.g. -c config=config/dev.yaml")
        return Path(explicit)
    env = app.node.try_get_context("env")
    if env is None:
        env = "dev"
    if not isinstance(env, str) or not ENV_NAME.fullmatch(env):
        raise ContextError(
            f"-c env={printable(str(env))!r} is not an environment name: use a-z, 0-9 and -, "
            "the name of a file in config/, e.g. -c env=dev"
        )
    path = ROOT / "config" / f"{env}.yaml"
    if not path.is_file():
        names = ", ".join(sorted(file.stem for file in (ROOT / "config").glob("*.yaml")))
        raise ContextError(f"-c env={env}: there is no config/{env}.yaml (environments: {names})")
    return path


def main() -> None:
    app = cdk.App()
    try:
        path = config_path(app)
        config = load_config(str(path))
    except ContextError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except ConfigError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    try:
        add_stacks(app, config)
        app.synth()
    except Exception as error:  # a construct's refusal, cdk-nag, CloudFormation schema validation
        print(synthesis_error_line(str(path), error), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
