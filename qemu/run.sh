#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh test|demo|shell BZIMAGE MODROOT
#
# Boot BZIMAGE in QEMU with an initramfs holding the modules installed under
# MODROOT (an INSTALL_MOD_PATH tree: `make -C KDIR M=... modules_install
# INSTALL_MOD_PATH=MODROOT`), and run the scenario (test), the narrated
# scenario (demo) or a shell. For test and demo, the full console log is
# saved, the KTAP is printed, and the exit status is the verdict of
# qemu/verdict.py: a failed or missing test, a panic, an oops, a WARN or a
# timeout all fail.
#
# Environment: TIMEOUT (seconds, default 60), LOG (console log path),
# GEN_INIT_CPIO (default: usr/gen_init_cpio of the tree BZIMAGE was built in),
# ACCEL (tcg, kvm or auto; default auto: KVM only if it boots here, else TCG).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../scripts/lib.sh
. "$here/../scripts/lib.sh"

[ $# -eq 3 ] || die "usage: $0 test|demo|shell BZIMAGE MODROOT"
mode=$1 bzimage=$2 modroot=$3
case $mode in test | demo | shell) ;; *) die "mode must be test, demo or shell, not '$mode'" ;; esac
[ -f "$bzimage" ] || die "no kernel image at $bzimage"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found; install qemu-system-x86"
gen_init_cpio=${GEN_INIT_CPIO:-$(dirname "$bzimage")/../../../usr/gen_init_cpio}
[ -x "$gen_init_cpio" ] ||
	die "no usr/gen_init_cpio beside $bzimage; set GEN_INIT_CPIO= to one (built with the kernel when CONFIG_BLK_DEV_INITRD=y)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/mkinitramfs.sh" "$gen_init_cpio" "$modroot" "$work/initramfs.cpio"

# All QEMU and kernel command-line settings live here.
qemu_args() { # qemu_args MODE ACCEL: sets the array `qemu`
	local cpu=qemu64
	[ "$2" = kvm ] && cpu=host
	qemu=(qemu-system-x86_64 -accel "$2" -cpu "$cpu" -m 256M -smp 1 -nodefaults -no-reboot
		-display none -kernel "$bzimage" -initrd "$work/initramfs.cpio"
		-append "console=ttyS0 quiet panic=-1 oops=panic demo_mode=$1")
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
			qemu_args probe kvm
			if timeout 20 "${qemu[@]}" -serial stdio </dev/null 2>&1 | grep -q 'init done'; then
				echo kvm >"$probe"
			else
				echo tcg >"$probe"
			fi
		fi
		accel=$(cat "$probe")
	fi
fi

if [ "$mode" = shell ]; then
	say "booting $bzimage ($accel); leave the shell with 'exit' or Ctrl-A then X"
	qemu_args shell "$accel"
	exec "${qemu[@]}" -serial mon:stdio
fi

log=${LOG:-$(dirname "$modroot")/console-$mode.log}
timeout=${TIMEOUT:-60}
say "booting $bzimage ($accel, timeout ${timeout} s); console log: $log"
start=$(date +%s.%N)
set +e
qemu_args "$mode" "$accel"
timeout "$timeout" "${qemu[@]}" -serial stdio </dev/null >"$log" 2>&1
qemu_rc=$?
set -e
say "QEMU exited with status $qemu_rc after $(echo "$(date +%s.%N) - $start" | bc | cut -c 1-4) s"
[ "$qemu_rc" != 124 ] || echo "QEMU timed out after $timeout s" >>"$log"
if [ "$mode" = demo ]; then
	sed -n '/^KTAP version 1/,$p' "$log" | sed 's/^# //'
else
	sed -n '/^KTAP version 1/,$p' "$log"
fi
python3 "$here/verdict.py" "$log" "$qemu_rc"
