#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pypi-venv.sh PACKAGE VERSION PROGRAM
#
# Print the path of PROGRAM in a virtual environment in $CACHE/PACKAGE-VERSION
# that holds PACKAGE VERSION from PyPI, made once: kcidb-io (KCIDB's schema
# library, whose python3 checks each run's report: scripts/ci/kcidb-validate.py)
# and virt-firmware (SECURE_BOOT=1: virt-fw-vars writes a MOK into a copy of
# the firmware's variables, as shim's MokManager would).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: $0 PACKAGE VERSION PROGRAM"
package=$1 version=$2 program=$3
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
venv=$CACHE/$package-$version
if [ ! -f "$venv/.complete" ]; then
	python3 -c 'import ensurepip' 2>/dev/null ||
		die "python3 cannot make a virtual environment; install python3-venv (apt-get install python3-venv)"
	rm -rf "$venv"
	mkdir -p "$CACHE"
	logged "$CACHE/$package-$version.log" "installing $package $version from PyPI into $venv" "30 s" \
		sh -c "python3 -m venv '$venv' && '$venv/bin/pip' install --disable-pip-version-check '$package==$version'"
	touch "$venv/.complete"
fi
echo "$venv/bin/$program"
