# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The one place that turns (architecture, kernel image, initramfs, mode) into
# a QEMU command line; sourced by run.sh (test, demo, shell, bench) and by
# scripts/bench/bench.sh. The architecture's facts come from qemu/arch/ARCH.conf.

# qemu_cmd ARCH IMAGE INITRD ACCEL MODE CPUS SUITES [CMDLINE]: set the array
# `qemu`; CPUS: how many CPUs (the arch's QEMU_SMP with {n} = CPUS); CMDLINE:
# more kernel parameters (a suite's "# cmdline:").
# loglevel=2: only emergencies and alerts (a panic, an oops) reach the console,
# where they could split KTAP lines; each step prints the rest of the kernel log
# it saw. panic=-1 and -no-reboot: a panic ends QEMU at once. The guest's
# /init reads demo_mode and demo_suites (the kernel hands unknown name=value
# parameters to init as environment variables).
qemu_cmd() {
	local arch=$1 image=$2 initrd=$3 accel=$4 mode=$5 cpus=$6 suites=$7 extra=${8:-} conf cpu smp
	conf=$(dirname "${BASH_SOURCE[0]}")/../../scripts/kernel/archconf.sh
	cpu=$("$conf" "$arch" QEMU_CPU)
	[ "$accel" = kvm ] && cpu=host
	smp=$("$conf" "$arch" QEMU_SMP)
	qemu=("$("$conf" "$arch" QEMU)" -machine "$("$conf" "$arch" QEMU_MACHINE)" -accel "$accel"
		-cpu "$cpu" -smp "${smp//\{n\}/$cpus}" -m 256M -nodefaults -no-reboot -display none
		-kernel "$image" -initrd "$initrd"
		-append "console=$("$conf" "$arch" CONSOLE) loglevel=2 panic=-1 oops=panic $("$conf" "$arch" CMDLINE)${extra:+ $extra} demo_mode=$mode demo_suites=$suites")
}

# qemu_accel ARCH IMAGE INITRD: kvm if /dev/kvm is usable for ARCH on this host and a guest
# really boots with it (some nested hypervisors hang or abort), else tcg; the
# answer is cached per QEMU and host kernel. ACCEL=tcg|kvm overrides.
qemu_accel() {
	local arch=$1 image=$2 initrd=$3 conf probe bin
	conf=$(dirname "${BASH_SOURCE[0]}")/../../scripts/kernel/archconf.sh
	if [ -n "${ACCEL:-}" ] && [ "$ACCEL" != auto ]; then
		echo "$ACCEL"
		return
	fi
	if [ ! -w /dev/kvm ] || [ "$(uname -m)" != "$("$conf" "$arch" UNAME_M)" ]; then
		echo tcg
		return
	fi
	bin=$("$conf" "$arch" QEMU)
	probe=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-demo-kmod}/kvm-$(uname -r)-$("$bin" --version | sed -n 1p | tr -dc '0-9.')
	if [ ! -f "$probe" ]; then
		mkdir -p "$(dirname "$probe")"
		say "checking whether KVM works here (once; up to 20 s)"
		qemu_cmd "$arch" "$image" "$initrd" kvm probe 1 ""
		if timeout 20 "${qemu[@]}" -serial stdio </dev/null 2>&1 | grep 'init done' >/dev/null; then
			echo kvm >"$probe"
		else
			echo tcg >"$probe"
		fi
	fi
	cat "$probe"
}
