"""Measure validate and synth time for configs of N knowledge bases (not part of `make test`).

    .venv/bin/python benchmarks/synth_time.py [--sizes 1 50 200] [--repeat 3]

Each measurement is a whole process (`python -m bedrock_platform ...`), as a user runs it, timed
by wall clock with its peak resident memory (the Node child of jsii included). Synthesis runs with
aws-cdk-lib's built-in CloudFormation schema validation on and off. Medians are printed as a
Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def config_with(knowledge_bases: int) -> str:
    """A valid config with ``knowledge_bases`` knowledge bases, 20 to a collection, one data source each."""
    lines = [
        "environment: bench",
        'account: "111111111111"',
        "region: us-east-1",
        "vector_stores:",
    ]
    stores = max(1, (knowledge_bases + 19) // 20)
    lines += [f"  - name: store{n}" for n in range(stores)]
    lines.append("knowledge_bases:")
    for n in range(knowledge_bases):
        lines += [
            f"  - name: kb{n}",
            "    embedding_model: amazon.titan-embed-text-v2:0",
            f"    vector_store: store{n // 20}",
            "    data_sources:",
            "      - name: docs",
            "        bucket: {arn: arn:aws:s3:::bench-documents}",
            f"        inclusion_prefixes: [kb{n}/]",
        ]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    os.environ.setdefault("JSII_NODE", str(ROOT / "node_modules" / ".bin" / "node"))
    print("| knowledge bases | validate (s) | synth, validation on (s) | synth, validation off (s) |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            config = Path(tmp) / f"bench-{size}.yaml"
            config.write_text(config_with(size))
            out = str(Path(tmp) / "out")
            validate = [
                run([python, "-m", "bedrock_platform", "validate", str(config)])[0]
                for _ in range(args.repeat)
            ]
            synth_on = [
                run([python, "-m", "bedrock_platform", "synth", str(config), "--out", out])[0]
                for _ in range(args.repeat)
            ]
            synth_off = [
                run(
                    [python, "-m", "bedrock_platform", "synth", str(config), "--out", out, "--no-validation"]
                )[0]
                for _ in range(args.repeat)
            ]
            print(
                f"| {size} | {statistics.median(validate):.2f} | {statistics.median(synth_on):.2f} "
                f"| {statistics.median(synth_off):.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
