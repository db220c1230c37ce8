"""bedrock_platform.constructs as a library: its exports, their docstrings, and docs/constructs.md."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from constructs import Construct

import bedrock_platform.constructs as constructs_package
from tests.library import snippets

EXAMPLE = Path("examples/app.py")
USED_IN_SNIPPETS = {
    "VectorCollection",
    "VectorIndex",
    "KnowledgeBase",
    "S3DataSource",
    "Chunking",
    "DocumentBucket",
    "AccessLogsBucket",
    "Guardrail",
    "ContentFilter",
    "DeniedTopic",
    "PiiEntity",
    "RegexFilter",
    "ProvisionedThroughput",
    "EvaluationJob",
    "EvaluationDataset",
    "BatchInferenceJob",
    "JobBucket",
    "JobModel",
    "InvocationLogging",
}
"""What a platform team builds itself; the docs show each in code that the example synthesizes."""


def _exported() -> dict[str, object]:
    return {name: getattr(constructs_package, name) for name in constructs_package.__all__}


def test_all_is_sorted_and_names_every_class_of_the_constructs_modules() -> None:
    assert constructs_package.__all__ == sorted(constructs_package.__all__, key=lambda n: (n[0].islower(), n))
    classes = set()
    for module_info in pkgutil.iter_modules(constructs_package.__path__):
        module = importlib.import_module(f"{constructs_package.__name__}.{module_info.name}")
        classes |= {
            name
            for name, value in vars(module).items()
            if inspect.isclass(value) and value.__module__ == module.__name__ and not name.startswith("_")
        }
    assert {"Guardrail", "GuardrailVersion", "HandlerProvider", "JobModel"} <= classes
    assert classes <= set(constructs_package.__all__)


def test_every_exported_name_has_its_own_docstring() -> None:
    for name, value in _exported().items():
        doc = inspect.getdoc(value)
        assert doc, f"{name} has no docstring"
        # A dataclass without a docstring gets its signature as one.
        assert not doc.startswith(f"{getattr(value, '__name__', name)}("), f"{name}: generated docstring"


def test_every_construct_documents_each_of_its_parameters() -> None:
    for name, value in _exported().items():
        if not (inspect.isclass(value) and issubclass(value, Construct) and "__init__" in vars(value)):
            continue
        init = vars(value)["__init__"]
        text = f"{value.__doc__ or ''}\n{init.__doc__ or ''}"
        parameters = [p for p in inspect.signature(init).parameters if p not in ("self", "scope", "id")]
        undocumented = [p for p in parameters if f":param {p}:" not in text]
        assert undocumented == [], f"{name}: parameters without ':param <name>:' in its docstrings"


def test_the_docs_code_is_the_example_code() -> None:
    doc = snippets.DOC.read_text()
    assert snippets.render(doc) == doc, "docs/constructs.md is stale: run python -m tests.library.snippets"


def test_every_code_block_of_the_docs_is_a_snippet_and_every_example_region_is_shown() -> None:
    doc = snippets.DOC.read_text()
    blocks = list(snippets.BLOCK.finditer(doc))
    assert len(blocks) == doc.count("```python")
    assert {block["file"] for block in blocks} == {EXAMPLE.as_posix()}
    shown = [block["name"] for block in blocks]
    assert sorted(shown) == sorted(snippets.regions(snippets.ROOT / EXAMPLE))


def test_the_docs_name_every_export_and_show_every_construct_in_code() -> None:
    doc = snippets.DOC.read_text()
    for name in constructs_package.__all__:
        assert f"`{name}`" in doc, f"docs/constructs.md does not mention {name}"
    code = "\n".join(block["code"] for block in snippets.BLOCK.finditer(doc))
    for name in USED_IN_SNIPPETS:
        assert re.search(rf"\b{name}\b[.(]", code), f"no snippet uses {name}"


def test_a_changed_example_makes_the_docs_stale(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    example = tmp_path / "examples" / "app.py"
    example.write_text("def build():\n    # --8<-- [start:part]\n    x = 1\n    # --8<-- [end:part]\n")
    doc = "<!-- snippet: examples/app.py#part -->\n```python\nx = 1\n```\n"
    assert snippets.render(doc, tmp_path) == doc
    example.write_text(example.read_text().replace("x = 1", "x = 2"))
    assert snippets.render(doc, tmp_path) != doc
