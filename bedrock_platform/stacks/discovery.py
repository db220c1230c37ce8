"""Where each stack publishes the identifiers other stacks and applications need: SSM parameters.

Names are ``/bedrock-platform/<env>/<kind>/<name>/<attribute>``. A stack that needs another
stack's identifier reads the parameter at deploy time (a CloudFormation parameter of type
``AWS::SSM::Parameter::Value<String>``) instead of importing a CloudFormation export: an export
in use cannot change, so a replaced knowledge base or throughput would block its own stack.
"""

from __future__ import annotations

from aws_cdk import aws_ssm as ssm
from constructs import Construct

PARAMETER_ROOT = "/bedrock-platform"


def parameter_name(environment: str, *parts: str) -> str:
    """``/bedrock-platform/<environment>/<parts...>``."""
    return "/".join((PARAMETER_ROOT, environment, *parts))


def publish(scope: Construct, id: str, name: str, value: str, description: str) -> ssm.StringParameter:
    """An SSM String parameter holding ``value``."""
    return ssm.StringParameter(
        scope,
        id,
        parameter_name=name,
        string_value=value,
        description=description,
        tier=ssm.ParameterTier.STANDARD,
    )


def lookup(scope: Construct, name: str) -> str:
    """The value of the parameter ``name``, resolved when the stack is deployed."""
    return ssm.StringParameter.value_for_string_parameter(scope, name)


def knowledge_base_id(environment: str, name: str) -> str:
    """The parameter holding a knowledge base's id."""
    return parameter_name(environment, "knowledge-bases", name, "id")


def provisioned_model_arn(environment: str, name: str) -> str:
    """The parameter holding a provisioned throughput's ARN."""
    return parameter_name(environment, "provisioned-throughputs", name, "arn")
