"""Data sources of a knowledge base: the source kinds, their keys and limits, how documents are
parsed, and what the knowledge base's role needs for each, as the config rules, the constructs and
the deploy proof read them.

Sources:
- ``AWS::Bedrock::DataSource`` (cfn-lint's resource schema; tests compare): the types, 1 to 100 seed
  URLs and site URLs, a crawl rate of 1 to 300 per minute and host, user agent suffixes of 15 to 40
  characters, 1 to 25 filter patterns of at most 1,000 characters, 1 to 25 object filters, at most one
  transformation (``POST_CHUNKING``), a parsing prompt of at most 10,000 characters, the secret and
  Lambda ARN patterns; ``VectorIngestionConfiguration/ParsingConfiguration`` and ``.../Chunking...``
  and ``DataSourceConfiguration/Type`` are create-only.
- User guide, "Connect to Confluence / SharePoint / Salesforce / a web crawler for your knowledge
  base": the object types each connector filters on; each takes only an OpenSearch Serverless vector
  store ("Currently, only Amazon OpenSearch Serverless vector store is available to use with this
  data source"); the secret must be in the knowledge base's Region; a crawler crawls at most 25,000
  pages; Microsoft retired SharePoint App-Only (ACS) authentication on 2026-04-02.
- User guide, "Permissions to access your data sources": the role gets
  ``secretsmanager:GetSecretValue`` on the connector's secret (and ``PutSecretValue`` for Confluence
  with OAuth 2.0, whose refresh token the service rotates), and ``kms:Decrypt`` on the secret's key
  through Secrets Manager only (``kms:ViaService``).
- User guide, "Parsing options for your data source" and "Supported models and Regions for Amazon
  Bedrock knowledge bases": a foundation model parser is a Claude, Nova or Llama 4 vision model; the
  Bedrock Data Automation parser is offered in US West (Oregon); ``SMART_PARSING`` and
  ``MULTI_MODAL_EMBEDDINGS`` are for managed knowledge bases (botocore's ``ParsingConfiguration``);
  "Only Amazon S3 and custom data sources support multimodal content", which needs the knowledge
  base's supplemental (multimodal) storage.
- User guide, "Permissions for multimodal content" (Bedrock Data Automation):
  ``bedrock:InvokeDataAutomationAsync`` on the public RAG project and the account's data automation
  profiles, ``bedrock:GetDataAutomationStatus`` on its invocations.
- User guide, "Use a custom transformation Lambda function": one function after chunking, with an
  S3 location for the batches it reads and writes; the role invokes the function and reads and
  writes that location.
- User guide, "Build a graph with GraphRAG": context enrichment (chunk entity extraction) is for a
  Neptune Analytics store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SOURCE_TYPES: tuple[str, ...] = ("s3", "web", "confluence", "sharepoint", "salesforce", "custom")
"""``data_sources[].type``; CloudFormation's are the same upper-cased."""
DEFAULT_TYPE = "s3"

