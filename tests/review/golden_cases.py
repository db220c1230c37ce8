"""The golden review cases (``tests/review/golden/<case>.json``): each names its stack, Region and
description, and gives its two templates either whole (``before``, ``after``) or as JSON merge
patches (RFC 7386: a null deletes a key, a list is replaced whole): ``before`` is ``base`` (a file
of ``golden/bases/``) patched by ``before_patch``, and ``after`` is ``before`` patched by
``after_patch``. A case then holds only what it changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"
BASES = GOLDEN / "bases"
CASES = sorted(path.stem for path in GOLDEN.glob("*.json"))


def merge_patch(target: Any, patch: Any) -> Any:
    """``target`` with the JSON merge patch ``patch`` applied (RFC 7386)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def diff_patch(source: Any, target: Any) -> Any:
    """The smallest merge patch that makes ``source`` into ``target`` (lists replaced whole)."""
    if not (isinstance(source, dict) and isinstance(target, dict)):
        return copy.deepcopy(target)
    patch: dict[str, Any] = {}
    for key in source.keys() - target.keys():
        patch[key] = None
    for key, value in target.items():
        if key not in source:
            patch[key] = copy.deepcopy(value)
        elif source[key] != value:
            patch[key] = diff_patch(source[key], value)
    return patch


def load_case(case: str) -> dict[str, Any]:
    """The case with its ``before`` and ``after`` templates whole."""
    spec: dict[str, Any] = json.loads((GOLDEN / f"{case}.json").read_text())
    if "base" in spec:
        base = json.loads((BASES / spec["base"]).read_text())
        spec["before"] = merge_patch(base, spec.pop("before_patch", {}))
        spec["after"] = merge_patch(spec["before"], spec.pop("after_patch", {}))
    return spec
