"""Handler calls vs handler roles: every AWS request a custom-resource handler makes, on the
resources it names, is allowed by the policies of the role its Lambda runs as.

The requests are not listed by hand: each handler's real code runs against a simulated AWS
(``simulate.py``) through its whole life and its failure paths, botocore checks each request
against the service model, and the IAM reference says which resources each action is authorized
on. A second test makes sure the simulation reached every client method the handler code names.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.deploy_proof.assembly import Assembly
from tests.deploy_proof.conftest import ASSEMBLIES
from tests.deploy_proof.iam import decide
from tests.deploy_proof.simulate import (
    HANDLERS_DIR,
    Run,
    application_profiles,
    client_methods,
    requests_of,
    role_statements,
)

HANDLER_MODULES = sorted(
    path.stem for path in HANDLERS_DIR.glob("*.py") if path.stem not in ("__init__", "custom_resource")
)


@pytest.mark.parametrize("name", ASSEMBLIES)
def test_every_handler_request_is_allowed_to_the_handler_role(
    name: str, assemblies: dict[str, Assembly], handler_runs: dict[str, list[Run]]
) -> None:
    assembly = assemblies[name]
    denied: dict[str, set[str]] = defaultdict(set)
    profiles = application_profiles(assembly)
    for run in handler_runs[name]:
        handler = run.handler
        statements = role_statements(assembly, handler.stack, handler.role_arn)
        for call in run.calls:
            for request in requests_of(call, profiles):
                if not decide(statements, request):
                    denied[f"{handler.stack}/{handler.resource} (handlers/{handler.module}.py)"].add(
                        request.describe()
                    )
    assert not denied, "handler requests the role does not allow:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(sorted(requests)) for where, requests in sorted(denied.items())
    )


@pytest.mark.parametrize("module", HANDLER_MODULES)
def test_the_simulation_reaches_every_call_the_handler_code_names(
    module: str, handler_runs: dict[str, list[Run]]
) -> None:
    """A request the simulation never made would be a permission nobody checked."""
    service, named = client_methods(module)
    runs = [run for runs in handler_runs.values() for run in runs if run.handler.module == module]
    assert runs, f"no config, template or example deploys handlers/{module}.py: the proof cannot check it"
    reached = {call.method for run in runs for call in run.calls}
    missing = sorted(named - reached)
    assert not missing, (
        f"handlers/{module}.py names {service} methods that no scenario of the proof reached: {missing}; "
        "add a scenario (simulate.py: FAULTS, UPDATE_CHANGES or FakeAws)"
    )
