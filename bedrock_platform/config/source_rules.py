"""Semantic checks of data sources: the keys each kind takes, the connectors' stores, secrets, object
types and filter patterns, parsing, custom transformation and context enrichment, from the service's
rules (:mod:`bedrock_platform.spec.data_sources` holds them and says where each is from).

All are document rules: they read the file as written, per data source, and skip what the schema
already refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bedrock_platform import geographies
from bedrock_platform.config.catalog import embedding_model
from bedrock_platform.config.checks import RuleContext, integer, items, string, value
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import did_you_mean, one_of, show
from bedrock_platform.spec import data_sources as spec
from bedrock_platform.spec import knowledge_base as knowledge_base_spec
from bedrock_platform.spec import vector_stores as stores_spec

FIELD_NOT_FOR_TYPE = "{field} does not apply to a data source of type {type} (only to {other})"
FIELD_MISSING = "missing required key {field}: a data source of type {type} needs it"
AUTH_NOT_FOR_TYPE = "auth_type {auth} does not apply to a {type} data source: it takes {allowed}"
OBJECT_TYPE = "object type {value} is not one a {type} data source filters on: {allowed}{hint}"
FILTER_PATTERN = "the filter pattern {pattern} {problem}"
NEEDS_OPENSEARCH = (
    "a {type} data source needs its knowledge base on an OpenSearch Serverless store, and vector store "
    "{store} is of type {store_type} (user guide: only OpenSearch Serverless is available with this "
    "data source)"
)
SECRET_REGION = (
    "the secret is in region {region}, not in the config's region {expected}: the connector reads its "
    "secret in the knowledge base's Region"
)
PARTIAL_SECRET_ARN = (
    "give the secret's full ARN, ending with the hyphen and six characters Secrets Manager adds to its "
    "name: the role's grant names that ARN, and a partial one matches no secret"
)
CUSTOM_NOT_SYNCED = (
    "{key} does not apply to a custom data source: it has no content to crawl, an application pushes its "
    "documents with IngestKnowledgeBaseDocuments"
)
MANAGED_ONLY = (
    "parsing strategy 'smart' is for data sources of managed knowledge bases (a vector store of type "
    "'managed'); use foundation_model or data_automation here"
)
MULTIMODAL_EMBEDDINGS = (
    "parsing strategy 'multimodal_embeddings' is for a knowledge base whose embedding model is a native "
    "multimodal one ({models}), and {model} is not"
)
NATIVE_PARSING = (
    "knowledge base {knowledge_base} embeds whole files with {model}, a native multimodal embedding model: "
    "its data sources parse with multimodal_embeddings only (user guide, native multimodal processing: "
    "the only strategy supported); leave parsing out or give that"
)
NATIVE_STORE = (
    "{model} is a native multimodal embedding model, for managed knowledge bases only (a vector store of "
    "type 'managed'), and vector store {store} is not one"
)
NATIVE_STORAGE = (
    "missing key multimodal_storage: a knowledge base with a native multimodal embedding model ({model}) "
    "processes its files in a multimodal storage destination ({{create: true}} or {{arn: ...}})"
)
SEGMENTATION_MODEL = (
    "segmentation applies to a native multimodal embedding model ({models}), not to {model}: a text "
    "model's data sources are chunked instead"
)
STORAGE_IS_SOURCE = (
    "the multimodal storage bucket is the bucket of data source {source}: give the knowledge base a "
    "different bucket (user guide: use a different bucket from your data source bucket)"
)
MANAGED_DIMENSIONS = (
    "a managed knowledge base's custom embedding model embeds {expected} dimensions (user guide, Create a "
    "managed knowledge base: you must specify the model dimensions ({expected}) and float32), not {value}"
)
NATIVE_KIND = (
    "knowledge base {knowledge_base} ingests only the file types its native multimodal embedding model "
    "takes (video, audio, images, text files): s3 and custom data sources, not {type}"
)
NATIVE_MEDIA_EXTRACTION = (
    "media_extraction belongs to the parser, which native multimodal processing skips: knowledge base "
    "{knowledge_base} sends whole files to its model"
)
MANAGED_EVALUATION = (
    "knowledge base {knowledge_base} is managed: an evaluation job queries it with "
    "vectorSearchConfiguration, the only retrieval configuration CreateEvaluationJob takes (botocore), and a "
    "managed knowledge base takes managedSearchConfiguration only (user guide, Query a knowledge base and "
    "retrieve data)"
)
PARSING_KEY = "{key} applies to the foundation_model strategy only, not to {strategy}"
MODEL_MISSING = "missing required key model: the foundation_model strategy parses with a model"
UNKNOWN_PARSER = (
    "model {model} is not a catalogued parsing model (a vision model the user guide allows as a parser: "
    "{allowed}, or the system inference profile of one){hint}"
)
PROFILE_REGION = (
    "the {geography} inference profile {model} is not offered from region {region} (its source Regions: "
    "{regions})"
)
DATA_AUTOMATION_REGION = (
    "region {region} has no Bedrock Data Automation parser (the user guide offers it in {regions}); use "
    "foundation_model, or a config in one of those Regions"
)
MULTIMODAL_TYPE = (
    "multimodal parsing takes s3 and custom data sources only (user guide: only Amazon S3 and custom data "
    "sources support multimodal content), not {type}"
)
MULTIMODAL_STORAGE = (
    "multimodal parsing keeps images and figures in the knowledge base's multimodal storage: give knowledge "
    "base {knowledge_base} multimodal_storage ({{create: true}} or {{arn: ...}})"
)
LAMBDA_ELSEWHERE = (
    "the function is in {part} {actual}, not in the config's {part} {expected}: the knowledge base invokes a "
    "transformation function of its own account and Region"
)
CONTEXT_ENRICHMENT = (
    "context_enrichment (chunk entity extraction) is for knowledge bases on a {store} graph (GraphRAG), "
    "which bedrock-platform does not create; none of its vector stores supports it"
)


def _sources(
    config: Mapping[str, Any],
) -> Iterator[tuple[ConfigPath, dict[str, Any], ConfigPath, dict[str, Any]]]:
    """(source path, source, knowledge base path, knowledge base) for every data source."""
    for kb_path, knowledge_base in items(config, ("knowledge_bases",)):
        for source_path, source in items(config, (*kb_path, "data_sources")):
            yield source_path, source, kb_path, knowledge_base


def _type(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, source: dict[str, Any]
) -> str | None:
    """The source's kind, or None when the schema refused it."""
    if "type" in source:
        return string(config, context, (*path, "type"))
    return spec.DEFAULT_TYPE


