"""Where the synth time of one config goes: phases, jsii round trips, and the calls that cost most.

    .venv/bin/python benchmarks/profile_synth.py [config/prod.yaml] [--output benchmarks/PROFILE.md]

One process, as `python -m bedrock_platform synth --no-validation` runs it (aws-cdk-lib's schema
validation off, so the phases are the toolkit's own; cdk-nag stays on). Every request Python sends
to the jsii kernel (the Node child) is counted and timed by kind and member, so the construct
code that makes many round trips shows up by name. Run under the Node 22 of node_modules.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOP_CALLS = 25
BUILD = "build the constructs"


class JsiiTally:
    """Counts and times the requests sent to the jsii kernel, by request kind and member."""

    def __init__(self) -> None:
        self.count: collections.Counter[str] = collections.Counter()
        self.seconds: collections.Counter[str] = collections.Counter()

    def install(self) -> None:
        from jsii._kernel.providers import process

        send: Callable[..., Any] = process._NodeProcess.send
        tally = self

        def timed_send(node: Any, request: Any, response_type: Any) -> Any:
            key = type(request).__name__.removesuffix("Request")
            for attribute in ("fqn", "method", "property"):
                member = getattr(request, attribute, None)
                if member:
                    key += f" {member}"
            start = time.perf_counter()
            try:
                return send(node, request, response_type)
            finally:
                tally.seconds[key] += time.perf_counter() - start
                tally.count[key] += 1

        process._NodeProcess.send = timed_send  # type: ignore[method-assign]

    def reset(self) -> tuple[int, float]:
        """Requests and seconds so far; then start counting again."""
        totals = sum(self.count.values()), sum(self.seconds.values())
        self.count.clear()
        self.seconds.clear()
        return totals


def profile(config_file: str) -> str:
    """The profile of one synth of ``config_file`` as Markdown."""
    tally = JsiiTally()
    phases: list[tuple[str, float, int, float]] = []

    by_phase: dict[str, tuple[collections.Counter[str], collections.Counter[str]]] = {}

    def phase(name: str, start: float) -> float:
        now = time.perf_counter()
        by_phase[name] = (collections.Counter(tally.seconds), collections.Counter(tally.count))
        calls, jsii_seconds = tally.reset()
        phases.append((name, now - start, calls, jsii_seconds))
        return now

    start = time.perf_counter()
    import jsii  # noqa: F401  (the kernel starts with the first aws_cdk import)

    tally.install()
    import aws_cdk  # noqa: F401

    start = phase("import aws_cdk (starts Node, loads aws-cdk-lib)", start)
    from bedrock_platform.config import load_config
    from bedrock_platform.stacks import create_app

    start = phase("import bedrock_platform (constructs, cdk-nag)", start)
    config = load_config(config_file)
    start = phase("load and validate the config", start)
    with tempfile.TemporaryDirectory() as outdir:
        app = create_app(config, outdir=outdir, validation=False)
        start = phase(BUILD, start)
        app.synth()
        phase("synthesize (cdk-nag's three packs, write templates)", start)
    top, counts = by_phase[BUILD]
    when = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    lines = [
        f"# Synth profile of {config_file}",
        "",
        f"Written by `benchmarks/profile_synth.py` on {when}, "
        "aws-cdk-lib's schema validation off, cdk-nag on. Seconds of wall time; jsii: round trips to "
        "the Node kernel and the time Python waited for them. Process start and the jsii kernel's "
        "shutdown after the script (0.5 to 0.7 s, FACTS section 10) are not included.",
        "",
        "| phase | seconds | jsii calls | waiting on Node (s) |",
        "|---|---|---|---|",
        *(f"| {name} | {seconds:.2f} | {calls} | {waited:.2f} |" for name, seconds, calls, waited in phases),
        "",
        f"## The {TOP_CALLS} costliest kinds of jsii call while building the constructs",
        "",
        "| seconds | calls | request |",
        "|---|---|---|",
        *(f"| {seconds:.3f} | {counts[key]} | `{key}` |" for key, seconds in top.most_common(TOP_CALLS)),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", default="config/prod.yaml")
    parser.add_argument("--output", help="also write the Markdown to this file")
    args = parser.parse_args()
    report = profile(args.config)
    print(report)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