COMMON_FIELDS = frozenset(
    {
        "name",
        "type",
        "description",
        "chunking",
        "parsing",
        "custom_transformation",
        "context_enrichment",
        "connector",
        "data_deletion_policy",
        "sync",
        "ingest_on_deploy",
    }
)
"""The keys every kind of data source takes."""
MANAGED_WEB_ONLY = frozenset(
    {
        "crawl_depth",
        "max_links_per_url",
        "crawl_attachments",
        "auth_type",
        "credentials_secret_arn",
        "secret_kms_key_arn",
    }
)
"""A web source's keys that only a managed knowledge base's web crawler takes (user guide, managed
knowledge bases, "Web Crawler", connector parameters)."""
VECTOR_WEB_ONLY = frozenset({"max_pages", "user_agent"})
"""A web source's keys that the managed web crawler has no parameter for."""
MANAGED_SHAREPOINT_ONLY = frozenset(
    {"certificate_s3_uri", "certificate_kms_key_arn", "crawl_files", "crawl_pages"}
)
"""A SharePoint source's keys that only a managed knowledge base's connector takes (user guide, managed
knowledge bases, "Connect a SharePoint data source", connector parameters)."""
VECTOR_SHAREPOINT_ONLY = frozenset({"domain", "filters"})
"""A SharePoint source's keys that only the self-managed connector takes (``domain`` is required
there)."""
TYPE_FIELDS: dict[str, frozenset[str]] = {
    "s3": frozenset({"bucket", "inclusion_prefixes"}),
    "web": frozenset({"seed_urls", "crawl_scope", "inclusion_filters", "exclusion_filters", "rate_limit"})
    | VECTOR_WEB_ONLY
    | MANAGED_WEB_ONLY,
    "confluence": frozenset(
        {"host_url", "auth_type", "credentials_secret_arn", "secret_kms_key_arn", "filters"}
    ),
    "sharepoint": frozenset(
        {"site_urls", "tenant_id", "auth_type", "credentials_secret_arn", "secret_kms_key_arn"}
    )
    | VECTOR_SHAREPOINT_ONLY
    | MANAGED_SHAREPOINT_ONLY,
    "salesforce": frozenset({"host_url", "credentials_secret_arn", "secret_kms_key_arn", "filters"}),
    "custom": frozenset(),
}
"""The keys each kind takes besides :data:`COMMON_FIELDS` (the schema lists their union; rule
data-source-fields holds each data source to its kind's)."""
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    "s3": frozenset({"bucket"}),
    "web": frozenset({"seed_urls"}),
    "confluence": frozenset({"host_url", "credentials_secret_arn"}),
    "sharepoint": frozenset({"site_urls", "tenant_id", "credentials_secret_arn"}),
    "salesforce": frozenset({"host_url", "credentials_secret_arn"}),
}
"""The keys a kind needs besides ``name``."""

AUTH_TYPES: Mapping[str, tuple[str, ...]] = {
    "confluence": ("basic", "oauth2_client_credentials"),
    "sharepoint": ("oauth2_client_credentials",),
    "salesforce": ("oauth2_client_credentials",),
}
"""The authentication each connector takes, the first its default. SharePoint's App-Only
(``OAUTH2_SHAREPOINT_APP_ONLY_CLIENT_CREDENTIALS``, still in CloudFormation's enum) is left out:
Microsoft retired it on 2026-04-02."""
SECRET_KEYS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("confluence", "basic"): ("username", "password"),
    ("confluence", "oauth2_client_credentials"): (
        "confluenceAppKey",
        "confluenceAppSecret",
        "confluenceAccessToken",
        "confluenceRefreshToken",
    ),
    ("sharepoint", "oauth2_client_credentials"): ("clientId", "clientSecret"),
    ("salesforce", "oauth2_client_credentials"): ("consumerKey", "consumerSecret", "authenticationUrl"),
}
"""The keys of the secret's JSON for each connector and authentication (the README lists them)."""
ROTATED_SECRETS = frozenset({("confluence", "oauth2_client_credentials")})
"""The connectors whose secret the service writes back (refreshed OAuth 2.0 tokens)."""
OBJECT_TYPES: Mapping[str, tuple[str, ...]] = {
    "confluence": ("Space", "Page", "Blog", "Comment", "Attachment"),
    "sharepoint": ("Page", "Event", "File"),
    "salesforce": (
        "Account",
        "Attachment",
        "Campaign",
        "ContentVersion",
        "Partner",
        "Pricebook2",
        "Case",
        "Contact",
        "Contract",
        "Document",
        "Idea",
        "Lead",
        "Opportunity",
        "Product2",
        "Solution",
        "Task",
        "FeedItem",
        "FeedComment",
        "Knowledge__kav",
        "User",
        "CollaborationGroup",
    ),
}
"""What each connector's filters can name (``filters[].object_type``)."""

