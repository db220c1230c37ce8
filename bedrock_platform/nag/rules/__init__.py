"""The rules of the Bedrock pack, one per module, in id order."""

from __future__ import annotations

from bedrock_platform.nag.rule import Rule
from bedrock_platform.nag.rules import (
    collection_customer_managed_key,
    collection_network_reachable,
    collection_private_in_production,
    collection_standby_in_production,
    control_plane_writes,
    data_access_named_principals,
    guardrail_customer_managed_key,
    guardrail_version_retained,
    invocation_logging_in_production,
    knowledge_base_scoped_reads,
    s3_vectors_policy_not_public,
    service_role_confused_deputy,
)

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            module.RULE
            for module in (
                service_role_confused_deputy,
                data_access_named_principals,
                collection_private_in_production,
                collection_network_reachable,
                collection_customer_managed_key,
                collection_standby_in_production,
                guardrail_version_retained,
                guardrail_customer_managed_key,
                control_plane_writes,
                s3_vectors_policy_not_public,
                knowledge_base_scoped_reads,
                invocation_logging_in_production,
            )
        ),
        key=lambda rule: int(rule.id.removeprefix("BR")),
    )
)
