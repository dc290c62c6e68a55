#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# phase.sh NAME CMD...: run CMD as the phase NAME of the timeline that
# TIMELINE=FILE asks for (phase() in lib.sh); the Makefile's steps use it.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || die "usage: $0 NAME CMD..."
phase "$@"
