"""The length of the data access policies the knowledge stacks synthesize: the validation's upper
bound (``placement.access_policy_bound``) against the synthesized dev, prod and a generated config,
the constants it rests on against their sources, and the rule that refuses a policy longer than
OpenSearch Serverless accepts."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore
import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.catalog import KNOWLEDGE_BASE_REGIONS
from bedrock_platform.config.checks import RuleContext
from bedrock_platform.config.document import parse_document
from bedrock_platform.config.loader import read_document
from bedrock_platform.config.placement import (
    LONGEST_PARTITION,
    MAX_ACCESS_POLICY_CHARACTERS,
    access_policy_bound,
    longest_role_arn,
    partition_of,
)
from bedrock_platform.config.stack_rules import access_policy_bounds_of, knowledge_stack_access_policies
from tests.config.helpers import WriteConfig
from tests.conftest import CONFIG_DIR, Synthesized, synthesize

ENV = "gen"
REGION = "us-gov-west-1"
MODEL = "amazon.titan-embed-text-v2:0"
PRINCIPALS = (
    "arn:aws-us-gov:iam::111111111111:role/search-admin",
    "arn:aws-us-gov:iam::111111111111:user/operations/on-call/alice",
)
BOTOCORE_DATA = Path(botocore.__file__).parent / "data"
COLLECTION = "dev-docs-0a1b2c"
"""The AWS name of vector store docs in environment dev: ``dev-docs`` and the hash of its settings."""


def generated_config() -> str:
    """14 knowledge bases with names of 4 to 60 characters over two vector stores (one with
    data_access_principals) and 3 knowledge stacks, some pinned; a third vector store without
    knowledge bases; in GovCloud, whose partition name is the longest."""
    lines = [
        f"environment: {ENV}",
        'account: "111111111111"',
        f"region: {REGION}",
        "knowledge_stacks: 3",
        "vector_stores:",
        f"  - {{name: docs, data_access_principals: [{', '.join(PRINCIPALS)}]}}",
        "  - {name: a-store-of-21-letters}",
        "  - {name: unused}",
        "knowledge_bases:",
    ]
    for number in range(14):
        name = f"kb{number:02d}" + "-x" * (number * 2)
        store = "docs" if number % 2 else "a-store-of-21-letters"
        pin = f", stack: {number % 3 + 1}" if number % 4 == 0 else ""
        lines.append(f"  - {{name: {name}, embedding_model: {MODEL}, vector_store: {store}{pin}}}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Synthesized]]:
    path = tmp_path_factory.mktemp("policy-config") / f"{ENV}.yaml"
    path.write_text(generated_config())
    yield path, synthesize(path, tmp_path_factory.mktemp("policy"), validation=False)


def _resolve(value: Any, roles: set[str], partition: str) -> str:
    """A policy as CloudFormation resolves it, with each role ARN CloudFormation names at its longest."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_resolve(part, roles, partition) for part in parts)
    if value == {"Ref": "AWS::Partition"}:
        return partition
    target = value.get("Fn::GetAtt")
    if isinstance(target, list) and target[0] in roles and target[1] == "Arn":
        return longest_role_arn(partition)
    raise AssertionError(f"a token the bound does not know: {value}")


def _policies(result: Synthesized, env: str, partition: str) -> dict[tuple[str, int], str]:
    """Each synthesized data access policy, resolved, by (vector store, knowledge stack number)."""
    pattern = re.compile(rf"{re.escape(env)}-bedrock-knowledge(?:-([0-9]+))?")
    found = {}
    for stack, template in result.templates.items():
        match = pattern.fullmatch(stack)
        if match is None:
            continue
        resources = template["Resources"]
        roles = {lid for lid, resource in resources.items() if resource["Type"] == "AWS::IAM::Role"}
        for resource in resources.values():
            if resource["Type"] != "AWS::OpenSearchServerless::AccessPolicy":
                continue
            properties = resource["Properties"]
            collection = properties["Description"].split()[4].rstrip(",")
            store = re.sub("-[0-9a-f]{6}$", "", collection.removeprefix(f"{env}-"))  # <env>-<store>-<hash>
            found[(store, int(match.group(1) or 1))] = _resolve(properties["Policy"], roles, partition)
    return found


