#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-cold.sh KERNEL ARCH REPORT: `make bench COLD=1`. A new machine's first
# `make demo`, simulated: a clean clone of this repository (its committed
# HEAD) and an empty cache in a scratch directory, so the kernel source, the
# toolchain's bindgen-cli, the kernel build and the guest's packages all start
# from nothing. The machine's Debian packages are the exception: they are
# installed already, so the time apt takes on a new machine is not in it.
# NEW_MACHINE=1 (as root) makes that faithful too: the clone and its make
# demo run in a new machine's root (scripts/bench/new-machine.sh, made in the
# scratch directory before the clock starts), which has none of the packages.
# Writes the timeline (the phases of scripts/lib.sh phase()) to REPORT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -eq 3 ] || die "usage: $0 KERNEL ARCH REPORT"
kernel=$1 arch=$2 report=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rust-demo-kmod-cold.XXXXXX")
# --one-file-system: never into a mount of the machine's (/dev, /proc) that a
# killed new-machine.sh left behind.
trap 'rm -rf --one-file-system "$scratch"' EXIT
demo=(demo KERNEL="$kernel" ARCH="$arch")
if [ "${NEW_MACHINE:-}" = 1 ]; then
	"$here/new-machine.sh" "$scratch/machine"
	what="a new machine (scripts/bench/new-machine.sh), a clean clone, an empty cache"
	timeline=$scratch/machine/root/timeline
	run_demo() {
		"$here/new-machine.sh" "$scratch/machine" sh -c \
			"git clone -q /mnt/src /root/src && TIMELINE=/root/timeline make -C /root/src --no-print-directory ${demo[*]}"
	}
else
	git clone -q "$top" "$scratch/src"
	what="a clean clone, an empty cache, Debian packages already installed"
	timeline=$scratch/timeline
	run_demo() {
		CACHE=$scratch/cache TIMELINE=$timeline make_fresh -C "$scratch/src" --no-print-directory "${demo[@]}"
	}
fi
say "a cold make demo KERNEL=$kernel ARCH=$arch in $scratch (5-10 min)"
t0=$(date +%s.%N)
status=ok
run_demo >"$scratch/demo.log" 2>&1 || status=FAILED
t1=$(date +%s.%N)
{
	echo "cold make demo KERNEL=$kernel ARCH=$arch, $(date +%F), $(nproc) cores: $(echo "$t1 - $t0" | bc | xargs printf %.0f) s ($status; $what)"
	timeline_print "$timeline" "$t0"
} >"$report"
[ "$status" = ok ] || { tail -n 20 "$scratch/demo.log" >&2; die "the cold make demo failed; its last lines are above"; }
cat "$report"
