#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mermaid.sh VERSION MARKDOWN...
#
# Render every ```mermaid block of each MARKDOWN file with mermaid's own CLI
# (the npm package @mermaid-js/mermaid-cli VERSION, installed once into
# $CACHE/mermaid-cli-VERSION; puppeteer drives Debian's chromium, so nothing
# is downloaded but the npm packages). A diagram that does not parse fails
# with mermaid's message; the pictures go to a temporary directory.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -ge 2 ] || die "usage: $0 VERSION MARKDOWN..."
version=$1
shift
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
command -v node >/dev/null || die "node not found; install Debian's nodejs and npm (apt-get install nodejs npm)"
# Debian's chromium, installed here when missing (as root; else the command to
# run is the error), so that only make lint pays for it, not a first make demo.
chromium=/usr/bin/chromium
[ -x "$chromium" ] || apt_install "make lint renders the diagrams with Debian's chromium" "1 min" chromium
dir=$CACHE/mermaid-cli-$version
if [ ! -x "$dir/node_modules/.bin/mmdc" ]; then
	command -v npm >/dev/null || die "npm not found; install Debian's npm (apt-get install npm)"
	mkdir -p "$dir"
	# puppeteer 23 is the major that mermaid-cli 11 asks for; its own browser
	# is not fetched (Debian's chromium is used).
	PUPPETEER_SKIP_DOWNLOAD=1 logged "$dir/install.log" \
		"installing mermaid-cli $version from npm into $dir" "25 s" \
		npm install --prefix "$dir" --no-audit --no-fund --no-save \
		"@mermaid-js/mermaid-cli@$version" puppeteer@23
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# As root, chromium runs only without its sandbox; the other flags keep it
# off the network, which this machine does not have.
cat >"$out/puppeteer.json" <<JSON
{"executablePath": "$chromium", "headless": "shell",
 "args": ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync"]}
JSON
for md in "$@"; do
	n=$(grep -c '^```mermaid' "$md" || true)
	[ "$n" -gt 0 ] || die "$md has no mermaid diagram; name only files that have one"
	# mmdc reads a file as Markdown by its name: a copy named .md (docs/loader.md.in too).
	cp "$md" "$out/in.md"
	if ! "$dir/node_modules/.bin/mmdc" -q -p "$out/puppeteer.json" -i "$out/in.md" \
		-o "$out/out.md" >"$out/log" 2>&1; then
		head -n 4 "$out/log" >&2
		die "a mermaid diagram of $md does not render (mermaid's message above); fix its syntax"
	fi
	say "mermaid: $md: $n diagrams rendered"
done
