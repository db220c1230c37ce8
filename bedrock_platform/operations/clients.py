"""The boto3 clients of one command, and how AWS errors read on one line.

Every client is made by one factory, ``(service, region) -> client``; the commands take the
factory as a parameter so that tests hand them clients with a ``botocore.stub.Stubber``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError, NoCredentialsError

ClientFactory = Callable[[str, str], Any]
"""Makes the boto3 client of a service (``ssm``, ``bedrock``, ...) in a Region."""

USER_AGENT = "bedrock-platform-operations"

NO_CREDENTIALS = (
    "no AWS credentials found: set AWS_PROFILE (after `aws sso login` if it is an SSO profile) "
    "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
)


def boto3_client(service: str, region: str) -> Any:
    """A boto3 client with the standard retry mode (throttling is retried with backoff)."""
    import boto3
    from botocore.config import Config

    config = Config(user_agent_extra=USER_AGENT, retries={"mode": "standard", "max_attempts": 5})
    return boto3.client(service, region_name=region, config=config)


class Clients:
    """One client per service for one command, all in the config's Region, made on first use."""

    def __init__(self, region: str, factory: ClientFactory = boto3_client) -> None:
        self.region = region
        self._factory = factory
        self._clients: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        """The client of ``service``."""
        if service not in self._clients:
            self._clients[service] = self._factory(service, self.region)
        return self._clients[service]


def error_code(error: ClientError) -> str:
    """The service's error code: ``AccessDeniedException``, ``ResourceNotFoundException``, ..."""
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def describe(error: Exception) -> str:
    """An AWS error on one line: ``AccessDeniedException: <message>`` for a service error."""
    if isinstance(error, ClientError):
        message = error.response.get("Error", {}).get("Message") or str(error)
        return one_line(f"{error_code(error)}: {message}")
    if isinstance(error, NoCredentialsError):
        return NO_CREDENTIALS
    return one_line(str(error))


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(text.split())
