#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh GEN_INIT_CPIO MODROOT OUTPUT
#
# Write the VM's initramfs to OUTPUT with the kernel's own usr/gen_init_cpio
# (no root needed): busybox-static, kmod's tools with the shared libraries
# they need, the modules under MODROOT (an INSTALL_MOD_PATH tree made by
# `make modules_install`, with depmod's files), and this directory's init and
# suites (under /demo), and the shell's /etc/profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../scripts/lib.sh
. "$here/../scripts/lib.sh"

[ $# -eq 3 ] || die "usage: $0 GEN_INIT_CPIO MODROOT OUTPUT"
gen_init_cpio=$1 modroot=$(realpath "$2") output=$3
busybox=$(command -v busybox) || die "busybox not found; install busybox-static"
kmod=$(command -v kmod) || die "kmod not found; install kmod"
[ -d "$modroot/lib/modules" ] || die "$modroot has no lib/modules; run 'make modules_install INSTALL_MOD_PATH=$modroot'"

{
	for d in /dev /proc /sys /bin /sbin /lib /lib64 /usr /usr/bin /tmp /root /etc /demo /demo/suites; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $here/init 0755 0 0"
	echo "file /etc/profile $here/profile 0644 0 0"
	echo "file /demo/ktap.sh $here/ktap.sh 0755 0 0"
	echo "file /demo/bench.sh $here/bench.sh 0755 0 0"
	echo "file /demo/lib.sh $here/lib.sh 0644 0 0"
	for suite in "$here"/suites/*.sh; do
		echo "file /demo/suites/${suite##*/} $suite 0644 0 0"
	done
	echo "file /bin/busybox $busybox 0755 0 0"
	for applet in $("$busybox" --list | grep -vx busybox); do
		echo "slink /bin/$applet busybox 0777 0 0"
	done
	echo "file /usr/bin/kmod $kmod 0755 0 0"
	for tool in insmod rmmod modprobe modinfo lsmod depmod; do
		echo "slink /sbin/$tool /usr/bin/kmod 0777 0 0"
	done
	# kmod is dynamic: add the loader and libraries, each under its own path.
	ldd "$kmod" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
		dir=$(dirname "$lib")
		echo "dir $dir 0755 0 0"
		echo "file $lib $(realpath "$lib") 0755 0 0"
	done
	# Anything the Makefile put under MODROOT/demo (the guards suite's
	# fixtures, the C twin for make bench).
	if [ -d "$modroot/demo" ]; then
		(cd "$modroot" && find demo -mindepth 1 -type d) | while read -r d; do echo "dir /$d 0755 0 0"; done
		(cd "$modroot" && find demo -name '*.ko') | while read -r f; do echo "file /$f $modroot/$f 0644 0 0"; done
	fi
	# (build and source are links to the kernel tree, not for the VM)
	(cd "$modroot" && find lib/modules \( -name build -o -name source \) -prune -o -print) | sort | while read -r path; do
		if [ -d "$modroot/$path" ]; then
			echo "dir /$path 0755 0 0"
		else
			echo "file /$path $modroot/$path 0644 0 0"
		fi
	done
} | awk '!seen[$0]++' >"$output.list"
"$gen_init_cpio" "$output.list" >"$output"
