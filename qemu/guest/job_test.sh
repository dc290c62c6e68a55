#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# job_test.sh [JOB_SH]: tests of /init's job reader (job.sh's wait_for_job,
# default qemu/guest/job.sh), run on the host with busybox sh (make unit), as
# in the guest: a virtio port faked as a directory with a name file and a
# device file holding what the host would send. A good job must be unpacked
# and its mode and suites set; a damaged, short or foreign one, or no port of
# that name, must be refused, saying why. Prints "ok N CASE" or "not ok N
# CASE" for each; exit status 0 if every case came out right.
set -u
JOB_SH=${1:-$(dirname "$0")/job.sh}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export TMPDIR="$t/tmp"
mkdir -p "$TMPDIR" "$t/ports/vport1p1" "$t/ports/vport2p1" "$t/dev" "$t/src/demo/suites"
echo rust-demo.job >"$t/ports/vport2p1/name"
echo other >"$t/ports/vport1p1/name"
echo 'echo hi' >"$t/src/demo/suites/s.sh"
(cd "$t/src" && find demo | cpio -o -H newc 2>/dev/null) >"$t/job.cpio"
jsize=$(wc -c <"$t/job.cpio") jsum=$(sha256sum <"$t/job.cpio")
jsum=${jsum%% *}
dmesg() { echo "[    0.1] booted"; }
# shellcheck source=job.sh
. "$JOB_SH"

n=0 bad=0
# case_ NAME WANT-RC WANT-LINE HEADER: the port sends HEADER and the cpio;
# wait_for_job must return WANT-RC and print WANT-LINE (grep -x).
case_() {
	n=$((n + 1))
	rm -rf "$t/root" && mkdir "$t/root"
	{ printf '%s\n' "$4"; cat "$t/job.cpio"; } >"$t/dev/vport2p1"
	demo_mode="" demo_suites=""
	wait_for_job "$t/ports" "$t/dev" "$t/root" >"$t/out" 2>&1
	rc=$?
	out=$(cat "$t/out")
	if [ "$rc" = "$2" ] && printf '%s\n' "$out" | grep -qx -e "$3"; then
		echo "ok $n $1"
	else
		echo "not ok $n $1 (status $rc, want $2; want a line '$3' in:)"
		printf '%s\n' "$out" | sed 's/^/#   /'
		bad=$((bad + 1))
	fi
}
case_ good_job 0 "rust-demo-kmod: job of $jsize bytes: test a,b" "rust-demo-kmod-job $jsize $jsum test a,b"
if [ "$(cat "$t/root/demo/suites/s.sh" 2>/dev/null)" = 'echo hi' ] && [ "$demo_mode $demo_suites" = "test a,b" ] &&
	grep -qx '\[    0.1\] booted' "$TMPDIR/kmsg.boot"; then
	echo "ok $((n + 1)) good_job_unpacked"
else
	echo "not ok $((n + 1)) good_job_unpacked (the files, the mode and suites, or the boot's log are not as sent)"
	bad=$((bad + 1))
fi
n=$((n + 1))
case_ ready_line 0 "rust-demo-kmod: ready" "rust-demo-kmod-job $jsize $jsum test a"
case_ boot_log_printed 0 "# \[kernel\] \[    0.1\] booted" "rust-demo-kmod-job $jsize $jsum test a"
case_ damaged_job 1 "rust-demo-kmod: the job arrived damaged ($jsize of $jsize bytes, sha256 $jsum)" \
	"rust-demo-kmod-job $jsize 0000 test a"
case_ short_job 1 "rust-demo-kmod: the job arrived damaged ($jsize of $((jsize + 1)) bytes, sha256 $jsum)" \
	"rust-demo-kmod-job $((jsize + 1)) $jsum test a"
case_ not_a_job 1 "rust-demo-kmod: the job port sent 'hello', not a job" "hello $jsize $jsum test a"
echo other >"$t/ports/vport2p1/name"
case_ no_job_port 1 "rust-demo-kmod: no virtio port named rust-demo.job .*" "rust-demo-kmod-job $jsize $jsum test a"
[ "$bad" = 0 ]
