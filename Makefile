# bedrock-platform: the README's commands. Every target sets itself up on first use:
# a virtual environment from the pinned requirements.txt plus this package, and the pinned
# CDK CLI and Node 22 from package-lock.json.

SHELL := /bin/bash
ENV ?= dev
# Recipes read it as "$$ENV" (the shell's, quoted), never as $(ENV) pasted into a command line.
export ENV
PYTHON ?= python3
VENV := .venv
CHECKOV_VENV := .venv-checkov
PY := $(VENV)/bin/python
NODE_BIN := $(CURDIR)/node_modules/.bin

# The pinned Node 22 runs both the CDK CLI and jsii (the Node child process of aws-cdk-lib).
export PATH := $(NODE_BIN):$(CURDIR)/$(VENV)/bin:$(PATH)
export JSII_NODE := $(NODE_BIN)/node
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: check-env setup synth validate test lint snapshot-update docs clean bench

setup: $(VENV)/.installed $(CHECKOV_VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# checkov gets a virtual environment of its own: its pins conflict with requirements.txt.
$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make synth [ENV=dev]: validate config/$(ENV).yaml, then synthesize it with the CDK CLI into cdk.out/
synth: check-env setup
	$(PY) -m bedrock_platform validate "config/$$ENV.yaml"
	cdk synth --context "env=$$ENV" --quiet --no-notices

## make validate [ENV=dev]: validate config/$(ENV).yaml only (no Node, no CDK)
validate: check-env setup
	$(PY) -m bedrock_platform validate "config/$$ENV.yaml"

# ENV must be a plain name (a-z, 0-9, -) with a file config/$$ENV.yaml: ENV= or ENV=../x is refused.
check-env:
	@case "$$ENV" in ''|-*|*[!a-z0-9-]*) ok=;; *) ok=1;; esac; \
	if [ -z "$$ok" ] || [ ! -f "config/$$ENV.yaml" ]; then \
		printf 'error: ENV=%q is not an environment: a-z, 0-9 and -, with a file config/ENV.yaml\n' "$$ENV" >&2; \
		exit 2; \
	fi

## make test: the whole suite (lint, types, config, constructs, snapshots, cfn-lint, cdk-nag, CLI)
test: setup
	$(PY) -m ruff check bedrock_platform tests app.py examples benchmarks
	$(PY) -m mypy
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check bedrock_platform tests app.py examples benchmarks
	$(PY) -m mypy

## make snapshot-update: rewrite the template snapshots after a deliberate change (review the diff!)
snapshot-update: setup
	$(PY) -m pytest tests/test_snapshots.py --snapshot-update

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache

## make docs: regenerate the README's config reference from config/schema.json
docs: setup
	$(PY) -m bedrock_platform.config.reference

## make bench [BENCH_ARGS=--quick]: synth time and memory of the toolkit against hand-written L1 and an empty app,
## and where prod's synth time goes; writes benchmarks/RESULTS.md and benchmarks/PROFILE.md
bench: setup
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
	$(PY) benchmarks/profile_synth.py config/prod.yaml $(if $(findstring --quick,$(BENCH_ARGS)),,--output benchmarks/PROFILE.md)
