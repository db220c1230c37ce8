"""Data sources of knowledge bases (S3, web crawlers, Confluence, SharePoint, Salesforce, custom), their
chunking, parsing and custom transformation, and the document buckets the toolkit creates."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from bedrock_platform import geographies, permissions
from bedrock_platform.constructs.errors import ConstructValidationError
from bedrock_platform.constructs.knowledge_base import KnowledgeBase
from bedrock_platform.constructs.nag import acknowledge_bucket, acknowledge_wildcard
from bedrock_platform.constructs.service_role import grant_bucket_key, grant_secret, invoked_model_arns
from bedrock_platform.spec import chunking as chunking_spec
from bedrock_platform.spec import data_sources as spec
from bedrock_platform.spec import knowledge_base as knowledge_base_spec
from bedrock_platform.spec import names as names_spec

_NAME = names_spec.BEDROCK_NAME


@dataclass(frozen=True)
class Chunking:
    """How a data source splits documents into chunks. Build it with the class methods."""

    strategy: str
    parameters: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fixed_size(cls, *, max_tokens: int | None = None, overlap_percentage: int | None = None) -> Chunking:
        """Chunks of at most ``max_tokens``, overlapping by ``overlap_percentage``; the defaults and
        ranges are :data:`bedrock_platform.spec.chunking.STRATEGIES` (300 tokens, 20 %)."""
        return cls._of("fixed_size", max_tokens=max_tokens, overlap_percentage=overlap_percentage)

    @classmethod
    def hierarchical(
        cls,
        *,
        parent_max_tokens: int | None = None,
        child_max_tokens: int | None = None,
        overlap_tokens: int | None = None,
    ) -> Chunking:
        """Parent and child chunks, the child at most the parent and the overlap less than the child
        (defaults 1,500, 300 and 60 tokens: :mod:`bedrock_platform.spec.chunking`)."""
        return cls._of(
            "hierarchical",
            parent_max_tokens=parent_max_tokens,
            child_max_tokens=child_max_tokens,
            overlap_tokens=overlap_tokens,
        )

    @classmethod
    def semantic(
        cls,
        *,
        max_tokens: int | None = None,
        buffer_size: int | None = None,
        breakpoint_percentile_threshold: int | None = None,
    ) -> Chunking:
        """Chunks split where meaning changes (defaults 300 tokens, buffer 0, threshold 95:
        :mod:`bedrock_platform.spec.chunking`)."""
        return cls._of(
            "semantic",
            max_tokens=max_tokens,
            buffer_size=buffer_size,
            breakpoint_percentile_threshold=breakpoint_percentile_threshold,
        )

    @classmethod
    def _of(cls, strategy: str, **given: int | None) -> Chunking:
        """The strategy with its given parameters and the spec's defaults, checked by the spec."""
        spec = chunking_spec.STRATEGIES[strategy]
        values: dict[str, int] = {}
        for name, default in spec.defaults().items():
            value = given[name]
            values[name] = default if value is None else value
        problems = chunking_spec.problems(strategy, values)
        if problems:
            raise ConstructValidationError(f"Chunking: {'; '.join(problems)}")
        return cls(spec.api_name, dict(values))

    @classmethod
    def none(cls) -> Chunking:
        """Each file is one chunk."""
        return cls("NONE")

    def to_cfn(self) -> bedrock.CfnDataSource.ChunkingConfigurationProperty:
        """The CloudFormation chunking configuration."""
        p = self.parameters
        prop = bedrock.CfnDataSource
        if self.strategy == "FIXED_SIZE":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="FIXED_SIZE",
                fixed_size_chunking_configuration=prop.FixedSizeChunkingConfigurationProperty(
                    max_tokens=p["max_tokens"], overlap_percentage=p["overlap_percentage"]
                ),
            )
        if self.strategy == "HIERARCHICAL":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="HIERARCHICAL",
                hierarchical_chunking_configuration=prop.HierarchicalChunkingConfigurationProperty(
                    level_configurations=[
                        prop.HierarchicalChunkingLevelConfigurationProperty(
                            max_tokens=p["parent_max_tokens"]
                        ),
                        prop.HierarchicalChunkingLevelConfigurationProperty(max_tokens=p["child_max_tokens"]),
                    ],
                    overlap_tokens=p["overlap_tokens"],
                ),
            )
        if self.strategy == "SEMANTIC":
            return prop.ChunkingConfigurationProperty(
                chunking_strategy="SEMANTIC",
                semantic_chunking_configuration=prop.SemanticChunkingConfigurationProperty(
                    max_tokens=p["max_tokens"],
                    buffer_size=p["buffer_size"],
                    breakpoint_percentile_threshold=p["breakpoint_percentile_threshold"],
                ),
            )
        return prop.ChunkingConfigurationProperty(chunking_strategy="NONE")

    def fingerprint(self) -> str:
        """Six hex characters over the strategy and its parameters (plain values, no tokens)."""
        text = json.dumps({"strategy": self.strategy, **self.parameters}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


@dataclass(frozen=True)
class ObjectFilter:
    """What a connector crawls of one object type (``Page``, ``Attachment``...): names matching an
    inclusion pattern, but not an exclusion one (regular expressions)."""

    object_type: str
    inclusion_filters: Sequence[str] = ()
    exclusion_filters: Sequence[str] = ()

    def to_cfn(self) -> bedrock.CfnDataSource.PatternObjectFilterProperty:
        return bedrock.CfnDataSource.PatternObjectFilterProperty(
            object_type=self.object_type,
            inclusion_filters=list(self.inclusion_filters) or None,
            exclusion_filters=list(self.exclusion_filters) or None,
        )


def _crawler_configuration(kind: Any, filters: Sequence[ObjectFilter]) -> Any:
    """A connector's crawler configuration (``kind``, its CloudFormation property class) with these
    filters; none without filters."""
    return kind(filter_configuration=_crawler(filters)) if filters else None


def _crawler(
    filters: Sequence[ObjectFilter],
) -> bedrock.CfnDataSource.CrawlFilterConfigurationProperty | None:
    if not filters:
        return None
    return bedrock.CfnDataSource.CrawlFilterConfigurationProperty(
        type="PATTERN",
        pattern_object_filter=bedrock.CfnDataSource.PatternObjectFilterConfigurationProperty(
            filters=[item.to_cfn() for item in filters]
        ),
    )


class DataSourceKind(Protocol):
    """A kind of source: what CloudFormation is told, and what the knowledge base's role needs."""

    @property
    def type(self) -> str:
        """CloudFormation's ``DataSourceConfiguration.Type``."""
        ...

    def problems(self) -> list[str]: ...

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty: ...

    def grant(self, knowledge_base: KnowledgeBase) -> None: ...


@dataclass(frozen=True)
class S3Source:
    """Documents in a bucket, under at most one prefix. The role reads the bucket (under the prefix)
    only while it belongs to ``owner_account``, and decrypts with its key only through S3.

    :param kms_key: the key the objects are encrypted with. Default: the bucket's own key, if any.
    :param owner_account: the account that owns the bucket (an S3 ARN names none). Default: the
        stack's account.
    """

    bucket: s3.IBucket
    inclusion_prefixes: Sequence[str] = ()
    kms_key: kms.IKey | None = None
    owner_account: str | None = None
    type: str = field(default="S3", init=False)

    def problems(self) -> list[str]:
        if len(self.inclusion_prefixes) > 1:
            return [f"inclusion_prefixes has {len(self.inclusion_prefixes)} entries, at most 1"]
        return []

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        return bedrock.CfnDataSource.DataSourceConfigurationProperty(
            type=self.type,
            s3_configuration=bedrock.CfnDataSource.S3DataSourceConfigurationProperty(
                bucket_arn=self.bucket.bucket_arn,
                inclusion_prefixes=list(self.inclusion_prefixes) or None,
            ),
        )

    @property
    def key(self) -> kms.IKey | None:
        """The key the documents are encrypted with, if any."""
        return self.kms_key or self.bucket.encryption_key

    def managed_parameters(self, scope: Construct) -> dict[str, Any]:
        """The managed connector's ``connectorParameters`` (user guide, managed knowledge bases,
        "Amazon S3": connector parameters)."""
        parameters: dict[str, Any] = {
            "type": spec.MANAGED_SOURCE_TYPES["s3"],
            "version": spec.MANAGED_CONNECTOR_VERSION,
            "connectionConfiguration": {
                "bucketName": self.bucket.bucket_name,
                "bucketOwnerAccountId": self.owner_account or cdk.Stack.of(scope).account,
            },
        }
        if self.inclusion_prefixes:
            parameters["filterConfiguration"] = {"inclusionPrefixes": list(self.inclusion_prefixes)}
        return parameters

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        _grant_bucket_read(
            knowledge_base,
            self.bucket,
            self.inclusion_prefixes,
            self.key,
            self.owner_account or cdk.Stack.of(knowledge_base).account,
        )


@dataclass(frozen=True)
class WebSource:
    """Pages a crawler reaches from ``seed_urls`` (1 to 100): on their hosts (``scope="HOST_ONLY"``),
    their subdomains too (``"SUBDOMAINS"``), or by default the seed's host and path; URLs matching an
    inclusion pattern and no exclusion one; ``rate_limit`` URLs a minute and host (1 to 300), at most
    ``max_pages`` pages (1 to 25,000). The crawler needs no permission of the role.

    On a managed knowledge base it is the service's web crawler connector (user guide, managed
    knowledge bases, "Web Crawler"): at most 10 seed URLs, no ``max_pages`` or ``user_agent``, and its
    own ``crawl_depth`` (0 to 10), ``max_links_per_url`` (1 to 1000), ``crawl_attachments`` and
    sign-in: ``auth_type`` ``"NO_AUTH"`` (default), ``"BASIC_AUTH"``, ``"FORM"`` or ``"SAML"`` with
    ``credentials_secret_arn``, which the role may read (and ``secret_key`` through Secrets Manager)."""

    seed_urls: Sequence[str]
    scope: str | None = None
    inclusion_filters: Sequence[str] = ()
    exclusion_filters: Sequence[str] = ()
    rate_limit: int | None = None
    max_pages: int | None = None
    user_agent: str | None = None
    crawl_depth: int | None = None
    max_links_per_url: int | None = None
    crawl_attachments: bool | None = None
    auth_type: str = "NO_AUTH"
    credentials_secret_arn: str | None = None
    secret_key: kms.IKey | None = None
    type: str = field(default="WEB", init=False)

    def problems(self) -> list[str]:
        problems = []
        if not 1 <= len(self.seed_urls) <= spec.MAX_URLS:
            problems.append(f"seed_urls has {len(self.seed_urls)} entries, 1 to {spec.MAX_URLS}")
        if self.scope is not None and self.scope not in spec.CRAWL_SCOPES.values():
            problems.append(f"scope {self.scope!r} must be one of {', '.join(spec.CRAWL_SCOPES.values())}")
        if self.rate_limit is not None and not spec.MIN_RATE_LIMIT <= self.rate_limit <= spec.MAX_RATE_LIMIT:
            problems.append(
                f"rate_limit {self.rate_limit} must be {spec.MIN_RATE_LIMIT} to {spec.MAX_RATE_LIMIT}"
            )
        if self.max_pages is not None and not 1 <= self.max_pages <= spec.MAX_PAGES:
            problems.append(f"max_pages {self.max_pages} must be 1 to {spec.MAX_PAGES}")
        low, high = spec.USER_AGENT_LIMITS
        if self.user_agent is not None and not low <= len(self.user_agent) <= high:
            problems.append(f"user_agent must be {low} to {high} characters")
        problems += _filter_problems((*self.inclusion_filters, *self.exclusion_filters))
        return problems

    def managed_problems(self) -> list[str]:
        """What the managed web crawler connector does not take."""
        problems = []
        if len(self.seed_urls) > spec.MANAGED_MAX_SEED_URLS:
            problems.append(f"a managed web crawler takes at most {spec.MANAGED_MAX_SEED_URLS} seed_urls")
        problems += [
            f"a managed web crawler has no {name}"
            for name in ("max_pages", "user_agent")
            if getattr(self, name)
        ]
        for name, (low, high) in (
            ("crawl_depth", spec.CRAWL_DEPTH_LIMITS),
            ("max_links_per_url", spec.MAX_LINKS_PER_URL_LIMITS),
        ):
            number = getattr(self, name)
            if number is not None and not low <= number <= high:
                problems.append(f"{name} {number} must be {low} to {high}")
        if self.auth_type not in spec.MANAGED_WEB_AUTH_TYPES.values():
            problems.append(
                f"auth_type {self.auth_type!r} must be one of "
                + ", ".join(spec.MANAGED_WEB_AUTH_TYPES.values())
            )
        signs_in = self.auth_type != spec.MANAGED_WEB_AUTH_TYPES["none"]
        if signs_in != (self.credentials_secret_arn is not None):
            problems.append("credentials_secret_arn goes with an auth_type other than NO_AUTH, and only then")
        return problems

    def vector_problems(self) -> list[str]:
        """What only the managed web crawler takes."""
        given = [
            name
            for name in ("crawl_depth", "max_links_per_url", "crawl_attachments", "credentials_secret_arn")
            if getattr(self, name) is not None
        ]
        if self.auth_type != spec.MANAGED_WEB_AUTH_TYPES["none"]:
            given.append("auth_type")
        return [f"{name} is for the web crawler of a managed knowledge base only" for name in given]

    def managed_parameters(self, scope: Construct) -> dict[str, Any]:
        """The managed web crawler's ``connectorParameters`` (user guide, "Web Crawler", connector
        parameters): where it starts and how it signs in, how far and fast it crawls, which URLs."""
        connection: dict[str, Any] = {"seedUrls": list(self.seed_urls), "authType": self.auth_type}
        if self.credentials_secret_arn is not None:
            connection["secretArn"] = self.credentials_secret_arn
        scopes = {spec.CRAWL_SCOPES[name]: spec.MANAGED_CRAWL_SCOPES[name] for name in spec.CRAWL_SCOPES}
        crawl = {
            "crawlDepth": self.crawl_depth,
            "maxLinksPerUrl": self.max_links_per_url,
            "maxCrawledUrlsPerMinute": self.rate_limit,
            "syncScope": scopes.get(self.scope or ""),
            "crawlAttachments": self.crawl_attachments,
        }
        patterns = {
            "inclusionPatterns": list(self.inclusion_filters),
            "exclusionPatterns": list(self.exclusion_filters),
        }
        parameters: dict[str, Any] = {
            "type": spec.MANAGED_SOURCE_TYPES["web"],
            "version": spec.MANAGED_CONNECTOR_VERSION,
            "connectionConfiguration": connection,
        }
        if any(value is not None for value in crawl.values()):
            parameters["crawlConfiguration"] = {
                key: value for key, value in crawl.items() if value is not None
            }
        if any(patterns.values()):
            parameters["filterConfiguration"] = {key: value for key, value in patterns.items() if value}
        return parameters

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        prop = bedrock.CfnDataSource
        limits = (
            prop.WebCrawlerLimitsProperty(max_pages=self.max_pages, rate_limit=self.rate_limit)
            if self.max_pages is not None or self.rate_limit is not None
            else None
        )
        crawler = prop.WebCrawlerConfigurationProperty(
            crawler_limits=limits,
            scope=self.scope,
            inclusion_filters=list(self.inclusion_filters) or None,
            exclusion_filters=list(self.exclusion_filters) or None,
            user_agent=self.user_agent,
        )
        return prop.DataSourceConfigurationProperty(
            type=self.type,
            web_configuration=prop.WebDataSourceConfigurationProperty(
                source_configuration=prop.WebSourceConfigurationProperty(
                    url_configuration=prop.UrlConfigurationProperty(
                        seed_urls=[prop.SeedUrlProperty(url=url) for url in self.seed_urls]
                    )
                ),
                crawler_configuration=crawler,
            ),
        )

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        """A managed crawler that signs in reads its secret (user guide, managed knowledge bases,
        "Permissions to access your Web Crawler data source")."""
        if self.credentials_secret_arn is not None:
            grant_secret(knowledge_base.role, self.credentials_secret_arn, self.secret_key)


@dataclass(frozen=True)
class ConfluenceSource:
    """A Confluence Cloud site (``https://<site>.atlassian.net``), signed in to with a Secrets Manager
    secret: ``auth_type="BASIC"`` (keys ``username``, ``password``: an API token) or
    ``"OAUTH2_CLIENT_CREDENTIALS"`` (``confluenceAppKey``, ``confluenceAppSecret``,
    ``confluenceAccessToken``, ``confluenceRefreshToken``; the service writes refreshed tokens back,
    so the role may also put that secret's value)."""

    host_url: str
    credentials_secret_arn: str
    auth_type: str = "BASIC"
    secret_key: kms.IKey | None = None
    filters: Sequence[ObjectFilter] = ()
    type: str = field(default="CONFLUENCE", init=False)

    def problems(self) -> list[str]:
        return _connector_problems("confluence", self.auth_type, self.filters)

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        prop = bedrock.CfnDataSource
        return prop.DataSourceConfigurationProperty(
            type=self.type,
            confluence_configuration=prop.ConfluenceDataSourceConfigurationProperty(
                source_configuration=prop.ConfluenceSourceConfigurationProperty(
                    host_url=self.host_url,
                    host_type="SAAS",
                    auth_type=self.auth_type,
                    credentials_secret_arn=self.credentials_secret_arn,
                ),
                crawler_configuration=_crawler_configuration(
                    prop.ConfluenceCrawlerConfigurationProperty, self.filters
                ),
            ),
        )

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        rotated = ("confluence", self.auth_type.lower()) in spec.ROTATED_SECRETS
        grant_secret(knowledge_base.role, self.credentials_secret_arn, self.secret_key, write=rotated)


@dataclass(frozen=True)
class SharePointSource:
    """SharePoint Online sites of ``domain`` (``<domain>.sharepoint.com``), signed in to as a Microsoft
    Entra ID app (``OAUTH2_CLIENT_CREDENTIALS``: secret keys ``clientId``, ``clientSecret``; the app
    needs Microsoft Graph's ``Sites.Read.All``).

    On a managed knowledge base it is the service's SharePoint connector (user guide, managed knowledge
    bases, "Connect a SharePoint data source"): no ``domain`` or ``filters``; ``auth_type``
    ``"ENTRA_ID_APP_ONLY"`` (recommended) with the app's ``.p12`` certificate at ``certificate_bucket``
    / ``certificate_key``, which the role may read, or ``"OAUTH2_APP"``; ``crawl_files`` and
    ``crawl_pages``; site URLs of sites, team sites or personal sites."""

    site_urls: Sequence[str]
    credentials_secret_arn: str
    domain: str | None = None
    tenant_id: str | None = None
    """The Microsoft 365 tenant's id (needed: the default None is refused)."""
    auth_type: str = "OAUTH2_CLIENT_CREDENTIALS"
    secret_key: kms.IKey | None = None
    filters: Sequence[ObjectFilter] = ()
    certificate_bucket: s3.IBucket | None = None
    certificate_key: str | None = None
    crawl_files: bool | None = None
    crawl_pages: bool | None = None
    type: str = field(default="SHAREPOINT", init=False)

    def problems(self) -> list[str]:
        problems = []
        if self.tenant_id is None:
            problems.append("tenant_id is needed: the Microsoft Entra ID app signs in to its tenant")
        if not 1 <= len(self.site_urls) <= spec.MAX_URLS:
            problems.append(f"site_urls has {len(self.site_urls)} entries, 1 to {spec.MAX_URLS}")
        return problems

    def vector_problems(self) -> list[str]:
        """The self-managed connector: its domain, its authentication, no managed connector settings."""
        problems = _connector_problems("sharepoint", self.auth_type, self.filters)
        if self.domain is None:
            problems.append(
                "domain is needed by the SharePoint connector of a knowledge base that is not managed"
            )
        given = ("certificate_bucket", "certificate_key", "crawl_files", "crawl_pages")
        problems += [
            f"{name} is for the SharePoint connector of a managed knowledge base only"
            for name in given
            if getattr(self, name) is not None
        ]
        return problems

    def managed_problems(self) -> list[str]:
        """The managed connector: its authentication, the certificate with Entra ID App-Only, site URLs."""
        problems = []
        if self.auth_type not in spec.MANAGED_SHAREPOINT_AUTH_TYPES.values():
            problems.append(
                f"auth_type {self.auth_type!r} must be one of "
                + ", ".join(spec.MANAGED_SHAREPOINT_AUTH_TYPES.values())
            )
        certificate = self.certificate_bucket is not None and self.certificate_key is not None
        if certificate != (self.auth_type == spec.MANAGED_SHAREPOINT_AUTH_TYPES[spec.CERTIFICATE_AUTH]):
            problems.append(
                "the certificate (certificate_bucket and certificate_key) goes with ENTRA_ID_APP_ONLY"
            )
        problems += [
            f"a managed SharePoint connector has no {name}"
            for name in ("domain", "filters")
            if getattr(self, name)
        ]
        problems += [
            f"site URL {url!r} is not a site, team site or personal site (/sites/, /teams/, /personal/)"
            for url in self.site_urls
            if not cdk.Token.is_unresolved(url) and not re.match(spec.SHAREPOINT_SITE_URL_PATTERN, url)
        ]
        return problems

    def managed_parameters(self, scope: Construct) -> dict[str, Any]:
        """The managed SharePoint connector's ``connectorParameters`` (user guide, "Connect a SharePoint
        data source", connector parameters)."""
        connection: dict[str, Any] = {
            "secretArn": self.credentials_secret_arn,
            "tenantId": self.tenant_id,
            "authType": self.auth_type,
        }
        if self.certificate_bucket is not None:
            connection["certificateS3Path"] = {
                "s3BucketName": self.certificate_bucket.bucket_name,
                "s3KeyName": self.certificate_key,
            }
        entities: dict[str, Any] = {"siteUrls": list(self.site_urls)}
        entities.update(
            {
                key: value
                for key, value in (("crawlFiles", self.crawl_files), ("crawlPages", self.crawl_pages))
                if value is not None
            }
        )
        return {
            "type": spec.MANAGED_SOURCE_TYPES["sharepoint"],
            "version": spec.MANAGED_CONNECTOR_VERSION,
            "connectionConfiguration": connection,
            "dataEntityConfiguration": entities,
        }

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        prop = bedrock.CfnDataSource
        return prop.DataSourceConfigurationProperty(
            type=self.type,
            share_point_configuration=prop.SharePointDataSourceConfigurationProperty(
                source_configuration=prop.SharePointSourceConfigurationProperty(
                    domain=self.domain or "",
                    site_urls=list(self.site_urls),
                    tenant_id=self.tenant_id,
                    host_type="ONLINE",
                    auth_type=self.auth_type,
                    credentials_secret_arn=self.credentials_secret_arn,
                ),
                crawler_configuration=_crawler_configuration(
                    prop.SharePointCrawlerConfigurationProperty, self.filters
                ),
            ),
        )

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        """The secret; a managed connector's certificate too (user guide, managed knowledge bases,
        "Permissions to access your Microsoft SharePoint data source": s3:GetObject "for the bucket
        and key where the certificate file (.pfx or .pem) is stored"), its key through S3 only."""
        grant_secret(knowledge_base.role, self.credentials_secret_arn, self.secret_key)
        if self.certificate_bucket is None or self.certificate_key is None:
            return
        # "Set up Microsoft Entra ID App-Only authentication for SharePoint", Step 8: list the bucket,
        # read the certificate and its optional "<key>.metadata.json", in the account's own bucket.
        bucket = self.certificate_bucket
        own = {"StringEquals": {"aws:ResourceAccount": cdk.Stack.of(knowledge_base).account}}
        role = knowledge_base.role
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(permissions.S3_LIST_ACTIONS), resources=[bucket.bucket_arn], conditions=own
            )
        )
        objects = [
            bucket.arn_for_objects(self.certificate_key + suffix)
            for suffix in spec.CERTIFICATE_OBJECT_SUFFIXES
        ]
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(spec.CERTIFICATE_READ_ACTIONS), resources=objects, conditions=own
            )
        )
        if bucket.encryption_key is not None:
            grant_bucket_key(role, bucket.encryption_key)


