"""A synthesized cloud assembly with every CloudFormation value resolved to what it would be deployed as.

The deploy proof compares what a principal must do with what its policies allow, so both sides
need concrete strings: the ARN a handler will send in a request and the ARN a policy statement
names must be the same string when they are the same resource. :class:`Assembly` gives every
resource a deterministic physical id and ARN, shaped as the service shapes it (an IAM role ARN
``arn:aws:iam::<account>:role/<name>``, a knowledge base ARN with a 10-character id, ...), and
resolves ``Ref``, ``Fn::GetAtt``, ``Fn::Join``, ``Fn::Sub``, ``Fn::Select``, ``Fn::Split``,
``Fn::ImportValue``, pseudo parameters, and SSM parameters read across stacks (the value the
publishing stack writes). An intrinsic or a resource type it does not know is an error, never a
guess, so the proof cannot pass by not understanding a template.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"


class UnresolvableError(Exception):
    """A template value the proof does not know how to resolve."""


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("/".join(parts).encode()).digest()


def fake_id(*parts: str, length: int = 10, lower: bool = False) -> str:
    """A deterministic service-style id (``[A-Z0-9]``) for a resource the service would name."""
    text = base64.b32encode(_digest(*parts)).decode().rstrip("=")
    text = text.replace("=", "")[:length]
    return text.lower() if lower else text


def fake_uuid(*parts: str) -> str:
    """A deterministic key id in the shape KMS gives (``1234abcd-12ab-34cd-56ef-1234567890ab``)."""
    hexed = _digest(*parts).hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:32]}"


@dataclass(frozen=True)
class Stack:
    """One stack of the assembly: its name, account, Region and template."""

    name: str
    account: str
    region: str
    template: dict[str, Any]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        """The template's resources by logical id."""
        resources: dict[str, dict[str, Any]] = self.template.get("Resources", {})
        return resources


