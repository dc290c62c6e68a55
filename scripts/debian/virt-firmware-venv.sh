#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# virt-firmware-venv.sh VERSION
#
# SECURE_BOOT=1: print the virt-fw-vars of a virtual environment in
# $CACHE/virt-firmware-VERSION with virt-firmware VERSION from PyPI, made
# once. It writes a MOK into a copy of the firmware's variables before the
# boot (--add-mok), as shim's MokManager would after `mokutil --import`.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 VERSION"
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
venv=$CACHE/virt-firmware-$1
if [ ! -f "$venv/.complete" ]; then
	python3 -c 'import ensurepip' 2>/dev/null ||
		die "python3 cannot make a virtual environment; install python3-venv (apt-get install python3-venv)"
	rm -rf "$venv"
	mkdir -p "$CACHE"
	logged "$CACHE/virt-firmware-$1.log" "installing virt-firmware $1 from PyPI into $venv" "30 s" \
		sh -c "python3 -m venv '$venv' && '$venv/bin/pip' install --disable-pip-version-check 'virt-firmware==$1'"
	touch "$venv/.complete"
fi
echo "$venv/bin/virt-fw-vars"