@dataclass(frozen=True)
class SalesforceSource:
    """A Salesforce instance, signed in to as a connected app (``OAUTH2_CLIENT_CREDENTIALS``: secret keys
    ``consumerKey``, ``consumerSecret``, ``authenticationUrl``)."""

    host_url: str
    credentials_secret_arn: str
    secret_key: kms.IKey | None = None
    filters: Sequence[ObjectFilter] = ()
    auth_type: str = field(default="OAUTH2_CLIENT_CREDENTIALS", init=False)
    type: str = field(default="SALESFORCE", init=False)

    def problems(self) -> list[str]:
        return _connector_problems("salesforce", self.auth_type, self.filters)

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        prop = bedrock.CfnDataSource
        return prop.DataSourceConfigurationProperty(
            type=self.type,
            salesforce_configuration=prop.SalesforceDataSourceConfigurationProperty(
                source_configuration=prop.SalesforceSourceConfigurationProperty(
                    host_url=self.host_url,
                    auth_type=self.auth_type,
                    credentials_secret_arn=self.credentials_secret_arn,
                ),
                crawler_configuration=_crawler_configuration(
                    prop.SalesforceCrawlerConfigurationProperty, self.filters
                ),
            ),
        )

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        grant_secret(knowledge_base.role, self.credentials_secret_arn, self.secret_key)


