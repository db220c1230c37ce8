"""``python -m bedrock_platform``: see :mod:`bedrock_platform.cli`."""

from bedrock_platform.cli import main

raise SystemExit(main())
