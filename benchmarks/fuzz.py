"""Fuzz the config loader with thousands of cases (not part of `make test`).

    .venv/bin/python benchmarks/fuzz.py [--examples 3000] [--seed N]

Runs the property-based tests of tests/config/test_fuzz.py with its ``benchmark`` hypothesis
profile, and tests/config/test_schema.py's replacement of every node by every kind of value:
random cases (``make test`` runs a few hundred fixed ones), ``--examples`` mutants of the
valid configs in config/ and a share of that many arbitrary documents, sections, text and bytes.
Prints, per test, how many cases ended in a valid config and how many in a located error, the
time, and the peak memory of the process. Exits 1 when a case breaks the contract (hypothesis
prints it, shrunk, with the seed or blob to reproduce it), else 0.

The same run under pytest: ``BEDROCK_FUZZ_PROFILE=benchmark BEDROCK_FUZZ_EXAMPLES=3000
.venv/bin/pytest tests/config/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--examples", type=int, default=3000, help="mutants of the valid configs (default 3000)"
    )
    parser.add_argument("--seed", type=int, help="seed hypothesis, to repeat a run")
    args = parser.parse_args()

    # The profile is read when the test module is imported.
    os.environ["BEDROCK_FUZZ_PROFILE"] = "benchmark"
    os.environ["BEDROCK_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    fuzz = importlib.import_module("tests.config.test_fuzz")
    schema_tests = importlib.import_module("tests.config.test_schema")
    from hypothesis import seed

    print(f"configs mutated: {', '.join(str(path.relative_to(ROOT)) for path in fuzz.SOURCES)}")
    print(f"{'test':58} {'cases':>6} {'valid':>6} {'invalid':>7} {'seconds':>8}")
    failed = False
    total_cases, total_seconds = 0, 0.0
    for test in fuzz.FUZZ_TESTS:
        if args.seed is not None:
            test = seed(args.seed)(test)
        before = Counter(fuzz.OUTCOMES)
        start = time.perf_counter()
        try:
            test()
        except Exception:
            traceback.print_exc()
            failed = True
        seconds = time.perf_counter() - start
        counts = Counter(fuzz.OUTCOMES)
        counts.subtract(before)
        valid = sum(number for label, number in counts.items() if label.endswith(": valid"))
        invalid = sum(number for label, number in counts.items() if label.endswith(": invalid"))
        total_cases += valid + invalid
        total_seconds += seconds
        print(f"{test.__name__:58} {valid + invalid:6} {valid:6} {invalid:7} {seconds:8.1f}")
    # Every replacement at every node of the shipped configs (make test puts two at each node).
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as folder:
            schema_tests.test_any_value_anywhere_gives_a_config_or_a_config_error(Path(folder))
    except Exception:
        traceback.print_exc()
        failed = True
    seconds = time.perf_counter() - start
    total_seconds += seconds
    print(
        f"{'test_any_value_anywhere (every replacement, every node)':58} {'':6} {'':6} {'':7} {seconds:8.1f}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':58} {total_cases:6} {'':6} {'':7} {total_seconds:8.1f}")
    print(f"peak memory: {peak:.0f} MiB; {'FAILED' if failed else 'every case valid or a located error'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