@dataclass(frozen=True)
class CustomSource:
    """Documents an application pushes with ``IngestKnowledgeBaseDocuments`` (inline, or from S3 with
    its own permissions on the objects); nothing of the role."""

    type: str = field(default="CUSTOM", init=False)

    def problems(self) -> list[str]:
        return []

    def managed_parameters(self, scope: Construct) -> dict[str, Any]:
        """A managed knowledge base's custom source is a connector of type ``CUSTOM``."""
        return {"type": spec.MANAGED_SOURCE_TYPES["custom"], "version": spec.MANAGED_CONNECTOR_VERSION}

    def configuration(self, scope: Construct) -> bedrock.CfnDataSource.DataSourceConfigurationProperty:
        return bedrock.CfnDataSource.DataSourceConfigurationProperty(type=self.type)

    def grant(self, knowledge_base: KnowledgeBase) -> None:
        return None


def _filter_problems(patterns: Sequence[str]) -> list[str]:
    problems = []
    if any(len(pattern) > spec.MAX_FILTER_LENGTH for pattern in patterns):
        problems.append(f"a filter pattern is longer than {spec.MAX_FILTER_LENGTH} characters")
    for pattern in patterns:
        problem = spec.filter_problem(pattern)
        if problem:
            problems.append(f"filter {pattern!r} {problem}")
    return problems


