"""Where each stack publishes the identifiers other stacks and applications need: SSM parameters.

Names are ``/bedrock-platform/<env>/<kind>/<name>/<attribute>``. A stack that needs another
stack's identifier reads the parameter at deploy time (a CloudFormation parameter of type
``AWS::SSM::Parameter::Value<String>``) instead of importing a CloudFormation export: an export
in use cannot change, so a replaced knowledge base or throughput would block its own stack.
"""

from __future__ import annotations

from aws_cdk import aws_ssm as ssm
from constructs import Construct

from bedrock_platform.parameters import (
    data_source_id,
    guardrail_id,
    guardrail_latest_version,
    guardrail_version,
    inference_profile_arn,
    job_arn,
    job_output_uri,
    knowledge_base_id,
    parameter_name,
    provisioned_model_arn,
    vector_store_arn,
    vector_store_endpoint,
)

__all__ = [
    "data_source_id",
    "guardrail_id",
    "guardrail_latest_version",
    "guardrail_version",
    "inference_profile_arn",
    "job_arn",
    "job_output_uri",
    "knowledge_base_id",
    "lookup",
    "parameter_name",
    "provisioned_model_arn",
    "publish",
    "vector_store_arn",
    "vector_store_endpoint",
]


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
