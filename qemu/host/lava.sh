#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lava.sh ARCH KDIR MODROOT LOGDIR [SUITE...]
#
# Run the boot test as a LAVA job with LAVA's own dispatcher: run.sh plans the
# boots (PLAN=: the initramfs and each boot's QEMU command line), lava-job.py
# writes the job (qemu/lava/*.yaml.in), render-device.py renders the device
# dictionary qemu/lava/qemu-tcg.jinja2 with lava-server's templates, and
# lava-run runs the job in LAVA's root (scripts/ci/lava-root.sh; a chroot with
# /proc, /sys, /dev and /dev/pts bound, unmounted on exit). lava-results.py
# then compares LAVA's per-step results with verdict.py's reading of the same
# console. Leaves job.yaml, device.yaml, lava-run.log (LAVA's log: the whole
# console and the results) and lava-console-N.log in LOGDIR/lava; exit 0 only
# if LAVA and the project agree and the run passed.
# Environment: TIMEOUT (seconds per boot, as for run.sh), CACHE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -ge 4 ] || die "usage: $0 ARCH KDIR MODROOT LOGDIR [SUITE...]"
[ "$(id -u)" = 0 ] || die "make lava needs root (chroot, bind mounts; lava-run 2023.01 runs only as root); run it as root"
arch=$1 kdir=$2 modroot=$3 logdir=$4/lava
shift 4
lava=$here/../lava
image=$kdir/$("$here/../../scripts/kernel/archconf.sh" "$arch" IMAGE)
[ -f "$image" ] || die "no kernel image at $image; build the kernel for ARCH=$arch (make kernel ARCH=$arch)"
root=$("$here/../../scripts/ci/lava-root.sh" "$arch" | tail -n 1)

# The job's files live in the root's /tmp, where lava-run (chrooted) sees them.
job=$(mktemp -d -p "$root/tmp" rust-demo-kmod.XXXXXX)
in=${job#"$root"}
mounted=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || true; done
	rm -rf "$job"
}
trap cleanup EXIT

PLAN=$job/plan "$here/run.sh" test "$arch" "$kdir" "$modroot" "$@"
cp "$image" "$job/plan/"
python3 "$lava/lava-job.py" "rust-demo-kmod $(basename "$kdir")" "$arch" "$job/plan" \
	"file://$in/plan/${image##*/}" "file://$in/plan/initramfs.cpio" >"$job/job.yaml"
mkdir -p "$job/host" "$logdir"
cp "$lava/qemu-tcg.jinja2" "$lava/render-device.py" "$lava/lava-results.py" "$job/"
cp "$here/verdict.py" "$here/kcidb.py" "$job/host/"
cp "$here/../bad-log-patterns" "$job/"
chroot "$root" python3 "$in/render-device.py" "$in/qemu-tcg.jinja2" /usr/share/lava-server/device-types \
	"$in/job.yaml" >"$job/device.yaml"
# LAVA's NFS address, unused by a tmpfs deploy, but looked up without it
# when the machine has no default IPv4 route.
echo 'dispatcher_ip: 127.0.0.1' >"$job/dispatcher.yaml"
rm -f "$logdir"/*
cp "$job/job.yaml" "$job/device.yaml" "$logdir/"

for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$root/$m"
	mounted+=("$root/$m")
done
say "lava-run: $(grep -c '^- deploy:' "$job/job.yaml") boots of $arch (LAVA's log: $logdir/lava-run.log)"
start=$SECONDS
rc=0
chroot "$root" lava-run --job-id 1 --output-dir "$in/out" --device "$in/device.yaml" \
	--dispatcher "$in/dispatcher.yaml" "$in/job.yaml" >"$logdir/lava-run.log" 2>&1 || rc=$?
say "lava-run done in $((SECONDS - start)) s (exit status $rc)"
cp "$logdir/lava-run.log" "$job/lava-run.log"
[ "$rc" = 0 ] || { tail -n 5 "$logdir/lava-run.log" >&2; die "lava-run failed (exit status $rc); see $logdir/lava-run.log"; }
rc=0
chroot "$root" python3 "$in/lava-results.py" "$in/lava-run.log" "$in" "$in/host" || rc=1
cp "$job"/lava-console-*.log "$logdir/" 2>/dev/null || true
exit "$rc"