def _connector_problems(kind: str, auth_type: str, filters: Sequence[ObjectFilter]) -> list[str]:
    problems = []
    allowed = [auth.upper() for auth in spec.AUTH_TYPES[kind]]
    if auth_type not in allowed:
        problems.append(f"auth_type {auth_type!r} must be one of {', '.join(allowed)}")
    if len(filters) > spec.MAX_OBJECT_FILTERS:
        problems.append(f"filters has {len(filters)} entries, at most {spec.MAX_OBJECT_FILTERS}")
    for item in filters:
        if item.object_type not in spec.OBJECT_TYPES[kind]:
            problems.append(
                f"object type {item.object_type!r} must be one of {', '.join(spec.OBJECT_TYPES[kind])}"
            )
        problems += _filter_problems((*item.inclusion_filters, *item.exclusion_filters))
    return problems


@dataclass(frozen=True)
class Parsing:
    """How documents are parsed before chunking: build it with :meth:`foundation_model` or
    :meth:`data_automation` (without one, the service's text parser)."""

    strategy: str
    model_arn: str | None = None
    """What the data source names (a foundation model's or a system inference profile's ARN)."""
    invoke_arns: tuple[str, ...] = ()
    """What the role may invoke for it."""
    model_id: str | None = None
    prompt: str | None = None
    multimodal: bool = False

    @classmethod
    def foundation_model(
        cls, scope: Construct, model_id: str, *, prompt: str | None = None, multimodal: bool = False
    ) -> Parsing:
        """A vision model (:data:`bedrock_platform.spec.data_sources.PARSING_MODELS`, or the system
        inference profile of one) reads each PDF and image; the role may invoke it (through a
        profile: the profile and the model in each destination Region)."""
        arn, invoke_arns, _ = invoked_model_arns(scope, model_id)
        return cls(
            "BEDROCK_FOUNDATION_MODEL",
            model_arn=arn,
            invoke_arns=invoke_arns,
            model_id=model_id,
            prompt=prompt,
            multimodal=multimodal,
        )

    @classmethod
    def smart(cls) -> Parsing:
        """A managed knowledge base's own parser (``SMART_PARSING``, its default): for data sources of
        a managed knowledge base only."""
        return cls("SMART_PARSING")

    @classmethod
    def multimodal_embeddings(cls) -> Parsing:
        """Files go whole to a native multimodal embedding model (``MULTI_MODAL_EMBEDDINGS``): the only
        strategy of a managed knowledge base with one, which its data sources get without being told."""
        return cls(spec.PARSING_STRATEGIES["multimodal_embeddings"] or "")

    @classmethod
    def data_automation(cls, *, multimodal: bool = False) -> Parsing:
        """Bedrock Data Automation parses each document (where its parser is offered:
        :data:`bedrock_platform.spec.data_sources.DATA_AUTOMATION_PARSING_REGIONS`)."""
        return cls("BEDROCK_DATA_AUTOMATION", multimodal=multimodal)

    def problems(self) -> list[str]:
        if self.prompt is not None and not 1 <= len(self.prompt) <= spec.MAX_PARSING_PROMPT:
            return [f"parsing prompt must be 1 to {spec.MAX_PARSING_PROMPT} characters"]
        return []

    def to_cfn(self) -> bedrock.CfnDataSource.ParsingConfigurationProperty:
        prop = bedrock.CfnDataSource
        modality = spec.MULTIMODAL_MODALITY if self.multimodal else None
        if self.strategy in SERVICE_STRATEGIES:
            return prop.ParsingConfigurationProperty(parsing_strategy=self.strategy)
        if self.model_arn is not None:
            return prop.ParsingConfigurationProperty(
                parsing_strategy=self.strategy,
                bedrock_foundation_model_configuration=prop.BedrockFoundationModelConfigurationProperty(
                    model_arn=self.model_arn,
                    parsing_prompt=(
                        prop.ParsingPromptProperty(parsing_prompt_text=self.prompt) if self.prompt else None
                    ),
                    parsing_modality=modality,
                ),
            )
        return prop.ParsingConfigurationProperty(
            parsing_strategy=self.strategy,
            bedrock_data_automation_configuration=prop.BedrockDataAutomationConfigurationProperty(
                parsing_modality=modality
            ),
        )

    def identity(self) -> dict[str, Any]:
        """What the data source's name fingerprint covers (plain values)."""
        return {
            "strategy": self.strategy,
            "model": self.model_id,
            "prompt": self.prompt,
            "multimodal": self.multimodal,
        }

    def grant(self, role: iam.IRole) -> None:
        stack = cdk.Stack.of(role)
        if self.strategy in SERVICE_STRATEGIES:
            return  # the managed knowledge base's own parser, or its embedding model's grant
        if self.model_arn is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(spec.PARSING_MODEL_ACTIONS), resources=list(self.invoke_arns)
                )
            )
            return
        # User guide, "Permissions for multimodal content" (Bedrock Data Automation). The guide writes
        # the profile and invocation ARNs with an empty account; the IAM reference's resource types
        # carry the account: both forms are granted.
        # A Data Automation profile (``us.data-automation-v1``) routes across its geography's Regions:
        # the profiles are allowed there too, as AWS's own samples grant them.
        regions = data_automation_regions(stack.region)
        profiles = [
            stack.format_arn(
                service="bedrock",
                region=region,
                account=account,
                resource="data-automation-profile",
                resource_name="*",
            )
            for region in regions
            for account in ("", stack.account)
        ]
        project = stack.format_arn(
            service="bedrock",
            account="aws",
            resource="data-automation-project",
            resource_name=spec.DATA_AUTOMATION_PROJECT,
        )
        invocations = [
            stack.format_arn(
                service="bedrock", account=account, resource="data-automation-invocation", resource_name="*"
            )
            for account in ("", stack.account)
        ]
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(spec.DATA_AUTOMATION_INVOKE_ACTIONS), resources=[project, *profiles]
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(spec.DATA_AUTOMATION_STATUS_ACTIONS), resources=invocations)
        )
        for arn in (*profiles, *invocations):
            acknowledge_wildcard(
                role,
                arn,
                "Bedrock Data Automation picks the profile and numbers each invocation at run time; the "
                "user guide grants these on '*' of the account and Region.",
            )


