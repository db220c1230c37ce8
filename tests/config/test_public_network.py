"""Prod's network posture: a public collection needs ``allow_public_network`` and its reason.

The refusals, with their exact messages, are fixtures in tests/config/invalid/ (``prod-public-*``,
``public-network-*``); here are the files that load, and the starters made prod.
"""

from __future__ import annotations

import pytest

from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.templates import TEMPLATES_DIR, render_template
from tests.config.helpers import WriteConfig

PROD_HEADER = 'environment: prod\naccount: "222222222222"\nregion: eu-central-1\n'
DEV_HEADER = 'environment: dev\naccount: "111111111111"\nregion: us-east-1\n'
REASON = "Partner search appliance outside our VPCs; a data access policy still names every principal"


def test_prod_accepts_a_public_collection_that_says_why(write_config: WriteConfig) -> None:
    path = write_config(
        PROD_HEADER
        + "vector_stores:\n"
        + "  - name: partner\n"
        + "    network: public\n"
        + f"    allow_public_network:\n      reason: {REASON}\n"
        + "  - name: implicit\n"
        + f"    allow_public_network: {{reason: {REASON}}}\n"
    )

    stores = load_config(path).vector_stores

    assert [(store.public, store.public_network_reason) for store in stores] == [(True, REASON)] * 2


def test_prod_accepts_a_private_collection_without_a_reason(write_config: WriteConfig) -> None:
    path = write_config(
        PROD_HEADER
        + "vector_stores:\n  - name: shared\n    network: {vpc_endpoints: [vpce-0a1b2c3d4e5f6a7b8]}\n"
    )

    (store,) = load_config(path).vector_stores

    assert (store.public, store.public_network_reason) == (False, None)


@pytest.mark.parametrize(
    "acknowledgment", ["", f"    allow_public_network: {{reason: {REASON}}}\n"], ids=["without", "with"]
)
def test_other_environments_accept_a_public_collection(
    write_config: WriteConfig, acknowledgment: str
) -> None:
    """The reason is optional outside prod, and allowed, so a file can be promoted unchanged."""
    path = write_config(DEV_HEADER + "vector_stores:\n  - name: docs\n" + acknowledgment)

    (store,) = load_config(path).vector_stores

    assert store.public
    assert store.public_network_reason == (REASON if acknowledgment else None)


def test_the_shipped_prod_config_is_private() -> None:
    config = load_config("config/prod.yaml")

    assert config.is_prod
    assert [store.name for store in config.vector_stores if store.public] == []


@pytest.mark.parametrize(("template", "private"), [("minimal-rag", False), ("private-rag", True)])
def test_a_starter_made_prod_keeps_its_network_posture(
    write_config: WriteConfig, template: str, private: bool
) -> None:
    """``new-env prod --from minimal-rag`` is refused at the network line (and for its missing
    invocation logging); private-rag is prod-ready."""
    text = render_template(
        (TEMPLATES_DIR / f"{template}.yaml").read_text(encoding="utf-8"),
        template=template,
        environment="prod",
        account="222222222222",
        region="eu-central-1",
        schema_path="./schema.json",
    )
    path = write_config(text)

    if private:
        assert not any(store.public for store in load_config(path).vector_stores)
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    logging, issue = caught.value.issues  # sorted by line: the top-level finding first
    assert logging.rule == "invocation-logging-in-prod"
    network_line = text.splitlines().index("    network: public") + 1
    assert (issue.path, issue.line) == ("vector_stores[docs].network", network_line)
    assert issue.message.startswith("'public' makes the collection reachable from the internet")
