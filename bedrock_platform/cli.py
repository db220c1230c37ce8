"""``python -m bedrock_platform``: validate configs and synthesize them without the CDK CLI.

Exit codes: 0 success, 1 invalid config or failed synthesis (``diff``: a change at or above
``--fail-on``), 2 usage error, 3 (``diff``) a side that cannot be read or synthesized.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bedrock_platform import __version__, templates
from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.errors import printable, progress
from bedrock_platform.operations import arguments as operations

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NO_DIFF = 0, 1, 2, 3
REVIEW_EXTRA = (
    "the review reads CloudFormation's resource schemas from cfn-lint, which the library does not "
    "install: pip install 'bedrock-platform[review]' (a clone's make setup has it)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bedrock-platform",
        description="Amazon Bedrock infrastructure from one validated YAML file per environment.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check config files; report every error with file:line:col"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="config files to check")

    synth = commands.add_parser(
        "synth", help="synthesize a config into CloudFormation templates (no CDK CLI)"
    )
    synth.add_argument("file", metavar="FILE", help="the config file")
    synth.add_argument(
        "--out", required=True, metavar="DIR", help="output folder (a cloud assembly, like cdk.out)"
    )
    synth.add_argument(
        "--no-validation",
        action="store_true",
        help="skip aws-cdk-lib's built-in CloudFormation schema validation (faster; cfn-lint covers it)",
    )
    review = commands.add_parser(
        "diff", help="what head changes against base, offline, with replacements and their severity"
    )
    review.add_argument("base", metavar="BASE", help="a synthesized output folder, or a git ref")
    review.add_argument("head", metavar="HEAD", help="a synthesized output folder, or a git ref")
    review.add_argument("--env", metavar="NAME", help="only this environment's stacks. Default: all")
    review.add_argument(
        "--format",
        choices=("markdown", "text", "json"),
        default="markdown",
        help="Default: markdown. json: a versioned document for other tools (see the README)",
    )
    review.add_argument(
        "--fail-on",
        choices=("deploy-failure", "data-loss", "cost", "access", "routine"),
        help="exit 1 when a change has this severity or a higher one",
    )
    review.add_argument(
        "--comment",
        metavar="FILE",
        help="also write the report cut to fit one pull-request comment; when a side cannot be synthesized, "
        "the error",
    )
    review.add_argument(
        "--report",
        metavar="FILE",
        help="also write the full report to FILE; a cut comment names this file",
    )
    operations.add_commands(commands)
    templates.add_commands(commands)
    return parser


def validate(files: Sequence[str]) -> int:
    """Check each file; print every error to stderr. 0 when all are valid, else 1."""
    status = EXIT_OK
    for file in files:
        try:
            load_config(file)
        except ConfigError as error:
            print(error, file=sys.stderr)
            status = EXIT_INVALID
        else:
            print(f"{printable(file)}: valid")
    return status


# Written into every assembly `synth --out` makes: a folder holding it and manifest.json is one this
# command wrote, so a later `synth --out` may replace it. Any other non-empty folder is refused.
ASSEMBLY_MARKER = ".bedrock-platform-synth"
REPO_ROOT = Path(__file__).resolve().parents[1]


class OutError(Exception):
    """``--out`` names a folder ``synth`` must not write or replace."""


def _protected(file: str) -> set[Path]:
    """The working folder, the config file's folder, the repository root, and their ancestors."""
    protected: set[Path] = set()
    for folder in (Path.cwd(), Path(file).resolve().parent, REPO_ROOT):
        protected.update((folder, *folder.parents))
    return protected


def check_out(out: str, file: str) -> Path:
    """The resolved ``--out`` folder, when ``synth`` may write it: a new folder in an existing one, an
    empty folder, or a cloud assembly this command wrote (:data:`ASSEMBLY_MARKER`). Never the working
    folder, the config file's folder, the repository root or one of their ancestors."""
    if not out.strip():
        raise OutError("--out is empty: name the folder to write the assembly to, e.g. --out cdk.out")
    given = Path(out)
    if given.is_symlink():
        raise OutError(f"--out {out!r} is a symbolic link; name a folder")
    target = given.resolve()
    if target in _protected(file):
        raise OutError(
            f"--out {out!r} is the working folder, the config's folder, the repository or one of their "
            "parents; name a folder of its own, e.g. --out cdk.out"
        )
    if not target.parent.is_dir():
        raise OutError(f"--out {out!r}: the folder {str(target.parent)!r} does not exist")
    if target.exists() or given.exists():
        if not target.is_dir():
            raise OutError(f"--out {out!r} is not a folder")
        entries = {entry.name for entry in target.iterdir()}
        if entries and not {ASSEMBLY_MARKER, "manifest.json"} <= entries:
            raise OutError(
                f"--out {out!r} holds files and is not a cloud assembly written by synth; "
                "empty it or name another folder"
            )
    return target


