"""IAM actions and OpenSearch Serverless permissions granted by the constructs, in one place."""

from __future__ import annotations

KNOWLEDGE_BASE_RETRIEVE_ACTIONS: tuple[str, ...] = ("bedrock:Retrieve", "bedrock:RetrieveAndGenerate")
"""What an application needs to query a knowledge base (RetrieveAndGenerate also needs InvokeModel
on the generating model, which the application's own grant covers)."""

EMBEDDING_MODEL_ACTIONS: tuple[str, ...] = ("bedrock:InvokeModel",)
"""What a knowledge base role needs on its embedding model."""

COLLECTION_API_ACTIONS: tuple[str, ...] = ("aoss:APIAccessAll",)
"""IAM side of OpenSearch Serverless data-plane access (the data access policy is the other side)."""

S3_LIST_ACTIONS: tuple[str, ...] = ("s3:ListBucket",)
S3_READ_ACTIONS: tuple[str, ...] = ("s3:GetObject",)
KMS_DECRYPT_ACTIONS: tuple[str, ...] = ("kms:Decrypt",)

# OpenSearch Serverless data access policy permissions (not IAM actions).
INDEX_READ_WRITE_PERMISSIONS: tuple[str, ...] = (
    "aoss:CreateIndex",
    "aoss:DeleteIndex",
    "aoss:DescribeIndex",
    "aoss:ReadDocument",
    "aoss:UpdateIndex",
    "aoss:WriteDocument",
)
INDEX_ADMIN_PERMISSIONS: tuple[str, ...] = (
    "aoss:CreateIndex",
    "aoss:DeleteIndex",
    "aoss:DescribeIndex",
    "aoss:UpdateIndex",
)
"""What the deploying principal (CloudFormation's execution role) needs to manage vector indexes."""
KNOWLEDGE_BASE_INDEX_PERMISSIONS: tuple[str, ...] = (
    "aoss:DescribeIndex",
    "aoss:ReadDocument",
    "aoss:WriteDocument",
)
"""What a knowledge base role needs on its own index: read the mapping, write and read chunks."""
COLLECTION_DESCRIBE_PERMISSIONS: tuple[str, ...] = ("aoss:DescribeCollectionItems",)

GUARDRAIL_APPLY_ACTIONS: tuple[str, ...] = ("bedrock:ApplyGuardrail",)
"""What an application needs to apply a guardrail (to any of its versions)."""

MODEL_INVOKE_ACTIONS: tuple[str, ...] = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
"""What an application needs to invoke a model (through a provisioned throughput ARN, too)."""

THROUGHPUT_PURCHASE_ACTIONS: tuple[str, ...] = (
    "bedrock:CreateProvisionedModelThroughput",
    "bedrock:UpdateProvisionedModelThroughput",
)
"""What the throughput handler needs on each model it buys throughput for (and on the throughputs)."""
THROUGHPUT_MANAGE_ACTIONS: tuple[str, ...] = (
    "bedrock:DeleteProvisionedModelThroughput",
    "bedrock:GetProvisionedModelThroughput",
    "bedrock:TagResource",
    "bedrock:UntagResource",
)
"""What the throughput handler needs on the provisioned models of its account and Region."""