def data_source_fields(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A data source gives the keys of its kind and no other, with the ones its kind needs; a
    connector's auth_type and object types are its own."""
    issues = []
    for path, source, _, _ in _sources(config):
        kind = _type(config, context, path, source)
        if kind is None:
            continue
        allowed = spec.TYPE_FIELDS[kind]
        for field in source:
            if field in spec.COMMON_FIELDS or field in allowed:
                continue
            takers = [other for other, fields in spec.TYPE_FIELDS.items() if field in fields]
            if takers:
                message = FIELD_NOT_FOR_TYPE.format(field=field, type=show(kind), other=one_of(takers))
                issues.append(context.issue(path, message, key=field))
        for field in sorted(spec.REQUIRED_FIELDS.get(kind, ())):
            if field not in source:
                issues.append(context.issue(path, FIELD_MISSING.format(field=show(field), type=show(kind))))
        auth = string(config, context, (*path, "auth_type"))
        takes = (*spec.AUTH_TYPES.get(kind, ()), *spec.MANAGED_AUTH_TYPES.get(kind, {}))
        if auth is not None and takes and auth not in takes:
            message = AUTH_NOT_FOR_TYPE.format(auth=show(auth), type=kind, allowed=one_of(takes))
            issues.append(context.issue((*path, "auth_type"), message))
        if kind in spec.OBJECT_TYPES:
            for filter_path, _ in items(config, (*path, "filters")):
                object_type = string(config, context, (*filter_path, "object_type"))
                if object_type is not None and object_type not in spec.OBJECT_TYPES[kind]:
                    message = OBJECT_TYPE.format(
                        value=show(object_type),
                        type=kind,
                        allowed=one_of(spec.OBJECT_TYPES[kind]),
                        hint=did_you_mean(object_type, spec.OBJECT_TYPES[kind]),
                    )
                    issues.append(context.issue((*filter_path, "object_type"), message))
    return issues


def _filter_paths(config: Mapping[str, Any], path: ConfigPath) -> Iterator[ConfigPath]:
    for key in ("inclusion_filters", "exclusion_filters"):
        patterns = value(config, (*path, key))
        if isinstance(patterns, list):
            yield from ((*path, key, index) for index in range(len(patterns)))
    for filter_path, _ in items(config, (*path, "filters")):
        for key in ("inclusion_filters", "exclusion_filters"):
            patterns = value(config, (*filter_path, key))
            if isinstance(patterns, list):
                yield from ((*filter_path, key, index) for index in range(len(patterns)))


def data_source_connectors(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Crawlers and connectors are on an OpenSearch Serverless store, their secrets in the config's
    Region, their filter patterns regular expressions the crawler takes; a custom source is not
    crawled (no schedule, no ingestion on deploy)."""
    stores = {
        store["name"]: store.get("type", "opensearch_serverless")
        for _, store in items(config, ("vector_stores",))
        if isinstance(store.get("name"), str)
    }
    region = string(config, context, ("region",))
    issues = []
    for path, source, _, knowledge_base in _sources(config):
        kind = _type(config, context, path, source)
        if kind is None:
            continue
        store = knowledge_base.get("vector_store")
        store_type = stores.get(store) if isinstance(store, str) else None
        managed_connector = store_type == stores_spec.MANAGED_STORE_TYPE and kind in spec.MANAGED_SOURCE_TYPES
        if (
            kind in spec.OPENSEARCH_ONLY_TYPES
            and isinstance(store_type, str)
            and store_type != "opensearch_serverless"
            and not managed_connector
        ):
            message = NEEDS_OPENSEARCH.format(type=kind, store=show(store), store_type=show(store_type))
            issues.append(context.issue(path, message, key="type" if "type" in source else None))
        secret = string(config, context, (*path, "credentials_secret_arn"))
        if secret is not None and region is not None and spec.arn_place(secret)[1] != region:
            message = SECRET_REGION.format(region=show(spec.arn_place(secret)[1]), expected=show(region))
            issues.append(context.issue((*path, "credentials_secret_arn"), message))
        if secret is not None and not spec.SECRET_SUFFIX.search(secret):
            issues.append(context.issue((*path, "credentials_secret_arn"), PARTIAL_SECRET_ARN))
        for pattern_path in _filter_paths(config, path):
            pattern = string(config, context, pattern_path)
            problem = spec.filter_problem(pattern) if pattern is not None else None
            if problem:
                issues.append(
                    context.issue(pattern_path, FILTER_PATTERN.format(pattern=show(pattern), problem=problem))
                )
        if kind == "custom":
            for key in ("sync", "ingest_on_deploy"):
                if key in source and source[key] not in (False, None):
                    issues.append(context.issue(path, CUSTOM_NOT_SYNCED.format(key=key), key=key))
    return issues


def data_source_parsing(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Parsing the service offers here: no managed-only strategy, a catalogued vision model (or its
    system profile, offered from the config's Region) for foundation_model, the Data Automation parser
    in its Regions, multimodal parsing only for s3 and custom sources of a knowledge base with
    multimodal storage."""
    region = string(config, context, ("region",))
    issues = []
    for path, source, _, knowledge_base in _sources(config):
        parsing_path = (*path, "parsing")
        strategy = string(config, context, (*parsing_path, "strategy"))
        if strategy is None:
            continue
        if strategy == "multimodal_embeddings":
            model = knowledge_base.get("embedding_model")
            if isinstance(model, str) and not knowledge_base_spec.is_native_multimodal(model):
                message = MULTIMODAL_EMBEDDINGS.format(
                    models=", ".join(knowledge_base_spec.NATIVE_MULTIMODAL_MODELS), model=show(model)
                )
                issues.append(context.issue((*parsing_path, "strategy"), message))
            continue
        if strategy == "smart":
            if str(knowledge_base.get("vector_store")) not in managed_stores(config):
                issues.append(context.issue((*parsing_path, "strategy"), MANAGED_ONLY))
            continue
        parsing = value(config, parsing_path)
        for key in ("model", "prompt"):
            if key in parsing and strategy != "foundation_model":
                issues.append(
                    context.issue(parsing_path, PARSING_KEY.format(key=key, strategy=show(strategy)), key=key)
                )
        if strategy == "foundation_model":
            model = string(config, context, (*parsing_path, "model"))
            if "model" not in parsing:
                issues.append(context.issue(parsing_path, MODEL_MISSING))
            elif model is not None:
                issues += _parsing_model_issues(context, (*parsing_path, "model"), model, region)
        if (
            strategy == "data_automation"
            and region is not None
            and region not in spec.DATA_AUTOMATION_PARSING_REGIONS
        ):
            message = DATA_AUTOMATION_REGION.format(
                region=show(region), regions=", ".join(spec.DATA_AUTOMATION_PARSING_REGIONS)
            )
            issues.append(context.issue((*parsing_path, "strategy"), message))
        if parsing.get("multimodal") is True:
            kind = _type(config, context, path, source)
            if kind is not None and kind not in spec.MULTIMODAL_TYPES:
                issues.append(
                    context.issue((*parsing_path, "multimodal"), MULTIMODAL_TYPE.format(type=show(kind)))
                )
            if "multimodal_storage" not in knowledge_base:
                name = knowledge_base.get("name")
                message = MULTIMODAL_STORAGE.format(knowledge_base=show(name))
                issues.append(context.issue((*parsing_path, "multimodal"), message))
    return issues


def _parsing_model_issues(
    context: RuleContext, path: ConfigPath, model: str, region: str | None
) -> list[Issue]:
    geography = geographies.inference_profile_geography(model)
    base = model.split(".", 1)[1] if geography is not None else model
    if base not in spec.PARSING_MODELS:
        message = UNKNOWN_PARSER.format(
            model=show(model),
            allowed=", ".join(spec.PARSING_MODELS.values()),
            hint=did_you_mean(base, spec.PARSING_MODELS),
        )
        return [context.issue(path, message)]
    if geography is not None and geography != geographies.GLOBAL_GEOGRAPHY and region is not None:
        sources = geographies.source_regions(geography)
        if region not in sources:
            message = PROFILE_REGION.format(
                geography=geography, model=show(model), region=show(region), regions=", ".join(sources)
            )
            return [context.issue(path, message)]
    return []


def data_source_transformations(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A custom transformation's function is in the config's account and Region; context enrichment is
    refused with its reason."""
    expected = {
        "account": string(config, context, ("account",)),
        "region": string(config, context, ("region",)),
    }
    issues = []
    for path, source, _, _ in _sources(config):
        if "context_enrichment" in source:
            message = CONTEXT_ENRICHMENT.format(store=spec.CONTEXT_ENRICHMENT_STORE)
            issues.append(context.issue(path, message, key="context_enrichment"))
        arn_path = (*path, "custom_transformation", "lambda_arn")
        arn = string(config, context, arn_path)
        if arn is None:
            continue
        for part, actual in zip(("account", "region"), spec.arn_place(arn), strict=True):
            if expected[part] is not None and actual != expected[part]:
                message = LAMBDA_ELSEWHERE.format(
                    part=part, actual=show(actual), expected=show(expected[part])
                )
                issues.append(context.issue(arn_path, message))
    return issues


MANAGED_REGION = (
    "region {region} has no managed knowledge bases (the user guide offers them in {regions}), which vector "
    "store {store} of type 'managed' needs"
)
MANAGED_KIND = (
    "a managed knowledge base takes s3, web, sharepoint and custom data sources here, not {type} (its other "
    "connectors' parameters are the service's own)"
)
MANAGED_KEY = (
    "{key} does not apply to a data source of a managed knowledge base: the service parses (parsing takes "
    "strategy smart, or multimodal_embeddings with a native multimodal embedding model) and chunks (it "
    "refuses a chunking configuration with its embedding model)"
)
CUSTOM_CONNECTOR = (
    "{key} does not apply to a custom source: the service has nothing of its own to sync or delete"
)
TWO_SCHEDULERS = (
    "sync and connector.schedule both schedule this source's ingestion: keep one (sync: EventBridge "
    "Scheduler at the times you give; connector.schedule: the service's own)"
)
CONNECTOR_NOT_MANAGED = (
    "connector applies to a data source of a managed knowledge base, and vector store {store} is not of type "
    "'managed'"
)
MANAGED_RETAIN = (
    "a managed knowledge base's data source deletes its content with it: data_deletion_policy takes only "
    "'delete' there"
)


def managed_stores(config: Mapping[str, Any]) -> set[str]:
    """The names of the config's vector stores of type managed."""
    return {
        store["name"]
        for _, store in items(config, ("vector_stores",))
        if store.get("type") == stores_spec.MANAGED_STORE_TYPE and isinstance(store.get("name"), str)
    }


def managed_knowledge_bases(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A managed store is in a Region that offers managed knowledge bases, and its knowledge bases'
    data sources are the kinds it takes, without ingestion settings of their own."""
    region = string(config, context, ("region",))
    managed = set()
    issues = []
    for path, _ in items(config, ("vector_stores",)):
        if string(config, context, (*path, "type")) != stores_spec.MANAGED_STORE_TYPE:
            continue
        name = string(config, context, (*path, "name"))
        if name is not None:
            managed.add(name)
        if region is not None and region not in stores_spec.MANAGED_REGIONS:
            message = MANAGED_REGION.format(
                region=show(region), regions=", ".join(stores_spec.MANAGED_REGIONS), store=show(name)
            )
            issues.append(context.issue((*path, "type"), message))
    for path, source, _, knowledge_base in _sources(config):
        store = knowledge_base.get("vector_store")
        if not isinstance(store, str) or store not in managed:
            continue
        kind = _type(config, context, path, source)
        if kind is not None and kind not in spec.MANAGED_SOURCE_TYPES:
            issues.append(context.issue(path, MANAGED_KIND.format(type=show(kind)), key="type"))
        for key in spec.MANAGED_REFUSES:
            smart = (
                key == "parsing"
                and isinstance(source.get("parsing"), dict)
                and source["parsing"].get("strategy") in ("smart", "default", "multimodal_embeddings")
            )
            if key in source and not smart:
                issues.append(context.issue(path, MANAGED_KEY.format(key=key), key=key))
        if source.get("data_deletion_policy") == "retain":
            issues.append(context.issue((*path, "data_deletion_policy"), MANAGED_RETAIN))
        connector = source.get("connector")
        if isinstance(connector, dict):
            if kind == "custom":
                for key in spec.CUSTOM_CONNECTOR_REFUSES:
                    if key in connector:
                        issues.append(
                            context.issue((*path, "connector"), CUSTOM_CONNECTOR.format(key=key), key=key)
                        )
            if "schedule" in connector and "sync" in source:
                issues.append(context.issue(path, TWO_SCHEDULERS, key="sync"))
    for path, knowledge_base in items(config, ("knowledge_bases",)):
        model = embedding_model(str(knowledge_base.get("embedding_model")))
        store = knowledge_base.get("vector_store")
        if model is None or model.native_multimodal or not isinstance(store, str) or store not in managed:
            continue
        dimensions = integer(config, context, (*path, "dimensions"))
        dimensions = model.default_dimensions if "dimensions" not in knowledge_base else dimensions
        if dimensions is not None and dimensions != stores_spec.MANAGED_TEXT_DIMENSIONS:
            message = MANAGED_DIMENSIONS.format(
                expected=stores_spec.MANAGED_TEXT_DIMENSIONS, value=dimensions
            )
            where = (*path, "dimensions") if "dimensions" in knowledge_base else (*path, "embedding_model")
            issues.append(context.issue(where, message))
    managed_bases = {
        knowledge_base["name"]
        for _, knowledge_base in items(config, ("knowledge_bases",))
        if isinstance(knowledge_base.get("name"), str)
        and isinstance(knowledge_base.get("vector_store"), str)
        and knowledge_base["vector_store"] in managed
    }
    for path, job in items(config, ("evaluation_jobs",)):
        target = job.get("knowledge_base")
        if isinstance(target, str) and target in managed_bases:
            message = MANAGED_EVALUATION.format(knowledge_base=show(target))
            issues.append(context.issue((*path, "knowledge_base"), message))
    for path, source, _, knowledge_base in _sources(config):
        store = knowledge_base.get("vector_store")
        if "connector" in source and isinstance(store, str) and store not in managed:
            issues.append(
                context.issue(path, CONNECTOR_NOT_MANAGED.format(store=show(store)), key="connector")
            )
    return issues


MANAGED_WEB_KEY = (
    "{key} is a setting of the web crawler of a managed knowledge base (user guide, managed knowledge "
    "bases, Web Crawler), and vector store {store} is not managed"
)
VECTOR_WEB_KEY = (
    "{key} does not apply to the web crawler of a managed knowledge base: it has no such parameter"
)
MANAGED_SEED_URLS = "a managed knowledge base's web crawler starts from at most {most} seed URLs, not {count}"
WEB_RANGE = "{key} must be {low} to {high}, not {value}"
WEB_SECRET_MISSING = (
    "missing key credentials_secret_arn: auth_type {auth} signs in with a Secrets Manager secret "
    "(keys: {keys})"
)
WEB_SECRET_UNUSED = "credentials_secret_arn does not apply with auth_type none: the crawler does not sign in"
SEED_FILTERED_OUT = (
    "seed URL {url} matches none of inclusion_filters: only URLs that match one are crawled, so the crawl "
    "would start nowhere"
)
SHAREPOINT_NOTHING = "crawl_files and crawl_pages are both false: the connector would crawl nothing"


def web_crawlers(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A web source takes its crawler's settings: the managed web crawler's (at most 10 seed URLs,
    depth, links per page, attachments, sign-in with a secret) on a managed knowledge base, the other
    crawler's (page limit, user agent) elsewhere."""
    managed = managed_stores(config)
    issues = []
    for path, source, _, knowledge_base in _sources(config):
        if _type(config, context, path, source) != "web":
            continue
        store = knowledge_base.get("vector_store")
        if not isinstance(store, str):
            continue
        if store not in managed:
            issues += _seeds_filtered_out(config, context, path)
            for key in sorted(spec.MANAGED_WEB_ONLY & set(source)):
                issues.append(
                    context.issue(path, MANAGED_WEB_KEY.format(key=key, store=show(store)), key=key)
                )
            continue
        for key in sorted(spec.VECTOR_WEB_ONLY & set(source)):
            issues.append(context.issue(path, VECTOR_WEB_KEY.format(key=key), key=key))
        seeds = value(config, (*path, "seed_urls"))
        issues += _seeds_filtered_out(config, context, path)
        if isinstance(seeds, list) and len(seeds) > spec.MANAGED_MAX_SEED_URLS:
            message = MANAGED_SEED_URLS.format(most=spec.MANAGED_MAX_SEED_URLS, count=len(seeds))
            issues.append(context.issue((*path, "seed_urls"), message))
        for key, (low, high) in (
            ("crawl_depth", spec.CRAWL_DEPTH_LIMITS),
            ("max_links_per_url", spec.MAX_LINKS_PER_URL_LIMITS),
        ):
            number = integer(config, context, (*path, key))
            if number is not None and not low <= number <= high:
                message = WEB_RANGE.format(key=key, low=low, high=high, value=number)
                issues.append(context.issue((*path, key), message))
        auth = string(config, context, (*path, "auth_type")) if "auth_type" in source else "none"
        if auth is None or auth not in spec.MANAGED_WEB_AUTH_TYPES:
            continue  # data-source-fields says so
        if auth != "none" and "credentials_secret_arn" not in source:
            message = WEB_SECRET_MISSING.format(auth=show(auth), keys=", ".join(spec.WEB_SECRET_KEYS[auth]))
            issues.append(context.issue(path, message))
        if auth == "none" and "credentials_secret_arn" in source:
            issues.append(context.issue((*path, "credentials_secret_arn"), WEB_SECRET_UNUSED))
    return issues


SHAREPOINT_MANAGED_KEY = (
    "{key} is a setting of the SharePoint connector of a managed knowledge base (user guide, managed "
    "knowledge bases, Connect a SharePoint data source), and vector store {store} is not managed"
)
SHAREPOINT_VECTOR_KEY = "{key} does not apply to the SharePoint connector of a managed knowledge base"
SHAREPOINT_DOMAIN = (
    "missing required key domain: the SharePoint connector of a knowledge base that is not managed needs it"
)
SHAREPOINT_VECTOR_AUTH = (
    "auth_type {auth} is the managed SharePoint connector's; the connector of a knowledge base that is not "
    "managed takes oauth2_client_credentials"
)
SHAREPOINT_MANAGED_AUTH = (
    "missing key auth_type: a managed knowledge base's SharePoint connector signs in with entra_id_app_only "
    "(recommended, with certificate_s3_uri) or oauth2_app"
)
SHAREPOINT_MANAGED_AUTH_VALUE = (
    "auth_type {auth} is not one the managed SharePoint connector takes: entra_id_app_only or oauth2_app"
)
SHAREPOINT_CERTIFICATE = (
    "missing key certificate_s3_uri: auth_type entra_id_app_only signs in with the app's .p12 certificate "
    "in S3 (required even without ACLs)"
)
SHAREPOINT_NO_CERTIFICATE = "certificate_s3_uri goes with auth_type entra_id_app_only only"
SHAREPOINT_SITE = (
    "{url} is not a site, team site or personal site: a managed SharePoint connector's site URL's path "
    "begins with /sites/, /teams/ or /personal/"
)


def _seeds_filtered_out(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> list[Issue]:
    """The seed URLs that no inclusion filter matches anywhere (the lenient reading: a filter that
    matches part of the URL counts)."""
    patterns = value(config, (*path, "inclusion_filters"))
    seeds = value(config, (*path, "seed_urls"))
    if not isinstance(patterns, list) or not isinstance(seeds, list) or not context.valid_tree(path):
        return []
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str) or spec.filter_problem(pattern):
            return []  # data-source-connectors says so
        compiled.append(re.compile(pattern))
    return [
        context.issue((*path, "seed_urls", index), SEED_FILTERED_OUT.format(url=show(seed)))
        for index, seed in enumerate(seeds)
        if isinstance(seed, str) and not any(pattern.search(seed) for pattern in compiled)
    ]


def sharepoint_sites(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A SharePoint source takes its connector's settings: the managed connector's (sign-in with a
    certificate or OAuth 2.0, files and pages, site URLs of sites) on a managed knowledge base, the
    self-managed one's (domain, object filters, OAuth 2.0 client credentials) elsewhere."""
    managed = managed_stores(config)
    issues = []
    for path, source, _, knowledge_base in _sources(config):
        store = knowledge_base.get("vector_store")
        if _type(config, context, path, source) != "sharepoint" or not isinstance(store, str):
            continue
        auth = string(config, context, (*path, "auth_type"))
        if store not in managed:
            for key in sorted(spec.MANAGED_SHAREPOINT_ONLY & set(source)):
                message = SHAREPOINT_MANAGED_KEY.format(key=key, store=show(store))
                issues.append(context.issue(path, message, key=key))
            if "domain" not in source:
                issues.append(context.issue(path, SHAREPOINT_DOMAIN))
            if auth in spec.MANAGED_SHAREPOINT_AUTH_TYPES:
                message = SHAREPOINT_VECTOR_AUTH.format(auth=show(auth))
                issues.append(context.issue((*path, "auth_type"), message))
            continue
        for key in sorted(spec.VECTOR_SHAREPOINT_ONLY & set(source)):
            issues.append(context.issue(path, SHAREPOINT_VECTOR_KEY.format(key=key), key=key))
        if "auth_type" not in source:
            issues.append(context.issue(path, SHAREPOINT_MANAGED_AUTH))
        elif auth is not None and auth not in spec.MANAGED_SHAREPOINT_AUTH_TYPES:
            message = SHAREPOINT_MANAGED_AUTH_VALUE.format(auth=show(auth))
            issues.append(context.issue((*path, "auth_type"), message))
        if auth == spec.CERTIFICATE_AUTH and "certificate_s3_uri" not in source:
            issues.append(context.issue(path, SHAREPOINT_CERTIFICATE))
        if auth != spec.CERTIFICATE_AUTH and "certificate_s3_uri" in source:
            issues.append(context.issue((*path, "certificate_s3_uri"), SHAREPOINT_NO_CERTIFICATE))
        if source.get("crawl_files") is False and source.get("crawl_pages") is False:
            issues.append(context.issue(path, SHAREPOINT_NOTHING, key="crawl_pages"))
        urls = value(config, (*path, "site_urls"))
        for index in range(len(urls) if isinstance(urls, list) else 0):
            url = string(config, context, (*path, "site_urls", index))
            if url is not None and not re.match(spec.SHAREPOINT_SITE_URL_PATTERN, url):
                issues.append(
                    context.issue((*path, "site_urls", index), SHAREPOINT_SITE.format(url=show(url)))
                )
    return issues


def native_multimodal(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A native multimodal embedding model (user guide, "Native multimodal processing"): on a managed
    store, with multimodal storage, its data sources parsed with multimodal_embeddings, queried with
    Retrieve only; segmentation for it alone, within the model's ranges; and no knowledge base's
    multimodal storage is one of its data sources' buckets."""
    managed = managed_stores(config)
    natives: set[str] = set()
    issues = []
    for path, knowledge_base in items(config, ("knowledge_bases",)):
        model = string(config, context, (*path, "embedding_model"))
        native = model is not None and knowledge_base_spec.is_native_multimodal(model)
        if native:
            name = knowledge_base.get("name")
            if isinstance(name, str):
                natives.add(name)
            store = knowledge_base.get("vector_store")
            if isinstance(store, str) and store not in managed:
                message = NATIVE_STORE.format(model=show(model), store=show(store))
                issues.append(context.issue((*path, "vector_store"), message))
            if "multimodal_storage" not in knowledge_base:
                issues.append(context.issue(path, NATIVE_STORAGE.format(model=show(model))))
        if "segmentation" in knowledge_base and model is not None and not native:
            message = SEGMENTATION_MODEL.format(
                models=", ".join(knowledge_base_spec.NATIVE_MULTIMODAL_MODELS), model=show(model)
            )
            issues.append(context.issue(path, message, key="segmentation"))
        for medium, methods in _segmentation(config, context, path):
            for method, seconds in methods:
                for problem in knowledge_base_spec.segmentation_problems(medium, method, seconds):
                    where = (*path, "segmentation", medium, method)
                    issues.append(context.issue(where, problem))
        issues += _storage_not_a_source(config, context, path, knowledge_base)
    for path, source, _, knowledge_base in _sources(config):
        name = knowledge_base.get("name")
        if not isinstance(name, str) or name not in natives:
            continue
        kind = _type(config, context, path, source)
        if kind is not None and kind not in spec.MULTIMODAL_TYPES:
            message = NATIVE_KIND.format(knowledge_base=show(name), type=show(kind))
            issues.append(context.issue(path, message, key="type" if "type" in source else None))
        connector = source.get("connector")
        if isinstance(connector, dict) and "media_extraction" in connector:
            message = NATIVE_MEDIA_EXTRACTION.format(knowledge_base=show(name))
            issues.append(context.issue((*path, "connector"), message, key="media_extraction"))
        if not isinstance(source.get("parsing"), dict):
            continue
        strategy = string(config, context, (*path, "parsing", "strategy"))
        if strategy is not None and strategy != "multimodal_embeddings":
            message = NATIVE_PARSING.format(
                knowledge_base=show(knowledge_base.get("name")),
                model=show(knowledge_base.get("embedding_model")),
            )
            issues.append(context.issue((*path, "parsing", "strategy"), message))
    return issues


def _segmentation(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath
) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """(medium, [(method, seconds)]) of a knowledge base's segmentation, as far as the schema let it."""
    segmentation = value(config, (*path, "segmentation"))
    if not isinstance(segmentation, dict) or not context.valid_tree((*path, "segmentation")):
        return
    for medium, methods in segmentation.items():
        if isinstance(methods, dict):
            yield (
                medium,
                [(method, seconds) for method, seconds in methods.items() if isinstance(seconds, int)],
            )


def _storage_not_a_source(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath, knowledge_base: dict[str, Any]
) -> list[Issue]:
    storage = knowledge_base.get("multimodal_storage")
    if not isinstance(storage, dict) or not isinstance(storage.get("arn"), str):
        return []
    issues = []
    for _, source, _, owner in _sources(config):
        bucket = source.get("bucket")
        if isinstance(bucket, dict) and bucket.get("arn") == storage["arn"]:
            named = (
                source.get("name") if owner is knowledge_base else f"{owner.get('name')}/{source.get('name')}"
            )
            message = STORAGE_IS_SOURCE.format(source=show(named))
            issues.append(context.issue((*path, "multimodal_storage", "arn"), message))
    return issues
