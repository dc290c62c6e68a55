#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh GEN_INIT_CPIO MANIFEST MODROOT OUTPUT [all|base|job]
#
# Write the VM's initramfs to OUTPUT with the kernel's own usr/gen_init_cpio
# (no root needed): the guest's userspace listed in MANIFEST (busybox, kmod
# and its libraries, of the guest's architecture: guest-userspace.sh), the
# modules under MODROOT (an INSTALL_MOD_PATH tree made by `make
# modules_install`, with depmod's files, and whatever the Makefile put under
# MODROOT/demo: the kernel's features, the guards suite's fixtures), and
# qemu/guest/ (init, the suite runner, its helpers, the suites, the shell's
# /etc/profile) under /demo. busybox's applets are linked by /init at boot
# (`busybox --install`), as the host cannot run a guest busybox to list them.
# The last argument splits it for a guest restored from a snapshot
# (qemu/host/vmsnap.py): base is what the snapshot boots with (/init, the
# userspace; no MODROOT needed, "-" will do), written with every time stamp 0 so
# that the same files make the same bytes (the snapshot's key hashes them);
# job is the rest (/demo and /lib/modules), which each restored guest
# receives and unpacks (qemu/guest/init). The default, all, is both.
# GUEST_EXTRA_MANIFEST (optional): one more manifest of the same format,
# whose files go in as MANIFEST's (SECURE_BOOT=1: mokutil, keyctl and their
# libraries, scripts/debian/sb-userspace.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
guest=$here/../guest
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 4 ] || [ $# -eq 5 ] || die "usage: $0 GEN_INIT_CPIO MANIFEST MODROOT OUTPUT [all|base|job]"
gen_init_cpio=$1 manifest=$2 output=$4 part=${5:-all}
case $part in all | base | job) ;; *) die "the part must be all, base or job, not '$part'" ;; esac
[ -s "$manifest" ] || die "no guest userspace manifest at $manifest; run qemu/host/guest-userspace.sh"
modroot=
if [ "$part" != base ]; then
	modroot=$(realpath "$3")
	[ -d "$modroot/lib/modules" ] || die "$modroot has no lib/modules; run 'make modules_install INSTALL_MOD_PATH=$modroot'"
fi
extra=${GUEST_EXTRA_MANIFEST:-}
[ -z "$extra" ] || [ -s "$extra" ] || die "GUEST_EXTRA_MANIFEST names $extra, which is missing or empty; make it again (make test SECURE_BOOT=1 does: scripts/debian/sb-userspace.sh) or unset it"

# base_list, job_list: gen_init_cpio's list of each part.
base_list() {
	for d in /dev /proc /sys /bin /sbin /lib /usr /usr/bin /tmp /root /etc; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $guest/init 0755 0 0"
	echo "file /job.sh $guest/job.sh 0644 0 0"
	echo "file /etc/profile $guest/profile 0644 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	for tool in insmod rmmod modprobe modinfo lsmod depmod; do
		echo "slink /sbin/$tool /usr/bin/kmod 0777 0 0"
	done
	# Each file under its own path, its directories first.
	while read -r path src; do
		d=$(dirname "$path")
		while [ "$d" != / ]; do
			echo "dir $d 0755 0 0"
			d=$(dirname "$d")
		done | tac
		echo "file $path $src 0755 0 0"
	done < <(cat "$manifest" ${extra:+"$extra"})
}
job_list() {
	for d in /demo /demo/suites /lib; do echo "dir $d 0755 0 0"; done
	for f in run-suites.sh helpers_test.sh bench-cycles.sh; do echo "file /demo/$f $guest/$f 0755 0 0"; done
	echo "file /demo/ktap_helpers.sh $guest/ktap_helpers.sh 0644 0 0"
	echo "file /demo/bad-log-patterns $here/../bad-log-patterns 0644 0 0"
	for suite in "$guest"/suites/*.sh; do
		echo "file /demo/suites/${suite##*/} $suite 0644 0 0"
	done
	if [ -d "$modroot/demo" ]; then
		(cd "$modroot" && find demo -mindepth 1 -type d) | while read -r d; do echo "dir /$d 0755 0 0"; done
		(cd "$modroot" && find demo -type f) | while read -r f; do echo "file /$f $modroot/$f 0644 0 0"; done
	fi
	# (build and source are links to the kernel tree, not for the VM)
	(cd "$modroot" && find lib/modules \( -name build -o -name source \) -prune -o -print) | sort | while read -r path; do
		if [ -d "$modroot/$path" ]; then
			echo "dir /$path 0755 0 0"
		else
			echo "file /$path $modroot/$path 0644 0 0"
		fi
	done
}
{
	[ "$part" = job ] || base_list
	[ "$part" = base ] || job_list
} | awk '!seen[$0]++' >"$output.list"
if [ "$part" = base ]; then
	"$gen_init_cpio" -t 0 "$output.list" >"$output"
else
	"$gen_init_cpio" "$output.list" >"$output"
fi