OPENSEARCH_ONLY_TYPES = frozenset({"web", "confluence", "sharepoint", "salesforce"})
MANAGED_CONNECTOR_TYPE = "MANAGED_KNOWLEDGE_BASE_CONNECTOR"
MANAGED_SOURCE_TYPES: Mapping[str, str] = {
    "s3": "S3",
    "web": "WEB",
    "sharepoint": "SHAREPOINT",
    "custom": "CUSTOM",
}
"""The kinds a managed knowledge base takes here, and their ``connectorParameters.type`` (user guide,
"Connect a data source", "Amazon S3" and "Web Crawler" of managed knowledge bases; a plain ``CUSTOM``
data source type is refused by a managed knowledge base: its custom source is a connector too)."""
MANAGED_SHAREPOINT_AUTH_TYPES: Mapping[str, str] = {
    "entra_id_app_only": "ENTRA_ID_APP_ONLY",
    "oauth2_app": "OAUTH2_APP",
}
"""A managed SharePoint connector's ``auth_type`` (required there) and its ``authType``: Microsoft
Entra ID App-Only, a certificate in S3 (``certificate_s3_uri``, required with it; the role reads
it) and the app's id, "recommended"; or OAuth 2.0 (ROPC: a user's name and password)."""
CERTIFICATE_AUTH = "entra_id_app_only"
CERTIFICATE_READ_ACTIONS: tuple[str, ...] = ("s3:GetObject",)
CERTIFICATE_OBJECT_SUFFIXES: tuple[str, ...] = ("", ".metadata.json")
"""The certificate and its optional metadata file, which the role may read ("Set up Microsoft Entra ID
App-Only authentication for SharePoint", Step 8: "including the permission prevents access errors if
one is present")."""
"""What the role needs on the certificate object (user guide, managed knowledge bases, "Permissions to
access your Microsoft SharePoint data source")."""
SHAREPOINT_SITE_URL_PATTERN = r"^https://[^/\s]+/(sites|teams|personal)/[^\s]+$"
"""A managed SharePoint connector's site URL: "must start with https:// and point to a site, team
site, or personal site — the path must begin with /sites/, /teams/, or /personal/"."""
MANAGED_MAX_SEED_URLS = 10
"""Seed URLs of a managed web crawler ("Maximum of 10")."""
CRAWL_DEPTH_LIMITS = (0, 10)
"""``crawlDepth``: 0 crawls the seed URLs only; the service's default is 2."""
MAX_LINKS_PER_URL_LIMITS = (1, 1000)
"""``maxLinksPerUrl``; the service's default is 100."""
MANAGED_CRAWL_SCOPES: Mapping[str, str] = {"host_only": "DOMAINS_ONLY", "subdomains": "SUB_DOMAINS"}
"""``crawl_scope`` as the managed web crawler's ``syncScope`` (without it: PATH_SPECIFIC, the seed's
host and path, as for the other crawler)."""
MANAGED_WEB_AUTH_TYPES: Mapping[str, str] = {
    "none": "NO_AUTH",
    "basic": "BASIC_AUTH",
    "form": "FORM",
    "saml": "SAML",
}
"""A managed web crawler's ``auth_type`` and its ``authType``, the first the default; every one but
``none`` signs in with a Secrets Manager secret (``secretArn``)."""
_SIGN_IN_FORM_KEYS = (
    "authentication",
    "loginPageUrl",
    "userName",
    "password",
    "userNameFieldXpath",
    "passwordFieldXpath",
    "userNameButtonXpath",
    "passwordButtonXpath",
)
WEB_SECRET_KEYS: Mapping[str, tuple[str, ...]] = {
    "basic": ("userName", "password", "authentication"),
    "form": _SIGN_IN_FORM_KEYS,
    "saml": _SIGN_IN_FORM_KEYS,
}
"""The keys of the secret's JSON per sign-in ("Web Crawler", "Authentication credentials";
``authentication`` is the authType's value)."""
MANAGED_AUTH_TYPES: Mapping[str, Mapping[str, str]] = {
    "web": MANAGED_WEB_AUTH_TYPES,
    "sharepoint": MANAGED_SHAREPOINT_AUTH_TYPES,
}
"""The ``auth_type`` values a kind takes on a managed knowledge base only."""
MANAGED_CONNECTOR_VERSION = "1"
DAYS_OF_WEEK: tuple[str, ...] = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")
MAX_DAY_OF_MONTH = 28
"""A monthly connector sync's day: 1 to 28, or the month's last day (CloudFormation's ``DayOfMonth``)."""
MEDIA_KINDS: tuple[str, ...] = ("image", "audio", "video")
"""What a managed connector may extract from files (``MediaExtractionConfiguration``)."""
DEFAULT_DELETION_PROTECTION_THRESHOLD = 15
"""The most documents, in percent, one sync may delete before it skips its delete phase."""
CUSTOM_CONNECTOR_REFUSES = ("schedule", "deletion_protection")
"""What the custom connector does not take (botocore: "Not supported for the Custom connector")."""
MANAGED_REFUSES = ("chunking", "parsing", "custom_transformation")
"""What a managed knowledge base's data source does not take: it parses with SMART_PARSING and
refuses a chunking configuration with a managed embedding model (its ingestion is the service's)."""
"""The kinds whose knowledge base must be on an OpenSearch Serverless vector store."""
MULTIMODAL_TYPES = frozenset({"s3", "custom"})
"""The kinds that can carry multimodal content (images, figures) into the knowledge base."""

