"""The Bedrock rule pack as a cdk-nag ``NagPack``: one line adds it to any CDK app.

```python
cdk.Validations.of(app).add_plugins(BedrockChecks(app, production=True))
```

Each rule (:mod:`bedrock_platform.nag.rules`) reads a resource as its synthesized template writes it
(the stack's template file, read once per stack: properties with their overrides, deletion and
replace policies, intrinsics as the template has them), so the rules are plain Python over JSON and
their tests need no app. A finding is ``Bedrock::Bedrock-BR<n>``; acknowledge one on the construct that
holds the resource (or a parent), with the reason, as any cdk-nag finding:

```python
cdk.Validations.of(role).acknowledge(cdk.Acknowledgment(id="Bedrock::Bedrock-BR9", reason="..."))
```
"""

from __future__ import annotations

import dataclasses
import json
import weakref
from pathlib import Path
from typing import Any, cast

import aws_cdk as cdk
import jsii
from cdk_nag import IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance
from constructs import IConstruct

from bedrock_platform.nag.rule import Options, Resource, Rule
from bedrock_platform.nag.rules import RULES
from bedrock_platform.spec import logging as logging_spec

PACK_NAME = "Bedrock"
PRODUCTION_CONTEXT = "bedrock-platform:production"
"""Context key: true on a stage (or app) that is a production environment, for the rules that apply
to production only. It lets one pack serve an app of several environments (a delivery pipeline's
stages); ``BedrockChecks(production=True)`` makes the whole app production. Context must be set
before the scope has children; :func:`mark_production` marks a scope at any time."""

_PRODUCTION_SCOPES: weakref.WeakSet[IConstruct] = weakref.WeakSet()
_KEYED_SCOPES: weakref.WeakSet[IConstruct] = weakref.WeakSet()


def mark_production(scope: IConstruct) -> None:
    """Apply the production rules to the resources under ``scope`` (a stack or a stage)."""
    _PRODUCTION_SCOPES.add(scope)


def require_customer_managed_keys(scope: IConstruct) -> None:
    """Apply the key rules (BR5, BR8) to the resources under ``scope`` (a stack or a stage)."""
    _KEYED_SCOPES.add(scope)


class BedrockChecks(NagPack):
    """cdk-nag rules for Amazon Bedrock, OpenSearch Serverless and S3 Vectors resources."""

    def __init__(
        self,
        scope: Any = None,
        *,
        production: bool = False,
        require_customer_managed_keys: bool = False,
        verbose: bool | None = None,
    ) -> None:
        """The pack, for the app ``scope``.

        :param production: the app is a production environment: collections are private and keep
            standby replicas (BR3, BR6). Default: False.
        :param require_customer_managed_keys: guardrails and collections must be encrypted with a
            customer managed key (BR5, BR8). Default: False.
        :param verbose: cdk-nag's extended explanations in the findings. Default: off.
        """
        super().__init__(scope, verbose=verbose)
        self._pack_name = PACK_NAME
        self._options = Options(
            production=production, require_customer_managed_keys=require_customer_managed_keys
        )
        self._templates: dict[cdk.Stack, dict[str, Any]] = {}
        self._logging: dict[Path, bool] = {}

    @property
    def name(self) -> str:
        """The pack's name in the validation report."""
        return PACK_NAME

    def _check_resource(self, node: cdk.CfnResource) -> None:
        # Called for every resource of the app: each read of the node is a round trip to the jsii
        # kernel, so the type is read once and the rest only for the resources a rule is about.
        rules = _RULES_BY_TYPE.get(node.cfn_resource_type)
        if not rules:
            return
        resource = self._resource(node)
        if resource is None:
            return
        options = self._options
        if not options.production and any(rule.production for rule in rules) and _in_production(node):
            options = dataclasses.replace(options, production=True)
        if (
            not options.require_customer_managed_keys
            and any(rule.reads_keys for rule in rules)
            and any(scope in _KEYED_SCOPES for scope in node.node.scopes)
        ):
            options = dataclasses.replace(options, require_customer_managed_keys=True)
        if options.production and any(rule.reads_logging for rule in rules):
            options = dataclasses.replace(options, invocation_logging=self._logs_invocations(node))
        for rule in rules:
            problems = rule.check(resource, options)
            if problems:  # cdk-nag does nothing with a compliant or not applicable verdict
                # The protocol declares its members settable; cdk-nag only reads them.
                self._apply_rule(cast(IApplyRule, _Finding(rule, node)))

    def _logs_invocations(self, node: cdk.CfnResource) -> bool:
        """Whether the stage that holds ``node`` synthesizes the toolkit's invocation logging (read
        from its template files once per stage)."""
        stage = cdk.Stage.of(node)
        assert stage is not None, "a resource in an app has a stage"
        outdir = Path(stage.outdir)
        if outdir not in self._logging:
            self._logging[outdir] = any(
                f'"{logging_spec.RESOURCE_TYPE}"' in file.read_text()
                for file in outdir.glob("*.template.json")
            )
        return self._logging[outdir]

    def _resource(self, node: cdk.CfnResource) -> Resource | None:
        """The resource as the stack's synthesized template writes it (None if it is not there)."""
        stack = cdk.Stack.of(node)
        if stack not in self._templates:
            file = Path(cdk.Stage.of(stack).outdir) / stack.template_file  # type: ignore[union-attr]
            self._templates[stack] = json.loads(file.read_text()) if file.is_file() else {}
        found = self._templates[stack].get("Resources", {}).get(stack.get_logical_id(node))
        if not isinstance(found, dict):
            return None
        return Resource(
            type=str(found.get("Type")),
            properties=found.get("Properties") or {},
            deletion_policy=found.get("DeletionPolicy"),
            update_replace_policy=found.get("UpdateReplacePolicy"),
        )


_RULES_BY_TYPE: dict[str, tuple[Rule, ...]] = {
    resource_type: tuple(rule for rule in RULES if resource_type in rule.resource_types)
    for resource_type in {resource_type for rule in RULES for resource_type in rule.resource_types}
}
"""The rules about each resource type, in id order."""


def _in_production(node: cdk.CfnResource) -> bool:
    if node.node.try_get_context(PRODUCTION_CONTEXT) is True:
        return True
    return any(scope in _PRODUCTION_SCOPES for scope in node.node.scopes)


@jsii.implements(IApplyRule)
class _Finding:
    """A rule's finding on one resource, as cdk-nag's ``applyRule`` takes it (the kernel reads each
    member of the interface as a property of this object). cdk-nag groups a rule's findings under
    the first one's message, so the message is the rule's, not this resource's problems."""

    def __init__(self, rule: Rule, node: cdk.CfnResource) -> None:
        self._rule = rule
        self._node = node

    @property
    def rule_suffix_override(self) -> str | None:
        return self._rule.id

    @property
    def info(self) -> str:
        return self._rule.info

    @property
    def explanation(self) -> str:
        return f"{self._rule.explanation} Source: {self._rule.source}."

    @property
    def level(self) -> NagMessageLevel:
        return NagMessageLevel.ERROR

    @property
    def node(self) -> cdk.CfnResource:
        return self._node

    def rule(self, node: cdk.CfnResource) -> NagRuleCompliance:
        return NagRuleCompliance.NON_COMPLIANT
