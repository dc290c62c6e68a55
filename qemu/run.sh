#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh test|demo|bench|shell BZIMAGE MODROOT [SUITE...]
#
# Boot BZIMAGE in QEMU with an initramfs holding the modules installed under
# MODROOT (an INSTALL_MOD_PATH tree: `make -C KDIR M=... modules_install
# INSTALL_MOD_PATH=MODROOT`), and run the suites (test), the narrated suites
# (demo), qemu/bench.sh (bench: its "bench:" lines are printed) or a shell.
# SUITE names a file qemu/suites/SUITE.sh; the default is all of them. Suites
# share one boot, except a suite whose file says "# boots alone" (it changes
# the kernel for good, e.g. taints it): it gets a boot of its own. The boots
# run in parallel, each with its console saved in LOGDIR/console-MODE-N.log;
# the KTAP is printed, and the exit status is the verdict of qemu/verdict.py
# over all of them: a failed or missing test, a panic, an oops, a WARN or a
# timeout all fail.
#
# Environment: TIMEOUT (seconds per boot, default 60), LOGDIR (default: the
# directory above MODROOT), GEN_INIT_CPIO (default: usr/gen_init_cpio of the
# tree BZIMAGE was built in), ACCEL (tcg, kvm or auto; default auto: KVM only
# if it boots here, else TCG).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../scripts/lib.sh
. "$here/../scripts/lib.sh"

[ $# -ge 3 ] || die "usage: $0 test|demo|bench|shell BZIMAGE MODROOT [SUITE...]"
mode=$1 bzimage=$2 modroot=$3
shift 3
case $mode in test | demo | bench | shell) ;; *) die "mode must be test, demo, bench or shell, not '$mode'" ;; esac
[ -f "$bzimage" ] || die "no kernel image at $bzimage"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found; install qemu-system-x86"
gen_init_cpio=${GEN_INIT_CPIO:-$(dirname "$bzimage")/../../../usr/gen_init_cpio}
[ -x "$gen_init_cpio" ] ||
	die "no usr/gen_init_cpio beside $bzimage; set GEN_INIT_CPIO= to one (built with the kernel when CONFIG_BLK_DEV_INITRD=y)"

# The boots: one line each, the suites it runs separated by commas.
all=$(for f in "$here"/suites/*.sh; do basename "$f" .sh; done)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || mapfile -t suites <<<"$all"
shared=() boots=()
for s in "${suites[@]}"; do
	grep -qxF "$s" <<<"$all" || die "no suite '$s'; the suites are: ${all//$'\n'/ }"
	if grep -q '^# boots alone' "$here/suites/$s.sh"; then boots+=("$s"); else shared+=("$s"); fi
done
[ ${#shared[@]} -eq 0 ] || boots=("$(IFS=,; echo "${shared[*]}")" "${boots[@]}")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/mkinitramfs.sh" "$gen_init_cpio" "$modroot" "$work/initramfs.cpio"

# All QEMU and kernel command-line settings live here. Two CPUs, as two
# sockets: a kernel without ACPI finds CPUs in the BIOS's MP table, where QEMU
# 7.2's SeaBIOS lists a second core of one socket not at all. The debug kernel
# (SMP) uses both for the stress suite; the others boot on one. loglevel=2: only
# emergencies and alerts (a panic, an oops) reach the console, where they could
# split KTAP lines; each step prints the rest of the kernel log it saw.
qemu_args() { # qemu_args MODE ACCEL SUITES: sets the array `qemu`
	local cpu=qemu64
	[ "$2" = kvm ] && cpu=host
	qemu=(qemu-system-x86_64 -accel "$2" -cpu "$cpu" -m 256M -smp "2,sockets=2" -nodefaults -no-reboot
		-display none -kernel "$bzimage" -initrd "$work/initramfs.cpio"
		-append "console=ttyS0 loglevel=2 panic=-1 oops=panic demo_mode=$1 demo_suites=$3")
}

# KVM only if /dev/kvm is usable and a guest really boots with it here (some
# nested hypervisors hang or abort); the answer is cached per QEMU and host kernel.
accel=${ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -w /dev/kvm ]; then
		probe=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-demo-kmod}/kvm-$(uname -r)-$(qemu-system-x86_64 --version | head -n 1 | tr -dc '0-9.')
		if [ ! -f "$probe" ]; then
			mkdir -p "$(dirname "$probe")"
			say "checking whether KVM works here (once; up to 20 s)"
			qemu_args probe kvm ""
			if timeout 20 "${qemu[@]}" -serial stdio </dev/null 2>&1 | grep -q 'init done'; then
				echo kvm >"$probe"
			else
				echo tcg >"$probe"
			fi
		fi
		accel=$(cat "$probe")
	fi
fi

if [ "$mode" = bench ]; then
	log=${LOGDIR:-$(dirname "$modroot")}/console-bench.log
	qemu_args bench "$accel" ""
	timeout "${TIMEOUT:-300}" "${qemu[@]}" -serial stdio </dev/null >"$log" 2>&1 || true
	tr -d '\r' <"$log" | grep '^bench: '
	tr -d '\r' <"$log" | grep -qx 'bench: done' || die "the VM benchmark did not finish; see $log"
	exit 0
fi

if [ "$mode" = shell ]; then
	say "booting $bzimage ($accel); leave the shell with 'exit' or Ctrl-A then X"
	qemu_args shell "$accel" ""
	exec "${qemu[@]}" -serial mon:stdio
fi

logdir=${LOGDIR:-$(dirname "$modroot")}
timeout=${TIMEOUT:-60}
rm -f "$logdir/console-$mode"-*.log
start=$(date +%s.%N)
pids=()
for i in "${!boots[@]}"; do
	log=$logdir/console-$mode-$((i + 1)).log
	say "boot $((i + 1)): ${boots[$i]} ($accel, timeout ${timeout} s); console log: $log"
	qemu_args "$mode" "$accel" "${boots[$i]}"
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
python3 "$here/verdict.py" "${verdict_args[@]}"
