"""spec/data_sources.py holds the service's rules on data sources; CloudFormation's resource schema
(shipped with cfn-lint) and the config's schema must say the same (issue 22)."""

from __future__ import annotations

from typing import Any

import pytest

from bedrock_platform.config.schema import load_schema
from bedrock_platform.spec import data_sources as spec
from tests.spec.cloudformation import resource_schema

CFN = resource_schema("AWS::Bedrock::DataSource")["definitions"]
CONFIG = load_schema()["$defs"]["data_source"]["properties"]


def _property(definition: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = CFN[definition]["properties"][name]
    return found


def test_the_kinds_and_their_keys_are_the_schemas() -> None:
    assert {kind.upper() for kind in spec.SOURCE_TYPES} <= set(CFN["DataSourceType"]["enum"])
    assert CONFIG["type"]["enum"] == list(spec.SOURCE_TYPES) == list(spec.TYPE_FIELDS)
    assert set(CONFIG) == spec.COMMON_FIELDS | set().union(*spec.TYPE_FIELDS.values())
    assert all(required <= spec.TYPE_FIELDS[kind] for kind, required in spec.REQUIRED_FIELDS.items())
    knowledge_base = load_schema()["$defs"]["knowledge_base"]["properties"]
    assert knowledge_base["data_sources"]["maxItems"] == spec.MAX_DATA_SOURCES


def test_the_limits_are_cloudformations() -> None:
    assert CFN["SeedUrls"]["maxItems"] == spec.MAX_URLS == CONFIG["seed_urls"]["maxItems"]
    assert _property("SharePointSourceConfiguration", "SiteUrls")["maxItems"] == spec.MAX_URLS
    limits = CFN["WebCrawlerLimits"]["properties"]["RateLimit"]
    assert (limits["minimum"], limits["maximum"]) == (spec.MIN_RATE_LIMIT, spec.MAX_RATE_LIMIT)
    assert (CONFIG["rate_limit"]["minimum"], CONFIG["rate_limit"]["maximum"]) == (1, spec.MAX_RATE_LIMIT)
    agent = _property("WebCrawlerConfiguration", "UserAgent")
    assert (agent["minLength"], agent["maxLength"]) == spec.USER_AGENT_LIMITS
    assert (CONFIG["user_agent"]["minLength"], CONFIG["user_agent"]["maxLength"]) == spec.USER_AGENT_LIMITS
    assert CFN["FilterList"]["maxItems"] == spec.MAX_FILTERS == CONFIG["exclusion_filters"]["maxItems"]
    assert CFN["FilterList"]["items"]["maxLength"] == spec.MAX_FILTER_LENGTH
    assert (
        CFN["PatternObjectFilterList"]["maxItems"] == spec.MAX_OBJECT_FILTERS == CONFIG["filters"]["maxItems"]
    )
    prompt = CFN["ParsingPrompt"]["properties"]["ParsingPromptText"]["maxLength"]
    assert prompt == spec.MAX_PARSING_PROMPT == CONFIG["parsing"]["properties"]["prompt"]["maxLength"]
    assert CONFIG["max_pages"]["maximum"] == spec.MAX_PAGES
    assert list(spec.CRAWL_SCOPES.values()) == CFN["WebScopeType"]["enum"]
    assert CONFIG["crawl_scope"]["enum"] == list(spec.CRAWL_SCOPES)


@pytest.mark.parametrize(
    ("definition", "kind"),
    [
        ("ConfluenceSourceConfiguration", "confluence"),
        ("SharePointSourceConfiguration", "sharepoint"),
        ("SalesforceSourceConfiguration", "salesforce"),
    ],
)
def test_each_connectors_auth_types_and_secret_are_cloudformations(definition: str, kind: str) -> None:
    assert {auth.upper() for auth in spec.AUTH_TYPES[kind]} <= set(_property(definition, "AuthType")["enum"])
    assert set().union(*spec.AUTH_TYPES.values(), *spec.MANAGED_AUTH_TYPES.values()) == set(
        CONFIG["auth_type"]["enum"]
    )
    assert _property(definition, "CredentialsSecretArn")["pattern"] == spec.SECRET_ARN_PATTERN
    assert all((kind, auth) in spec.SECRET_KEYS for auth in spec.AUTH_TYPES[kind])


def test_the_patterns_are_cloudformations_and_the_schemas() -> None:
    assert CONFIG["credentials_secret_arn"]["pattern"] == spec.SECRET_ARN_PATTERN
    lambda_arn = CFN["TransformationLambdaConfiguration"]["properties"]["LambdaArn"]["pattern"]
    assert lambda_arn == spec.LAMBDA_ARN_PATTERN
    assert CONFIG["custom_transformation"]["properties"]["lambda_arn"]["pattern"] == spec.LAMBDA_ARN_PATTERN
    assert _property("ConfluenceSourceConfiguration", "HostUrl")["pattern"] == spec.HTTPS_URL_PATTERN
    assert CONFIG["host_url"]["pattern"] == spec.HTTPS_URL_PATTERN == CONFIG["site_urls"]["items"]["pattern"]
    assert CFN["SeedUrl"]["properties"]["Url"]["pattern"] == spec.SEED_URL_PATTERN
    assert CONFIG["seed_urls"]["items"]["pattern"] == spec.SEED_URL_PATTERN
    tenant = _property("SharePointSourceConfiguration", "TenantId")["pattern"]
    assert tenant == spec.TENANT_ID_PATTERN == CONFIG["tenant_id"]["pattern"]


def test_the_parsing_strategies_are_cloudformations() -> None:
    named = [value for value in spec.PARSING_STRATEGIES.values() if value is not None]
    assert named == CFN["ParsingStrategy"]["enum"]
    assert CONFIG["parsing"]["properties"]["strategy"]["enum"] == list(spec.PARSING_STRATEGIES)
    assert set(spec.PARSING_STRATEGIES) > spec.MANAGED_ONLY_STRATEGIES
    assert CFN["Transformation"]["properties"]["StepToApply"]["enum"] == [spec.TRANSFORMATION_STEP]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("^/docs/.*$", None),
        (".*\\.pdf$", None),
        ("(?=x).*", "look-ahead"),
        ("(?<!x)y", "look-ahead or look-behind"),
        ("[a-", "is not a regular expression"),
    ],
)
def test_a_filter_pattern_compiles_and_has_no_lookaround(pattern: str, problem: str | None) -> None:
    found = spec.filter_problem(pattern)
    assert (found is None) if problem is None else (problem in (found or ""))
