"""``new-env``: start an environment's config from a starter template of ``config/templates/``.

``python -m bedrock_platform new-env NAME --from TEMPLATE --account ID --region REGION`` writes
``config/NAME.yaml``: the template's text with its ``environment:``, ``account:`` and ``region:``
lines set, the template's placeholder account and Region replaced everywhere else too (in ARNs),
and the editor schema line pointing at ``config/schema.json`` from where the file is written.
Comments are kept: the file is edited as text, not parsed and dumped again. The result is
validated like any config before it is written, and an existing file is never overwritten.

Run it from the repository root: the templates are read from ``config/templates/`` there.
Every refusal is one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from bedrock_platform import geographies
from bedrock_platform.config import ConfigError, load_config
from bedrock_platform.config.errors import Issue, printable
from bedrock_platform.config.messages import did_you_mean
from bedrock_platform.config.schema import load_schema

__all__ = [
    "COMMAND",
    "TEMPLATES_DIR",
    "NewEnvError",
    "add_commands",
    "known_templates",
    "new_environment",
    "render_template",
    "run",
]

COMMAND = "new-env"
TEMPLATES_DIR = Path("config") / "templates"
"""Where the starter templates are, relative to the current directory (the repository root)."""
DEFAULT_OUT = Path("config")
"""Where ``config/NAME.yaml`` goes by default, relative to the current directory."""
EXIT_OK, EXIT_FAILED = 0, 1

SCHEMA_LINE = re.compile(r"\A# yaml-language-server: \$schema=(?P<path>\S+)[ \t]*\n")
"""The editor schema line every template and config begins with."""
_SETTING = r"^(?P<key>{key}):[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#]+)(?P<rest>[ \t]+#[^\n]*)?[ \t]*$"
"""A top-level ``key: value`` line, with an optional trailing comment (kept)."""


class NewEnvError(Exception):
    """A refusal of ``new-env``: the message is the one line printed."""


def known_templates(directory: Path = TEMPLATES_DIR) -> dict[str, Path]:
    """The templates of ``directory`` by name (the file name without ``.yaml``), sorted."""
    if not directory.is_dir():
        return {}
    return {path.stem: path for path in sorted(directory.glob("*.yaml"))}


def _top_level(text: str, key: str, template: str) -> re.Match[str]:
    """The one top-level ``key:`` line of a template."""
    matches = list(re.finditer(_SETTING.format(key=key), text, re.MULTILINE))
    if len(matches) != 1:
        raise NewEnvError(
            f"template {template!r} must have exactly one top-level '{key}: ...' line, it has {len(matches)}"
        )
    return matches[0]


def _schema_line(text: str, template: str) -> re.Match[str]:
    match = SCHEMA_LINE.match(text)
    if match is None:
        raise NewEnvError(f"template {template!r} does not begin with '# yaml-language-server: $schema=...'")
    return match


def render_template(
    text: str, *, template: str, environment: str, account: str, region: str, schema_path: str
) -> str:
    """The template's text for a new environment.

    - the editor schema line (the first line) points at ``schema_path``;
    - the ``environment:``, ``account:`` and ``region:`` lines hold the new values (a trailing
      comment stays);
    - the template's placeholder account id and Region are replaced wherever else they stand
      (key, role and bucket ARNs), so references stay in the environment's account and Region, and
      a guardrail profile (``us.guardrail.v1:0``) becomes the new Region's.

    Raises :class:`NewEnvError` when the template lacks the schema line or one of the three lines.
    """
    _schema_line(text, template)
    old_account = _top_level(text, "account", template)["value"].strip("\"'")
    old_region = _top_level(text, "region", template)["value"].strip("\"'")
    _top_level(text, "environment", template)

    text = re.sub(rf"(?<![0-9]){re.escape(old_account)}(?![0-9])", account, text)
    text = re.sub(rf"(?<![a-z0-9-]){re.escape(old_region)}(?![a-z0-9-])", region, text)
    text = "\n".join(_regional_profiles(line, region) for line in text.split("\n"))
    for key, value in (("environment", environment), ("account", f'"{account}"'), ("region", region)):
        setting = _top_level(text, key, template)
        line = f"{key}: {value}{setting['rest'] or ''}"
        text = text[: setting.start()] + line + text[setting.end() :]
    return SCHEMA_LINE.sub(f"# yaml-language-server: $schema={schema_path}\n", text, count=1)


def _regional_profiles(line: str, region: str) -> str:
    """``line`` with a guardrail profile of another geography replaced by the new Region's (comments
    are left as written)."""
    profile = geographies.guardrail_profile_for(region)
    if profile is None or line.lstrip().startswith("#"):
        return line
    for other, sources in geographies.GUARDRAIL_PROFILES.items():
        if other != profile and region not in sources:
            line = re.sub(rf"(?<![a-z.-]){re.escape(other)}", profile, line)
    return line


def _relative_schema_path(template_file: Path, text: str, out_dir: Path) -> str:
    """The template's schema, as a path relative to ``out_dir`` (``./schema.json`` for config/)."""
    schema = (template_file.parent / _schema_line(text, template_file.stem)["path"]).resolve()
    relative = Path(os.path.relpath(schema, out_dir.resolve())).as_posix()
    return relative if relative.startswith("../") else f"./{relative}"


