"""The ``status``, ``sync`` and ``smoke`` subcommands: their arguments, and running them.

``bedrock_platform.cli`` calls :func:`add_commands` (from :mod:`.arguments`) on its subparsers and
:func:`run` on the parsed arguments (``run`` answers None for any other command). Every command
takes the config file of the environment, like ``validate`` and ``synth``; the Region comes from
the config.

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
from bedrock_platform.operations.arguments import COMMANDS, add_commands
from bedrock_platform.operations.clients import ClientFactory, Clients, boto3_client, describe
from bedrock_platform.operations.discovery import OperationsError
from bedrock_platform.operations.smoke import smoke
from bedrock_platform.operations.status import status
from bedrock_platform.operations.sync import sync

__all__ = ["COMMANDS", "EXIT_INTERRUPTED", "EXIT_INVALID", "add_commands", "run"]

EXIT_INVALID = 1
EXIT_INTERRUPTED = 130


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