@dataclass(frozen=True)
class CustomTransformation:
    """A Lambda function run on each batch of chunks (``POST_CHUNKING``), reading and writing the
    batches in ``intermediate_bucket``: the role may invoke exactly that function (and its versions
    and aliases) and use exactly that bucket; the function's own role needs the bucket too."""

    function_arn: str
    intermediate_bucket: s3.IBucket

    def to_cfn(self) -> bedrock.CfnDataSource.CustomTransformationConfigurationProperty:
        prop = bedrock.CfnDataSource
        return prop.CustomTransformationConfigurationProperty(
            intermediate_storage=prop.IntermediateStorageProperty(
                s3_location=prop.S3LocationProperty(uri=f"s3://{self.intermediate_bucket.bucket_name}")
            ),
            transformations=[
                prop.TransformationProperty(
                    step_to_apply=spec.TRANSFORMATION_STEP,
                    transformation_function=prop.TransformationFunctionProperty(
                        transformation_lambda_configuration=prop.TransformationLambdaConfigurationProperty(
                            lambda_arn=self.function_arn
                        )
                    ),
                )
            ],
        )

    def grant(self, role: iam.IRole) -> None:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(spec.LAMBDA_INVOKE_ACTIONS),
                resources=[self.function_arn, f"{self.function_arn}:*"],
            )
        )
        acknowledge_wildcard(
            role,
            f"{self.function_arn}:*",
            "The versions and aliases of this one transformation function.",
        )
        bucket = self.intermediate_bucket
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(permissions.S3_LIST_ACTIONS), resources=[bucket.bucket_arn])
        )
        objects = bucket.arn_for_objects("*")
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(spec.INTERMEDIATE_OBJECT_ACTIONS), resources=[objects])
        )
        acknowledge_wildcard(
            role, objects, "The ingestion batches the service and the function exchange in this one bucket."
        )
        if bucket.encryption_key is not None:
            grant_bucket_key(role, bucket.encryption_key)


