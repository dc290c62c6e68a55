#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-cycles.sh: runs inside the VM for `make bench` (busybox sh). Times load+unload
# cycles of the Rust pair and of its C twin (/demo/c_twin), in alternating
# batches, and the cost of one rust_demo_add() call across the module boundary
# (each user's bench_calls parameter). Prints "bench: KEY VALUE" lines; the
# host (scripts/bench/bench.sh) takes medians. /proc/uptime ticks in 10 ms, so a
# batch is CYCLES cycles (about half a second: 2% resolution); under TCG the
# kernel's clocksource is jiffies (4 ms), so CALLS calls take about 0.4 s (1%).
ROUNDS=5 CYCLES=50 CALLS=20000000
C=/demo/c_twin
# shellcheck source=ktap_helpers.sh
. /demo/ktap_helpers.sh

# batch LANG EXPORTER USER: CYCLES load+unload cycles; microseconds per cycle.
batch() {
	start=$(uptime_cs)
	i=0
	while [ $i -lt $CYCLES ]; do
		if ! { busybox insmod "$2" && busybox insmod "$3" &&
			busybox rmmod "${3##*/}" && busybox rmmod "${2##*/}"; }; then
			echo "bench: error $1"
			return
		fi
		i=$((i + 1))
	done
	echo "bench: cycle_us $1 $((($(uptime_cs) - start) * 10000 / CYCLES))"
}
# call LANG EXPORTER USER: picoseconds per rust_demo_add call, as the user logs it.
call() {
	dmesg -c >/dev/null
	busybox insmod "$2" && busybox insmod "$3" bench_calls=$CALLS
	ps=$(dmesg | sed -n 's/.*bench: .* (\([0-9]*\) ps per call.*/\1/p')
	busybox rmmod "${3##*/}" && busybox rmmod "${2##*/}"
	echo "bench: call_ps $1 ${ps:-error}"
}

r=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	batch rust "$KO/rust_demo_export.ko" "$KO/rust_demo_user.ko"
	batch c "$C/c_demo_export.ko" "$C/c_demo_user.ko"
	call rust "$KO/rust_demo_export.ko" "$KO/rust_demo_user.ko"
	call c "$C/c_demo_export.ko" "$C/c_demo_user.ko"
done
echo "bench: done"
