# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2154 # qemu: set by qemu.sh's qemu_cmd, sourced beside this file
#
# Boot once, restore many (sourced by run.sh): the snapshot of a guest booted
# to the point where it waits for its job (qemu/guest/init, demo_mode=snapshot),
# made by qemu/host/vmsnap.py, and guests restored from it, each handed its
# job through a virtio serial port (the job: qemu/host/mkinitramfs.sh's job
# part, and the mode and suites). Why a virtio port: the kernel reads it from a
# virtqueue at its own pace, where the 8250 console moves one byte per
# emulated port read (about 130 KB/s under TCG, several seconds for a lab's
# fixtures); it needs CONFIG_VIRTIO_CONSOLE (qemu/kernel.config; Debian's
# kernel has it built in), and it is not part of the snapshot's state but for
# the device, so any job reaches any restored guest. A snapshot lives in
# $CACHE/snapshots/ARCH-KEY/ (vm.snap: QEMU's migration stream; base.cpio: the
# initramfs it booted; boot.log: its boot's console; key.txt: what KEY hashes;
# the directory's time: its last use). KEY is a hash of everything the saved
# guest depends on: QEMU's version, the accelerator, the CPU count, the extra
# kernel command line, the kernel image, the base initramfs (/init and the
# userspace), this file, qemu.sh and the architecture's data, the patterns
# its boot was judged by, and with SECURE_BOOT=1 the firmware, its variables
# and the boot chain (the snapshot then also keeps the EFI system partition
# and the variables as its boot left them; each restored guest writes to a
# copy); anything else changing makes a new snapshot.
# Snapshots not used for SNAPSHOT_KEEP_DAYS (default 7) are removed when a new
# one is made.

# snapshot_inputs ARCH IMAGE BASE ACCEL CPUS EXTRA: what that snapshot
# depends on, a "WHAT: VALUE" line each (files by their SHA-256); kept as
# the snapshot's key.txt, so that two snapshots' key.txt show what differs.
snapshot_inputs() {
	local here f
	here=$(dirname "${BASH_SOURCE[0]}")
	echo "qemu: $("$("$here/../../scripts/kernel/archconf.sh" "$1" QEMU)" --version | sed -n 1p)"
	printf '%s\n' "arch: $1" "accel: $4" "cpus: $5" "cmdline: $6"
	echo "kernel image: $(sha256sum <"$2" | cut -d ' ' -f 1)"
	echo "base initramfs: $(sha256sum <"$3" | cut -d ' ' -f 1)"
	for f in "$here/qemu.sh" "$here/snapshot.sh" "$here/vmsnap.py" "$here/../bad-log-patterns" \
		"$("$here/../../scripts/kernel/archconf.sh" "$1")" ${EFI_FIRMWARE:+"$EFI_FIRMWARE"/EFI_* "${EFI_VARS:?}" "$here/efi-disk.sh"}; do
		echo "${f##*/}: $(sha256sum <"$f" | cut -d ' ' -f 1)"
	done
}
# snapshot_key ARCH IMAGE BASE ACCEL CPUS EXTRA: the key of that snapshot.
snapshot_key() { snapshot_inputs "$@" | sha256sum | cut -c 1-16; }

# snapshot_make ARCH IMAGE BASE ACCEL CPUS EXTRA TIMEOUT: print the snapshot's
# directory, made first if missing (once, under a lock, for runs in parallel).
snapshot_make() {
	local arch=$1 image=$2 base=$3 accel=$4 cpus=$5 extra=$6 timeout=$7 root dir inputs
	root=${CACHE:?}/snapshots
	inputs=$(snapshot_inputs "$arch" "$image" "$base" "$accel" "$cpus" "$extra")
	dir=$root/$arch-$(printf '%s\n' "$inputs" | sha256sum | cut -c 1-16)
	mkdir -p "$root"
	(
		flock 9
		if [ ! -f "$dir/vm.snap" ]; then
			find "$root" -mindepth 1 -maxdepth 1 -type d -mtime +"${SNAPSHOT_KEEP_DAYS:-7}" |
				while read -r old; do rm -rf "$old" "$old.lock"; done
			rm -rf "$dir" && mkdir -p "$dir"
			cp "$base" "$dir/base.cpio"
			printf '%s\n' "$inputs" >"$dir/key.txt"
			qemu_cmd "$arch" "$image" "$dir/base.cpio" "$accel" snapshot "$cpus" "" "$extra"
			phase "snapshot:$cpus:${extra:-none}" python3 "$(dirname "${BASH_SOURCE[0]}")/vmsnap.py" "$dir" "$timeout" \
				"${qemu[@]}" -serial stdio >&2 ||
				die "no snapshot of $image ($arch, $cpus CPU(s), ${extra:-no extra command line}): its boot failed (above); fix that, or run with BOOT=cold"
		fi
		touch "$dir"
	) 9>"$dir.lock" || return 1
	echo "$dir"
}

# snapshot_restore SNAPDIR ARCH IMAGE ACCEL CPUS EXTRA TIMEOUT JOB MODE SUITES:
# run a guest restored from SNAPDIR that takes JOB (a cpio) with MODE and
# SUITES, its console on stdout, for at most TIMEOUT seconds; QEMU's status.
snapshot_restore() {
	local dir=$1 arch=$2 image=$3 accel=$4 cpus=$5 extra=$6 timeout=$7 job=$8 mode=$9 suites=${10} tmp writer rc
	tmp=$(mktemp -d)
	mkfifo "$tmp/job.in" "$tmp/job.out"
	EFI_RESTORE=$tmp qemu_cmd "$arch" "$image" "$dir/base.cpio" "$accel" snapshot "$cpus" "" "$extra"
	# The job waits in the pipe until QEMU opens it; QEMU reads it only
	# once the restored guest has the port open and room for it.
	{
		printf 'rust-demo-kmod-job %s %s %s %s\n' "$(stat -c %s "$job")" "$(sha256sum <"$job" | cut -d ' ' -f 1)" "$mode" "$suites"
		cat "$job"
	} >"$tmp/job.in" &
	writer=$!
	timeout "$timeout" "${qemu[@]}" -chardev "pipe,id=job,path=$tmp/job" -incoming "exec:cat $dir/vm.snap" \
		-serial stdio </dev/null 2>&1
	rc=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	rm -rf "$tmp"
	return "$rc"
}
