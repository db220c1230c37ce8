"""Clients of real botocore service models that never reach AWS, for Stubber and the simulations."""

from __future__ import annotations

import functools
from typing import Any

import boto3


@functools.cache
def _session() -> boto3.Session:
    """One session for the clients of every test, with fake credentials of its own: it loads each
    service model once. A new session per test, which is what boto3's default session becomes
    after the per-test reset of tests/conftest.py, reads the bedrock model again each time (about
    0.3 s a test)."""
    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")


def fake_client(service: str, region: str = "us-east-1", **options: Any) -> Any:
    """A new client of ``service`` in ``region`` (each gets its own Stubber or event handlers)."""
    return _session().client(service, region_name=region, **options)
