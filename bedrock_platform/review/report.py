"""The review report: Markdown for a pull-request comment, or plain text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bedrock_platform.review.compare import Change, Severity

COMMENT_LIMIT = 65_536
"""GitHub's limit on the body of one pull-request comment, in characters."""
COMMENT_MARKER = "<!-- bedrock-platform-diff -->"
"""The first line of the comment file: the pull-request workflow finds its own comment by it (and
posts the file as it is), so the comment's budget counts it."""
JSON_SCHEMA = "bedrock-platform-diff"
JSON_VERSION = 1
"""``--format json``: the document's ``schema`` and ``version`` (a new version for any change of its
shape; see the README, "Review a diff")."""
VALUE_LIMIT = 120
CUT_NOTE = "\n\n_The report is longer than a pull-request comment can hold; the full report is in {path}._\n"


def render(changes: Sequence[Change], *, markdown: bool = True) -> str:
    """The whole report: one summary line per severity, then every change by stack.

    Changes of nothing but asset hashes (new handler code) are listed last in each stack, by
    logical id, without the hashes, and are not counted as changes.
    """
    if not changes:
        return "No changes.\n"
    real = [change for change in changes if not change.asset_only]
    lines = [_heading("Bedrock infrastructure changes", markdown), ""]
    for severity in sorted(Severity, reverse=True):
        count = sum(1 for change in real if change.severity == severity)
        if count:
            lines.append(f"{_bullet(markdown)}{severity.label}: {count} change{'s' if count > 1 else ''}")
    if not real:
        lines.append("No resource changes; only asset content (handler code or files) changed.")
    for stack in sorted({change.stack for change in changes}):
        lines += ["", _heading(stack, markdown, level=3)]
        ordered = sorted(
            (change for change in real if change.stack == stack), key=lambda c: (-c.severity, c.logical_id)
        )
        for change in ordered:
            lines.append(_change_line(change, markdown))
            for prop in change.properties:
                value = "new asset content" if prop.asset else _values(prop.old, prop.new)
                lines.append(f"    {_bullet(markdown)}{_code(prop.path, markdown)}: {value}")
        assets = sorted(_code(c.logical_id, markdown) for c in changes if c.stack == stack and c.asset_only)
        if assets:
            lines.append(f"{_bullet(markdown)}new asset content (hashes not shown): {', '.join(assets)}")
    return "\n".join(lines) + "\n"


def fit_comment(report: str, full_report_path: str) -> str:
    """The pull-request comment: :data:`COMMENT_MARKER`, then ``report``, cut to fit one comment
    (marker included), saying where the full report is."""
    head = COMMENT_MARKER + "\n"
    if len(head) + len(report) <= COMMENT_LIMIT:
        return head + report
    note = CUT_NOTE.format(path=full_report_path)
    return head + report[: COMMENT_LIMIT - len(head) - len(note)].rsplit("\n", 1)[0] + note


def render_json(changes: Sequence[Change]) -> str:
    """The report as one JSON document for other tools (schema :data:`JSON_SCHEMA`, version
    :data:`JSON_VERSION`): a count per severity, and every change with its properties, reasons and
    cascade. Severities are their labels (``data loss``); values are the templates' own."""
    real = [change for change in changes if not change.asset_only]
    document = {
        "schema": JSON_SCHEMA,
        "version": JSON_VERSION,
        "summary": {severity.label: sum(1 for c in real if c.severity == severity) for severity in Severity},
        "changes": [
            {
                "stack": change.stack,
                "logical_id": change.logical_id,
                "resource_type": change.resource_type,
                "action": change.action,
                "replacement": change.replacement,
                "severity": change.severity.label,
                "reasons": list(change.reasons),
                "cause": change.cause,
                "cascade": list(change.cascade),
                "asset_only": change.asset_only,
                "properties": [
                    {"path": p.path, "old": p.old, "new": p.new, "replaces": p.replaces, "asset": p.asset}
                    for p in change.properties
                ],
            }
            for change in sorted(changes, key=lambda c: (c.stack, -c.severity, c.logical_id))
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _change_line(change: Change, markdown: bool) -> str:
    what = "replaced" if change.replacement else change.action
    label = f"[{change.severity.label}]"
    reasons = f" ({'; '.join(change.reasons)})" if change.reasons else ""
    resource = f"{_code(change.logical_id, markdown)} ({change.resource_type})"
    return f"{_bullet(markdown)}{label} {what} {resource}{reasons}"


def _values(old: Any, new: Any) -> str:
    if old is None:
        return f"added {_short(_json(new))}"
    if new is None:
        return f"removed {_short(_json(old))}"
    before, after = _json(old), _json(new)
    if len(before) > VALUE_LIMIT and len(after) > VALUE_LIMIT:
        # Two long values: show each from a little before where they start to differ.
        pairs = enumerate(zip(before, after, strict=False))
        common = next((i for i, (a, b) in pairs if a != b), min(len(before), len(after)))
        start = max(0, common - VALUE_LIMIT // 4)
        before, after = _from(before, start), _from(after, start)
    return f"{_short(before)} -> {_short(after)}"


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _from(text: str, start: int) -> str:
    return text if start == 0 else "..." + text[start:]


def _short(text: str) -> str:
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 3] + "..."


def _heading(text: str, markdown: bool, level: int = 2) -> str:
    return f"{'#' * level} {text}" if markdown else text


def _bullet(markdown: bool) -> str:
    return "- " if markdown else "* "


def _code(text: str, markdown: bool) -> str:
    return f"`{text}`" if markdown else text
