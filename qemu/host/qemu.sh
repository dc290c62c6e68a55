# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The one place that turns (architecture, kernel image, initramfs, mode) into
# a QEMU command line; sourced by run.sh (test, demo, shell, bench) and by
# scripts/bench/bench.sh. The architecture's facts come from qemu/arch/ARCH.conf.

# qemu_cmd ARCH IMAGE INITRD ACCEL MODE CPUS SUITES [CMDLINE]: set the array
# `qemu` (MODE snapshot: a guest that waits for its job, qemu/guest/job.sh);
# CPUS: how many CPUs (the arch's QEMU_SMP with {n} = CPUS); CMDLINE: more
# kernel parameters (a suite's "# cmdline:").
# loglevel=2: only emergencies and alerts (a panic, an oops) reach the console,
# where they could split KTAP lines; each step prints the rest of the kernel log
# it saw. panic=-1 and -no-reboot: a panic ends QEMU at once. The guest's
# /init reads demo_mode and demo_suites (the kernel hands unknown name=value
# parameters to init as environment variables).
qemu_cmd() {
	local arch=$1 image=$2 initrd=$3 accel=$4 mode=$5 cpus=$6 suites=$7 extra=${8:-} conf cpu smp append id global vars esp
	conf=$(dirname "${BASH_SOURCE[0]}")/../../scripts/kernel/archconf.sh
	cpu=$("$conf" "$arch" QEMU_CPU)
	[ "$accel" = kvm ] && cpu=host
	smp=$("$conf" "$arch" QEMU_SMP)
	append="console=$("$conf" "$arch" CONSOLE) loglevel=2 panic=-1 oops=panic $("$conf" "$arch" CMDLINE)${extra:+ $extra} demo_mode=$mode demo_suites=$suites"
	qemu=("$("$conf" "$arch" QEMU)" -accel "$accel" -cpu "$cpu" -smp "${smp//\{n\}/$cpus}" -m 256M
		-nodefaults -no-reboot -display none)
	# The job port of a snapshot's guest (qemu/host/snapshot.sh); its chardev
	# "job" is the caller's.
	[ "$mode" != snapshot ] ||
		qemu+=(-device "$("$conf" "$arch" JOB_DEVICE)" -device "virtserialport,chardev=job,name=rust-demo.job")
	if [ -z "${EFI_FIRMWARE:-}" ]; then
		qemu+=(-machine "$("$conf" "$arch" QEMU_MACHINE)" -kernel "$image" -initrd "$initrd" -append "$append")
		return
	fi
	# SECURE_BOOT=1: the firmware (EFI_FIRMWARE: scripts/debian/efi-files.sh) boots
	# shim, GRUB and IMAGE from a disk of this boot's own, made beside INITRD
	# with this boot's command line in its grub.cfg, and writes to a copy of
	# its variables EFI_VARS (with the MOK: scripts/debian/efi-vars.sh).
	id=${suites//[^A-Za-z0-9_]/_}
	esp=${initrd%/*}/esp-$mode-$id.img vars=${initrd%/*}/vars-$mode-$id.fd
	# EFI_RESTORE=DIR: a guest restored from the snapshot whose boot made
	# these (qemu/host/snapshot.sh): its disk as it was (never written), and
	# a copy in DIR of the variables as that boot left them, which the
	# firmware's copy in the guest's memory matches.
	if [ -n "${EFI_RESTORE:-}" ]; then
		cp "$vars" "$EFI_RESTORE/vars.fd"
		vars=$EFI_RESTORE/vars.fd esp=$esp,snapshot=on
	else
		"$(dirname "${BASH_SOURCE[0]}")/efi-disk.sh" "$arch" "$EFI_FIRMWARE" "$image" "$initrd" "$append" "$esp"
		# EFI_VARS_KEEP=1: the boot writes to EFI_VARS itself, for the next boot
		# (qemu/host/mok-enroll.sh).
		if [ "${EFI_VARS_KEEP:-0}" = 1 ]; then
			vars=$EFI_VARS
		else
			cp "${EFI_VARS:?EFI_VARS must name the firmware variables to boot with (scripts/debian/efi-vars.sh)}" "$vars"
		fi
	fi
	qemu+=(-machine "$("$conf" "$arch" EFI_QEMU_MACHINE)")
	for global in $("$conf" "$arch" EFI_QEMU_GLOBALS); do qemu+=(-global "$global"); done
	qemu+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$EFI_FIRMWARE/EFI_CODE"
		-drive "if=pflash,format=raw,unit=1,file=$vars"
		-drive "format=raw,file=$esp")
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
