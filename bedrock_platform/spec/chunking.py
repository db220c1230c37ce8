"""How a data source splits documents into chunks: the strategies, their parameters, defaults and
limits, and the rules between parameters.

Sources:
- CloudFormation's ``AWS::Bedrock::DataSource`` schema (as cfn-lint ships it; a test compares):
  fixed-size ``OverlapPercentage`` 1 to 99; hierarchical ``LevelConfigurations`` exactly two
  (parent, then child), each ``MaxTokens`` 1 to 8,192, ``OverlapTokens`` at least 1; semantic
  ``BufferSize`` 0 to 1 and ``BreakpointPercentileThreshold`` 50 to 99; fixed-size and semantic
  ``MaxTokens`` at least 1.
- The upper bound 8,192 of fixed-size and semantic ``max_tokens`` is the largest input any
  embedding model of the catalog embeds (Titan Text Embeddings V1 and V2: "Max input text tokens -
  8,192", user guide "Amazon Titan Text Embeddings models"): a larger chunk is cut off by every
  model, so the toolkit refuses it. A hierarchical child is at most its parent, and the overlap of
  a layer is less than its child (the console and the API refuse larger ones).
- The defaults are those of the Bedrock console and API when chunking is not given: fixed size,
  300 tokens, 20 % overlap (user guide, "How content chunking works for knowledge bases"); the
  hierarchical defaults (1,500 / 300, overlap 60) and the semantic ones (300 tokens, buffer 0,
  threshold 95) are the console's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LARGEST_CHUNK = 8192
"""The most tokens a chunk may hold (see the module docstring)."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a strategy: its config name, default and inclusive range (None: no maximum)."""

    name: str
    default: int
    minimum: int
    maximum: int | None


@dataclass(frozen=True)
class Strategy:
    """A chunking strategy: its config name, its API name and its parameters, in order."""

    name: str
    api_name: str
    parameters: tuple[Parameter, ...]

    def defaults(self) -> dict[str, int]:
        """Each parameter's default, in order."""
        return {parameter.name: parameter.default for parameter in self.parameters}

    def limits(self) -> dict[str, tuple[int, int | None]]:
        """Each parameter's inclusive range, in order."""
        return {parameter.name: (parameter.minimum, parameter.maximum) for parameter in self.parameters}


STRATEGIES: Mapping[str, Strategy] = {
    strategy.name: strategy
    for strategy in (
        Strategy(
            "fixed_size",
            "FIXED_SIZE",
            (Parameter("max_tokens", 300, 1, LARGEST_CHUNK), Parameter("overlap_percentage", 20, 1, 99)),
        ),
        Strategy(
            "hierarchical",
            "HIERARCHICAL",
            (
                Parameter("parent_max_tokens", 1500, 1, LARGEST_CHUNK),
                Parameter("child_max_tokens", 300, 1, LARGEST_CHUNK),
                Parameter("overlap_tokens", 60, 1, None),
            ),
        ),
        Strategy(
            "semantic",
            "SEMANTIC",
            (
                Parameter("max_tokens", 300, 1, LARGEST_CHUNK),
                Parameter("buffer_size", 0, 0, 1),
                Parameter("breakpoint_percentile_threshold", 95, 50, 99),
            ),
        ),
        Strategy("none", "NONE", ()),
    )
}
"""Every strategy, by its config name."""

DEFAULT_STRATEGY = "fixed_size"

CHUNK_SIZE_PARAMETERS: Mapping[str, str] = {
    "fixed_size": "max_tokens",
    "semantic": "max_tokens",
    "hierarchical": "parent_max_tokens",
}
"""The parameter that bounds each strategy's chunks (a hierarchical child is never larger than its parent)."""


def range_problem(name: str, value: int, minimum: int, maximum: int | None) -> str | None:
    """Why ``value`` is out of a parameter's range, or None."""
    if minimum <= value and (maximum is None or value <= maximum):
        return None
    expected = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
    return f"{name} must be {expected}, got {value}"


def hierarchy_problems(parent: int, child: int, overlap: int) -> list[str]:
    """What the hierarchical parameters break between them: the child at most the parent, the
    overlap less than the child."""
    problems = []
    if child > parent:
        problems.append(f"child_max_tokens {child} must be at most parent_max_tokens {parent}")
    if overlap >= child:
        problems.append(f"overlap_tokens {overlap} must be less than child_max_tokens {child}")
    return problems


def problems(strategy: str, values: Mapping[str, int]) -> list[str]:
    """Everything wrong with ``values`` (a full set of ``strategy``'s parameters)."""
    found = [
        problem
        for parameter in STRATEGIES[strategy].parameters
        if (
            problem := range_problem(
                parameter.name, values[parameter.name], parameter.minimum, parameter.maximum
            )
        )
    ]
    if strategy == "hierarchical" and not found:
        found += hierarchy_problems(
            values["parent_max_tokens"], values["child_max_tokens"], values["overlap_tokens"]
        )
    return found
