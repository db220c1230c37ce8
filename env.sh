# shellcheck shell=bash
# `source env.sh` (from the repository root, in bash or zsh): this shell gets what `make` gives its
# commands, so the README's `python -m bedrock_platform ...` and `cdk ...` lines run as written:
# the project's .venv (activated), the pinned CDK CLI and Node 22 (node_modules/.bin) first on PATH,
# and JSII_NODE pointing at that Node, so aws-cdk-lib's jsii runtime uses it and prints no
# end-of-life banner. `make setup` (or any make target) creates .venv and node_modules first.
_bp_root="${BASH_SOURCE[0]:+$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
_bp_root="${_bp_root:-$PWD}"
if [ ! -x "$_bp_root/.venv/bin/python" ] || [ ! -x "$_bp_root/node_modules/.bin/node" ]; then
    echo "env.sh: $_bp_root has no .venv or node_modules yet: run 'make setup' first" >&2
    unset _bp_root
    return 1 2>/dev/null || exit 1
fi
# shellcheck disable=SC1091
. "$_bp_root/.venv/bin/activate"
export PATH="$_bp_root/node_modules/.bin:$PATH"
export JSII_NODE="$_bp_root/node_modules/.bin/node"
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true
unset _bp_root
