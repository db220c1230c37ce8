"""BR12: a production app that serves models configures Amazon Bedrock model invocation logging."""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_platform.nag.rule import Options, Resource, Rule
from bedrock_platform.spec import jobs, throughput

MODEL_RESOURCE_TYPES = (
    "AWS::Bedrock::Agent",
    "AWS::Bedrock::ApplicationInferenceProfile",
    "AWS::Bedrock::Flow",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::KnowledgeBase",
    throughput.RESOURCE_TYPE,
    jobs.EVALUATION_JOB_TYPE,
    jobs.BATCH_INFERENCE_JOB_TYPE,
)
"""What makes or guards model invocations: the resources whose use the invocation logs record."""


def check(resource: Resource, options: Options) -> Sequence[str] | None:
    if not options.production or options.invocation_logging is None:
        return None
    if options.invocation_logging:
        return []
    return ["the production app configures no model invocation logging in its account and Region"]


RULE = Rule(
    id="BR12",
    name="invocation-logging-in-production",
    info="A production app that serves models does not configure model invocation logging.",
    explanation=(
        "Without invocation logging no record says who invoked which model with what, so an abuse or a "
        "data leak cannot be traced. Add the toolkit's InvocationLogging (invocation_logging in the "
        "config) to the app; if another app or the console configures it for the account and Region, "
        "acknowledge this finding with where."
    ),
    source='Amazon Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3"; '
    "Well-Architected SEC04-BP01 (configure service and application logging)",
    resource_types=MODEL_RESOURCE_TYPES,
    check=check,
    production=True,
    reads_logging=True,
)