class DataSource(Construct):
    """A data source of a knowledge base: ``source`` says where the documents come from
    (:class:`S3Source`, :class:`WebSource`, :class:`ConfluenceSource`, :class:`SharePointSource`,
    :class:`SalesforceSource`, :class:`CustomSource`), and the knowledge base's role gets what that
    source, the ``parsing`` and the ``custom_transformation`` need, nothing more.

    The AWS name is ``<data_source_name>-<fingerprint>``, six hex digits over the create-only settings
    (chunking, parsing, and the source's type but for S3): a change replaces the data source, and the
    new name keeps CloudFormation from failing with "already exists" while the old one is still there.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base: KnowledgeBase,
        data_source_name: str,
        source: DataSourceKind,
        chunking: Chunking | None = None,
        parsing: Parsing | None = None,
        custom_transformation: CustomTransformation | None = None,
        data_deletion_policy: str = "DELETE",
        description: str | None = None,
        connector_settings: ConnectorSettings | None = None,
    ) -> None:
        """Create the data source.

        :param connector_settings: a managed knowledge base's data source: its connector's own
            schedule, deletion protection and media extraction. Default: none.
        :param knowledge_base: the knowledge base it feeds; its service role gets what the source,
            parsing and transformation need.
        :param data_source_name: the name before the fingerprint; at most 93 characters.
        :param source: where the documents come from: an :class:`S3Source`, :class:`WebSource`,
            :class:`ConfluenceSource`, :class:`SharePointSource`, :class:`SalesforceSource` or
            :class:`CustomSource`.
        :param chunking: Default ``Chunking.fixed_size()`` (300 tokens, 20 % overlap).
        :param parsing: Default: the service's text parser.
        :param custom_transformation: Default: none.
        :param data_deletion_policy: ``DELETE`` (default) or ``RETAIN`` the vectors when the data
            source goes away.
        :param description: 1 to 200 characters. Default: none.
        """
        super().__init__(scope, id)
        managed = knowledge_base.managed
        problems: list[str] = []
        multimodal_embeddings = spec.PARSING_STRATEGIES["multimodal_embeddings"]
        if knowledge_base.native_multimodal:
            # User guide, "Native multimodal processing": "Only the MULTI_MODAL_EMBEDDINGS parsing
            # strategy is supported", so it is written whether or not it was asked for.
            if parsing is not None and parsing.strategy != multimodal_embeddings:
                problems.append(
                    "a knowledge base with a native multimodal embedding model parses with "
                    "Parsing.multimodal_embeddings() only"
                )
            parsing = Parsing.multimodal_embeddings()
        elif parsing is not None and parsing.strategy == multimodal_embeddings:
            problems.append(
                "Parsing.multimodal_embeddings() is for a knowledge base with a native multimodal "
                "embedding model"
            )
        if managed:
            # The service's parsing and chunking: a managed knowledge base refuses a chunking
            # configuration with its embedding model, and parses with SMART_PARSING.
            smart = parsing is not None and parsing.strategy in SERVICE_STRATEGIES
            given = {
                "chunking": chunking,
                "parsing": None if smart else parsing,
                "custom_transformation": custom_transformation,
            }
            problems += [
                f"{name} does not apply to a managed knowledge base" for name, v in given.items() if v
            ]
            if not hasattr(source, "managed_parameters"):
                problems.append(
                    "a managed knowledge base takes S3, web, SharePoint and custom sources, "
                    f"not {source.type}"
                )
            if data_deletion_policy != "DELETE":
                problems.append("a managed knowledge base's data source deletes its content (DELETE only)")
            if connector_settings is not None:
                problems += connector_settings.problems(source.type)
        elif connector_settings is not None:
            problems.append("connector_settings applies to a data source of a managed knowledge base only")
        if not managed and parsing is not None and parsing.strategy == "SMART_PARSING":
            problems.append("Parsing.smart() is for data sources of a managed knowledge base only")
        chunking = chunking or Chunking.fixed_size()
        self.fingerprint = (
            managed_fingerprint(source.type, parsing)
            if managed
            else data_source_fingerprint(chunking, parsing, source.type)
        )
        name = f"{data_source_name}-{self.fingerprint}"
        problems += [*source.problems(), *(parsing.problems() if parsing else [])]
        mode_problems = getattr(source, "managed_problems" if managed else "vector_problems", None)
        if mode_problems is not None:
            problems += mode_problems()
        if not cdk.Token.is_unresolved(data_source_name) and not _NAME.match(name):
            problems.append(f"data source name '{name}' must match {_NAME.pattern}")
        if data_deletion_policy not in ("DELETE", "RETAIN"):
            problems.append(f"data_deletion_policy '{data_deletion_policy}' must be DELETE or RETAIN")
        if parsing is not None and parsing.multimodal and source.type.lower() not in spec.MULTIMODAL_TYPES:
            problems.append(f"multimodal parsing takes S3 and custom sources only, not {source.type}")
        if parsing is not None and parsing.multimodal and knowledge_base.multimodal_storage is None:
            problems.append(
                "multimodal parsing keeps the images it extracts in the knowledge base's multimodal_storage, "
                "which it has none of"
            )
        description_problem = knowledge_base_spec.description_problem(description)
        if description_problem:
            problems.append(description_problem)
        if problems:
            raise ConstructValidationError(f"{type(self).__name__} '{id}': " + "; ".join(problems))

        self.chunking = chunking
        self.parsing = parsing
        self.source = source
        self.knowledge_base = knowledge_base
        source.grant(knowledge_base)
        if parsing is not None:
            parsing.grant(knowledge_base.role)
            if parsing.strategy == "BEDROCK_DATA_AUTOMATION":
                keys = [getattr(source, "key", None), knowledge_base.multimodal_storage_key]
                _grant_data_automation_keys(knowledge_base.role, [key for key in keys if key is not None])
        if custom_transformation is not None:
            custom_transformation.grant(knowledge_base.role)
        self.resource = bedrock.CfnDataSource(
            self,
            "Resource",
            name=name,
            description=description,
            knowledge_base_id=knowledge_base.knowledge_base_id,
            data_deletion_policy=data_deletion_policy,
            data_source_configuration=(
                bedrock.CfnDataSource.DataSourceConfigurationProperty(
                    type=spec.MANAGED_CONNECTOR_TYPE,
                    managed_knowledge_base_connector_configuration=bedrock.CfnDataSource.ManagedKnowledgeBaseConnectorConfigurationProperty(
                        connector_parameters=source.managed_parameters(self),  # type: ignore[attr-defined]
                        **(connector_settings.to_cfn() if connector_settings else {}),
                    ),
                )
                if managed
                else source.configuration(self)
            ),
            vector_ingestion_configuration=(
                (
                    bedrock.CfnDataSource.VectorIngestionConfigurationProperty(
                        parsing_configuration=parsing.to_cfn()
                    )
                    if parsing is not None
                    else None
                )
                if managed
                else bedrock.CfnDataSource.VectorIngestionConfigurationProperty(
                    chunking_configuration=chunking.to_cfn(),
                    parsing_configuration=parsing.to_cfn() if parsing else None,
                    custom_transformation_configuration=(
                        custom_transformation.to_cfn() if custom_transformation else None
                    ),
                )
            ),
        )
        # Bedrock checks what the role may do when it creates the data source: the grants above are in
        # the role's policy, which the knowledge base (and so this data source) is created after.
        self.data_source_name = name
        self.data_source_id = self.resource.attr_data_source_id


SERVICE_STRATEGIES = frozenset(
    {spec.PARSING_STRATEGIES["smart"], spec.PARSING_STRATEGIES["multimodal_embeddings"]}
)
"""The managed knowledge base's own strategies: no configuration, nothing for the role to be granted."""


