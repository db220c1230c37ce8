"""Scheduled ingestion: an EventBridge Scheduler schedule that starts a data source's ingestion job.

No Lambda: the schedule's target is Scheduler's universal target for the Bedrock Agent API,
``arn:aws:scheduler:::aws-sdk:bedrockagent:startIngestionJob`` (EventBridge Scheduler user guide,
"Using universal targets": ``arn:aws:scheduler:::aws-sdk:<service>:<apiAction>``, the service as the
SDK names it, the input the API's request parameters), whose input is StartIngestionJob's required
members (botocore's model; a test compares). Sources for the expressions: the Scheduler user guide,
"Schedule types" (``rate(value unit)`` with minute(s), hour(s) or day(s); ``cron(minutes hours
day-of-month month day-of-week year)``, six fields).
"""

from __future__ import annotations

import hashlib
import re

TARGET_ARN = "arn:aws:scheduler:::aws-sdk:bedrockagent:startIngestionJob"
INPUT_KEYS = ("knowledgeBaseId", "dataSourceId")
"""StartIngestionJob's required request members: the target's input."""
ACTIONS: tuple[str, ...] = ("bedrock:StartIngestionJob",)
"""What the schedule's role may do, on the one knowledge base."""
SCHEDULER_SERVICE = "scheduler.amazonaws.com"
SCHEDULE_NAME = re.compile(r"^[0-9a-zA-Z_.-]{1,64}$")
"""``AWS::Scheduler::Schedule`` Name (its resource schema; a test compares)."""


def schedule_name(environment: str, knowledge_base: str, data_source: str) -> str:
    """``<environment>-<knowledge base>-<data source>``, unique in the account and Region; cut to 57
    characters and suffixed with 6 hex digits of the whole when longer than 64."""
    name = f"{environment}-{knowledge_base}-{data_source}"
    if len(name) <= 64:
        return name
    return f"{name[:57]}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


RATE = re.compile(r"^rate\((?P<value>[1-9][0-9]*) (?P<unit>minutes?|hours?|days?)\)$")
CRON = re.compile(r"^cron\((?P<fields>[^()]+)\)$")
CRON_FIELDS = 6
MIN_MINUTES = 60
"""The toolkit's floor: one ingestion an hour. A knowledge base ingests one job per data source at
a time, and a job over many documents runs longer than that; a tighter schedule only queues starts
the service refuses (ConflictException)."""
_MINUTES = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}


def schedule_problem(expression: str) -> str | None:
    """Why ``expression`` is not a schedule the toolkit takes, or None."""
    rate = RATE.match(expression)
    if rate is not None:
        value, unit = int(rate["value"]), rate["unit"]
        if (value == 1) != (not unit.endswith("s")):
            return f"says {value} {unit}: the unit is singular for 1 and plural otherwise"
        if value * _MINUTES[unit] < MIN_MINUTES:
            return "runs more often than once an hour (at least rate(1 hour))"
        return None
    cron = CRON.match(expression)
    if cron is not None:
        fields = cron["fields"].split()
        if len(fields) != CRON_FIELDS:
            return (
                f"has {len(fields)} fields, cron takes {CRON_FIELDS}: minutes hours day-of-month month "
                "day-of-week year"
            )
        if not fields[0].isdigit() or not 0 <= int(fields[0]) <= 59:
            return "starts more than once an hour, or at no minute: give one minute of the hour (0 to 59)"
        return None
    return "must be rate(<n> <minutes|hours|days>) or cron(<6 fields>)"
