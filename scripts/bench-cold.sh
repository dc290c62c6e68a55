#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-cold.sh KERNEL ARCH REPORT: `make bench COLD=1`. A new machine's first
# `make demo`, simulated: a clean clone of this repository (its committed
# HEAD) and an empty cache in a scratch directory, so the kernel source, the
# toolchain's bindgen-cli, the kernel build and the guest's packages all start
# from nothing. The machine's Debian packages are the exception: they are
# installed already (removing them is not this script's business), so the
# time apt takes on a new machine is not in it. Writes the timeline (the
# phases of scripts/lib.sh phase()) to REPORT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# shellcheck source=lib.sh
. "$here/lib.sh"

[ $# -eq 3 ] || die "usage: $0 KERNEL ARCH REPORT"
kernel=$1 arch=$2 report=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rust-demo-kmod-cold.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
git clone -q "$top" "$scratch/src"
say "a cold make demo KERNEL=$kernel ARCH=$arch in $scratch (5-10 min)"
t0=$(date +%s.%N)
status=ok
CACHE=$scratch/cache TIMELINE=$scratch/timeline make_fresh -C "$scratch/src" --no-print-directory \
	demo KERNEL="$kernel" ARCH="$arch" >"$scratch/demo.log" 2>&1 || status=FAILED
t1=$(date +%s.%N)
{
	echo "cold make demo KERNEL=$kernel ARCH=$arch, $(date +%F), $(nproc) cores: $(echo "$t1 - $t0" | bc | xargs printf %.0f) s ($status; a clean clone, an empty cache, Debian packages already installed)"
	timeline_print "$scratch/timeline" "$t0"
} >"$report"
[ "$status" = ok ] || { tail -n 20 "$scratch/demo.log" >&2; die "the cold make demo failed; its last lines are above"; }
cat "$report"