MAX_DATA_SOURCES = 5
"""Data sources per knowledge base (the service's quota, not adjustable); the schema's maxItems."""
MAX_URLS = 100
MIN_RATE_LIMIT, MAX_RATE_LIMIT = 1, 300
MAX_PAGES = 25_000
USER_AGENT_LIMITS = (15, 40)
MAX_FILTERS = 25
MAX_FILTER_LENGTH = 1000
MAX_OBJECT_FILTERS = 25
MAX_PARSING_PROMPT = 10_000
CRAWL_SCOPES: Mapping[str, str] = {"host_only": "HOST_ONLY", "subdomains": "SUBDOMAINS"}
"""``crawl_scope`` and CloudFormation's; without it, the crawler stays on the seed's host and path."""

SECRET_ARN_PATTERN = (
    r"^arn:aws(|-cn|-us-gov):secretsmanager:[a-z0-9-]{1,20}:([0-9]{12}|):secret:[a-zA-Z0-9!/_+=.@-]{1,512}$"
)
"""A Secrets Manager secret's ARN (CloudFormation's ``CredentialsSecretArn``; the schema's
``credentials_secret_arn``)."""
LAMBDA_ARN_PATTERN = (
    r"^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9-_\.]+"
    r"(:(\$LATEST|[a-zA-Z0-9-_]+))?$"
)
"""A Lambda function's ARN, qualified or not (CloudFormation's ``LambdaArn``)."""
HTTPS_URL_PATTERN = r"^https://[A-Za-z0-9][^\s]*$"
SEED_URL_PATTERN = r"^https?://[A-Za-z0-9][^\s]*$"
TENANT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
LOOKAROUND = re.compile(r"\(\?<?[=!]")
"""A look-ahead or look-behind, which the crawlers refuse in a filter pattern."""


SECRET_SUFFIX = re.compile(r"-[a-zA-Z0-9]{6}$")
"""The six characters Secrets Manager appends to a secret's name in its ARN: a grant on an ARN
without them (a partial ARN) matches no secret."""


def arn_place(arn: str) -> tuple[str, str]:
    """(account, Region) of an ARN; the account may be empty."""
    parts = arn.split(":")
    return parts[4], parts[3]


def filter_problem(pattern: str) -> str | None:
    """Why a crawler would refuse ``pattern`` (it is a Java regular expression; Python's compiles the
    common subset), or None."""
    if LOOKAROUND.search(pattern):
        return "uses a look-ahead or look-behind, which the crawler refuses"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"is not a regular expression: {error}"
    return None


