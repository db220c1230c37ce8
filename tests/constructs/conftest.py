"""Helpers for construct tests: stacks in an app without the config layer."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk

from bedrock_platform import intrinsics


def new_stack(name: str = "Test") -> cdk.Stack:
    """A stack with a concrete account and Region, in an app with the project's feature flags."""
    context = json.loads((Path(__file__).resolve().parents[2] / "cdk.json").read_text())["context"]
    app = cdk.App(context=context, builtin_cloud_formation_validation=False)
    return cdk.Stack(app, name, env=cdk.Environment(account="111111111111", region="us-east-1"))


def render(value: object) -> str:
    """A CloudFormation string value as text, tokens shown as ``<LogicalId.Attr>`` or ``<Ref>``.

    Policy documents with role ARNs in them are ``Fn::Join``s; rendered, they parse as JSON.
    """
    return intrinsics.render(value)