def data_automation_regions(region: str) -> tuple[str, ...]:
    """The stack's Region and every Region its geography's cross-Region profiles route to (AWS's
    samples allow ``us.data-automation-v1`` in each US Region); just the stack's when unknown at
    synth or outside every geography."""
    if cdk.Token.is_unresolved(region):
        return (region,)
    for table in geographies.INFERENCE_PROFILE_GEOGRAPHIES.values():
        if region in table:
            routed = sorted({destination for destinations in table.values() for destination in destinations})
            return tuple(dict.fromkeys((region, *routed)))
    return (region,)


def _grant_data_automation_keys(role: iam.IRole, keys: Sequence[kms.IKey]) -> None:
    """Bedrock Data Automation reads the documents and writes the extracted media with the role, through
    Bedrock: the user guide's statement for customer managed keys."""
    if not keys:
        return
    stack = cdk.Stack.of(role)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(spec.DATA_AUTOMATION_KEY_ACTIONS),
            resources=[key.key_arn for key in keys],
            conditions={
                "StringEquals": {
                    "aws:ResourceAccount": stack.account,
                    "kms:ViaService": f"bedrock.{stack.region}.{stack.url_suffix}",
                }
            },
        )
    )


@dataclass(frozen=True)
class ConnectorSettings:
    """A managed knowledge base connector's own settings (its ``ManagedKnowledgeBaseConnectorConfiguration``
    beside the parameters): ``schedule`` ``"DAILY"``, ``("WEEKLY", "MONDAY")`` or ``("MONTHLY", 1..28 |
    "LAST")``; deletion protection at ``deletion_protection_threshold`` percent (None: off); the media
    it extracts (``"image"``, ``"audio"``, ``"video"``). The custom connector takes media only."""

    schedule: str | tuple[str, str | int] | None = None
    deletion_protection_threshold: int | None = None
    media_extraction: Sequence[str] = ()

    def problems(self, source_type: str) -> list[str]:
        problems = []
        if source_type == "CUSTOM" and (
            self.schedule is not None or self.deletion_protection_threshold is not None
        ):
            problems.append("the custom connector takes no schedule and no deletion protection")
        threshold = self.deletion_protection_threshold
        if threshold is not None and not 0 <= threshold <= 100:
            problems.append(f"deletion_protection_threshold {threshold} must be 0 to 100")
        unknown = [kind for kind in self.media_extraction if kind not in spec.MEDIA_KINDS]
        if unknown:
            problems.append(f"media_extraction takes {', '.join(spec.MEDIA_KINDS)}, not {', '.join(unknown)}")
        return problems

    def to_cfn(self) -> dict[str, Any]:
        """The settings as CloudFormation's ManagedKnowledgeBaseConnectorConfiguration members."""
        prop = bedrock.CfnDataSource
        settings: dict[str, Any] = {}
        if self.schedule == "DAILY":
            settings["sync_schedule"] = prop.SyncScheduleProperty(daily={})
        elif isinstance(self.schedule, tuple) and self.schedule[0] == "WEEKLY":
            settings["sync_schedule"] = prop.SyncScheduleProperty(
                weekly=prop.WeeklyScheduleProperty(day_of_week=str(self.schedule[1]))
            )
        elif isinstance(self.schedule, tuple):
            day = self.schedule[1]
            settings["sync_schedule"] = prop.SyncScheduleProperty(
                monthly=prop.MonthlyScheduleProperty(
                    day_of_month=(
                        prop.DayOfMonthProperty(last_day_of_month={})
                        if day == "LAST"
                        else prop.DayOfMonthProperty(day_number=int(day))
                    )
                )
            )
        if self.deletion_protection_threshold is not None:
            settings["deletion_protection_configuration"] = prop.DeletionProtectionConfigurationProperty(
                deletion_protection_status="ENABLED",
                deletion_protection_threshold=self.deletion_protection_threshold,
            )
        if self.media_extraction:
            media = set(self.media_extraction)
            settings["media_extraction_configuration"] = prop.MediaExtractionConfigurationProperty(
                image_extraction_configuration=(
                    prop.ImageExtractionConfigurationProperty(image_extraction_status="ENABLED")
                    if "image" in media
                    else None
                ),
                audio_extraction_configuration=(
                    prop.AudioExtractionConfigurationProperty(audio_extraction_status="ENABLED")
                    if "audio" in media
                    else None
                ),
                video_extraction_configuration=(
                    prop.VideoExtractionConfigurationProperty(video_extraction_status="ENABLED")
                    if "video" in media
                    else None
                ),
            )
        return settings