def _cases(
    env: str, synthesized: dict[str, Synthesized], generated: tuple[Path, Synthesized]
) -> tuple[Path, Synthesized]:
    return generated if env == ENV else (CONFIG_DIR / f"{env}.yaml", synthesized[env])


@pytest.mark.parametrize("env", ["dev", "prod", ENV])
def test_the_bound_covers_every_synthesized_policy_and_is_exact_but_for_role_names(
    env: str, synthesized: dict[str, Synthesized], generated: tuple[Path, Synthesized]
) -> None:
    path, result = _cases(env, synthesized, generated)
    config = load_config(str(path))
    partition = partition_of(config.region)
    document = read_document(str(path))
    bounds = access_policy_bounds_of(document.data, RuleContext(document))
    assert bounds is not None
    policies = _policies(result, env, partition)
    principals = {principal for store in config.vector_stores for principal in store.data_access_principals}
    assert set(policies) == set(bounds)  # one bound per policy the stacks synthesize
    for key, policy in policies.items():
        bound = bounds[key]
        assert len(policy) <= bound.length <= MAX_ACCESS_POLICY_CHARACTERS, key
        statements = json.loads(policy)
        # Serialized as the bound serializes it: compact JSON in the construct's key order ...
        assert json.dumps(statements, separators=(",", ":")) == policy, key
        # ... and with the execution role's ARN also at its longest, exactly as long.
        for statement in statements:
            (principal,) = statement["Principal"]
            if principal not in principals:
                statement["Principal"] = [longest_role_arn(partition)]
        assert len(json.dumps(statements, separators=(",", ":"))) == bound.length, key


def test_the_generated_config_has_policies_of_every_kind(generated: tuple[Path, Synthesized]) -> None:
    _, result = generated
    policies = _policies(result, ENV, partition_of(REGION))
    assert {store for store, _ in policies} == {"docs", "a-store-of-21-letters", "unused"}
    assert {number for _, number in policies} == {1, 2, 3}
    assert sum(PRINCIPALS[0] in policy for policy in policies.values()) == 1  # stack 1's only
    assert all("arn:aws-us-gov:" in policy for policy in policies.values())


def test_the_limit_is_the_api_models() -> None:
    model = json.loads(
        gzip.decompress((BOTOCORE_DATA / "opensearchserverless/2021-11-01/service-2.json.gz").read_bytes())
    )
    shapes = model["shapes"]
    document = shapes["CreateAccessPolicyRequest"]["members"]["policy"]["shape"]
    assert shapes[document]["max"] == MAX_ACCESS_POLICY_CHARACTERS


def test_each_region_has_the_partition_botocore_gives_it() -> None:
    partitions = json.loads((BOTOCORE_DATA / "partitions.json").read_text())["partitions"]
    for region in (*KNOWLEDGE_BASE_REGIONS, "cn-north-1", "us-isob-east-1"):
        (partition,) = [p["id"] for p in partitions if re.match(p["regionRegex"], region)]
        assert partition_of(region) == partition, region
    assert len(LONGEST_PARTITION) == max(len(partition["id"]) for partition in partitions)
    assert partition_of(None) == LONGEST_PARTITION


def _raw(knowledge_bases: int, *, principals: list[str] | None = None) -> dict[str, Any]:
    """A config mapping of ``knowledge_bases`` unpinned knowledge bases on vector store docs."""
    store: dict[str, Any] = {"name": "docs"}
    if principals:
        store["data_access_principals"] = principals
    return {
        "environment": "dev",
        "account": "111111111111",
        "region": "us-east-1",
        "vector_stores": [store],
        "knowledge_bases": [
            {"name": f"kb{number:03d}", "embedding_model": MODEL, "vector_store": "docs"}
            for number in range(knowledge_bases)
        ],
    }


def _issues(raw: dict[str, Any]) -> list[str]:
    document = parse_document(json.dumps(raw, indent=1), "f.yaml")
    return [issue.message for issue in knowledge_stack_access_policies(document.data, RuleContext(document))]


