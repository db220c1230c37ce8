# bedrock-platform: the README's commands. Every target sets itself up on first use:
# a virtual environment from the pinned requirements.txt plus this package, and the pinned
# CDK CLI and Node 22 from package-lock.json.

SHELL := /bin/bash
ENV ?= dev
# Recipes read it as "$$ENV" (the shell's, quoted), never as $(ENV) pasted into a command line;
# make diff's BASE and HEAD the same way.
export ENV BASE HEAD
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

.PHONY: check-env setup setup-test synth validate diff deploy test lint snapshot-update docs clean bench

# What synth, validate, diff and deploy need; make test adds checkov's environment (setup-test).
setup: $(VENV)/.installed node_modules/.installed

setup-test: setup $(CHECKOV_VENV)/.installed

PIP_INSTALL := -m pip install --quiet --disable-pip-version-check
# uv installs the pinned packages (from PyPI, several times faster than pip: it links from its cache
# instead of unpacking each wheel); pip installs uv itself, at the version requirements.txt pins.
UV_PIN = $(shell grep '^uv==' requirements.txt)
define uv_venv
	$(PYTHON) -m venv $(1)
	$(1)/bin/python $(PIP_INSTALL) "$(UV_PIN)"
	VIRTUAL_ENV=$(1) $(1)/bin/uv pip install --quiet -r $(2)
endef

$(VENV)/.installed: requirements.txt pyproject.toml
	@echo "setup: creating .venv and installing the pinned Python packages (first use only, under a minute)..."
	$(call uv_venv,$(VENV),requirements.txt)
	@echo "setup: .venv: this package (editable)"
	VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install --quiet --no-deps -e .
	@touch $@
	@echo "setup: .venv ready"

# checkov gets a virtual environment of its own: its pins conflict with requirements.txt. Only the
# tests use it.
$(CHECKOV_VENV)/.installed: requirements-checkov.txt requirements.txt
	@echo "setup: creating .venv-checkov for the checkov scan of the tests (first make test only)..."
	$(call uv_venv,$(CHECKOV_VENV),requirements-checkov.txt)
	@touch $@
	@echo "setup: .venv-checkov ready"

node_modules/.installed: package.json package-lock.json
	@echo "setup: npm ci: the pinned CDK CLI and Node 22 into node_modules (first use only)..."
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
	@echo "setup: node_modules ready"

## make synth [ENV=dev]: validate config/$(ENV).yaml, then synthesize it with the CDK CLI into cdk.out/
## (emptied first: it holds this environment's templates only)
synth: check-env setup
	$(PY) -m bedrock_platform validate "config/$$ENV.yaml"
	@echo "synth: config/$$ENV.yaml into cdk.out/ (about 10 to 60 seconds)..."
	rm -rf cdk.out
	cdk synth --context "env=$$ENV" --quiet --no-notices
	@echo "synth: templates in cdk.out/:" && ls cdk.out/*.template.json

## make diff BASE=<git ref or folder> [HEAD=<git ref or folder>] [ENV=dev]: the offline review of what
## HEAD (default: the commit checked out) changes against BASE, for one environment
diff: check-env setup
	@if [ -z "$$BASE" ]; then echo "error: make diff needs BASE=<git ref or synthesized folder>, e.g. BASE=origin/main" >&2; exit 2; fi
	$(PY) -m bedrock_platform diff "$$BASE" "$${HEAD:-HEAD}" --env "$$ENV"

## make deploy ENV=<env>: validate, then cdk deploy every stack of config/$(ENV).yaml (AWS credentials
## for its account; see the README's Deploy section for the first deploy into a fresh account)
deploy: check-env setup
	$(PY) -m bedrock_platform validate "config/$$ENV.yaml"
	cdk deploy --context "env=$$ENV" --all --require-approval broadening

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
## [PYTEST_WORKERS=auto]: pytest-xdist workers, one per core by default
PYTEST_WORKERS ?= auto
test:
	@# The three environments (.venv, node_modules, .venv-checkov) are set up side by side.
	@$(MAKE) --no-print-directory --jobs=3 --output-sync=target setup-test
	@echo "test: lint, then type-check beside pytest on $(PYTEST_WORKERS) workers (a few minutes)"
	$(PY) -m ruff check bedrock_platform tests app.py examples benchmarks
	@# mypy (about a minute without its cache) runs in the background while pytest runs: the
	@# workers leave a core idle for much of the run. Its report is printed after pytest's.
	@log=$$(mktemp); $(PY) -m mypy > "$$log" 2>&1 & mypy=$$!; \
	$(PY) -m pytest --numprocesses "$(PYTEST_WORKERS)" --dist worksteal; tests=$$?; \
	wait $$mypy; types=$$?; echo "mypy:"; cat "$$log"; rm -f "$$log"; \
	if [ $$tests -ne 0 ] || [ $$types -ne 0 ]; then echo "test: failed (pytest exit $$tests, mypy exit $$types)" >&2; exit 1; fi

lint: setup
	$(PY) -m ruff check bedrock_platform tests app.py examples benchmarks
	$(PY) -m mypy

## make snapshot-update: rewrite the template snapshots after a deliberate change (review the diff!)
snapshot-update: setup-test
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
