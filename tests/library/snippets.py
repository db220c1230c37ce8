"""The code in docs/constructs.md is cut from examples/, so the docs show code that is synthesized.

A block in the docs names its source on the line before it::

    <!-- snippet: examples/app.py#guardrail -->
    ```python
    ...
    ```

and the source marks the region with ``# --8<-- [start:guardrail]`` and ``# --8<-- [end:guardrail]``
(the marker lines themselves are left out, and the region is dedented).

``python -m tests.library.snippets`` rewrites every block of docs/constructs.md from its region.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "constructs.md"

BLOCK = re.compile(
    r"<!-- snippet: (?P<file>[\w./-]+)#(?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)```\n", re.DOTALL
)
"""A snippet block of the docs: its source file, region name and code."""
MARKER = re.compile(r"^\s*# --8<-- \[(?P<kind>start|end):(?P<name>[\w-]+)\]\s*$")
"""A region marker line in an example file."""


def regions(file: Path) -> dict[str, str]:
    """Every region of ``file`` by name: its lines between the markers, dedented, blank lines trimmed."""
    found: dict[str, str] = {}
    open_regions: dict[str, list[str]] = {}
    for number, line in enumerate(file.read_text().splitlines(keepends=True), start=1):
        marker = MARKER.match(line)
        if marker is None:
            for lines in open_regions.values():
                lines.append(line)
            continue
        name = marker["name"]
        if marker["kind"] == "start":
            if name in open_regions or name in found:
                raise ValueError(f"{file}:{number}: region {name!r} starts twice")
            open_regions[name] = []
        else:
            if name not in open_regions:
                raise ValueError(f"{file}:{number}: region {name!r} ends without a start")
            found[name] = textwrap.dedent("".join(open_regions.pop(name))).strip("\n") + "\n"
    if open_regions:
        raise ValueError(f"{file}: regions {sorted(open_regions)} never end")
    return found


def render(doc: str, root: Path = ROOT) -> str:
    """``doc`` with every snippet block's code replaced by its region's current code."""

    def replace(block: re.Match[str]) -> str:
        source = regions(root / block["file"])
        if block["name"] not in source:
            raise ValueError(f"{block['file']} has no region {block['name']!r} (regions: {sorted(source)})")
        return f"<!-- snippet: {block['file']}#{block['name']} -->\n```python\n{source[block['name']]}```\n"

    return BLOCK.sub(replace, doc)


def main() -> None:
    """Rewrite docs/constructs.md from the examples."""
    DOC.write_text(render(DOC.read_text()))


if __name__ == "__main__":
    main()
