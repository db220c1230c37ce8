"""Run each custom-resource handler of a synthesized stack against a simulated AWS, and derive what
its Lambda role must be allowed to do.

For each custom resource of a template, the chain ServiceToken -> the Provider framework's onEvent
function -> ``USER_ON_EVENT_FUNCTION_ARN`` / ``USER_IS_COMPLETE_FUNCTION_ARN`` names the handler
functions, their ``Handler`` (``handlers.<module>.<entry>``) the code and their ``Role`` the
principal. The handler's real entry points then run Create, Update and Delete with the
resource's properties as CloudFormation sends them (every scalar a string), first on a service
that answers everything, then once more for each operation they called with that operation's
first call failing (each error code the handlers treat specially, throttling, and no answer
after the service acted), so that recovery paths (adopt by name, look up after a lost answer,
clean up) are walked as well.

botocore itself is real: the client validates every request against the service model before
the simulated service sees it (``before-parameter-build`` / ``before-call``, as Stubber hooks
in). Each call becomes the IAM requests it is authorized as: ``<prefix>:<Operation>`` on the
resources the IAM reference says that action is checked against (found among the request's and
the answer's ARNs and model identifiers), with the request's tags, the resource's tags, and
``iam:PassRole`` for every role the request hands to the service.
"""

from __future__ import annotations

import ast
import copy
import functools
import hashlib
import importlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, ReadTimeoutError

from bedrock_platform.geographies import inference_profile_geography
from bedrock_platform.handlers import custom_resource
from bedrock_platform.handlers.custom_resource import HandlerError, Service
from tests.deploy_proof.assembly import Assembly, Stack
from tests.deploy_proof.iam import Request, action_info, as_list

HANDLERS_DIR = Path(custom_resource.__file__).parent
LAMBDA_SECONDS = 120.0
CREATE_FAILED = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
"""The physical id the Provider framework reports when a create's onEvent failed."""
SERVICE_PRINCIPALS = {"bedrock": "bedrock.amazonaws.com", "bedrock-agent": "bedrock.amazonaws.com"}
"""The service principal a role passed in a request of each client is passed to."""
FAULTS: tuple[str, ...] = (
    "ConflictException",
    "ResourceNotFoundException",
    "ValidationException",
    "AccessDeniedException",
    "ServiceQuotaExceededException",
    "ThrottlingException",
    "NoAnswer",
)
"""What the first call of an operation meets in the fault scenarios (NoAnswer: the service
acted, but the answer was lost)."""
MODEL_KEYS = frozenset(
    {"modelId", "modelIdentifier", "modelArn", "desiredModelId", "foundationModelArn", "desiredModelArn"}
)
"""Request and answer fields that name a model by id or ARN."""
ID_KEYS: Mapping[str, str] = {"knowledgeBaseId": "knowledge-base", "guardrailIdentifier": "guardrail"}
"""Request fields that name a resource by its id, and the ARN resource type of that id."""
CALLER_KMS: Mapping[tuple[str, str], tuple[str, ...]] = {
    # User guide, "Chiffrement des données pour les tâches d'évaluation de modèle" > "Éléments de
    # politique IAM requis": the role that sends CreateEvaluationJob needs kms:Decrypt and
    # kms:GenerateDataKey with kms:ViaService s3.<region>.amazonaws.com, and kms:DescribeKey.
    ("CreateEvaluationJob", "customerEncryptionKeyId"): (
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
    ),
    ("CreateModelInvocationJob", "s3EncryptionKeyId"): (
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
    ),
}
"""KMS actions the caller of an operation needs on a key it names in the request."""
CALLER_KMS_VIA = "s3"
"""The service the caller's KMS use goes through (the guide's kms:ViaService, for DescribeKey none)."""