def managed_fingerprint(source_type: str, parsing: Parsing | None = None) -> str:
    """Six hex digits over a managed connector's create-only settings: its kind (and parsing, when
    given)."""
    fixed: dict[str, Any] = {"connector": spec.MANAGED_CONNECTOR_TYPE, "type": source_type}
    if parsing is not None:
        fixed["parsing"] = parsing.identity()
    text = json.dumps(fixed, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def data_source_fingerprint(chunking: Chunking, parsing: Parsing | None, source_type: str) -> str:
    """Six hex digits over a data source's create-only settings: the chunking's own fingerprint when
    it is an S3 source with the default parser (the names data sources had before parsing and source
    kinds existed), else over chunking, parsing and type."""
    if parsing is None and source_type == "S3":
        return chunking.fingerprint()
    text = json.dumps(
        {
            "chunking": {"strategy": chunking.strategy, **chunking.parameters},
            "parsing": parsing.identity() if parsing else None,
            "type": source_type,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:6]


class S3DataSource(DataSource):
    """An S3 data source of a knowledge base: a :class:`DataSource` of an :class:`S3Source`.

    The knowledge base role gets read access to the bucket (only under the inclusion prefix), only
    while the bucket belongs to the account that owns it (``aws:ResourceAccount``), and decrypt on
    its key only through S3 (``kms:ViaService``), as the user guide's knowledge base service role
    gives them ("Création d'un rôle de service pour les bases de connaissances d'Amazon Bedrock",
    "Autorisations requises pour le rôle de base de connaissances").
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        knowledge_base: KnowledgeBase,
        data_source_name: str,
        bucket: s3.IBucket,
        inclusion_prefixes: Sequence[str] = (),
        chunking: Chunking | None = None,
        parsing: Parsing | None = None,
        custom_transformation: CustomTransformation | None = None,
        data_deletion_policy: str = "DELETE",
        description: str | None = None,
        kms_key: kms.IKey | None = None,
        bucket_owner_account: str | None = None,
        connector_settings: ConnectorSettings | None = None,
    ) -> None:
        """Create the data source.

        :param knowledge_base: the knowledge base it feeds; its service role gets read access.
        :param data_source_name: the name before the fingerprint; at most 93 characters.
        :param bucket: where the documents are.
        :param inclusion_prefixes: at most one prefix to ingest from. Default: the whole bucket.
        :param chunking: Default ``Chunking.fixed_size()`` (300 tokens, 20 % overlap).
        :param parsing: Default: the service's text parser.
        :param custom_transformation: Default: none.
        :param data_deletion_policy: ``DELETE`` (default) or ``RETAIN`` the vectors when the data
            source goes away.
        :param description: 1 to 200 characters. Default: none.
        :param kms_key: the key the objects are encrypted with. Default: the bucket's own key, if any.
        :param bucket_owner_account: the account that owns the bucket (an S3 bucket ARN names none):
            the role may read the bucket only while it belongs to that account. Default: this
            stack's account.
        :param connector_settings: on a managed knowledge base: its connector's own settings.
            Default: none.
        """
        source = S3Source(
            bucket=bucket,
            inclusion_prefixes=tuple(inclusion_prefixes),
            kms_key=kms_key,
            owner_account=bucket_owner_account,
        )
        super().__init__(
            scope,
            id,
            knowledge_base=knowledge_base,
            data_source_name=data_source_name,
            source=source,
            chunking=chunking,
            parsing=parsing,
            custom_transformation=custom_transformation,
            data_deletion_policy=data_deletion_policy,
            description=description,
            connector_settings=connector_settings,
        )
        self.bucket = bucket
        self.bucket_owner_account = source.owner_account or cdk.Stack.of(self).account


def _grant_bucket_read(
    knowledge_base: KnowledgeBase,
    bucket: s3.IBucket,
    inclusion_prefixes: Sequence[str],
    key: kms.IKey | None,
    owner_account: str,
) -> None:
    # The guide's "Autorisations requises pour le rôle de base de connaissances": S3ListBucket
    # and S3GetObject statements with "aws:ResourceAccount": "bucketOwnerAccountId", and
    # KmsDecryptStatement with "kms:ViaService": "s3.region.amazonaws.com".
    role = knowledge_base.role
    owner = {"StringEquals": {"aws:ResourceAccount": owner_account}}
    role.add_to_principal_policy(
        cdk.aws_iam.PolicyStatement(
            actions=list(permissions.S3_LIST_ACTIONS), resources=[bucket.bucket_arn], conditions=owner
        )
    )
    objects = [bucket.arn_for_objects(f"{prefix}*") for prefix in inclusion_prefixes] or [
        bucket.arn_for_objects("*")
    ]
    role.add_to_principal_policy(
        cdk.aws_iam.PolicyStatement(
            actions=list(permissions.S3_READ_ACTIONS), resources=objects, conditions=owner
        )
    )
    for arn in objects:
        acknowledge_wildcard(
            role,
            arn,
            "Bedrock ingestion reads every object under the data source's inclusion prefix "
            "of this one bucket; object keys are not known in advance.",
        )
    if key is not None:
        stack = cdk.Stack.of(role)
        role.add_to_principal_policy(
            cdk.aws_iam.PolicyStatement(
                actions=list(permissions.KMS_DECRYPT_ACTIONS),
                resources=[key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"}},
            )
        )


class AccessLogsBucket(s3.Bucket):
    """The bucket that receives the server access logs of the document buckets of a stack.

    Encrypted with SSE-S3: S3 delivers server access logs only to a bucket with that default
    encryption, not to one with a KMS key.
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(
            scope,
            id,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(365), noncurrent_version_expiration=cdk.Duration.days(30)
                )
            ],
        )
        acknowledge_bucket(self, access_logs=True)


NONCURRENT_VERSION_DAYS = 90
"""How long a document bucket keeps an overwritten or deleted object's old version: long enough to
restore a mistaken sync or deletion, bounded so that erased data does go (AWS Control Tower's
CT.S3.PR.3 and CT.S3.PR.6 want a lifecycle on every versioned bucket)."""
INCOMPLETE_UPLOAD_DAYS = 7
"""When the parts of a multipart upload that never completed are removed."""


class DocumentBucket(s3.Bucket):
    """A bucket for knowledge base documents: SSL only, public access blocked, encrypted,
    versioned (old versions expire after :data:`NONCURRENT_VERSION_DAYS` days), access-logged,
    retained when it leaves the stack."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        access_logs_bucket: s3.IBucket,
        encryption_key: kms.IKey | None = None,
        cors: Sequence[s3.CorsRule] = (),
    ) -> None:
        """Create the bucket.

        :param access_logs_bucket: where server access logs go (prefix: the construct path).
        :param encryption_key: customer managed key. Default: S3 managed keys (SSE-S3).
        :param cors: CORS rules. Default: none.
        """
        kwargs: dict[str, Any] = (
            {
                "encryption": s3.BucketEncryption.KMS,
                "encryption_key": encryption_key,
                "bucket_key_enabled": True,
            }
            if encryption_key
            else {"encryption": s3.BucketEncryption.S3_MANAGED}
        )
        super().__init__(
            scope,
            id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            cors=list(cors) or None,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireOldVersions",
                    noncurrent_version_expiration=cdk.Duration.days(NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(INCOMPLETE_UPLOAD_DAYS),
                )
            ],
            **kwargs,
        )
        self._log_access_to(access_logs_bucket, f"{id}/")
        acknowledge_bucket(self, sse_s3=encryption_key is None)

    def _log_access_to(self, target: s3.IBucket, prefix: str) -> None:
        """Server access logs into ``target`` under ``prefix``, delivered by the S3 logging service
        under a bucket policy statement on ``target`` (what aws-cdk-lib writes with the
        ``@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`` flag, written here so that an app
        without the flag gets it too; without it aws-cdk-lib would need ACL-based delivery, which
        the target's BucketOwnerEnforced ownership refuses)."""
        bucket = self.node.default_child
        assert isinstance(bucket, s3.CfnBucket)
        bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=target.bucket_name, log_file_prefix=prefix
        )
        target.add_to_resource_policy(
            cdk.aws_iam.PolicyStatement(
                principals=[cdk.aws_iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[target.arn_for_objects(f"{prefix}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": self.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": cdk.Stack.of(self).account},
                },
            )
        )