def _names(count: int) -> list[str]:
    return [f"kb{number:03d}" for number in range(count)]


def test_a_policy_is_refused_one_knowledge_base_past_what_fits() -> None:
    fitting = access_policy_bound(COLLECTION, _names(100), partition="aws").fitting
    assert fitting == 50  # 400 characters, and 394 a knowledge base (index <name>-<6 hex>, collection too)
    assert _issues(_raw(fitting)) == []
    (message,) = _issues(_raw(fitting + 1))
    bound = access_policy_bound(COLLECTION, _names(fitting + 1), partition="aws")
    assert message.startswith(
        "the data access policy of collection dev-docs in the stack dev-bedrock-knowledge would be up to "
        f"{bound.length} characters (role ARNs counted at their longest), at most 20480 in OpenSearch "
        f"Serverless: it names the CloudFormation execution role and {fitting + 1} knowledge base roles; "
        f"it holds at most {fitting} of these knowledge bases: raise knowledge_stacks (knowledge_stacks: 2 "
    )
    assert message.endswith("; or put some that are not deployed yet on another vector store")


def test_the_principals_count_in_stack_one_and_the_partition_in_every_role_arn() -> None:
    principal = "arn:aws:iam::111111111111:role/" + "p" * 64
    without = access_policy_bound(COLLECTION, ["kb"], partition="aws")
    with_principals = access_policy_bound(COLLECTION, ["kb"], principals=[principal], partition="aws")
    assert with_principals.length - without.length == len(
        '{"Rules":[{"ResourceType":"collection","Resource":["collection/dev-docs-0a1b2c"],'
        '"Permission":["aoss:DescribeCollectionItems"]},{"ResourceType":"index","Resource":'
        '["index/dev-docs-0a1b2c/*"],"Permission":["aoss:CreateIndex","aoss:DeleteIndex","aoss:DescribeIndex",'
        f'"aoss:ReadDocument","aoss:UpdateIndex","aoss:WriteDocument"]}}],"Principal":["{principal}"]}},'
    )
    gov = access_policy_bound(COLLECTION, ["kb"], partition="aws-us-gov")
    assert gov.length - without.length == 2 * len("-us-gov")  # the execution role and one knowledge base role
    # 50 knowledge bases fit in us-east-1, each role ARN 7 characters longer in GovCloud; not with the
    # principal.
    names = _names(50)
    aws = access_policy_bound(COLLECTION, names, partition="aws")
    assert aws.within_limit
    assert access_policy_bound(COLLECTION, names, partition="aws-us-gov").length - aws.length == 51 * len(
        "-us-gov"
    )
    assert not access_policy_bound(COLLECTION, _names(51), partition="aws-us-gov").within_limit
    raw = _raw(50, principals=[principal])
    assert len(_issues(raw)) == 1
    assert len(_issues({**raw, "region": "us-gov-west-1"})) == 1
    assert _issues(_raw(50)) == []


def test_principals_too_long_for_any_policy_are_named_as_the_cause() -> None:
    principals = [f"arn:aws:iam::111111111111:role/{'p' * 1100}{number:02d}" for number in range(20)]
    (message,) = _issues(_raw(1, principals=principals))
    grants = (
        "it names the CloudFormation execution role, 20 data_access_principals and 1 knowledge base role;"
    )
    assert grants in message
    assert message.endswith("name fewer principals (one role that the others assume, say)")


def test_the_advised_knowledge_stacks_makes_the_file_valid(write_config: WriteConfig) -> None:
    """120 knowledge bases without data sources: 604 resources in one stack, and two stacks of
    about 60 would still pass the policy limit, so the advice is 3, which both rules accept."""
    raw = _raw(120)
    messages = _issues(raw)
    assert messages and all("(knowledge_stacks: 3 would hold them)" in message for message in messages)
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(json.dumps(raw)))
    assert "(knowledge_stacks: 3 would hold them)" in str(caught.value)
    assert len(load_config(write_config(json.dumps({**raw, "knowledge_stacks": 3}))).knowledge_bases) == 120
