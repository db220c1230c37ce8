"""Every invalid fixture in tests/config/invalid/ produces exactly the lines of its .expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedrock_platform.config import ConfigError, load_config
from tests.config.helpers import ROOT

INVALID_DIR = Path(__file__).resolve().parent / "invalid"
CASES = sorted(INVALID_DIR.glob("*.yaml"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_invalid_config_reports_exactly_the_expected_issues(case: Path) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()

    with pytest.raises(ConfigError) as caught:
        load_config(_relative(case))

    assert str(caught.value).splitlines() == expected
    assert [str(issue) for issue in caught.value.issues] == expected


def test_every_fixture_has_an_expected_file_and_the_reverse() -> None:
    fixtures = {path.stem for path in INVALID_DIR.glob("*.yaml")}
    expectations = {path.stem for path in INVALID_DIR.glob("*.expected")}

    assert fixtures == expectations
    assert len(fixtures) >= 60  # issue 7: at least 60 invalid configs, each with its exact messages


def test_expected_files_name_the_fixture_path_as_passed_in() -> None:
    for case in CASES:
        for line in case.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
            assert line.startswith(f"{_relative(case)}:"), line


def test_a_file_with_several_mistakes_reports_all_of_them_in_line_order() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config("tests/config/invalid/many-errors.yaml")

    issues = caught.value.issues
    assert [(issue.line, issue.column) for issue in issues] == sorted(
        (issue.line, issue.column) for issue in issues
    )
    # A type error, a union, a missing and an unknown key, a reference, a chunking limit, the catalog.
    assert [issue.line for issue in issues] == [3, 7, 9, 10, 11, 15, 18]
    assert len(set(issues)) == len(issues)
