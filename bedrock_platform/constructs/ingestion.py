"""An ingestion job of an S3 data source, started by the deploy, as a custom resource.

An ingestion job is not something CloudFormation can hold, so ``handlers/ingestion.py`` starts
one through the ``bedrock-agent`` API each time the custom resource is created or its
properties change, and the properties change exactly when the data source is created, replaced
or its settings change (:func:`settings_hash`).
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from bedrock_platform import permissions
from bedrock_platform.constructs.data_source import DataSource
from bedrock_platform.constructs.handler_provider import HandlerProvider
from bedrock_platform.spec.hashing import short_hash

__all__ = ["DataSourceIngestion", "settings_hash"]

RESOURCE_TYPE = "Custom::BedrockDataSourceIngestion"
QUERY_INTERVAL = cdk.Duration.seconds(30)
"""How often a start refused while another job of the data source runs is tried again."""
TOTAL_TIMEOUT = cdk.Duration.minutes(30)
"""How long the deploy waits for a running job of the data source to end before it fails."""


class DataSourceIngestion(Construct):
    """Starts an ingestion job of ``data_source`` whenever the data source is created or its settings change.

    The settings are what decides what is ingested and how: the bucket, the inclusion prefix,
    the chunking and the data source's name (:func:`settings_hash`). A description or data
    deletion policy change starts nothing, and neither does a change of the documents in the
    bucket: ingest those with ``python -m bedrock_platform sync ENV``. A replaced data source
    (new chunking) is ingested as a new one.

    The deploy does not wait for the ingestion to finish: it goes on once the service has
    accepted the job. While another ingestion job of the data source is running, the start is
    tried again every 30 seconds until the service accepts it, for at most 30 minutes, after
    which the deploy fails. The handler may only call ``bedrock:StartIngestionJob`` on the data
    source's knowledge base. The job runs after the data source and after the knowledge base
    role's policy that lets it read the bucket (an explicit dependency: on a knowledge base that
    already exists, the policy is updated in the same deploy that adds the data source).

    The job's id is :attr:`ingestion_job_id`.

    :param data_source: the data source to ingest.
    """

    def __init__(self, scope: Construct, id: str, *, data_source: DataSource) -> None:
        super().__init__(scope, id)
        self.data_source = data_source
        self.provider = HandlerProvider.of(
            self,
            module="ingestion",
            description="Amazon Bedrock knowledge base ingestion on deploy",
            query_interval=QUERY_INTERVAL,
            total_timeout=TOTAL_TIMEOUT,
        )
        knowledge_base = data_source.knowledge_base
        knowledge_base.grant(self.provider.role, *permissions.INGESTION_START_ACTIONS)
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties={
                "KnowledgeBaseId": knowledge_base.knowledge_base_id,
                "DataSourceId": data_source.data_source_id,
                "Settings": settings_hash(data_source),
            },
        )
        # The job reads the bucket as the knowledge base role. When the data source is added to a
        # knowledge base that already exists, the knowledge base is not updated, so its own
        # dependency on the role's policy orders nothing: the job must wait for the policy update
        # that grants the new bucket itself.
        self.resource.node.add_dependency(knowledge_base.role_policy)

    @property
    def ingestion_job_id(self) -> str:
        """The id of the ingestion job the last create or update started."""
        return self.resource.get_att_string("IngestionJobId")


def settings_hash(data_source: DataSource) -> str:
    """Six hex characters over what ``data_source`` synthesizes that decides what is ingested.

    Its name, bucket, inclusion prefix and chunking, as they resolve in the template (a bucket of
    the stack appears as its logical id).
    """
    resource = data_source.resource
    settings = cdk.Stack.of(data_source).resolve(
        {
            "name": resource.name,
            "source": resource.data_source_configuration,
            "ingestion": resource.vector_ingestion_configuration,
        }
    )
    return short_hash(settings)
