#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh KERNEL ARCH KDIR MODDIR CTWINDIR: `make bench`. Measures the edit ->
# verdict loop on this machine and what the Rust pair costs against its C twin
# (qemu/c_twin, built in CTWINDIR), and prints one table: medians of RUNS runs
# (default 5) with their range, the same as multiples of a bare boot, where
# the time goes (one run phase by phase), and a new machine's first make demo
# (COLD=1: measured now, else the last one measured). A benchmark, not a test:
# a failing run is reported and counted, and the rest is still measured.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
# shellcheck source=../../qemu/host/qemu.sh
. "$top/qemu/host/qemu.sh"
# shellcheck source=../../qemu/host/snapshot.sh
. "$top/qemu/host/snapshot.sh"

[ $# -eq 5 ] || die "usage: $0 KERNEL ARCH KDIR MODDIR CTWINDIR"
kernel=$1 arch=$2 kdir=$3 moddir=$4 ctwin=$5
runs=${RUNS:-5}
image=${KERNEL_IMAGE:-$kdir/$("$here/../kernel/archconf.sh" "$arch" IMAGE)}
manifest=$("$top/qemu/host/guest-userspace.sh" "$arch" | tail -n 1)
guest_busybox=$(awk '$1 == "/bin/busybox" { print $2 }' "$manifest")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seconds CMD...: wall time of CMD in seconds (its output discarded). A run
# that fails is reported and counted, not timed, and the benchmark goes on.
seconds() {
	local start
	start=$(date +%s.%N)
	if ! "$@" >"$tmp/last.log" 2>&1; then
		say "a measured run failed: $* (last lines below); counted, not timed"
		tail -n 3 "$tmp/last.log" >&2
		echo FAILED
		return
	fi
	echo "$(date +%s.%N) - $start" | bc
}
# stats: "median (min-max)" of the numbers on stdin, with printf format $1,
# and how many of the runs failed.
stats() {
	sort -g | awk -v f="$1" '$1 == "FAILED" { failed++; next } { a[++n] = $1 }
		END { if (n) printf f " (" f "-" f ")", a[int((n + 1) / 2)], a[1], a[n]; else printf "all runs failed"
		      if (failed) printf ", %d of %d runs FAILED", failed, n + failed }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
repeat() { for _ in $(seq "$runs"); do "$@"; done; }
row() { printf '  %-44s %s\n' "$1" "$2"; }
ratio() { if [ "$2" = 0 ]; then echo -; else echo "scale=2; $1 / $2" | bc; fi; }

say "measuring the loop, $runs runs each (about a minute)"
make_k() { make_fresh -C "$top" --no-print-directory KERNEL="$kernel" ARCH="$arch" "$@"; }
rebuild() { touch "$top/rust_demo_user.rs" && seconds make_k modules; }
initramfs() { seconds "$top/qemu/host/mkinitramfs.sh" "$kdir/usr/gen_init_cpio" "$manifest" "$moddir/root" "$tmp/i.cpio"; }
one_suite() { seconds "$top/qemu/host/run.sh" test "$arch" "$kdir" "$moddir/root" "$1"; }
whole_test() { seconds make_k test; }
whole_test_cold() { seconds make_k test BOOT=cold; }
edit_verdict() { touch "$top/rust_demo_user.rs" && seconds make_k test; }
edit_one_suite() { touch "$top/rust_demo_user.rs" && seconds make_k test SUITE=pinning; }
# The CPU (user and system seconds, QEMU's included) of one no-change make
# test: on N cores no schedule of that work ends sooner than CPU / N.
cpu_of_test() {
	local TIMEFORMAT=%U+%S
	{ time make_k test >"$tmp/cpu.log" 2>&1; } 2>&1 | bc
}
# A student's loop: edit an exercise, make lab (the solution, which passes).
lab_edit() { touch "$top/lab/gpl_export/lab_lib.rs" && seconds make_k lab EX=gpl_export SOLUTION=1; }
# timeline NAME CMD...: run CMD once with TIMELINE set (scripts/lib.sh: phase)
# and print its phases (timeline_print; boots and suites by the host's clock).
timeline() {
	local name=$1 t0
	shift
	rm -f "$tmp/timeline"
	t0=$(date +%s.%N)
	TIMELINE=$tmp/timeline "$@" >"$tmp/timeline.log" 2>&1 || echo "  (this run FAILED; its phases so far)"
	echo "$name: $(echo "$(date +%s.%N) - $t0" | bc | xargs printf %.2f) s"
	timeline_print "$tmp/timeline" "$t0"
}
# The floor: the same kernel, an initramfs of busybox whose /init powers off.
printf '#!/bin/busybox sh\n/bin/busybox reboot -f\n' >"$tmp/init"
printf '%s\n' "dir /bin 0755 0 0" "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" \
	"file /bin/busybox $guest_busybox 0755 0 0" "file /init $tmp/init 0755 0 0" >"$tmp/floor.list"
"$kdir/usr/gen_init_cpio" "$tmp/floor.list" >"$tmp/floor.cpio"
qemu_cmd "$arch" "$image" "$tmp/floor.cpio" tcg floor 1 ""
floor() { seconds "${qemu[@]}" -serial null; }
# A snapshot of this kernel (qemu/host/snapshot.sh): made in a scratch cache
# each time, and a guest restored from it that takes an empty job and powers
# off (restore, the job channel, /init, QEMU's exit).
base_cpio=$tmp/base.cpio
"$top/qemu/host/mkinitramfs.sh" "$kdir/usr/gen_init_cpio" "$manifest" - "$base_cpio" base
: >"$tmp/empty.cpio"
snap_make() { rm -rf "$tmp/snapcache" && CACHE=$tmp/snapcache seconds snapshot_make "$arch" "$image" "$base_cpio" tcg 1 "" 60; }
snap_dir=$tmp/snapcache/snapshots/$arch-$(snapshot_key "$arch" "$image" "$base_cpio" tcg 1 "")
snap_restore() { seconds snapshot_restore "$snap_dir" "$arch" "$image" tcg 1 "" 60 "$tmp/empty.cpio" none ""; }
make_k test >"$tmp/test.log" 2>&1 || { tail -n 5 "$tmp/test.log" >&2; say "make test failed once before measuring; measuring anyway (failures are counted)"; }
t_rebuild=$(repeat rebuild | stats %.2f)
t_initramfs=$(repeat initramfs | stats %.2f)
suites=$(for f in "$top"/qemu/guest/suites/*.sh; do f=${f##*/}; echo "${f%.sh}"; done)
declare -A t_suite
for suite in $suites; do t_suite[$suite]=$(repeat one_suite "$suite" | stats %.2f); done
t_test=$(repeat whole_test | stats %.2f)
t_test_cold=$(repeat whole_test_cold | stats %.2f)
t_edit=$(repeat edit_verdict | stats %.2f)
t_edit_one=$(repeat edit_one_suite | stats %.2f)
t_floor=$(repeat floor | stats %.2f)
t_lab=$(repeat lab_edit | stats %.2f)
t_snap_make=$(repeat snap_make | stats %.2f)
t_snap_restore=$(repeat snap_restore | stats %.2f)
cpu_test=$(repeat cpu_of_test | stats %.2f)

# The cold figures: COLD=1 measures them now (bench-cold.sh, a scratch cache);
# otherwise the last such run's, if there is one.
cold_report=$CACHE/bench-cold-$kernel-$arch.txt
[ "${COLD:-}" != 1 ] || "$here/bench-cold.sh" "$kernel" "$arch" "$cold_report" >/dev/null ||
	say "the cold run failed; its report is kept in $cold_report"

say "one timed run of each, phase by phase"
t_timeline=$( (timeline "make test, nothing changed" make_k test
	touch "$top/rust_demo_user.rs"
	timeline "edit -> verdict (touch a module, make test)" make_k test))

say "measuring Rust against C in the VM (about a minute)"
mkdir -p "$moddir/root/demo/c_twin"
cp "$ctwin"/c_demo_export.ko "$ctwin"/c_demo_user.ko "$moddir/root/demo/c_twin/"
# Signed like the installed Rust pair, where that is (modules_install signs
# them), so that both pay for the signature check.
key=$(module_sig_key "$kdir")
if grep -qx 'CONFIG_MODULE_SIG_ALL=y' "$kdir/.config" && [ -n "$key" ]; then
	for ko in "$moddir"/root/demo/c_twin/*.ko; do
		sign_module "$kdir" "$key" "$kdir/certs/signing_key.x509" "$ko"
	done
fi
"$top/qemu/host/run.sh" bench "$arch" "$kdir" "$moddir/root" >"$tmp/vm" || say "the VM benchmark failed; its rows are empty"
rm -rf "$moddir/root/demo/c_twin"
vm() { awk -v k="$1" -v l="$2" '$2 == k && $3 == l { print $4 }' "$tmp/vm"; }

size_of() { stat -c %s "$@" | paste -sd+ | bc; }
# sizes LANG MODULE...: "text data bss" summed over the modules.
sizes() { llvm-size "$@" | awk 'NR > 1 { t += $1; d += $2; b += $3 } END { print t, d, b }'; }
rust=("$moddir/rust_demo_export.ko" "$moddir/rust_demo_user.ko")
c=("$ctwin/c_demo_export.ko" "$ctwin/c_demo_user.ko")
read -r rt rd rb <<<"$(sizes "${rust[@]}")"
read -r ct cd cb <<<"$(sizes "${c[@]}")"
rko=$(size_of "${rust[@]}") cko=$(size_of "${c[@]}")
r_cycle=$(vm cycle_us rust | median) c_cycle=$(vm cycle_us c | median)
r_call=$(vm call_ps rust | median) c_call=$(vm call_ps c | median)

echo
echo "make bench: Linux ${kdir##*/build/}, $(date +%F), $(nproc) cores, QEMU $("${qemu[0]}" --version | awk 'NR == 1 { print $4 }') TCG"
echo "the loop (seconds; median (min-max) of $runs runs)"
row "module rebuild after a touch (make modules)" "$t_rebuild"
row "initramfs (qemu/mkinitramfs.sh)" "$t_initramfs"
for suite in $suites; do row "boot to verdict, suite $suite alone (run.sh)" "${t_suite[$suite]}"; done
row "make test, all suites, nothing changed" "$t_test"
row "the same, BOOT=cold (every guest booted)" "$t_test_cold"
row "edit -> verdict (touch a module, make test)" "$t_edit"
row "edit -> verdict of one suite (SUITE=pinning)" "$t_edit_one"
row "floor: bare boot of this kernel to poweroff" "$t_floor"
row "snapshot: boot, judge, save (vmsnap.py)" "$t_snap_make"
row "snapshot: restore, empty job, poweroff" "$t_snap_restore"
row "lab: edit -> verdict (make lab EX=gpl_export)" "$t_lab"
row "CPU of make test, nothing changed (s, all cores)" "$cpu_test"
floor_s=$(echo "$t_floor" | awk '{ print $1 }')
in_floors() { echo "$1" | awk -v f="$floor_s" '$1 + 0 > 0 && f + 0 > 0 { printf "%.1f", $1 / f; exit } { print "-" }'; }
echo "in bare boots (median / median floor; the targets in brackets)"
row "make test, nothing changed [5]" "$(in_floors "$t_test")"
row "make test BOOT=cold, nothing changed" "$(in_floors "$t_test_cold")"
row "edit -> verdict [6]" "$(in_floors "$t_edit")"
row "edit -> verdict, SUITE=pinning [3]" "$(in_floors "$t_edit_one")"
row "lab: edit -> verdict [4]" "$(in_floors "$t_lab")"
row "snapshot restore to poweroff" "$(in_floors "$t_snap_restore")"
row "floor of make test: its CPU / $(nproc) cores" "$(in_floors "$(echo "$cpu_test" | awk -v n="$(nproc)" '{ printf "%.2f", $1 / n }')")"
echo "where the time goes: one run of each (start, length: seconds; the phases of"
echo "scripts/lib.sh phase(); make's own work is the gaps)"
echo "$t_timeline"
if [ -f "$cold_report" ]; then
	echo "a new machine (the last make bench COLD=1):"
	cat "$cold_report"