def _move_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` (absent, empty or an assembly of ours) by ``staging``, in the same folder."""
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old)


def synth(file: str, out: str, *, validation: bool = True) -> int:
    """Synthesize ``file`` into ``out``. Nothing is written to ``out`` unless synthesis succeeds.

    The assembly is written into a temporary folder next to ``out`` and renamed into place; an
    existing ``out`` is replaced only when it is empty or an assembly this command wrote
    (:func:`check_out`). A bad ``--out`` is one line on stderr and exit 2.
    """
    try:
        target = check_out(out, file)
    except OutError as error:
        print(f"synth: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        config = load_config(file)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID

    from bedrock_platform.stacks import create_app  # imports aws_cdk: only when synthesizing

    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.synth-", dir=target.parent))
    except OSError as error:
        print(f"synth: error: --out {printable(out)!r}: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    try:
        try:
            progress(f"synth: {file}: synthesizing (5 to 60 seconds)...")
            assembly = create_app(config, outdir=str(staging), validation=validation).synth()
        except Exception as error:  # jsii surfaces every synthesis failure as a plain exception
            from bedrock_platform.stacks.sources import synthesis_error_line

            print(synthesis_error_line(file, error), file=sys.stderr)
            return EXIT_INVALID
        (staging / ASSEMBLY_MARKER).write_text(
            "Written by `python -m bedrock_platform synth`; the next synth --out may replace this folder.\n"
        )
        try:
            check_out(out, file)  # again: the folder may have changed during synthesis
            _move_into_place(staging, target)
        except (OutError, OSError) as error:
            print(f"synth: error: {printable(str(error))}", file=sys.stderr)
            return EXIT_USAGE
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shown = Path(out)
    for stack in assembly.stacks:
        print(f"{stack.stack_name}: {printable(str(shown / stack.template_file))}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m bedrock_platform``."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    if args.command == "validate":
        return validate(args.files)
    if args.command == "diff":
        return review(args.base, args.head, args.env, args.format, args.fail_on, args.comment, args.report)
    if args.command == "synth":
        return synth(args.file, args.out, validation=not args.no_validation)
    status = None
    if args.command in operations.COMMANDS:
        # boto3 and the operations are imported only for them (validate stays quick).
        from bedrock_platform.operations.commands import run

        status = run(args)
    if status is None:
        status = templates.run(args)
    if status is None:  # a command the parser knows and nothing runs: never another command
        print(
            f"bedrock-platform: error: command {printable(str(args.command))!r} is not handled",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return status


def review(
    base: str,
    head: str,
    environment: str | None,
    format: str,
    fail_on: str | None,
    comment: str | None = None,
    report_file: str | None = None,
) -> int:
    """Print the report of what ``head`` changes against ``base``.

    Exit 1 when a change reaches ``fail_on``, 3 when a side cannot be read or synthesized (the
    comment file then says why, so a pull request learns that its head does not synthesize).
    """
    from contextlib import ExitStack

    try:
        from bedrock_platform.review.compare import Severity
        from bedrock_platform.review.report import COMMENT_MARKER, fit_comment, render, render_json
        from bedrock_platform.review.sides import SideError, compare_sides, load_folder, synthesized_ref
    except ModuleNotFoundError as error:
        if error.name != "cfnlint":
            raise
        print(f"diff: error: {REVIEW_EXTRA}", file=sys.stderr)
        return EXIT_USAGE

    try:
        with ExitStack() as stack:
            folders = [
                Path(side)
                if Path(side).is_dir()
                else stack.enter_context(synthesized_ref(side, Path.cwd(), environment))
                for side in (base, head)
            ]
            base_stacks, head_stacks = load_folder(folders[0]), load_folder(folders[1])
            folders_stacks = set(base_stacks) | set(head_stacks)
            changes = compare_sides(base_stacks, head_stacks, environment)
    except SideError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        if comment:
            Path(comment).write_text(
                f"{COMMENT_MARKER}\nThe Bedrock infrastructure diff could not be made:\n\n"
                f"    {printable(str(error))}\n"
            )
        return EXIT_NO_DIFF
    if environment is not None and not any(name.startswith(f"{environment}-") for name in folders_stacks):
        print(
            f"diff: error: --env {printable(environment)!r}: neither side has a stack of that environment "
            f"(stacks: {printable(', '.join(sorted(folders_stacks)) or 'none')})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    report = render_json(changes) if format == "json" else render(changes, markdown=format == "markdown")
    print(report, end="")
    if report_file:
        Path(report_file).write_text(report)
    if comment:
        markdown = report if format == "markdown" else render(changes, markdown=True)
        Path(comment).write_text(fit_comment(markdown, report_file or "the job's log"))
    if fail_on is not None:
        threshold = Severity[fail_on.upper().replace("-", "_")]
        # New asset content alone (handler code) changes no resource: it never fails the gate.
        if any(change.severity >= threshold for change in changes if not change.asset_only):
            return EXIT_INVALID
    return EXIT_OK