def cfn_strings(value: Any) -> Any:
    """``value`` as CloudFormation sends custom resource properties: every scalar a string."""
    if isinstance(value, dict):
        return {key: cfn_strings(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [cfn_strings(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- the simulated service ------------------------------------------------------------------


@dataclass
class Record:
    """One resource the simulated service holds."""

    arn: str
    kind: str
    name: str
    state: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One API call a handler made, and what the service answered."""

    service: str
    operation: str
    method: str
    params: Mapping[str, Any]
    answer: Mapping[str, Any]
    resource_tags: Mapping[str, Mapping[str, str]]
    region: str
    account: str


CREATES: Mapping[str, tuple[str, str, str, str]] = {
    "CreateEvaluationJob": ("evaluation-job", "jobName", "jobArn", "jobTags"),
    "CreateModelInvocationJob": ("model-invocation-job", "jobName", "jobArn", "tags"),
    "CreateProvisionedModelThroughput": (
        "provisioned-model",
        "provisionedModelName",
        "provisionedModelArn",
        "tags",
    ),
}
"""Operations that create a named resource: its ARN resource type, name field, ARN field, tag field."""
GETS: Mapping[str, tuple[str, str]] = {
    "GetEvaluationJob": ("jobIdentifier", "evaluation-job"),
    "GetModelInvocationJob": ("jobIdentifier", "model-invocation-job"),
    "GetProvisionedModelThroughput": ("provisionedModelId", "provisioned-model"),
}
ENDS: Mapping[str, tuple[str, str]] = {
    "StopEvaluationJob": ("jobIdentifier", "evaluation-job"),
    "StopModelInvocationJob": ("jobIdentifier", "model-invocation-job"),
    "DeleteProvisionedModelThroughput": ("provisionedModelId", "provisioned-model"),
}
LISTS: Mapping[str, tuple[str, str, str, str]] = {
    "ListEvaluationJobs": ("evaluation-job", "jobSummaries", "jobArn", "jobName"),
    "ListModelInvocationJobs": ("model-invocation-job", "invocationJobSummaries", "jobArn", "jobName"),
    "ListProvisionedModelThroughputs": (
        "provisioned-model",
        "provisionedModelSummaries",
        "provisionedModelArn",
        "provisionedModelName",
    ),
}
DONE_STATUS = {
    "evaluation-job": "Completed",
    "model-invocation-job": "Completed",
    "provisioned-model": "InService",
    "ingestion-job": "COMPLETE",
}
BUSY_STATUS = {
    "evaluation-job": "InProgress",
    "model-invocation-job": "InProgress",
    "provisioned-model": "Creating",
    "ingestion-job": "IN_PROGRESS",
}
"""What a resource reports while the service still works on it (the "busy" scenario, in which
deletes find jobs still running and waits time out)."""


class FakeAws:
    """The simulated AWS of one account and Region: what each handler call does and answers."""

    def __init__(self, account: str, region: str, *, busy: bool = False) -> None:
        self.status = BUSY_STATUS if busy else DONE_STATUS
        self.account = account
        self.region = region
        self.records: dict[str, Record] = {}
        self.logging: dict[str, Any] | None = None
        self.ingestion_jobs: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.fault: tuple[str, str] | None = None
        self._faulted = False
        self._clients: dict[str, Any] = {}

    def arn(self, kind: str, name: str) -> str:
        """The ARN the service gives a new resource (a service-assigned id)."""
        digest = hashlib.sha256(f"{kind}/{name}".encode()).hexdigest()[:12]
        return f"arn:aws:bedrock:{self.region}:{self.account}:{kind}/{digest}"

    def find(self, identifier: str, kind: str) -> Record | None:
        """A record by ARN or name."""
        if identifier in self.records:
            return self.records[identifier]
        return next(
            (record for record in self.records.values() if record.kind == kind and record.name == identifier),
            None,
        )

    def client(self, service: str) -> Any:
        """A real botocore client of ``service`` whose requests this simulation answers."""
        if service not in self._clients:
            self._clients[service] = self._client(service)
        return self._clients[service]

    def _client(self, service: str) -> Any:
        client = boto3.client(
            service, region_name=self.region, aws_access_key_id="proof", aws_secret_access_key="proof"
        )

        def before_parameter_build(
            params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
        ) -> None:
            context["proof_answer"] = self.answer(client, service, model.name, copy.deepcopy(params))

        def before_call(model: Any, context: dict[str, Any], **_: Any) -> Any:
            answer = context.pop("proof_answer")
            if isinstance(answer, Exception):
                raise answer
            return answer

        client.meta.events.register_first("before-parameter-build.*.*", before_parameter_build)
        client.meta.events.register_first("before-call.*.*", before_call)
        return client

    def answer(self, client: Any, service: str, operation: str, params: dict[str, Any]) -> Any:
        """Act on one request and return botocore's (response, parsed) or an exception to raise."""
        method = {api: name for name, api in client.meta.method_to_api_mapping.items()}[operation]
        tags_before = {arn: dict(record.tags) for arn, record in self.records.items()}
        fault = None
        if self.fault is not None and self.fault[0] == operation and not self._faulted:
            self._faulted = True
            fault = self.fault[1]
        try:
            parsed = self._act(operation, params) if fault in (None, "NoAnswer") else None
        except ClientError as error:
            parsed, fault = None, error.response["Error"]["Code"]
        self.calls.append(
            Call(service, operation, method, params, parsed or {}, tags_before, self.region, self.account)
        )
        if fault == "NoAnswer":
            return ReadTimeoutError(endpoint_url=f"https://{service}.{self.region}.amazonaws.com/")
        if fault is not None:
            status = 404 if fault == "ResourceNotFoundException" else 400
            return (
                AWSResponse(f"https://{service}.{self.region}.amazonaws.com/", status, {}, None),
                {
                    "Error": {"Code": fault, "Message": "simulated"},
                    "ResponseMetadata": {"HTTPStatusCode": status},
                },
            )
        return (
            AWSResponse(f"https://{service}.{self.region}.amazonaws.com/", 200, {}, None),
            {**(parsed or {}), "ResponseMetadata": {"HTTPStatusCode": 200}},
        )

    def _not_found(self, what: str) -> ClientError:
        return ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": what}}, "simulated")

    def _act(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if operation in CREATES:
            kind, name_key, arn_key, tag_key = CREATES[operation]
            name = str(params[name_key])
            existing = self.find(name, kind)
            if existing is not None:
                raise ClientError({"Error": {"Code": "ConflictException", "Message": "exists"}}, operation)
            arn = self.arn(kind, name)
            tags = _tags(params.get(tag_key))
            state = {**params, arn_key: arn, "status": self.status[kind]}
            if kind == "provisioned-model":
                state.update(
                    desiredModelUnits=params["modelUnits"],
                    modelArn=params["modelId"],
                    desiredModelArn=params["modelId"],
                    foundationModelArn=params["modelId"],
                )
            self.records[arn] = Record(arn, kind, name, state, tags)
            return {arn_key: arn}
        if operation in GETS:
            key, kind = GETS[operation]
            record = self.find(str(params[key]), kind)
            if record is None:
                raise self._not_found(str(params[key]))
            return dict(record.state)
        if operation in ENDS:
            key, kind = ENDS[operation]
            record = self.find(str(params[key]), kind)
            if record is None:
                raise self._not_found(str(params[key]))
            if operation.startswith("Delete"):
                del self.records[record.arn]
            else:
                record.state["status"] = "Stopped"
            return {}
        if operation in LISTS:
            kind, summaries, arn_key, name_key = LISTS[operation]
            contains = str(params.get("nameContains", ""))
            return {
                summaries: [
                    {**record.state, arn_key: record.arn, name_key: record.name}
                    for record in self.records.values()
                    if record.kind == kind and contains in record.name
                ]
            }
        if operation == "UpdateProvisionedModelThroughput":
            record = self.find(str(params["provisionedModelId"]), "provisioned-model")
            if record is None:
                raise self._not_found(str(params["provisionedModelId"]))
            if "desiredProvisionedModelName" in params:
                record.name = str(params["desiredProvisionedModelName"])
                record.state["provisionedModelName"] = record.name
            return {}
        if operation in ("TagResource", "UntagResource", "ListTagsForResource"):
            record = self.records.get(str(params["resourceARN"]))
            if record is None:
                raise self._not_found(str(params["resourceARN"]))
            if operation == "TagResource":
                record.tags.update(_tags(params["tags"]))
            elif operation == "UntagResource":
                for key in params["tagKeys"]:
                    record.tags.pop(key, None)
            return {"tags": [{"key": key, "value": value} for key, value in sorted(record.tags.items())]}
        if operation == "PutModelInvocationLoggingConfiguration":
            self.logging = params["loggingConfig"]
            return {}
        if operation == "GetModelInvocationLoggingConfiguration":
            return {} if self.logging is None else {"loggingConfig": self.logging}
        if operation == "DeleteModelInvocationLoggingConfiguration":
            self.logging = None
            return {}
        if operation == "StartIngestionJob":
            job_id = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10].upper()
            job = {**params, "ingestionJobId": job_id, "status": self.status["ingestion-job"]}
            job.pop("clientToken", None)
            self.ingestion_jobs[job_id] = job
            return {"ingestionJob": job}
        if operation == "GetIngestionJob":
            found = self.ingestion_jobs.get(str(params["ingestionJobId"]))
            if found is None:
                raise self._not_found(str(params["ingestionJobId"]))
            return {"ingestionJob": found}
        if operation == "ListIngestionJobs":
            return {"ingestionJobSummaries": list(self.ingestion_jobs.values())}
        if operation == "GetFoundationModel":
            model = str(params["modelIdentifier"])
            return {
                "modelDetails": {"modelId": model, "modelArn": model, "modelLifecycle": {"status": "ACTIVE"}}
            }
        raise NotImplementedError(
            f"the deploy proof's simulated AWS does not answer {operation} yet: add it to FakeAws._act"
        )


def _tags(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(key): str(item) for key, item in value.items()}
    return {str(item["key"]): str(item["value"]) for item in as_list(value)}


# -- the handlers of a template -------------------------------------------------------------


@dataclass(frozen=True)
class Handler:
    """A custom resource's handler functions and the role they run as."""

    stack: str
    resource: str
    resource_type: str
    module: str
    role_arn: str


def handlers(assembly: Assembly) -> Iterator[Handler]:
    """Every custom resource served by one of ``bedrock_platform/handlers`` in the assembly."""
    for stack, logical_id, resource in assembly.resources():
        if not resource["Type"].startswith("Custom::") or "ServiceToken" not in resource.get(
            "Properties", {}
        ):
            continue
        functions = _functions_by_arn(assembly, stack)
        token = assembly.resolve_string(stack.name, resource["Properties"]["ServiceToken"])
        framework = functions.get(token)
        if framework is None:
            continue
        variables = framework.get("Properties", {}).get("Environment", {}).get("Variables", {})
        for variable in ("USER_ON_EVENT_FUNCTION_ARN", "USER_IS_COMPLETE_FUNCTION_ARN"):
            if variable not in variables:
                continue
            function = functions[assembly.resolve_string(stack.name, variables[variable])]
            handler = str(function["Properties"]["Handler"])
            if not handler.startswith("handlers."):
                continue
            yield Handler(
                stack=stack.name,
                resource=logical_id,
                resource_type=resource["Type"],
                module=handler.split(".")[1],
                role_arn=assembly.resolve_string(stack.name, function["Properties"]["Role"]),
            )
            break


def _functions_by_arn(assembly: Assembly, stack: Stack) -> dict[str, dict[str, Any]]:
    return {
        assembly.get_att(stack, logical_id, "Arn"): resource
        for logical_id, resource in stack.resources.items()
        if resource["Type"] == "AWS::Lambda::Function"
    }


def role_statements(assembly: Assembly, stack_name: str, role_arn: str) -> list[dict[str, Any]]:
    """Every identity policy statement (resolved) of the role with ``role_arn`` in the stack."""
    stack = assembly.stacks[stack_name]
    roles = {
        assembly.get_att(stack, logical_id, "Arn"): logical_id
        for logical_id, resource in stack.resources.items()
        if resource["Type"] == "AWS::IAM::Role"
    }
    logical_role = roles[role_arn]
    role_name = assembly.ref(stack, logical_role)
    role = stack.resources[logical_role]["Properties"]
    statements: list[dict[str, Any]] = []
    for policy in role.get("Policies", []):
        statements += as_list(assembly.resolve(stack_name, policy["PolicyDocument"])["Statement"])
    if role.get("ManagedPolicyArns"):
        raise AssertionError(
            f"{stack_name}/{logical_role}: managed policies are outside what the proof reads"
        )
    for resource in stack.resources.values():
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            properties = resource["Properties"]
            attached = [assembly.resolve(stack_name, item) for item in properties.get("Roles", [])]
            if role_name in attached:
                statements += as_list(assembly.resolve(stack_name, properties["PolicyDocument"])["Statement"])
    return statements


# -- running a handler ----------------------------------------------------------------------


@dataclass
class Run:
    """Every call the handler made for one custom resource, over all scenarios."""

    handler: Handler
    calls: list[Call] = field(default_factory=list)
    scenarios: int = 0


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def _simulated(aws: FakeAws) -> Iterator[None]:
    clock = _Clock()

    def for_lambda(cls: type[Service], service: str, context: Any) -> Service:
        return cls(
            aws.client(service), ends_at=clock.now + LAMBDA_SECONDS, sleep=clock.sleep, clock=clock.monotonic
        )

    with mock.patch.object(Service, "for_lambda", classmethod(for_lambda)):
        yield


class _Context:
    def get_remaining_time_in_millis(self) -> int:
        return int(LAMBDA_SECONDS * 1000)


UPDATE_CHANGES: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "Custom::BedrockProvisionedThroughput": lambda old: {
        **old,
        "ProvisionedModelName": str(old.get("ProvisionedModelName", "")) + "-old",
        "Tags": {**dict(old.get("Tags") or {}), "proof-old": "x"},
    },
    "Custom::BedrockEvaluationJob": lambda old: {**old, "JobNamePrefix": str(old["JobNamePrefix"]) + "-old"},
    "Custom::BedrockBatchInferenceJob": lambda old: {
        **old,
        "JobNamePrefix": str(old["JobNamePrefix"]) + "-old",
    },
}
"""How an earlier version of each resource differed, so that an Update changes something
(the stack's version is the new one)."""


def create_event(assembly: Assembly, handler: Handler, *, stack_id: str | None = None) -> dict[str, Any]:
    """The Create request CloudFormation sends for the handler's resource."""
    stack = assembly.stacks[handler.stack]
    properties = cfn_strings(assembly.resolve(stack.name, stack.resources[handler.resource]["Properties"]))
    return {
        "RequestType": "Create",
        "ResourceType": handler.resource_type,
        "LogicalResourceId": handler.resource,
        "StackId": stack_id or assembly.ref(stack, "AWS::StackId"),
        "RequestId": "proof-request",
        "ServiceToken": properties.get("ServiceToken"),
        "ResponseURL": "https://cloudformation-custom-resource-response.example/proof",
        "ResourceProperties": properties,
    }


def run_create_twice(assembly: Assembly, handler: Handler) -> str | None:
    """A first deploy created the resource and rolled back, keeping it (Retain); the stack is deleted
    and deployed again (a new stack id, so a new idempotency token). None when the second create
    succeeds without creating a second resource; else what went wrong."""
    stack = assembly.stacks[handler.stack]
    module = importlib.import_module(f"bedrock_platform.handlers.{handler.module}")
    aws = FakeAws(stack.account, stack.region)
    errors: list[str] = []
    with _simulated(aws):
        _, created = _step(module, create_event(assembly, handler), errors)
        kept = len(aws.records)
        retried_stack = assembly.ref(stack, "AWS::StackId").rsplit("/", 1)[0] + "/retried-after-rollback"
        _, retried = _step(module, create_event(assembly, handler, stack_id=retried_stack), errors)
    if not created:
        return f"the first create failed in the simulation: {errors}"
    if not retried:
        return f"a second create after a rollback that kept the first fails: {errors[-1]}"
    if len(aws.records) > kept:
        return "a second create after a rollback that kept the first created another one"
    return None


def _any_change(old: dict[str, Any]) -> dict[str, Any]:
    return {**old, "ProofChanged": "x"}


def run_handler(assembly: Assembly, handler: Handler) -> Run:
    """Drive ``handler`` through its whole life, in every fault scenario, recording its calls."""
    stack = assembly.stacks[handler.stack]
    resource = stack.resources[handler.resource]
    properties = cfn_strings(assembly.resolve(stack.name, resource["Properties"]))
    module = importlib.import_module(f"bedrock_platform.handlers.{handler.module}")
    run = Run(handler)
    base = {
        "ResourceType": handler.resource_type,
        "LogicalResourceId": handler.resource,
        "StackId": assembly.ref(stack, "AWS::StackId"),
        "RequestId": "proof-request",
        "ServiceToken": properties.get("ServiceToken"),
        "ResponseURL": "https://cloudformation-custom-resource-response.example/proof",
    }
    change = UPDATE_CHANGES.get(handler.resource_type, _any_change)
    changed = change(properties)

    def lifecycle(aws: FakeAws) -> None:
        """Create, three updates (no change, a change, and back), delete, as CloudFormation runs
        them: a failed create is deleted under the framework's marker id, a failed update is
        rolled back (old and new swapped), and a replaced resource's old id is deleted."""
        with _simulated(aws):
            physical, ok = _step(module, {**base, "RequestType": "Create", "ResourceProperties": properties})
            if not ok:
                _step(
                    module,
                    {
                        **base,
                        "RequestType": "Delete",
                        "PhysicalResourceId": physical or CREATE_FAILED,
                        "ResourceProperties": properties,
                    },
                )
                return
            for old, new in ((properties, properties), (changed, properties), (properties, changed)):
                update = {**base, "RequestType": "Update", "PhysicalResourceId": physical}
                replaced, ok = _step(
                    module, {**update, "ResourceProperties": new, "OldResourceProperties": old}
                )
                if not ok:
                    _step(module, {**update, "ResourceProperties": old, "OldResourceProperties": new})
                    continue
                if replaced and replaced != physical:
                    _step(
                        module,
                        {
                            **base,
                            "RequestType": "Delete",
                            "PhysicalResourceId": physical,
                            "ResourceProperties": old,
                        },
                    )
                    physical = replaced
            _step(
                module,
                {
                    **base,
                    "RequestType": "Delete",
                    "PhysicalResourceId": physical,
                    "ResourceProperties": properties,
                },
            )

    happy = FakeAws(stack.account, stack.region)
    lifecycle(happy)
    busy = FakeAws(stack.account, stack.region, busy=True)
    lifecycle(busy)
    run.calls += happy.calls + busy.calls
    run.scenarios += 2
    for operation in sorted({call.operation for call in happy.calls}):
        for fault in FAULTS:
            aws = FakeAws(stack.account, stack.region)
            aws.fault = (operation, fault)
            lifecycle(aws)
            run.calls += aws.calls
            run.scenarios += 1
    return run


def _step(module: Any, event: dict[str, Any], errors: list[str] | None = None) -> tuple[str | None, bool]:
    """One request: on_event, then is_complete until done; the physical id, and whether it succeeded."""
    try:
        response = module.on_event(event, _Context())
    except (HandlerError, ClientError) as error:
        if errors is not None:
            errors.append(str(error))
        return event.get("PhysicalResourceId"), False
    physical = response.get("PhysicalResourceId", event.get("PhysicalResourceId"))
    waiting = {**event, "PhysicalResourceId": physical, "Data": response.get("Data", {})}
    for _ in range(5):
        try:
            done = module.is_complete(waiting, _Context())
        except (HandlerError, ClientError) as error:
            if errors is not None:
                errors.append(str(error))
            return physical, False
        if done.get("IsComplete"):
            break
    return physical, True


# -- from calls to IAM requests -------------------------------------------------------------


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _strings(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    elif isinstance(value, str):
        yield key, value


def _model_arns(identifier: str, region: str, account: str) -> list[str]:
    """The ARNs a model identifier stands for: an inference profile stands for itself and for the
    model it routes to (at least in the caller's Region), for actions authorized on models only."""
    if identifier.startswith("arn:"):
        return [identifier]
    if inference_profile_geography(identifier) is not None:
        base = identifier.split(".", 1)[1]
        return [
            f"arn:aws:bedrock:{region}:{account}:inference-profile/{identifier}",
            f"arn:aws:bedrock:{region}::foundation-model/{base}",
        ]
    return [f"arn:aws:bedrock:{region}::foundation-model/{identifier}"]


@functools.cache
def iam_prefix(service: str) -> str:
    """The IAM service prefix of a botocore client (``bedrock-agent`` -> ``bedrock``)."""
    return str(boto3.client(service, region_name="us-east-1").meta.service_model.signing_name)


def application_profiles(assembly: Assembly) -> dict[str, str]:
    """Each application inference profile of the assembly, by its ARN: the model or system profile
    it copies (``ModelSource.CopyFrom``)."""
    found = {}
    for stack, logical_id, resource in assembly.resources():
        if resource["Type"] == "AWS::Bedrock::ApplicationInferenceProfile":
            arn = assembly.get_att(stack, logical_id, "InferenceProfileArn")
            found[arn] = assembly.resolve_string(
                stack.name, resource["Properties"]["ModelSource"]["CopyFrom"]
            )
    return found


def requests_of(call: Call, profiles: Mapping[str, str] | None = None) -> list[Request]:
    """The IAM requests one API call is authorized as. ``profiles``: the application inference profiles
    of the assembly (:func:`application_profiles`); a request naming one is authorized as that profile
    and as what it copies, as Bedrock authorizes a system profile as the models it routes to."""
    action = f"{iam_prefix(call.service)}:{call.operation}"
    info = action_info(action)
    if info is None:
        raise AssertionError(f"{call.service}.{call.method}: the IAM reference has no action {action}")
    candidates: list[str] = []
    for key, value in [*_strings(call.params), *_strings(call.answer)]:
        if key in MODEL_KEYS:
            candidates += _model_arns(value, call.region, call.account)
            copied = (profiles or {}).get(value)
            if copied is not None:
                candidates += _model_arns(copied.rpartition("/")[2], call.region, call.account)
        elif key in ID_KEYS and not value.startswith("arn:"):
            candidates.append(f"arn:aws:bedrock:{call.region}:{call.account}:{ID_KEYS[key]}/{value}")
        elif value.startswith("arn:"):
            candidates.append(value)
    resources = [arn for arn in dict.fromkeys(candidates) if info.resource_type_of(arn) is not None]
    context: dict[str, Any] = {}
    for key in ("tags", "jobTags"):
        if key in call.params:
            tags = _tags(call.params[key])
            context.update({f"aws:RequestTag/{name}": value for name, value in tags.items()})
            context["aws:TagKeys"] = sorted(tags)
    why = f"{call.service}.{call.method}"
    requests = []
    if call.operation in CREATES and context:
        # Tag on create: Bedrock authorizes the tags of a Create request as TagResource on the new
        # resource, with the request's tags (Bedrock's own CloudFormation handlers list
        # bedrock:TagResource for every create that takes tags, in cfn-lint's resource schemas).
        arn_key = CREATES[call.operation][2]
        created = call.answer.get(arn_key)
        if isinstance(created, str):
            requests.append(Request("bedrock:TagResource", created, dict(context), f"{why} tags on create"))
    for resource in resources or ["*"]:
        resource_context = dict(context)
        for name, value in call.resource_tags.get(resource, {}).items():
            resource_context[f"aws:ResourceTag/{name}"] = value
        requests.append(Request(info.action, resource, resource_context, why))
    for key, value in _strings(call.params):
        if key.lower().endswith("rolearn") and value.startswith("arn:") and ":role/" in value:
            requests.append(
                Request(
                    "iam:PassRole",
                    value,
                    {
                        "iam:PassedToService": SERVICE_PRINCIPALS.get(
                            call.service, f"{call.service}.amazonaws.com"
                        )
                    },
                    f"{why} passes {key}",
                )
            )
        kms_actions = CALLER_KMS.get((call.operation, key))
        if kms_actions:
            for kms_action in kms_actions:
                via = (
                    {}
                    if kms_action == "kms:DescribeKey"
                    else {"kms:ViaService": f"{CALLER_KMS_VIA}.{call.region}.amazonaws.com"}
                )
                requests.append(Request(kms_action, value, via, f"{why} names key {key}"))
    return requests


# -- which operations each handler module can call ------------------------------------------


def client_methods(module: str) -> tuple[str, set[str]]:
    """The service a handler module's client is for, and every client method name its code names."""
    source = (HANDLERS_DIR / f"{module}.py").read_text()
    tree = ast.parse(source)
    services = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "for_lambda"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    if len(services) != 1:
        raise AssertionError(
            f"handlers/{module}.py: expected one Service.for_lambda(<service>), found {services}"
        )
    (service,) = services
    methods = set(boto3.client(service, region_name="us-east-1").meta.method_to_api_mapping)
    named = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in methods
    }
    return str(service), named