else
	echo "a new machine: no cold run on record; make bench COLD=1 does one (5-10 min)"
fi
echo "Rust against C (both modules of each pair)       Rust         C    Rust/C"
printf '  %-44s %8s %9s %8s\n' ".ko files (bytes)" "$rko" "$cko" "$(ratio "$rko" "$cko")"
printf '  %-44s %8s %9s %8s\n' "text (bytes, llvm-size)" "$rt" "$ct" "$(ratio "$rt" "$ct")"
printf '  %-44s %8s %9s %8s\n' "data (bytes)" "$rd" "$cd" "$(ratio "$rd" "$cd")"
printf '  %-44s %8s %9s %8s\n' "bss (bytes)" "$rb" "$cb" "$(ratio "$rb" "$cb")"
printf '  %-44s %8s %9s %8s\n' "load+unload cycle in the VM (us, median)" "$r_cycle" "$c_cycle" "$(ratio "$r_cycle" "$c_cycle")"
printf '  %-44s %8s %9s %8s\n' "one rust_demo_add call (ps, median)" "$r_call" "$c_call" "$(ratio "$r_call" "$c_call")"
echo "  (VM: $(vm cycle_us rust | wc -l) alternating batches per pair; cycle range Rust" \
	"$(vm cycle_us rust | stats %d) us, C $(vm cycle_us c | stats %d) us)"
echo "largest Rust text symbols (llvm-nm --size-sort), bytes:"
llvm-nm --size-sort -S --radix=d --defined-only "${rust[@]}" |
	awk '$3 ~ /^[tT]$/ { printf "  %6d  %s\n", $2, $4 }' | sort -rn | head -n 8
