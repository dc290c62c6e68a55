#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh RUNS MAKE-ARGUMENTS...: `make soak`. Runs `make test MAKE-ARGUMENTS`
# RUNS times in a row with a CPU hog on every other core (this machine's other
# work, made worse), prints each run's verdict line, and ends with a count;
# exits 1 if any run failed. The console logs of a failed run are kept, each
# under out/soak-N/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -ge 1 ] || die "usage: $0 RUNS MAKE-ARGUMENTS..."
runs=$1
shift
hogs=()
for _ in $(seq 2 "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs+=($!)
done
trap '[ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null' EXIT
moddir=$(make -s --no-print-directory -C "$here/../.." "$@" moddir)
failed=0
for i in $(seq "$runs"); do
	log=$(mktemp)
	if make -C "$here/../.." --no-print-directory "$@" test >"$log" 2>&1; then r=pass; else r=FAIL; fi
	v=$(grep -m1 '^verdict: ' "$log" || echo "verdict: none (make test failed before the VM: see below)")
	echo "soak $i/$runs: $r, $v"
	if [ "$r" = FAIL ]; then
		failed=$((failed + 1))
		mkdir -p "$moddir/../soak-$i"
		cp "$log" "$moddir"/console-test-*.log "$moddir/../soak-$i/" 2>/dev/null || true
		grep -A3 '^FAIL:' "$log" | head -n 8 || tail -n 5 "$log"
	fi
	rm -f "$log"
done
echo "soak: $((runs - failed)) passed, $failed failed of $runs runs of make test $*, $((${#hogs[@]})) CPU hog(s)"
[ "$failed" = 0 ]
