"""The example app, synthesized once per test session.

aws-cdk-lib's schema validation is off (cfn-lint checks the templates), as for the starter templates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import aws_cdk as cdk
import pytest

from bedrock_platform.stacks import CLI_CONTEXT, cdk_json_context
from tests.conftest import Synthesized


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    """examples/app.py as ``cdk synth`` would synthesize it from the repository root.

    cdk-nag's AwsSolutions pack is registered by the example itself: a finding fails synthesis here.
    """
    from examples.app import add_example_stacks

    outdir = tmp_path_factory.mktemp("example")
    app = cdk.App(
        outdir=str(outdir),
        context={**cdk_json_context(), **CLI_CONTEXT},
        builtin_cloud_formation_validation=False,
    )
    add_example_stacks(app)
    assembly = app.synth()
    files = {stack.stack_name: outdir / stack.template_file for stack in assembly.stacks}
    yield Synthesized(
        outdir=outdir,
        templates={name: json.loads(path.read_text()) for name, path in files.items()},
        template_files=files,
    )
