"""Validation's count of every stack against what is synthesized: the outputs each item makes
(bedrock_platform/outputs.py, which the stacks name their outputs with) and the resources and
outputs of the guardrails, throughput and evaluation stacks (placement.py), for every shipped
config, every starter template and tests/stacks/configs/sizes.yaml (what those do not declare)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bedrock_platform import outputs
from bedrock_platform.config.checks import RuleContext
from bedrock_platform.config.files import read_word_files
from bedrock_platform.config.loader import check_schema, read_document
from bedrock_platform.config.placement import GUARDRAILS_STACK_TEMPLATE_BYTES, StackSize
from bedrock_platform.config.stack_rules import _item_outputs, guardrails_template_bytes, other_stack_sizes_of
from bedrock_platform.templates import known_templates
from tests.conftest import CONFIG_DIR, ENVIRONMENT_CONFIGS, Synthesized, synthesize

SIZES = Path(__file__).parent / "configs" / "sizes.yaml"
CASES = [
    *(f"config/{path.stem}" for path in ENVIRONMENT_CONFIGS),
    *(f"template/{name}" for name in known_templates(CONFIG_DIR / "templates")),
    "sizes",
]
STACK_OWN_OUTPUTS = {"evaluation": outputs.JOB_BUCKET_OUTPUTS}
"""Outputs a stack makes for itself, not for an item (the logging stack's are all its own)."""


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    yield synthesize(SIZES, tmp_path_factory.mktemp("sizes"), validation=False)


def _case(
    case: str,
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    sizes: Synthesized,
) -> tuple[Path, Synthesized]:
    kind, _, name = case.partition("/")
    if kind == "config":
        return CONFIG_DIR / f"{name}.yaml", synthesized[name]
    if kind == "template":
        return known_templates(CONFIG_DIR / "templates")[name], synthesized_templates[name]
    return SIZES, sizes


@pytest.mark.parametrize("case", CASES)
def test_validation_predicts_every_output_of_every_item(
    case: str,
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    sizes: Synthesized,
) -> None:
    """The output-ids rule sees exactly the outputs the stacks make for items, stack by stack."""
    path, result = _case(case, synthesized, synthesized_templates, sizes)
    document = read_document(str(path))
    predicted: dict[str, set[str]] = {}
    for made in _item_outputs(document.data, RuleContext(document)):
        predicted.setdefault(made.stack, set()).add(made.output)
    actual = {
        name: set(template.get("Outputs", {})) - set(STACK_OWN_OUTPUTS.get(name.rsplit("-", 1)[-1], ()))
        for name, template in result.templates.items()
        if not name.endswith(("-logging", "-pipeline")) and "-pipeline-" not in name
    }
    assert predicted == {name: found for name, found in actual.items() if found}


@pytest.mark.parametrize("case", CASES)
def test_validation_counts_what_the_other_stacks_synthesize(
    case: str,
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    sizes: Synthesized,
) -> None:
    """The stack-quotas rule's count of the guardrails, throughput, inference and evaluation stacks
    equals the synthesized templates', exactly."""
    path, result = _case(case, synthesized, synthesized_templates, sizes)
    document = read_document(str(path))
    counted = {
        name: size
        for name, (size, _, _) in other_stack_sizes_of(document.data, RuleContext(document)).items()
    }
    actual = {
        name: StackSize(len(template["Resources"]), len(template.get("Outputs", {})))
        for name, template in result.templates.items()
        if name.endswith(("-guardrails", "-throughput", "-inference", "-evaluation"))
    }
    assert counted == actual


WORDS_CONFIG = """\
environment: words
account: "111111111111"
region: us-east-1
guardrails:
  - name: blocked-words
    blocked_input_message: Sorry.
    blocked_output_message: Sorry.
    word_filters: {managed: [profanity], words_file: words.txt}
"""


def _words(count: int, length: int) -> str:
    """``count`` distinct words of ``length`` characters, one per line."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(
        "".join(letters[(number // 26**place) % 26] for place in range(length)) + "\n"
        for number in range(count)
    )


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Synthesized]]:
    folder = tmp_path_factory.mktemp("words")
    (folder / "words.txt").write_text(_words(2_000, 100))
    (folder / "words.yaml").write_text(WORDS_CONFIG)
    yield folder / "words.yaml", synthesize(folder / "words.yaml", folder / "out", validation=False)


def _guardrails_bound(path: Path) -> int:
    document = read_document(str(path))
    schema = check_schema(document)
    word_files = read_word_files(document, schema.invalid_paths)
    bounds = guardrails_template_bytes(
        document.data, RuleContext(document, schema.invalid_paths, word_files.lists)
    )
    assert bounds is not None
    return GUARDRAILS_STACK_TEMPLATE_BYTES + sum(size for size, _ in bounds.values())


@pytest.mark.parametrize("case", [*CASES, "words"])
def test_the_guardrails_template_bound_holds_and_is_close_for_word_lists(
    case: str,
    synthesized: dict[str, Synthesized],
    synthesized_templates: dict[str, Synthesized],
    sizes: Synthesized,
    words: tuple[Path, Synthesized],
) -> None:
    """template-sizes never passes a guardrails template over CloudFormation's size: its bound is at
    least the synthesized template's bytes; for a word list (what makes a guardrail large) within 5%."""
    path, result = words if case == "words" else _case(case, synthesized, synthesized_templates, sizes)
    files = [file for name, file in result.template_files.items() if name.endswith("-guardrails")]
    if not files:
        pytest.skip("no guardrails")
    actual = files[0].stat().st_size
    bound = _guardrails_bound(path)
    assert bound >= actual
    if case == "words":
        assert bound <= actual * 1.05
