"""``python -m bedrock_platform``: validate configs and synthesize them without the CDK CLI.

Exit codes: 0 success, 1 invalid config or failed synthesis, 2 usage error.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bedrock_platform import __version__
from bedrock_platform.config import ConfigError, load_config

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bedrock-platform",
        description="Amazon Bedrock infrastructure from one validated YAML file per environment.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check config files; report every error with file:line:col"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="config files to check")

    synth = commands.add_parser(
        "synth", help="synthesize a config into CloudFormation templates (no CDK CLI)"
    )
    synth.add_argument("file", metavar="FILE", help="the config file")
    synth.add_argument(
        "--out", required=True, metavar="DIR", help="output folder (a cloud assembly, like cdk.out)"
    )
    synth.add_argument(
        "--no-validation",
        action="store_true",
        help="skip aws-cdk-lib's built-in CloudFormation schema validation (faster; cfn-lint covers it)",
    )
    return parser


def validate(files: Sequence[str]) -> int:
    """Check each file; print every error to stderr. 0 when all are valid, else 1."""
    status = EXIT_OK
    for file in files:
        try:
            load_config(file)
        except ConfigError as error:
            print(error, file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{file}: valid")
    return status


def synth(file: str, out: str, *, validation: bool = True) -> int:
    """Synthesize ``file`` into ``out``. Nothing is written to ``out`` unless synthesis succeeds."""
    try:
        config = load_config(file)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID

    from bedrock_platform.stacks import create_app  # imports aws_cdk: only when synthesizing

    target = Path(out)
    with tempfile.TemporaryDirectory(prefix="bedrock-platform-synth-") as staging:
        try:
            assembly = create_app(config, outdir=staging, validation=validation).synth()
        except Exception as error:  # jsii surfaces every synthesis failure as a plain exception
            message = " ".join(str(error).split())
            print(f"{file}: error: synthesis failed: {message}", file=sys.stderr)
            return EXIT_INVALID
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staging, target)
        for stack in assembly.stacks:
            print(f"{stack.stack_name}: {target / stack.template_file}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m bedrock_platform``."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    if args.command == "validate":
        return validate(args.files)
    return synth(args.file, args.out, validation=not args.no_validation)