# -- parsing --------------------------------------------------------------------------------------
PARSING_STRATEGIES: Mapping[str, str | None] = {
    "default": None,
    "foundation_model": "BEDROCK_FOUNDATION_MODEL",
    "data_automation": "BEDROCK_DATA_AUTOMATION",
    "smart": "SMART_PARSING",
    "multimodal_embeddings": "MULTI_MODAL_EMBEDDINGS",
}
"""``parsing.strategy`` and CloudFormation's ``ParsingStrategy`` (``default``: none, the service's
text parser)."""
MANAGED_ONLY_STRATEGIES = frozenset({"smart", "multimodal_embeddings"})
"""Strategies for managed knowledge bases only (botocore's ParsingConfiguration: MULTI_MODAL_EMBEDDINGS
with a native multimodal embedding model, SMART_PARSING otherwise)."""
MULTIMODAL_MODALITY = "MULTIMODAL"

DATA_AUTOMATION_PARSING_REGIONS: tuple[str, ...] = ("us-west-2",)
"""Where the Bedrock Data Automation parser is offered (user guide, "Supported models and Regions for
Amazon Bedrock knowledge bases", parsing: "supported in US West (Oregon)", read 2026-12)."""
DATA_AUTOMATION_PROJECT = "public-rag-default"
"""The AWS-owned Data Automation project a knowledge base's parser runs (account ``aws``)."""
PARSING_MODEL_ACTIONS: tuple[str, ...] = ("bedrock:InvokeModel",)
"""What parsing with a foundation model needs of it (no streaming)."""
DATA_AUTOMATION_INVOKE_ACTIONS: tuple[str, ...] = ("bedrock:InvokeDataAutomationAsync",)
DATA_AUTOMATION_STATUS_ACTIONS: tuple[str, ...] = ("bedrock:GetDataAutomationStatus",)
DATA_AUTOMATION_KEY_ACTIONS: tuple[str, ...] = (
    "kms:GenerateDataKey",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:CreateGrant",
)
"""User guide, "Permissions for multimodal content" (Bedrock Data Automation with customer managed
keys): on each key of the documents and the multimodal storage, through Bedrock, for this account."""

PARSING_MODELS: Mapping[str, str] = {
    "anthropic.claude-haiku-4-5-20251001-v1:0": "Anthropic Claude Haiku 4.5",
    "anthropic.claude-sonnet-4-20250514-v1:0": "Anthropic Claude Sonnet 4",
    "anthropic.claude-sonnet-4-5-20250929-v1:0": "Anthropic Claude Sonnet 4.5",
    "amazon.nova-lite-v1:0": "Amazon Nova Lite",
    "amazon.nova-pro-v1:0": "Amazon Nova Pro",
    "amazon.nova-premier-v1:0": "Amazon Nova Premier",
    "meta.llama4-scout-17b-instruct-v1:0": "Meta Llama 4 Scout 17B Instruct",
    "meta.llama4-maverick-17b-instruct-v1:0": "Meta Llama 4 Maverick 17B Instruct",
}
"""Vision models a foundation model parser may be (the guide's families: Claude, Nova and Llama 4
vision models), Active ones only (the Claude 3 and 3.5 models are Legacy: see
:mod:`bedrock_platform.config.catalog`), by base model id; a config may name one through a system
inference profile of its geography (``us.anthropic.claude-sonnet-4-5-20250929-v1:0``), which the
role is then allowed to invoke in each destination Region. Which Regions serve each model on demand
is not catalogued: ``status`` reads each parsing model's live state. Add a model here, by its model
card's id, to allow it."""

# -- custom transformation --------------------------------------------------------------------------
TRANSFORMATION_STEP = "POST_CHUNKING"
LAMBDA_INVOKE_ACTIONS: tuple[str, ...] = ("lambda:InvokeFunction",)
INTERMEDIATE_OBJECT_ACTIONS: tuple[str, ...] = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
"""The role on the objects of the intermediate bucket (and ``s3:ListBucket`` on the bucket)."""

CONTEXT_ENRICHMENT_STORE = "Neptune Analytics"
