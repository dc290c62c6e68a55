#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh test|demo|bench|shell ARCH KDIR MODROOT [SUITE...]
#
# Boot the kernel built in KDIR (its image named in qemu/arch/ARCH.conf) in
# QEMU with an initramfs holding the guest's userspace (guest-userspace.sh)
# and the modules installed under MODROOT (an INSTALL_MOD_PATH tree: `make -C
# KDIR M=... modules_install INSTALL_MOD_PATH=MODROOT`), and run the suites
# (test), the narrated suites (demo), qemu/guest/bench-cycles.sh (bench: its
# "bench:" lines are printed) or a shell. SUITE names a file
# qemu/guest/suites/SUITE.sh; the default is all of them. Suites share one
# boot, except a suite whose file says "# boots alone" (it changes the kernel
# for good, e.g. taints it): it gets a boot of its own. The boots run in
# parallel, each with its console saved in LOGDIR/console-MODE-N.log; the KTAP
# is printed, and the exit status is the verdict: verdict.py over all of them
# (a failed or missing test, a panic, an oops, a WARN or a timeout all fail),
# and, in test mode, the kernel's own KTAP parser (tools/testing/kunit/kunit.py
# parse) accepting each log.
#
# Environment: TIMEOUT (seconds per boot, default 60), LOGDIR (default: the
# directory above MODROOT), ACCEL (tcg, kvm or auto; default auto: KVM only if
# it boots here, else TCG), CACHE (the guest's packages, see guest-userspace.sh),
# KERNEL_IMAGE (boot this image instead of KDIR's, e.g. a distribution's vmlinuz).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"
# shellcheck source=qemu.sh
. "$here/qemu.sh"

[ $# -ge 4 ] || die "usage: $0 test|demo|bench|shell ARCH KDIR MODROOT [SUITE...]"
mode=$1 arch=$2 kdir=$3 modroot=$4
shift 4
case $mode in test | demo | bench | shell) ;; *) die "mode must be test, demo, bench or shell, not '$mode'" ;; esac
conf=$here/../../scripts/archconf.sh
image=${KERNEL_IMAGE:-$kdir/$("$conf" "$arch" IMAGE)}
[ -f "$image" ] || die "no kernel image at $image; build the kernel for ARCH=$arch (make kernel ARCH=$arch)"
bin=$("$conf" "$arch" QEMU)
command -v "$bin" >/dev/null || die "$bin not found; install $("$conf" "$arch" QEMU_PACKAGE) (make setup ARCH=$arch)"
gen_init_cpio=$kdir/usr/gen_init_cpio
[ -x "$gen_init_cpio" ] ||
	die "no usr/gen_init_cpio in $kdir; build that kernel with CONFIG_BLK_DEV_INITRD=y (it builds the tool)"

# The boots: one line each, the suites it runs separated by commas.
suites_dir=$here/../guest/suites
all=$(for f in "$suites_dir"/*.sh; do basename "$f" .sh; done)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || mapfile -t suites <<<"$all"
shared=() boots=()
for s in "${suites[@]}"; do
	grep -qxF "$s" <<<"$all" || die "no suite '$s'; the suites are: ${all//$'\n'/ }"
	if grep -q '^# boots alone' "$suites_dir/$s.sh"; then boots+=("$s"); else shared+=("$s"); fi
done
[ ${#shared[@]} -eq 0 ] || boots=("$(IFS=,; echo "${shared[*]}")" "${boots[@]}")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifest=$("$here/guest-userspace.sh" "$arch" | tail -n 1)
"$here/mkinitramfs.sh" "$gen_init_cpio" "$manifest" "$modroot" "$work/initramfs.cpio"
accel=$(qemu_accel "$arch" "$image" "$work/initramfs.cpio")

if [ "$mode" = bench ]; then
	log=${LOGDIR:-$(dirname "$modroot")}/console-bench.log
	qemu_cmd "$arch" "$image" "$work/initramfs.cpio" "$accel" bench ""
	timeout "${TIMEOUT:-300}" "${qemu[@]}" -serial stdio </dev/null >"$log" 2>&1 || true
	tr -d '\r' <"$log" | grep '^bench: '
	tr -d '\r' <"$log" | grep -qx 'bench: done' || die "the VM benchmark did not finish; see $log"
	exit 0
fi

if [ "$mode" = shell ]; then
	say "booting $image ($arch, $accel); leave the shell with 'exit' or Ctrl-A then X"
	qemu_cmd "$arch" "$image" "$work/initramfs.cpio" "$accel" shell ""
	exec "${qemu[@]}" -serial mon:stdio
fi

logdir=${LOGDIR:-$(dirname "$modroot")}
timeout=${TIMEOUT:-60}
rm -f "$logdir/console-$mode"-*.log*
start=$(date +%s.%N)
pids=()
for i in "${!boots[@]}"; do
	log=$logdir/console-$mode-$((i + 1)).log
	say "boot $((i + 1)): ${boots[$i]} ($arch, $accel, timeout ${timeout} s); console log: $log"
	qemu_cmd "$arch" "$image" "$work/initramfs.cpio" "$accel" "$mode" "${boots[$i]}"
	(
		set +e
		timeout "$timeout" "${qemu[@]}" -serial stdio </dev/null >"$log" 2>&1
		rc=$?
		[ "$rc" != 124 ] || echo "QEMU timed out after $timeout s" >>"$log"
		echo "$rc" >"$log.status"
	) &
	pids+=($!)
done
wait "${pids[@]}"
say "QEMU done after $(echo "$(date +%s.%N) - $start" | bc | cut -c 1-4) s"

verdict_args=()
for i in "${!boots[@]}"; do
	log=$logdir/console-$mode-$((i + 1)).log
	if [ "$mode" = demo ]; then
		sed -n '/^KTAP version 1/,$p' "$log" | sed -E 's/^ *# ?//'
	else
		sed -n '/^KTAP version 1/,$p' "$log"
	fi
	verdict_args+=("$log" "$(cat "$log.status")")
	rm -f "$log.status"
done
rc=0
python3 "$here/verdict.py" "${verdict_args[@]}" || rc=1

# The kernel's own KTAP parser must accept what the VM printed (test mode;
# the narration of demo mode is not KTAP). Its tree: KDIR, or KDIR/source.
srctree=$kdir
[ -f "$srctree/tools/testing/kunit/kunit.py" ] || srctree=$kdir/source
kunit_py=$srctree/tools/testing/kunit/kunit.py
if [ "$mode" = test ] && [ -f "$kunit_py" ]; then
	for i in "${!boots[@]}"; do
		log=$logdir/console-$mode-$((i + 1)).log
		ok=1
		python3 "$kunit_py" parse <"$log" >"$log.kunit" 2>&1 || ok=0
		summary=$(grep -o 'Ran [0-9]* tests.*' "$log.kunit" || echo "no summary")
		if [ "$ok" = 1 ]; then
			echo "kunit.py parse ${log##*/}: $summary"
		else
			echo "kunit.py parse ${log##*/}: FAILED, $summary (see $log.kunit)"
			rc=1
		fi
	done
elif [ "$mode" = test ]; then
	echo "kunit.py parse: skipped, $kdir has no tools/testing/kunit/kunit.py (a headers-only tree)"
fi
exit "$rc"
