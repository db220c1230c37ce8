"""The ``status``, ``sync`` and ``smoke`` subcommands: their arguments, and running them.

``bedrock_platform.cli`` calls :func:`add_commands` on its subparsers and :func:`run` on the
parsed arguments (``run`` answers None for any other command). Every command takes the config
file of the environment, like ``validate`` and ``synth``; the Region comes from the config.

Exit codes: 0 success; 1 invalid config (each error printed as ``FILE:LINE:COL: error: ...``), an
AWS error (one line on stderr, never a traceback), a resource not deployed, or a failed check or
job; 2 a ``--knowledge-base`` the config does not declare; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.errors import printable
from bedrock_platform.operations.clients import ClientFactory, Clients, boto3_client, describe
from bedrock_platform.operations.discovery import OperationsError
from bedrock_platform.operations.smoke import smoke
from bedrock_platform.operations.status import status
from bedrock_platform.operations.sync import DEFAULT_INTERVAL, sync

COMMANDS = ("status", "sync", "smoke")
EXIT_INVALID = 1
EXIT_INTERRUPTED = 130


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``status``, ``sync`` and ``smoke`` to the CLI's subparsers (``dest="command"``)."""
    status_parser = subparsers.add_parser(
        "status", help="every declared resource with its live state, as a table (needs AWS credentials)"
    )
    status_parser.add_argument("file", metavar="ENV_FILE", help="the environment's config file")

    sync_parser = subparsers.add_parser(
        "sync",
        help="start ingestion jobs for the knowledge bases' data sources and follow them until they end",
    )
    sync_parser.add_argument("file", metavar="ENV_FILE", help="the environment's config file")
    sync_parser.add_argument(
        "--knowledge-base", metavar="NAME", help="only this knowledge base. Default: all of them"
    )
    sync_parser.add_argument(
        "--interval",
        type=_positive_seconds,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between two checks of the jobs. Default: {DEFAULT_INTERVAL:g}",
    )

    smoke_parser = subparsers.add_parser(
        "smoke",
        help="invoke each throughput, query each knowledge base, test each guardrail version",
    )
    smoke_parser.add_argument("file", metavar="ENV_FILE", help="the environment's config file")


def run(
    args: argparse.Namespace,
    *,
    client_factory: ClientFactory = boto3_client,
    sleep: Callable[[float], None] = time.sleep,
) -> int | None:
    """Run the command ``args`` names and return its exit code; None when it is not one of these."""
    if args.command not in COMMANDS:
        return None
    try:
        config = load_config(args.file)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    clients = Clients(config.region, client_factory)
    try:
        if args.command == "status":
            return status(config, clients, out=sys.stdout)
        if args.command == "sync":
            return sync(
                config,
                clients,
                knowledge_base=args.knowledge_base,
                interval=args.interval,
                sleep=sleep,
                progress=sys.stderr,
                out=sys.stdout,
            )
        return smoke(config, clients, out=sys.stdout)
    except OperationsError as error:
        print(f"{printable(args.file)}: error: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except (ClientError, BotoCoreError) as error:
        operation = f"{error.operation_name}: " if isinstance(error, ClientError) else ""
        print(f"{printable(args.file)}: error: {printable(operation + describe(error))}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        still = " (the ingestion jobs it started keep running)" if args.command == "sync" else ""
        print(f"interrupted{still}", file=sys.stderr)
        return EXIT_INTERRUPTED


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return seconds