@dataclass
class Assembly:
    """Every stack of one cloud assembly, resolvable."""

    stacks: dict[str, Stack]
    _ssm: dict[str, tuple[str, Any]] = field(default_factory=dict)
    _exports: dict[str, tuple[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for stack in self.stacks.values():
            for resource in stack.resources.values():
                if resource["Type"] == "AWS::SSM::Parameter":
                    properties = resource["Properties"]
                    name = properties.get("Name")
                    if isinstance(name, str):
                        self._ssm[name] = (stack.name, properties["Value"])
            for output in stack.template.get("Outputs", {}).values():
                export = output.get("Export", {}).get("Name")
                if isinstance(export, str):
                    self._exports[export] = (stack.name, output["Value"])

    @classmethod
    def from_templates(
        cls,
        templates: Mapping[str, dict[str, Any]],
        outdir: Path | None = None,
        *,
        default_env: tuple[str, str],
    ) -> Assembly:
        """The stacks of a synthesized assembly; their account and Region come from its manifest."""
        environments: dict[str, tuple[str, str]] = {}
        if outdir is not None and (outdir / "manifest.json").exists():
            manifest = json.loads((outdir / "manifest.json").read_text())
            for name, artifact in manifest.get("artifacts", {}).items():
                environment = artifact.get("environment", "")
                match = re.fullmatch(r"aws://(\d{12})/([a-z0-9-]+)", environment)
                if match:
                    environments[artifact.get("displayName", name)] = (match[1], match[2])
                    environments[name] = (match[1], match[2])
        stacks = {
            name: Stack(name, *environments.get(name, default_env), template=template)
            for name, template in templates.items()
        }
        return cls(stacks)

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, stack: str, value: Any) -> Any:
        """``value`` with every intrinsic function and pseudo parameter replaced by its deployed value."""
        return self._resolve(self.stacks[stack], value)

    def resolve_string(self, stack: str, value: Any) -> str:
        """:meth:`resolve`, which must give a string."""
        resolved = self.resolve(stack, value)
        if not isinstance(resolved, str):
            raise UnresolvableError(f"{stack}: {json.dumps(value)} resolves to {resolved!r}, not a string")
        return resolved

    def _resolve(self, stack: Stack, value: Any) -> Any:
        if isinstance(value, str):
            return self._dynamic_references(stack, value)
        if isinstance(value, list):
            return [self._resolve(stack, item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(stack, argument)
            if key == "Fn::GetAtt":
                target, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.get_att(stack, target, attribute)
            if key == "Fn::Join":
                separator, parts = argument
                return separator.join(self._flat_strings(stack, parts))
            if key == "Fn::Sub":
                return self._sub(stack, argument)
            if key == "Fn::Select":
                index, items = argument
                return self._resolve(stack, items)[int(self._resolve(stack, index))]
            if key == "Fn::Split":
                separator, text = argument
                return str(self._resolve(stack, text)).split(separator)
            if key == "Fn::ImportValue":
                name = self._resolve(stack, argument)
                exporter, exported = self._exports[name]
                return self._resolve(self.stacks[exporter], exported)
            if key == "Fn::GetStackOutput":
                source = self.stacks[self._resolve(stack, argument["StackName"])]
                output = source.template["Outputs"][self._resolve(stack, argument["OutputName"])]
                return self._resolve(source, output["Value"])
            if key.startswith("Fn::") or key == "Condition":
                raise UnresolvableError(f"{stack.name}: the proof does not resolve {key}")
        return {key: self._resolve(stack, item) for key, item in value.items()}

    def _flat_strings(self, stack: Stack, parts: Any) -> list[str]:
        resolved = self._resolve(stack, parts)
        if not isinstance(resolved, list):
            raise UnresolvableError(f"{stack.name}: Fn::Join of {parts!r}")
        return [str(part) for part in resolved]

    def _sub(self, stack: Stack, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument

        def one(match: re.Match[str]) -> str:
            name = match[1]
            if name in variables:
                return str(self._resolve(stack, variables[name]))
            if "." in name and not name.startswith("AWS::"):
                target, attribute = name.split(".", 1)
                return str(self.get_att(stack, target, attribute))
            return str(self.ref(stack, name))

        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def _dynamic_references(self, stack: Stack, text: str) -> str:
        def one(match: re.Match[str]) -> str:
            return str(self.ssm_value(match[1]))

        return re.sub(r"\{\{resolve:ssm:([^}:]+)(?::\d+)?\}\}", one, text)

    def ssm_value(self, name: str) -> Any:
        """What the stack that publishes SSM parameter ``name`` writes into it."""
        if name not in self._ssm:
            return f"ssm-value-of:{name}"
        publisher, value = self._ssm[name]
        return self._resolve(self.stacks[publisher], value)

    def ref(self, stack: Stack, name: str) -> Any:
        """``Ref`` of a pseudo parameter, template parameter or resource."""
        pseudo = {
            "AWS::Partition": PARTITION,
            "AWS::Region": stack.region,
            "AWS::AccountId": stack.account,
            "AWS::URLSuffix": URL_SUFFIX,
            "AWS::StackName": stack.name,
            "AWS::StackId": (
                f"arn:{PARTITION}:cloudformation:{stack.region}:{stack.account}:stack/{stack.name}/"
                f"{fake_uuid(stack.name)}"
            ),
            "AWS::NoValue": None,
        }
        if name in pseudo:
            return pseudo[name]
        parameters = stack.template.get("Parameters", {})
        if name in parameters:
            parameter = parameters[name]
            if parameter["Type"].startswith("AWS::SSM::Parameter::Value"):
                return self.ssm_value(parameter["Default"])
            if "Default" in parameter:
                return parameter["Default"]
            raise UnresolvableError(f"{stack.name}: parameter {name} has no default")
        return self.physical(stack, name)["Ref"]

    def get_att(self, stack: Stack, logical_id: str, attribute: str) -> Any:
        """``Fn::GetAtt`` of a resource."""
        attributes = self.physical(stack, logical_id)
        if attribute not in attributes:
            resource_type = stack.resources[logical_id]["Type"]
            raise UnresolvableError(
                f"{stack.name}: the proof knows no attribute {attribute} of {resource_type}"
            )
        return attributes[attribute]

    def physical(self, stack: Stack, logical_id: str) -> dict[str, Any]:
        """The deployed identity of a resource: ``Ref`` and its attributes."""
        resource = stack.resources.get(logical_id)
        if resource is None:
            raise UnresolvableError(f"{stack.name}: no resource or parameter {logical_id}")
        properties = resource.get("Properties", {})
        kind = resource["Type"]
        partition, region, account = PARTITION, stack.region, stack.account
        arn = f"arn:{partition}:{{service}}:{region}:{account}:{{resource}}"

        def name_of(key: str, *, lower: bool = False, limit: int = 64) -> str:
            if key in properties:
                return str(self._resolve(stack, properties[key]))
            generated = (
                f"{stack.name}-{logical_id}"[: limit - 13] + "-" + fake_id(stack.name, logical_id, length=12)
            )
            return generated.lower() if lower else generated

        unique = fake_id(stack.name, logical_id)
        if kind == "AWS::IAM::Role":
            name = name_of("RoleName")
            path = properties.get("Path", "/")
            return {
                "Ref": name,
                "Arn": f"arn:{partition}:iam::{account}:role{path}{name}",
                "RoleId": "AROA" + unique,
            }
        if kind == "AWS::IAM::ManagedPolicy":
            name = name_of("ManagedPolicyName")
            return {
                "Ref": f"arn:{partition}:iam::{account}:policy/{name}",
                "PolicyArn": f"arn:{partition}:iam::{account}:policy/{name}",
            }
        if kind == "AWS::IAM::Policy":
            return {"Ref": name_of("PolicyName"), "Id": unique}
        if kind == "AWS::S3::Bucket":
            name = name_of("BucketName", lower=True, limit=63)
            return {
                "Ref": name,
                "Arn": f"arn:{partition}:s3:::{name}",
                "DomainName": f"{name}.s3.{URL_SUFFIX}",
                "RegionalDomainName": f"{name}.s3.{region}.{URL_SUFFIX}",
            }
        if kind == "AWS::KMS::Key":
            key = fake_uuid(stack.name, logical_id)
            return {"Ref": key, "KeyId": key, "Arn": arn.format(service="kms", resource=f"key/{key}")}
        if kind == "AWS::KMS::Alias":
            return {"Ref": name_of("AliasName")}
        if kind == "AWS::Logs::LogGroup":
            name = name_of("LogGroupName")
            return {"Ref": name, "Arn": arn.format(service="logs", resource=f"log-group:{name}:*")}
        if kind in ("AWS::Logs::DeliverySource", "AWS::Logs::DeliveryDestination"):
            # Both are named by their Name (their primary identifier in the resource schemas).
            name = name_of("Name")
            kind_name = "delivery-source" if kind.endswith("Source") else "delivery-destination"
            return {"Ref": name, "Arn": arn.format(service="logs", resource=f"{kind_name}:{name}")}
        if kind == "AWS::Logs::Delivery":
            return {
                "Ref": unique,
                "DeliveryId": unique,
                "Arn": arn.format(service="logs", resource=f"delivery:{unique}"),
            }
        if kind == "AWS::Logs::ResourcePolicy":
            return {"Ref": name_of("PolicyName")}
        if kind == "AWS::Lambda::Function":
            name = name_of("FunctionName")
            return {"Ref": name, "Arn": arn.format(service="lambda", resource=f"function:{name}")}
        if kind == "AWS::StepFunctions::StateMachine":
            name = name_of("StateMachineName")
            machine = arn.format(service="states", resource=f"stateMachine:{name}")
            return {"Ref": machine, "Arn": machine, "Name": name}
        if kind == "AWS::SSM::Parameter":
            return {"Ref": name_of("Name"), "Type": properties.get("Type"), "Value": properties.get("Value")}
        if kind == "AWS::S3Vectors::VectorBucket":
            name = self._resolve(stack, properties["VectorBucketName"])
            bucket = arn.format(service="s3vectors", resource=f"bucket/{name}")
            return {"Ref": bucket, "VectorBucketArn": bucket}
        if kind == "AWS::S3Vectors::Index":
            bucket = self._resolve(stack, properties["VectorBucketArn"])
            index = f"{bucket}/index/{self._resolve(stack, properties['IndexName'])}"
            return {"Ref": index, "IndexArn": index}
        if kind == "AWS::OpenSearchServerless::Collection":
            collection_id = fake_id(stack.name, logical_id, length=20, lower=True)
            return {
                "Ref": collection_id,
                "Id": collection_id,
                "Arn": arn.format(service="aoss", resource=f"collection/{collection_id}"),
                "CollectionEndpoint": f"https://{collection_id}.{region}.aoss.{URL_SUFFIX}",
                "DashboardEndpoint": f"https://{collection_id}.{region}.aoss.{URL_SUFFIX}/_dashboards",
            }
        if kind in ("AWS::OpenSearchServerless::SecurityPolicy", "AWS::OpenSearchServerless::AccessPolicy"):
            return {"Ref": f"{self._resolve(stack, properties['Name'])}|{properties['Type']}"}
        if kind == "AWS::OpenSearchServerless::Index":
            return {"Ref": unique, "Uuid": fake_uuid(stack.name, logical_id)}
        if kind == "AWS::OpenSearchServerless::CollectionIndex":
            return {"Ref": unique}
        if kind == "AWS::Bedrock::KnowledgeBase":
            kb = unique
            kb_arn = arn.format(service="bedrock", resource=f"knowledge-base/{kb}")
            return {"Ref": kb, "KnowledgeBaseId": kb, "KnowledgeBaseArn": kb_arn}
        if kind == "AWS::Bedrock::DataSource":
            kb = self._resolve(stack, properties["KnowledgeBaseId"])
            return {"Ref": f"{kb}|{unique}", "DataSourceId": unique}
        if kind == "AWS::Bedrock::Guardrail":
            guardrail = fake_id(stack.name, logical_id, length=12, lower=True)
            guardrail_arn = arn.format(service="bedrock", resource=f"guardrail/{guardrail}")
            return {
                "Ref": guardrail_arn,
                "GuardrailArn": guardrail_arn,
                "GuardrailId": guardrail,
                "Version": "DRAFT",
            }
        if kind == "AWS::Bedrock::GuardrailVersion":
            guardrail_arn = self._resolve(stack, properties["GuardrailIdentifier"])
            if not str(guardrail_arn).startswith("arn:"):
                guardrail_arn = arn.format(service="bedrock", resource=f"guardrail/{guardrail_arn}")
            version = str(1 + int(_digest(stack.name, logical_id)[0]) % 9)
            return {
                "Ref": f"{guardrail_arn}|{version}",
                "GuardrailArn": guardrail_arn,
                "GuardrailId": str(guardrail_arn).rsplit("/", 1)[-1],
                "Version": version,
            }
        if kind == "AWS::Bedrock::ApplicationInferenceProfile":
            profile = arn.format(
                service="bedrock", resource=f"application-inference-profile/{unique.lower()}"
            )
            return {"Ref": profile, "InferenceProfileArn": profile, "InferenceProfileId": unique.lower()}
        if kind == "AWS::S3Vectors::VectorBucket":
            name = name_of("VectorBucketName", lower=True, limit=63)
            return {
                "Ref": name,
                "VectorBucketArn": arn.format(service="s3vectors", resource=f"bucket/{name}"),
            }
        if kind == "AWS::CodeBuild::Project":
            name = name_of("Name")
            return {"Ref": name, "Arn": arn.format(service="codebuild", resource=f"project/{name}")}
        if kind == "AWS::CodePipeline::Pipeline":
            name = name_of("Name")
            return {"Ref": name, "Arn": arn.format(service="codepipeline", resource=name)}
        custom = CUSTOM_RESOURCE_ARNS.get(kind)
        if custom is not None:
            service, resource_type = custom
            physical = arn.format(service=service, resource=f"{resource_type}/{unique.lower()}")
            return {
                "Ref": physical,
                "JobArn": physical,
                "JobName": f"{logical_id.lower()}-{unique[:6].lower()}",
            }
        if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
            return {"Ref": f"{stack.name}-{logical_id}-{unique}"}
        raise UnresolvableError(f"{stack.name}: the proof has no physical identity for {kind} ({logical_id})")

    def resources(self) -> Iterator[tuple[Stack, str, dict[str, Any]]]:
        """Every resource of every stack, sorted."""
        for name in sorted(self.stacks):
            stack = self.stacks[name]
            for logical_id in sorted(stack.resources):
                yield stack, logical_id, stack.resources[logical_id]


CUSTOM_RESOURCE_ARNS: Mapping[str, tuple[str, str]] = {
    "Custom::BedrockProvisionedThroughput": ("bedrock", "provisioned-model"),
    "Custom::BedrockEvaluationJob": ("bedrock", "evaluation-job"),
    "Custom::BedrockBatchInferenceJob": ("bedrock", "model-invocation-job"),
}
"""Custom resources whose physical id is the ARN of what they create (the handler returns it)."""
