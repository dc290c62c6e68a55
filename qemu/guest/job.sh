# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by /init (busybox sh) in the boot that qemu/host/vmsnap.py saves:
# wait_for_job [PORTS DEV ROOT]: print the boot's kernel log (the host judges
# the boot that makes the snapshot like any other; TMPDIR/kmsg.boot keeps it for
# the suites, run-suites.sh) and the ready line, at which the host saves the
# guest; then, in each guest restored from it, read one job from the virtio
# port named rust-demo.job (PORTS: /sys/class/virtio-ports, its device in
# DEV: /dev): the line "rust-demo-kmod-job SIZE SHA256 MODE SUITES", then SIZE
# bytes of a newc cpio (/demo and /lib/modules: qemu/host/mkinitramfs.sh's
# job part), checked and unpacked into ROOT (/). Sets demo_mode and
# demo_suites; returns 1, saying why, if anything is wrong. Tested on the
# host by job_test.sh (make unit).
wait_for_job() {
	ports=${1:-/sys/class/virtio-ports} dev=${2:-/dev} root=${3:-/} tmp=${TMPDIR:-/tmp}
	port=
	for p in "$ports"/*; do
		[ "$(cat "$p/name" 2>/dev/null)" != rust-demo.job ] || port=$dev/${p##*/}
	done
	if [ -z "$port" ]; then
		echo "rust-demo-kmod: no virtio port named rust-demo.job (CONFIG_VIRTIO_CONSOLE, JOB_DEVICE in qemu/arch/)"
		return 1
	fi
	exec 3<"$port"
	dmesg -c >"$tmp/kmsg.boot"
	sed 's/^/# [kernel] /' "$tmp/kmsg.boot"
	echo "rust-demo-kmod: ready"
	read -r magic size sum demo_mode demo_suites <&3
	[ "$magic" = rust-demo-kmod-job ] || { echo "rust-demo-kmod: the job port sent '$magic', not a job"; return 1; }
	head -c "$size" <&3 >"$tmp/job.cpio"
	exec 3<&-
	got=$(sha256sum <"$tmp/job.cpio")
	if [ "$(wc -c <"$tmp/job.cpio")" != "$size" ] || [ "${got%% *}" != "$sum" ]; then
		echo "rust-demo-kmod: the job arrived damaged ($(wc -c <"$tmp/job.cpio") of $size bytes, sha256 ${got%% *})"
		return 1
	fi
	(cd "$root" && cpio -idmu <"$tmp/job.cpio" 2>/dev/null) || { echo "rust-demo-kmod: the job's cpio did not unpack"; return 1; }
	rm "$tmp/job.cpio"
	echo "rust-demo-kmod: job of $size bytes: $demo_mode $demo_suites"
}
