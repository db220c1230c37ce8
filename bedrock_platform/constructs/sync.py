"""Scheduled ingestion of a data source: an EventBridge Scheduler schedule, no Lambda."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from bedrock_platform.constructs.data_source import DataSource
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.nag import (
    BEDROCK_PACK,
    SCHEDULED_INGESTION,
    acknowledge,
    acknowledge_role_policy,
)
from bedrock_platform.spec import sync as spec


class IngestionSchedule(Construct):
    """Starts an ingestion job of ``data_source`` on a schedule (``rate(1 day)``, ``cron(0 3 * * ? *)``).

    The schedule calls Bedrock's StartIngestionJob through EventBridge Scheduler's universal target,
    with a role of its own: trusted by ``scheduler.amazonaws.com`` for this account and this schedule
    only (``aws:SourceAccount``, ``aws:SourceArn``), allowed ``bedrock:StartIngestionJob`` on the data
    source's knowledge base only. A start while a job of the data source runs is refused by the
    service and not retried (the next one comes at the next tick).

    :param data_source: the data source to ingest.
    :param schedule_name: unique in the account and Region (the default schedule group): 1 to 64
        letters, digits, hyphens, underscores and dots.
    :param schedule: ``rate(<n> <unit>)`` or ``cron(<6 fields>)``, at most once an hour.
    :param timezone: the cron's time zone (IANA name). Default: UTC.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        data_source: DataSource,
        schedule_name: str,
        schedule: str,
        timezone: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        problems = []
        problem = spec.schedule_problem(schedule)
        if problem:
            problems.append(f"schedule '{schedule}' {problem}")
        if not spec.SCHEDULE_NAME.match(schedule_name):
            problems.append(f"schedule_name '{schedule_name}' must match {spec.SCHEDULE_NAME.pattern}")
        if problems:
            raise ConstructValidationError(f"IngestionSchedule '{id}': " + "; ".join(problems))
        stack = cdk.Stack.of(self)
        knowledge_base = data_source.knowledge_base
        name = schedule_name
        schedule_arn = stack.format_arn(
            service="scheduler",
            resource="schedule",
            resource_name=f"default/{name}",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        self.role = iam.Role(
            self,
            "Role",
            description=f"EventBridge Scheduler ingests data source {data_source.data_source_name}",
            assumed_by=iam.ServicePrincipal(
                spec.SCHEDULER_SERVICE,
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnEquals": {"aws:SourceArn": schedule_arn},
                },
            ),
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(spec.ACTIONS), resources=[knowledge_base.knowledge_base_arn])
        )
        acknowledge_role_policy(self.role)
        acknowledge(self.role, f"{BEDROCK_PACK}::{BEDROCK_PACK}-BR9", SCHEDULED_INGESTION)
        self.resource = scheduler.CfnSchedule(
            self,
            "Resource",
            name=name,
            description=f"Ingest data source {data_source.data_source_name} on {schedule}",
            schedule_expression=schedule,
            schedule_expression_timezone=timezone,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            state="ENABLED",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=spec.TARGET_ARN,
                role_arn=self.role.role_arn,
                input=stack.to_json_string(
                    dict(
                        zip(
                            spec.INPUT_KEYS,
                            (knowledge_base.knowledge_base_id, data_source.data_source_id),
                            strict=True,
                        )
                    )
                ),
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(maximum_retry_attempts=0),
            ),
        )
        # The role's policy exists before the schedule can first fire with it.
        self.resource.node.add_dependency(self.role.node.find_child("DefaultPolicy"))
        self.schedule_name = name
