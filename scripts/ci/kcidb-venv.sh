#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kcidb-venv.sh VERSION
#
# Print the python3 of a virtual environment in $CACHE/kcidb-io-VERSION with
# KCIDB's own schema library, kcidb-io VERSION from PyPI, made once. Only the
# check of a report needs it (scripts/ci/kcidb-validate.py); writing a report
# (qemu/host/kcidb.py) needs nothing but python3.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 VERSION"
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
venv=$CACHE/kcidb-io-$1
if [ ! -f "$venv/.complete" ]; then
	python3 -c 'import ensurepip' 2>/dev/null ||
		die "python3 cannot make a virtual environment; install python3-venv (apt-get install python3-venv)"
	rm -rf "$venv"
	mkdir -p "$CACHE"
	logged "$CACHE/kcidb-io-$1.log" "installing kcidb-io $1 from PyPI into $venv" "30 s" \
		sh -c "python3 -m venv '$venv' && '$venv/bin/pip' install --disable-pip-version-check 'kcidb-io==$1'"
	touch "$venv/.complete"
fi
echo "$venv/bin/python3"
