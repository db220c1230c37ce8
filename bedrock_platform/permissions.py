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


MODEL_METADATA_ACTIONS: tuple[str, ...] = ("bedrock:GetInferenceProfile",)
"""What a job role needs to resolve an inference profile it invokes."""
THROUGHPUT_READ_ACTIONS: tuple[str, ...] = ("bedrock:GetProvisionedModelThroughput",)
"""What a job role needs to resolve a provisioned throughput it invokes."""
KNOWLEDGE_BASE_RETRIEVE_ONLY_ACTIONS: tuple[str, ...] = ("bedrock:Retrieve",)
"""What a retrieve-only RAG evaluation needs on its knowledge base."""
INGESTION_START_ACTIONS: tuple[str, ...] = ("bedrock:StartIngestionJob",)
"""What the ingestion handler needs on the knowledge base (StartIngestionJob is authorized on it)."""
S3_BUCKET_READ_ACTIONS: tuple[str, ...] = ("s3:GetBucketLocation",)
S3_WRITE_ACTIONS: tuple[str, ...] = ("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts")
"""What a job role needs on its output prefix (results are written in parts)."""
KMS_ENCRYPT_DECRYPT_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
"""What a job role needs on a key that encrypts what it reads and writes."""
KMS_LOG_GROUP_ACTIONS: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)
"""What CloudWatch Logs needs on the key of a log group it encrypts (in the key policy)."""
VPC_DESCRIBE_ACTIONS: tuple[str, ...] = (
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
)
"""What a batch job in a VPC needs to find its subnets (EC2 Describe actions take no resource)."""
VPC_INTERFACE_ACTIONS: tuple[str, ...] = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
)
"""What a batch job in a VPC needs to attach to its subnets."""
INVOCATION_LOGGING_ACTIONS: tuple[str, ...] = (
    "bedrock:DeleteModelInvocationLoggingConfiguration",
    "bedrock:GetModelInvocationLoggingConfiguration",
    "bedrock:PutModelInvocationLoggingConfiguration",
)
"""What the invocation logging handler needs: one setting of the account and Region."""
STEP_FUNCTIONS_LOG_DELIVERY_ACTIONS: tuple[str, ...] = (
    "logs:CreateLogDelivery",
    "logs:CreateLogStream",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutLogEvents",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
)
"""What CDK's Provider framework grants its waiter state machine to deliver its logs."""

UNSCOPED_ACTIONS: dict[str, str] = {
    **{
        action: "EC2 Describe actions take no resource; the batch job only reads its network"
        for action in VPC_DESCRIBE_ACTIONS
    },
    **{
        action: "invocation logging is one setting of the account and Region, with no resource ARN"
        for action in INVOCATION_LOGGING_ACTIONS
    },
    **{
        action: "Step Functions log delivery (CloudWatch Logs vended logs) has no resource-level permissions"
        for action in STEP_FUNCTIONS_LOG_DELIVERY_ACTIONS
    },
}
"""The only actions granted on ``Resource: *``, each with why it cannot be scoped (the
least-privilege test checks every synthesized policy against this list)."""

THROUGHPUT_CREATE_ACTIONS: tuple[str, ...] = ("bedrock:CreateProvisionedModelThroughput",)
"""What the throughput handler needs on each model it buys throughput for (with the stack tag)."""
THROUGHPUT_MODEL_UPDATE_ACTIONS: tuple[str, ...] = ("bedrock:UpdateProvisionedModelThroughput",)
"""What the throughput handler needs on the model a throughput serves, to rename or move it (the
IAM reference authorizes UpdateProvisionedModelThroughput on the foundation or custom model too)."""
THROUGHPUT_OWNED_ACTIONS: tuple[str, ...] = (
    "bedrock:DeleteProvisionedModelThroughput",
    "bedrock:GetProvisionedModelThroughput",
    "bedrock:TagResource",
    "bedrock:UntagResource",
    "bedrock:UpdateProvisionedModelThroughput",
)
"""What the throughput handler needs on the provisioned models that carry its stack's tag."""

INVOCATION_LOG_DELIVERY_ACTIONS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")
"""What Bedrock's invocation logging delivery role needs on its log stream (user guide, "Set up a
CloudWatch Logs destination")."""
THROUGHPUT_LIST_ACTIONS: tuple[str, ...] = ("bedrock:ListProvisionedModelThroughputs",)
"""What the throughput handler needs on ``*`` (no resource type) to tell a throughput that is gone
from one its tag-scoped role is denied."""
