"""Semantic checks of the ``guardrails`` section: service rules and limits JSON Schema cannot state.

Each rule is registered in :data:`bedrock_platform.config.rules.RULES`. The document rules,
``(config, context) -> list[Issue]``, check what is written as written: which policies are declared,
either/or keys, regex actions and versions (the guardrail's builder relies on those two), word files
by line. The typed rules, ``(checked, context) -> list[Issue]``, check the guardrails built from what
those let through: names, filters, tiers, profiles, topics, patterns, the current policy hash and the
smoke samples (:mod:`.typed`). Unique names (guardrails, topics, regexes) and the
KMS key's Region and account are checked by the shared rules in :mod:`.rules`; problems reading a
``words_file`` are reported when it is read (:func:`bedrock_platform.config.files.read_word_files`).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from bedrock_platform import geographies
from bedrock_platform.config import catalog
from bedrock_platform.config.checks import (
    RuleContext,
    integer,
    items,
    mapping,
    reference_issues,
    string,
    value,
)
from bedrock_platform.config.document import ConfigPath
from bedrock_platform.config.errors import Issue
from bedrock_platform.config.messages import count, show
from bedrock_platform.config.model import (
    CONTENT_FILTER_TYPES,
    PROMPT_ATTACK,
    VERSION_DESCRIPTION_LIMIT,
    VERSION_DESCRIPTION_MAX,
    build_guardrail,
    reasoning_identities,
)
from bedrock_platform.config.typed import Checked
from bedrock_platform.spec import automated_reasoning as reasoning_spec
from bedrock_platform.spec import guardrail as guardrail_spec
from bedrock_platform.spec.guardrail import CLASSIC_TIER, STANDARD_TIER

NO_POLICY = (
    "declares no policy: give at least one of content_filters, denied_topics, word_filters, "
    "sensitive_information or contextual_grounding"
)
NO_CONTENT_FILTER = "declares no filter: give at least one of {filters}"
NO_WORDS = "declares no words: give managed: [profanity], words, or a words_file with at least one word"
NO_SENSITIVE_INFORMATION = "declares nothing: give pii entity types, regexes or both"
NO_THRESHOLD = "declares no threshold: give grounding, relevance or both"
GUARDRAIL_NAME = "the guardrail's AWS name {name} is {length} characters, at most {limit}"
GUARDRAIL_NAME_CHARACTERS = "the guardrail's AWS name {name} must be letters, digits, hyphens and underscores"
PROMPT_ATTACK_OUTPUT = "prompt attacks are filtered on input only: output must be 'none', got {strength}"
EITHER_OR = "give either {one} or {other}, not both"
STANDARD_TIER_PROFILE = (
    "the standard tier uses cross-Region inference: give cross_region_profile, a guardrail profile "
    "such as {example}"
)
UNKNOWN_GUARDRAIL_PROFILE = "unknown guardrail profile {profile}: the guardrail profiles are {profiles}"
GUARDRAIL_PROFILE_NOT_FROM_REGION = (
    "the guardrail profile {profile} cannot be used from {region}: its source Regions are {sources}"
)
GUARDRAIL_PROFILE_ARN_ELSEWHERE = (
    "the guardrail profile ARN names {where}, but the guardrail is in {expected}: give the profile "
    "id {profile}, or its ARN in the guardrail's own Region and account"
)
CLASSIC_TOPIC_DEFINITION = (
    "is {length} characters, at most {limit} in the classic tier (standard allows {standard})"
)
REGEX_DOES_NOT_COMPILE = "the regex does not compile: {error}"
REGEX_TOO_LONG = "the regex is {length} characters, at most {limit} (CreateGuardrail's limit)"


@functools.cache
def regex_pattern_max_length() -> int:
    """CreateGuardrail's ``regexesConfig[].pattern`` max length, from botocore's service model (500
    today), read from its newest ``bedrock`` model file on first use without importing botocore
    (its session costs about 0.2 s; a test compares with botocore's own model)."""
    versions = sorted(catalog.botocore_data_file("bedrock").iterdir())
    with gzip.open(versions[-1] / "service-2.json.gz", "rt", encoding="utf-8") as stream:
        shapes = json.load(stream)["shapes"]

    def member(shape: str, name: str) -> str:
        return str(shapes[shape]["members"][name]["shape"])

    policy = member("CreateGuardrailRequest", "sensitiveInformationPolicyConfig")
    regex = shapes[member(policy, "regexesConfig")]["member"]["shape"]
    return int(shapes[member(regex, "pattern")]["max"])


REGEX_ACTION_MISSING = "missing required key 'action' (or 'input' and 'output')"
REGEX_ACTION_HALF = "missing required key {missing}: give input and output together, or action for both"
TOO_MANY_WORDS = "has {words} (words and words_file together, duplicates dropped), at most {limit}"
LONG_FILE_WORD = "{file} line {line}: the word is {length} characters, at most {limit}{more}"
MORE_LONG_FILE_WORDS = " (and {words} over the limit)"
VERSION_COUNT = "has {versions}, at most {limit} (the Amazon Bedrock quota of versions per guardrail)"
VERSION_DESCRIPTION_LENGTH = (
    "is {length} characters, at most {limit} (the stack appends ' [policy {example}]', and a version "
    "description is at most {total})"
)
VERSION_POLICY_MISSING = "missing required key 'policy': to publish the current policy, add policy: {hash}"
VERSION_POLICY_MISSING_UNKNOWN = (
    "missing required key 'policy' (the 8 hex digit hash of the policy it publishes): fix the "
    "guardrail's other errors and validate again to see the current one"
)
VERSION_POLICY_REPEATED = "publishes the same policy as versions[{first}] ({hash})"
VERSION_NOT_CURRENT = (
    "the newest entry pins {pinned}, but the guardrail's policy is now {current}: a version publishes "
    "the policy as it is; to publish the change, append an entry with policy: {current} "
    "(and mark this one published: true)"
)
VERSION_NOT_PUBLISHED = (
    "an older entry must say published: true: on a guardrail that does not exist yet every entry is "
    "published from the current policy, so this one would hold {newest} under the label "
    "[policy {pinned}]; if this version is already published, add published: true; "
    "for a new guardrail, declare only the newest entry"
)
SMOKE_SAMPLES_SAME = "is the same text as blocked: the smoke check cannot expect it both blocked and allowed"
SMOKE_ALLOWED_WORD = (
    "contains the filtered word {word}: the guardrail blocks it, so the smoke check would fail"
)

GUARDRAIL_AWS_NAME = guardrail_spec.NAME_PATTERN
GUARDRAIL_NAME_MAX = guardrail_spec.NAME_MAX
"""CloudFormation's limits on AWS::Bedrock::Guardrail Name."""
POLICIES = (
    "content_filters",
    "denied_topics",
    "word_filters",
    "sensitive_information",
    "contextual_grounding",
)
"""The policy sections of a guardrail."""
CONTENT_FILTERS = tuple(kind.lower() for kind in CONTENT_FILTER_TYPES)
"""The content filter keys of the config, in the model's order."""
TIERED_POLICIES = ("content_filters", "denied_topics")
"""The policies with a ``tier`` (classic or standard)."""
PROFILE_EXAMPLE = "us.guardrail.v1:0 or eu.guardrail.v1:0"
CLASSIC_TOPIC_DEFINITION_MAX = guardrail_spec.CLASSIC_TOPIC_DEFINITION_MAX
STANDARD_TOPIC_DEFINITION_MAX = guardrail_spec.STANDARD_TOPIC_DEFINITION_MAX
MAX_WORDS = guardrail_spec.MAX_WORDS
MAX_WORD_CHARACTERS = guardrail_spec.MAX_WORD_CHARACTERS
MAX_VERSIONS = guardrail_spec.MAX_VERSIONS
POLICY_SUFFIX_EXAMPLE = "1a2b3c4d"


def _guardrails(config: Mapping[str, Any]) -> list[tuple[ConfigPath, dict[str, Any]]]:
    return items(config, ("guardrails",))


def guardrail_policies(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A guardrail declares at least one policy, and each policy it declares is not empty."""
    issues = []
    for path, guardrail in _guardrails(config):
        if not any(policy in guardrail for policy in POLICIES):
            issues.append(context.issue(path, NO_POLICY))
        issues += _empty_policies(config, context, path)
    return issues


def _empty_policies(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> Iterator[Issue]:
    """Declared policies with nothing in them (skipping those the schema found anything wrong in)."""
    content_path = (*path, "content_filters")
    content = _valid_mapping(config, context, content_path)
    if content is not None and not any(name in content for name in CONTENT_FILTERS):
        yield context.issue(content_path, NO_CONTENT_FILTER.format(filters=", ".join(CONTENT_FILTERS)))
    words_path = (*path, "word_filters")
    words = _valid_mapping(config, context, words_path)
    if words is not None and not words.get("managed") and not words.get("words"):
        words_file = string(config, context, (*words_path, "words_file"))
        file_words = context.word_lists.get(words_file) if words_file is not None else None
        if words_file is None or (file_words is not None and not file_words.words):
            yield context.issue(words_path, NO_WORDS)
    sensitive_path = (*path, "sensitive_information")
    sensitive = _valid_mapping(config, context, sensitive_path)
    if sensitive is not None and not sensitive.get("pii") and not sensitive.get("regexes"):
        yield context.issue(sensitive_path, NO_SENSITIVE_INFORMATION)
    grounding_path = (*path, "contextual_grounding")
    grounding = _valid_mapping(config, context, grounding_path)
    if grounding is not None and not grounding:
        yield context.issue(grounding_path, NO_THRESHOLD)


def _valid_mapping(
    config: Mapping[str, Any], context: RuleContext, path: ConfigPath
) -> dict[str, Any] | None:
    """The mapping at ``path`` if the schema found nothing wrong in it."""
    found = mapping(config, context, path)
    return found if found is not None and context.valid_tree(path) else None


def guardrail_names(checked: Checked, context: RuleContext) -> list[Issue]:
    """A guardrail's AWS name, ``<environment>-<name>``, fits CloudFormation's pattern and length."""
    environment = checked.environment
    if environment is None:
        return []
    issues = []
    for guardrail in checked.guardrails:
        aws_name = f"{environment}-{guardrail.item.name}"
        if len(aws_name) > GUARDRAIL_NAME_MAX:
            message = GUARDRAIL_NAME.format(
                name=show(aws_name), length=len(aws_name), limit=GUARDRAIL_NAME_MAX
            )
            issues.append(context.issue(guardrail.at("name"), message))
        elif not GUARDRAIL_AWS_NAME.match(aws_name):
            message = GUARDRAIL_NAME_CHARACTERS.format(name=show(aws_name))
            issues.append(context.issue(guardrail.at("name"), message))
    return issues


def prompt_attack_input_only(checked: Checked, context: RuleContext) -> list[Issue]:
    """The prompt attack filter has no output strength (a service rule): its output is none."""
    return [
        context.issue(
            guardrail.at("content_filters", "prompt_attack", "output"),
            PROMPT_ATTACK_OUTPUT.format(strength=show(content_filter.output_strength.lower())),
        )
        for guardrail in checked.guardrails
        for content_filter in guardrail.item.content_filters
        if content_filter.type == PROMPT_ATTACK and content_filter.output_strength != "NONE"
    ]


def content_filter_forms(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A content filter gives modalities or input/output_modalities, action or input/output_action."""
    issues = []
    for path, _ in _guardrails(config):
        for name in CONTENT_FILTERS:
            filter_path = (*path, "content_filters", name)
            settings = mapping(config, context, filter_path)
            if settings is None:
                continue
            for both, one, other in (
                ("modalities", "input_modalities", "output_modalities"),
                ("action", "input_action", "output_action"),
            ):
                for key in (one, other):
                    if both in settings and key in settings:
                        message = EITHER_OR.format(one=both, other=f"{one} and {other}")
                        issues.append(context.issue(filter_path, message, key=key))
    return issues


def standard_tier_profile(checked: Checked, context: RuleContext) -> list[Issue]:
    """The standard tier (content filters or denied topics) needs a cross-Region guardrail profile."""
    message = STANDARD_TIER_PROFILE.format(example=PROFILE_EXAMPLE)
    return [
        context.issue(guardrail.at(policy, "tier"), message)
        for guardrail in checked.guardrails
        if guardrail.item.cross_region_profile is None
        for policy, tier in (
            ("content_filters", guardrail.item.content_filter_tier),
            ("denied_topics", guardrail.item.topic_tier),
        )
        if tier == STANDARD_TIER
    ]


def guardrail_profile_region(checked: Checked, context: RuleContext) -> list[Issue]:
    """A guardrail's cross-Region profile is one the guide lists, usable from the config's Region.

    User guide, "Supported Regions for cross-Region guardrail inference": "The guardrail profiles
    that you can use depend on the source Region where your guardrail resides"; a profile ARN is
    ``arn:aws:bedrock:<source-region>:<account-id>:guardrail-profile/<id>``.
    """
    region, account = checked.region, checked.account
    issues = []
    for guardrail in checked.guardrails:
        profile = guardrail.item.cross_region_profile
        if profile is None:
            continue
        profile_path = guardrail.at("cross_region_profile")
        profile_id = geographies.guardrail_profile_id(profile)
        sources = geographies.GUARDRAIL_PROFILES.get(profile_id)
        if sources is None:
            message = UNKNOWN_GUARDRAIL_PROFILE.format(
                profile=show(profile_id), profiles=", ".join(geographies.GUARDRAIL_PROFILES)
            )
            issues.append(context.issue(profile_path, message))
            continue
        if region is not None and region not in sources:
            message = GUARDRAIL_PROFILE_NOT_FROM_REGION.format(
                profile=show(profile_id), region=show(region), sources=", ".join(sources)
            )
            issues.append(context.issue(profile_path, message))
            continue
        if profile.startswith("arn:") and region is not None and account is not None:
            parts = profile.split(":")
            if len(parts) > 5 and (parts[3], parts[4]) != (region, account):
                message = GUARDRAIL_PROFILE_ARN_ELSEWHERE.format(
                    where=f"{parts[3]} in account {parts[4]}",
                    expected=f"{region} in account {account}",
                    profile=show(profile_id),
                )
                issues.append(context.issue(profile_path, message))
    return issues


def topic_definitions(checked: Checked, context: RuleContext) -> list[Issue]:
    """In the classic tier, a denied topic's definition is at most 200 characters (a service rule)."""
    return [
        context.issue(
            guardrail.at("denied_topics", "topics", index, "definition"),
            CLASSIC_TOPIC_DEFINITION.format(
                length=len(topic.definition),
                limit=CLASSIC_TOPIC_DEFINITION_MAX,
                standard=STANDARD_TOPIC_DEFINITION_MAX,
            ),
        )
        for guardrail in checked.guardrails
        if guardrail.item.topic_tier == CLASSIC_TIER
        for index, topic in enumerate(guardrail.item.denied_topics)
        if len(topic.definition) > CLASSIC_TOPIC_DEFINITION_MAX
    ]


def _regexes(config: Mapping[str, Any]) -> Iterator[tuple[ConfigPath, dict[str, Any]]]:
    for path, _ in _guardrails(config):
        yield from items(config, (*path, "sensitive_information", "regexes"))


def regex_patterns(checked: Checked, context: RuleContext) -> list[Issue]:
    """A regex pattern compiles (checked with Python's re; the message says where it fails)."""
    issues = []
    for guardrail in checked.guardrails:
        for index, regex in enumerate(guardrail.item.regexes):
            pattern_path = guardrail.at("sensitive_information", "regexes", index, "pattern")
            limit = regex_pattern_max_length()
            if len(regex.pattern) > limit:
                message = REGEX_TOO_LONG.format(length=len(regex.pattern), limit=limit)
                issues.append(context.issue(pattern_path, message))
                continue
            try:
                re.compile(regex.pattern)
            except (re.error, OverflowError, RecursionError) as error:
                issues.append(context.issue(pattern_path, REGEX_DOES_NOT_COMPILE.format(error=error)))
    return issues


def regex_actions(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """A regex gives action (input and output), or input and output, not both."""
    issues = []
    for regex_path, regex in _regexes(config):
        issues += [
            context.issue(regex_path, message, key=key) for message, key in _regex_action_problems(regex)
        ]
    return issues


def _regex_action_problems(regex: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """What is wrong with a regex's actions, each with the key it is about (None: the regex)."""
    given = [key for key in ("input", "output") if key in regex]
    if "action" in regex:
        return [(EITHER_OR.format(one="action", other="input and output"), key) for key in given]
    if not given:
        return [(REGEX_ACTION_MISSING, None)]
    if len(given) == 1:
        missing = "output" if given == ["input"] else "input"
        return [(REGEX_ACTION_HALF.format(missing=show(missing)), None)]
    return []


def word_lists(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Words and words_file together hold at most 10000 words, each at most 100 characters."""
    issues = []
    for path, _ in _guardrails(config):
        filters_path = (*path, "word_filters")
        file_path = (*filters_path, "words_file")
        words_file = string(config, context, file_path)
        file_words = context.word_lists.get(words_file) if words_file is not None else None
        if words_file is None or file_words is None:
            continue
        long_words = [
            (word, line)
            for word, line in zip(file_words.words, file_words.lines, strict=True)
            if len(word) > MAX_WORD_CHARACTERS
        ]
        if long_words:
            word, line = long_words[0]
            others = len(long_words) - 1
            message = LONG_FILE_WORD.format(
                file=show(words_file),
                line=line,
                length=len(word),
                limit=MAX_WORD_CHARACTERS,
                more=MORE_LONG_FILE_WORDS.format(words=count(others, "more word")) if others else "",
            )
            issues.append(context.issue(file_path, message))
        inline = value(config, (*filters_path, "words"))
        inline_words = [word for word in inline if isinstance(word, str)] if isinstance(inline, list) else []
        total = len(dict.fromkeys([*inline_words, *file_words.words]))
        if total > MAX_WORDS:
            message = TOO_MANY_WORDS.format(words=count(total, "word"), limit=MAX_WORDS)
            issues.append(context.issue(filters_path, message))
    return issues


def guardrail_versions(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Versions: each pins a distinct policy hash, descriptions leave room for it, at most 20."""
    issues = []
    for path, guardrail in _guardrails(config):
        versions_path = (*path, "versions")
        versions = items(config, versions_path)
        raw_versions = value(config, versions_path)
        if isinstance(raw_versions, list) and len(raw_versions) > MAX_VERSIONS:
            message = VERSION_COUNT.format(versions=count(len(raw_versions), "version"), limit=MAX_VERSIONS)
            issues.append(context.issue(versions_path, message))
        first_index: dict[str, int] = {}
        for version_path, version in versions:
            index = version_path[-1]
            issues += _version_description(config, context, version_path)
            if "policy" not in version:
                current = _current_policy_hash(context, path, guardrail)
                message = VERSION_POLICY_MISSING_UNKNOWN if current is None else VERSION_POLICY_MISSING
                issues.append(context.issue(version_path, message.format(hash=_as_yaml_string(current))))
                continue
            policy_path = (*version_path, "policy")
            policy = string(config, context, policy_path)
            if policy is None:
                continue
            if policy in first_index:
                message = VERSION_POLICY_REPEATED.format(first=first_index[policy], hash=policy)
                issues.append(context.issue(policy_path, message))
            else:
                first_index[policy] = int(index)
    return issues


def guardrail_version_current(checked: Checked, context: RuleContext) -> list[Issue]:
    """The newest version pins the guardrail's current policy hash (it is what the DRAFT holds)."""
    issues = []
    for guardrail in checked.guardrails:
        versions = guardrail.item.versions
        current = guardrail.item.policy_hash
        if versions and versions[-1].policy != current:
            message = VERSION_NOT_CURRENT.format(pinned=versions[-1].policy, current=_as_yaml_string(current))
            issues.append(context.issue(guardrail.at("versions", len(versions) - 1, "policy"), message))
    return issues


def guardrail_version_history(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """Every entry but the newest says ``published: true`` (the guardrail exists with that history).

    CloudFormation creates every entry of a guardrail it creates, each from the DRAFT as it is: the
    older pins would label the current policy. Only a guardrail deployed while each older entry
    was the newest holds them truly.
    """
    issues = []
    for path, _ in _guardrails(config):
        versions = items(config, (*path, "versions"))
        if len(versions) < 2:
            continue
        newest = string(config, context, (*versions[-1][0], "policy")) or "the current policy"
        for version_path, version in versions[:-1]:
            pinned = string(config, context, (*version_path, "policy"))
            if pinned is None or version.get("published") is True:
                continue
            message = VERSION_NOT_PUBLISHED.format(newest=newest, pinned=pinned)
            issues.append(context.issue((*version_path, "policy"), message))
    return issues


def _as_yaml_string(text: str | None) -> str | None:
    """``text`` as YAML reads it back as a string: quoted when it would be a number (``"00001234"``)."""
    if text is None or isinstance(yaml.safe_load(text), str):
        return text
    return f'"{text}"'


def _version_description(config: Mapping[str, Any], context: RuleContext, path: ConfigPath) -> list[Issue]:
    description_path = (*path, "description")
    description = string(config, context, description_path)
    limit = VERSION_DESCRIPTION_MAX
    if description is None or len(description) <= limit:
        return []
    message = VERSION_DESCRIPTION_LENGTH.format(
        length=len(description), limit=limit, example=POLICY_SUFFIX_EXAMPLE, total=VERSION_DESCRIPTION_LIMIT
    )
    return [context.issue(description_path, message)]


def _current_policy_hash(context: RuleContext, path: ConfigPath, guardrail: Mapping[str, Any]) -> str | None:
    """The guardrail's policy hash now; None while it cannot be built: the schema refused part of its
    policy, a regex's actions are incomplete (rule regex-actions), or its words file was not read
    (each of them is reported).

    Where the schema passed, the typed guardrail is built without a guard: the schema admits only
    what the model maps (tests/config/test_fuzz.py loads the mutants of every valid config, and an
    exception here would be the loader's internal error, which fails it).
    """
    if not context.schema_checked or not context.valid_tree(path, except_under=(*path, "versions")):
        return None
    words_file = value(guardrail, ("word_filters", "words_file"))
    file_words = context.word_lists.get(words_file) if isinstance(words_file, str) else None
    if words_file is not None and file_words is None:
        return None
    regexes = value(guardrail, ("sensitive_information", "regexes")) or []
    if any(_regex_action_problems(regex) for regex in regexes):
        return None
    policy_only = {key: setting for key, setting in guardrail.items() if key != "versions"}
    reasoning = reasoning_identities(context.document.data)
    return build_guardrail(policy_only, file_words.words if file_words else (), reasoning).policy_hash


def smoke_samples_differ(checked: Checked, context: RuleContext) -> list[Issue]:
    """A guardrail's smoke samples are two different texts (one must be blocked, the other allowed)."""
    return [
        context.issue(guardrail.at("smoke_samples", "allowed"), SMOKE_SAMPLES_SAME)
        for guardrail in checked.guardrails
        if (blocked := guardrail.item.smoke_samples.blocked) is not None
        and (allowed := guardrail.item.smoke_samples.allowed) is not None
        and blocked.strip() == allowed.strip()
    ]


def smoke_allowed_sample_words(checked: Checked, context: RuleContext) -> list[Issue]:
    """A guardrail's allowed smoke sample holds none of its custom words (whole words, any case)."""
    issues = []
    for guardrail in checked.guardrails:
        allowed = guardrail.item.smoke_samples.allowed
        if allowed is None:
            continue
        found = next((word for word in guardrail.item.words if _contains_word(allowed, word)), None)
        if found is not None:
            message = SMOKE_ALLOWED_WORD.format(word=show(found))
            issues.append(context.issue(guardrail.at("smoke_samples", "allowed"), message))
    return issues


def _contains_word(text: str, word: str) -> bool:
    """Whether ``word`` (a word or phrase) stands in ``text`` as a whole, in any case."""
    if not word.strip():
        return False
    return re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", text, re.IGNORECASE) is not None


NOT_PUBLISHED_HERE = (
    "guardrail {guardrail} declares {count} version(s) in this file: version {version} is not one it "
    "publishes; enforce a numeric version this file publishes (add it to the guardrail's versions first)"
)
ENFORCED_WITH_PROFILE = (
    "guardrail {guardrail} has a cross_region_profile: enforced, it would be applied in the profile's "
    "destination Regions, where every caller of the account needs bedrock:ApplyGuardrail on the guardrail "
    "profile and the toolkit can attach no resource policy; enforce a guardrail without cross_region_profile"
)


def enforced_guardrail(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """The enforced guardrail is a guardrail of the file, its version one the file publishes, and it has
    no cross-Region profile and no Automated Reasoning checks."""
    path: ConfigPath = ("enforced_guardrail",)
    if not isinstance(value(config, path), dict) or not context.valid(path):
        return []
    issues = reference_issues(config, context, (*path, "guardrail"), "guardrail", "guardrails")
    name = string(config, context, (*path, "guardrail"))
    version = integer(config, context, (*path, "version"))
    if issues or name is None:
        return issues
    for _, guardrail in items(config, ("guardrails",)):
        if guardrail.get("name") != name:
            continue
        versions = guardrail.get("versions", [])
        if version is not None and isinstance(versions, list) and version > len(versions):
            message = NOT_PUBLISHED_HERE.format(guardrail=show(name), count=len(versions), version=version)
            issues.append(context.issue((*path, "version"), message))
        if "cross_region_profile" in guardrail:
            issues.append(
                context.issue((*path, "guardrail"), ENFORCED_WITH_PROFILE.format(guardrail=show(name)))
            )
        if "automated_reasoning" in guardrail:
            issues.append(
                context.issue((*path, "guardrail"), ENFORCED_WITH_REASONING.format(guardrail=show(name)))
            )
    return issues


DEFINITION_NOT_PINNED = (
    "the newest entry pins {pinned}, but the definition is now {current}: a version publishes the "
    "definition as it is; to publish the change, append an entry with definition: {current}"
)
POLICY_WITHOUT_VERSION = (
    "the Automated Reasoning policy {policy} has no published version: a guardrail checks against a "
    "numbered version; add one to its versions"
)
REASONING_WITHOUT_PROFILE = (
    "a guardrail with automated_reasoning needs cross_region_profile (the guardrail profile of the config's "
    "Region's geography, such as us.guardrail.v1:0): Automated Reasoning checks run through cross-Region "
    "inference, and CreateGuardrail refuses such a guardrail without one (user guide, 'Deploy your "
    "Automated Reasoning policy in your application')"
)
ENFORCED_WITH_REASONING = (
    "guardrail {guardrail} has automated_reasoning: an enforced guardrail cannot carry Automated "
    "Reasoning checks; enforce a guardrail without them"
)


def automated_reasoning(config: Mapping[str, Any], context: RuleContext) -> list[Issue]:
    """An Automated Reasoning policy's newest version pins its definition as it is; a guardrail's
    automated_reasoning names policies of the file that have a published version, each once, and the
    guardrail has a cross-Region profile."""
    issues: list[Issue] = []
    defined: dict[str, bool] = {}
    for path, policy in items(config, ("automated_reasoning_policies",)):
        name = string(config, context, (*path, "name"))
        versions = policy.get("versions") if context.valid((*path, "versions")) else None
        if name is not None:
            defined[name] = isinstance(versions, list) and bool(versions)
        file = policy.get("definition")
        definition = context.definitions.get(file) if isinstance(file, str) else None
        if definition is None or not isinstance(versions, list) or not versions:
            continue
        newest = (*path, "versions", len(versions) - 1, "definition")
        pinned = string(config, context, newest)
        current = reasoning_spec.definition_hash(definition)
        if pinned is not None and pinned != current:
            issues.append(context.issue(newest, DEFINITION_NOT_PINNED.format(pinned=pinned, current=current)))
    for path, guardrail in items(config, ("guardrails",)):
        if "automated_reasoning" in guardrail and "cross_region_profile" not in guardrail:
            issues.append(context.issue(path, REASONING_WITHOUT_PROFILE, key="automated_reasoning"))
        checks = (*path, "automated_reasoning", "policies")
        names = value(config, checks)
        if not isinstance(names, list) or not context.valid(checks):
            continue
        issues += _duplicates_in(context, checks, names)
        for index, name in enumerate(names):
            issues += reference_issues(
                config,
                context,
                (*checks, index),
                "Automated Reasoning policy",
                "automated_reasoning_policies",
            )
            if isinstance(name, str) and defined.get(name) is False:
                issues.append(
                    context.issue((*checks, index), POLICY_WITHOUT_VERSION.format(policy=show(name)))
                )
    return issues


def _duplicates_in(context: RuleContext, path: ConfigPath, names: list[Any]) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for index, name in enumerate(names):
        if not isinstance(name, str):
            continue
        if name in seen:
            issues.append(context.issue((*path, index), f"{show(str(name))} is named twice"))
        seen.add(name)
    return issues
