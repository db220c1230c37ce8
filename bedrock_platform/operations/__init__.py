"""Post-deploy operations: ``status``, ``sync`` and ``smoke`` against a deployed environment.

Pure boto3 (this package never imports aws_cdk). Every identifier of a deployed resource is read
from the SSM parameters the stacks publish (:mod:`bedrock_platform.parameters`), never from stack
outputs or by listing resources; a missing parameter means "not deployed".

- :mod:`.status`: every declared resource with its live state, as a table.
- :mod:`.sync`: start ingestion jobs and follow them until they end.
- :mod:`.smoke`: one small call per throughput, knowledge base and guardrail version.
- :mod:`.commands`: the three argparse subcommands (``add_commands``) and their dispatch (``run``).
"""
