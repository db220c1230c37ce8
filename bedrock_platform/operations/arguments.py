"""The arguments of the ``status``, ``sync`` and ``smoke`` subcommands, without what runs them.

The CLI builds its parser on every call, ``validate`` included: this module imports nothing of the
operations (boto3, botocore), which :mod:`bedrock_platform.operations.commands` loads when one of
these commands runs.
"""

from __future__ import annotations

import argparse

COMMANDS = ("status", "sync", "smoke")
DEFAULT_INTERVAL = 10.0
"""Seconds between two checks of the ingestion jobs ``sync`` follows."""


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


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return seconds