def _check_arguments(name: str, account: str, region: str) -> None:
    properties = load_schema()["properties"]
    checks = (
        (
            "NAME",
            name,
            "environment",
            "1 to 16 lowercase letters, digits and hyphens, starting with a letter",
        ),
        ("--account", account, "account", "12 digits"),
        ("--region", region, "region", "a Region name like us-east-1"),
    )
    for label, value, key, rule in checks:
        if not re.fullmatch(properties[key]["pattern"], value):
            raise NewEnvError(f"{label} {value!r} is not valid: {rule}")


def _template_file(template: str, templates_dir: Path) -> Path:
    templates = known_templates(templates_dir)
    name = template.removesuffix(".yaml")
    if name in templates:
        return templates[name]
    if not templates:
        raise NewEnvError(
            f"no templates in {templates_dir.as_posix()}/ (run new-env from the repository root)"
        )
    hint = did_you_mean(name, templates)
    raise NewEnvError(f"unknown template {template!r}{hint}; known templates: {', '.join(templates)}")


def new_environment(
    name: str,
    *,
    template: str,
    account: str,
    region: str,
    out_dir: Path = DEFAULT_OUT,
    templates_dir: Path = TEMPLATES_DIR,
) -> Path:
    """Write ``<out_dir>/<name>.yaml`` from ``template``, validated, and return its path.

    Raises :class:`NewEnvError` for a bad argument, an unknown template or an existing file, and
    :class:`~bedrock_platform.config.ConfigError` (naming the target file) when the result does
    not validate; nothing is written then.
    """
    _check_arguments(name, account, region)
    template_file = _template_file(template, templates_dir)
    if not out_dir.is_dir():
        raise NewEnvError(f"--out {out_dir.as_posix()!r} is not a directory")
    target = out_dir / f"{name}.yaml"
    if target.exists():
        raise NewEnvError(
            f"{target.as_posix()} exists; new-env never overwrites a file (choose another NAME)"
        )

    source = template_file.read_text(encoding="utf-8")
    text = render_template(
        source,
        template=template_file.stem,
        environment=name,
        account=account,
        region=region,
        schema_path=_relative_schema_path(template_file, source, out_dir),
    )
    copied = copy_job_data(template_file, source, out_dir)
    try:
        _validate_as(text, target)
        with target.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        _remove(copied)
        raise NewEnvError(
            f"{target.as_posix()} exists; new-env never overwrites a file (choose another NAME)"
        ) from None
    except BaseException:
        _remove(copied)
        raise
    return target


def job_data_sources(text: str) -> list[str]:
    """The files a config names next to it, as written: its jobs' ``source`` paths (custom datasets and
    batch input) and its Automated Reasoning policies' ``definition`` files."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return []
    found: list[str] = []
    for job in data.get("evaluation_jobs") or []:
        for dataset in (job.get("datasets") or []) if isinstance(job, dict) else []:
            if isinstance(dataset, dict) and isinstance(dataset.get("source"), str):
                found.append(dataset["source"])
    for job in data.get("batch_inference_jobs") or []:
        if isinstance(job, dict) and isinstance(job.get("source"), str):
            found.append(job["source"])
    for policy in data.get("automated_reasoning_policies") or []:
        if isinstance(policy, dict) and isinstance(policy.get("definition"), str):
            found.append(policy["definition"])
    return list(dict.fromkeys(found))


def copy_job_data(template_file: Path, text: str, out_dir: Path) -> list[Path]:
    """Copy the job data files the template names (relative to its folder) to the same relative
    paths under ``out_dir``, where the new config looks for them; a path that exists there already
    is kept as it is. Returns what was copied (files and the folders made for them)."""
    copied: list[Path] = []
    for source in job_data_sources(text):
        origin = template_file.parent / source
        target = out_dir / source
        if target.exists() or not origin.exists() or Path(source).is_absolute() or ".." in Path(source).parts:
            continue
        missing = [folder for folder in [*reversed(target.parents)] if not folder.exists()]
        if origin.is_dir():
            shutil.copytree(origin, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
        copied += [*missing, target]
    return copied


def _remove(paths: list[Path]) -> None:
    """Undo :func:`copy_job_data` (newest first)."""
    for path in reversed(paths):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _validate_as(text: str, target: Path) -> None:
    """Validate ``text`` as if it were ``target`` (a file beside it, so relative paths resolve)."""
    descriptor, candidate = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".yaml")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        load_config(candidate)
    except ConfigError as error:
        raise ConfigError(
            Issue(target.as_posix(), issue.line, issue.column, issue.path, issue.message)
            for issue in error.issues
        ) from None
    finally:
        os.unlink(candidate)


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new-env`` to the CLI's subparsers (``dest="command"``)."""
    names = ", ".join(known_templates()) or f"none found in {TEMPLATES_DIR.as_posix()}/"
    parser = subparsers.add_parser(
        COMMAND,
        help="start config/NAME.yaml from a starter template (validated; never overwrites)",
        description="Write config/NAME.yaml from a template of config/templates/, with the environment "
        "name, account and Region set, comments kept, and the editor schema line. Run it from the "
        "repository root.",
    )
    parser.add_argument("name", metavar="NAME", help="the environment name: 1 to 16 of a-z, 0-9 and -")
    parser.add_argument(
        "--from", dest="template", required=True, metavar="TEMPLATE", help=f"the template: {names}"
    )
    parser.add_argument("--account", required=True, metavar="ID", help="the AWS account id, 12 digits")
    parser.add_argument("--region", required=True, metavar="REGION", help="the AWS Region, e.g. eu-central-1")
    parser.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        metavar="DIR",
        help=f"the folder to write NAME.yaml to. Default: {DEFAULT_OUT.as_posix()}",
    )


def run(args: argparse.Namespace) -> int | None:
    """Run ``new-env`` and return its exit code; None when ``args`` names another command."""
    if getattr(args, "command", None) != COMMAND:
        return None
    try:
        target = new_environment(
            args.name,
            template=args.template,
            account=args.account,
            region=args.region,
            out_dir=Path(args.out),
        )
    except NewEnvError as error:
        print(f"{COMMAND}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except ConfigError as error:
        print(error, file=sys.stderr)
        print(
            f"{COMMAND}: error: not written: template {args.template!r} does not validate with these values",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"{printable(target.as_posix())}: written from template {Path(args.template).stem!r}, valid")
    synth = (
        f"make synth ENV={args.name}"
        if target.parent.resolve() == DEFAULT_OUT.resolve()
        else f"python -m bedrock_platform synth {target.as_posix()} --out cdk.out"
    )
    print(f"next: edit what its comments point out, then `{printable(synth)}`")
    return EXIT_OK
