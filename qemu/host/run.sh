#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh test|demo|bench|shell ARCH KDIR MODROOT [SUITE...]
#
# Boot the kernel built in KDIR (its image named in qemu/arch/ARCH.conf) in
# QEMU with an initramfs holding the guest's userspace (guest-userspace.sh)
# and the modules installed under MODROOT (an INSTALL_MOD_PATH tree: `make -C
# KDIR M=... modules_install INSTALL_MOD_PATH=MODROOT`), and run the suites
# (test), the narrated suites (demo), qemu/guest/bench-cycles.sh (bench: its
# "bench:" lines are printed) or a shell. SUITE names a file
# qemu/guest/suites/SUITE.sh (or MODROOT/demo/suites/SUITE.sh); the default is
# all of qemu/guest/suites. Suites share one
# boot, except a suite whose header (its first comment block) says
# "# boots alone: WHY" (it changes the kernel for good, e.g. taints it): it gets
# a boot of its own. Its header may also say "# cmdline: ARGS" (more kernel
# command line for its boot; such a suite must boot alone), "# timeout:
# SECONDS" (its boot's timeout, if longer than TIMEOUT) and "# cpus: N with
# FEATURE..." (its boot gets N CPUs on a kernel with every FEATURE, a name of
# the tree's features file, scripts/kernel/features.sh; a boot gets 1 CPU otherwise,
# a shell 2). The boots run in parallel, each with its console saved in
# LOGDIR/console-MODE-N.log; the KTAP is printed, and the exit status is the
# verdict: verdict.py over all of them (a failed or missing test, a panic, an
# oops, a WARN or a timeout all fail), and, in test mode, the kernel's own KTAP
# parser (tools/testing/kunit/kunit.py parse) accepting each log.
#
# Boot once, restore many (BOOT=snapshot, the default for test and demo):
# instead of booting, each boot above is a guest restored from a snapshot
# of the same kernel booted to its /init (qemu/host/snapshot.sh), one
# snapshot for each command line and CPU count the suites ask for, made when
# missing and judged like any boot. ISOLATE=1 gives every suite a guest of
# its own (under TCG each guest costs about 0.6 s of CPU however it starts:
# the translation of the code it runs, and the canary). BOOT=cold boots
# every time; so do PLAN (LAVA), shell, bench and EFI_VARS_KEEP=1 (a boot
# that leaves the firmware's variables to the next: make mok-enroll).
#
# Environment: TIMEOUT (seconds per boot, default 60), LOGDIR (default: the
# directory above MODROOT), ACCEL (tcg, kvm or auto; default auto: KVM only if
# it boots here, else TCG), CACHE (the guest's packages, see guest-userspace.sh),
# PLAN (see below), KCIDB_PYTHON (see the end), GUEST_EXTRA_MANIFEST (more
# files for the guest: mkinitramfs.sh).
# KERNEL_IMAGE (boot this image instead of KDIR's, e.g. a distribution's vmlinuz).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"
# shellcheck source=qemu.sh
. "$here/qemu.sh"
# shellcheck source=snapshot.sh
. "$here/snapshot.sh"

[ $# -ge 4 ] || die "usage: $0 test|demo|bench|shell ARCH KDIR MODROOT [SUITE...]"
mode=$1 arch=$2 kdir=$3 modroot=$4
shift 4
case $mode in test | demo | bench | shell) ;; *) die "mode must be test, demo, bench or shell, not '$mode'" ;; esac
conf=$here/../../scripts/kernel/archconf.sh
image=${KERNEL_IMAGE:-$kdir/$("$conf" "$arch" IMAGE)}
[ -f "$image" ] || die "no kernel image at $image; build the kernel for ARCH=$arch (make kernel ARCH=$arch)"
bin=$("$conf" "$arch" QEMU)
command -v "$bin" >/dev/null || die "$bin not found; install $("$conf" "$arch" QEMU_PACKAGE) (make setup ARCH=$arch)"
gen_init_cpio=$kdir/usr/gen_init_cpio
[ -x "$gen_init_cpio" ] ||
	die "no usr/gen_init_cpio in $kdir; build that kernel with CONFIG_BLK_DEV_INITRD=y (it builds the tool)"

# The boots: one line each, the suites it runs separated by commas. The
# suites are qemu/guest/suites/ (all of them by default) and any that the
# Makefile put under MODROOT/demo/suites (the lab's checks, named only).
suites_dir=$here/../guest/suites
all=$(for f in "$suites_dir"/*.sh; do basename "$f" .sh; done)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || mapfile -t suites <<<"$all"
# suite_file SUITE: where SUITE is.
suite_file() {
	if [ -f "$suites_dir/$1.sh" ]; then echo "$suites_dir/$1.sh"; else echo "$modroot/demo/suites/$1.sh"; fi
}
# header SUITE KEY: the value of "# KEY: VALUE" in SUITE's header.
header() { sed -n '/^[^#]/q; s/^# '"$2"': *//p' "$(suite_file "$1")" | sed -n 1p; }
boot=${BOOT:-snapshot}
case $boot in snapshot | cold) ;; *) die "BOOT must be snapshot or cold, not '$boot'" ;; esac
case $mode in test | demo) [ -z "${PLAN:-}" ] && [ "${EFI_VARS_KEEP:-0}" != 1 ] || boot=cold ;; *) boot=cold ;; esac
shared=() boots=()
for s in "${suites[@]}"; do
	[ -f "$(suite_file "$s")" ] || die "no suite '$s'; the suites are: ${all//$'\n'/ }"
	if [ -n "$(header "$s" "boots alone")" ]; then
		boots+=("$s")
	else
		[ -z "$(header "$s" cmdline)" ] ||
			die "suite $s has a '# cmdline:' but shares a boot; add '# boots alone: WHY' to its header"
		shared+=("$s")
	fi
done
if [ "$boot" = snapshot ] && [ "${ISOLATE:-0}" = 1 ]; then
	boots=("${shared[@]}" "${boots[@]}")
else
	[ ${#shared[@]} -eq 0 ] || boots=("$(IFS=,; echo "${shared[*]}")" "${boots[@]}")
fi
# boot_header BOOT KEY: what the boot's suites say of KEY (one line each).
boot_header() { local s; for s in ${1//,/ }; do header "$s" "$2"; done; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifest=$(phase guest-userspace "$here/guest-userspace.sh" "$arch" | tail -n 1)
if [ "$boot" = snapshot ]; then
	phase initramfs "$here/mkinitramfs.sh" "$gen_init_cpio" "$manifest" - "$work/base.cpio" base
	phase initramfs-job "$here/mkinitramfs.sh" "$gen_init_cpio" "$manifest" "$modroot" "$work/job.cpio" job
else
	phase initramfs "$here/mkinitramfs.sh" "$gen_init_cpio" "$manifest" "$modroot" "$work/initramfs.cpio"
fi
# boot_cpus BOOT: 1, or more if one of its suites asks for them and the
# kernel has what it names (under TCG a second CPU costs a busy host dearly:
# the kernel brings it up and keeps its timer ticking, even with no work for it).
features=$modroot/demo/features
[ -f "$features" ] || die "no features file at $features; make test writes it (scripts/kernel/features.sh)"
boot_cpus() {
	local s n with names f max=1
	for s in ${1//,/ }; do
		read -r n with names <<<"$(header "$s" cpus)"
		[ -n "$n" ] || continue
		case $n:$with in
		[1-9]:with | [1-9]:) ;;
		*) die "suite $s says '# cpus: $n $with $names'; write '# cpus: N with FEATURE...'" ;;
		esac
		for f in $names; do
			grep -q "^$f=" "$features" || die "suite $s's '# cpus:' names '$f', which $features does not have (scripts/kernel/features.sh)"
			grep -qxF "$f=y" "$features" || n=1
		done
		[ "$n" -le "$max" ] || max=$n
	done
	echo "$max"
}
# boot_timeout BOOT: TIMEOUT, or longer if one of its suites says so.
boot_timeout() { (echo "${TIMEOUT:-60}"; boot_header "$1" timeout) | awk '{ print $1 }' | sort -n | tail -n 1; }

# PLAN=DIR: instead of booting, leave the initramfs, each boot's QEMU command
# line (one argument a line, TCG) and its timeout in DIR (boot-N.args,
# boot-N.timeout; make lava hands them to LAVA).
if [ -n "${PLAN:-}" ]; then
	mkdir -p "$PLAN" && cp "$work/initramfs.cpio" "$PLAN/initramfs.cpio"
	for i in "${!boots[@]}"; do
		cpus=$(boot_cpus "${boots[$i]}")
		qemu_cmd "$arch" "$image" "$PLAN/initramfs.cpio" tcg "$mode" "$cpus" "${boots[$i]}" \
			"$(boot_header "${boots[$i]}" cmdline)"
		printf '%s\n' "${qemu[@]}" >"$PLAN/boot-$((i + 1)).args"
		boot_timeout "${boots[$i]}" >"$PLAN/boot-$((i + 1)).timeout"
	done
	exit 0
fi

initrd=$work/initramfs.cpio
[ "$boot" = cold ] || initrd=$work/base.cpio
accel=$(phase accel qemu_accel "$arch" "$image" "$initrd")

if [ "$mode" = bench ]; then
	log=${LOGDIR:-$(dirname "$modroot")}/console-bench.log
	qemu_cmd "$arch" "$image" "$work/initramfs.cpio" "$accel" bench 1 ""
	timeout "${TIMEOUT:-300}" "${qemu[@]}" -serial stdio </dev/null >"$log" 2>&1 || true
	tr -d '\r' <"$log" | grep '^bench: '
	tr -d '\r' <"$log" | grep -x 'bench: done' >/dev/null || die "the VM benchmark did not finish; see $log"
	exit 0
fi

if [ "$mode" = shell ]; then
	say "booting $image ($arch, $accel); leave the shell with 'exit' or Ctrl-A then X"
	qemu_cmd "$arch" "$image" "$work/initramfs.cpio" "$accel" shell 2 ""
	exec "${qemu[@]}" -serial mon:stdio
fi

logdir=${LOGDIR:-$(dirname "$modroot")}
rm -f "$logdir/console-$mode"-*.log* "$logdir/console-$mode"-*.json
[ "$mode" != test ] || rm -f "$logdir/results.json" "$logdir/kcidb.json"
# mark_suites BOOT: copy the console on stdin to stdout, and add to TIMELINE
# when BOOT's kernel handed over to the suites (the first KTAP line:
# kernel-boot, or restore for a restored guest), when
# each suite began and ended, and each of its steps (BOOT:SUITE/STEP), by the
# host's clock (the guest's clock runs slow or fast under a loaded TCG).
mark_suites() {
	local line t0=$EPOCHREALTIME start="" name="" step="" result
	while IFS= read -r line; do
		printf '%s\n' "$line"
		line=${line%$'\r'}
		case $line in
		"KTAP version 1"*) [ -z "$t0" ] || echo "$1:$first $t0 $EPOCHREALTIME" >>"$TIMELINE"; t0="" ;;
		"    # Subtest: "*) name=${line#    \# Subtest: } start=$EPOCHREALTIME step=$EPOCHREALTIME ;;
		"    ok "* | "    not ok "*)
			result=${line#    }
			result=${result#not }
			result=${result#ok * }
			[ -z "$step" ] || echo "$1:$name/${result%% *} $step $EPOCHREALTIME" >>"$TIMELINE"
			step=$EPOCHREALTIME
			;;
		"# "*" s in the VM") [ -z "$start" ] || echo "$1:$name $start $EPOCHREALTIME" >>"$TIMELINE"; start="" step="" ;;
		esac
	done
}
# BOOT=snapshot: each snapshot the boots need (one per CPU count and command
# line), made in parallel where missing.
declare -A snapdirs=()
if [ "$boot" = snapshot ]; then
	declare -A specs=()
	for b in "${boots[@]}"; do specs["$(boot_cpus "$b") $(boot_header "$b" cmdline)"]=1; done
	pids=() n=0
	for spec in "${!specs[@]}"; do
		n=$((n + 1))
		snapshot_make "$arch" "$image" "$initrd" "$accel" "${spec%% *}" "${spec#* }" "${TIMEOUT:-60}" >"$work/snapdir-$n" &
		pids+=($!)
		echo "$spec" >"$work/spec-$n"
	done
	for pid in "${pids[@]}"; do wait "$pid" || exit 1; done # snapshot_make said why
	for i in $(seq "$n"); do snapdirs["$(cat "$work/spec-$i")"]=$(cat "$work/snapdir-$i"); done
fi
# vm BOOT TIMEOUT CPUS: run BOOT's suites in a guest, booted or restored;
# its console on stdout, QEMU's status.
vm() {
	local cmdline
	cmdline=$(boot_header "$1" cmdline)
	if [ "$boot" = snapshot ]; then
		snapshot_restore "${snapdirs["$3 $cmdline"]}" "$arch" "$image" "$accel" "$3" "$cmdline" "$2" \
			"$work/job.cpio" "$mode" "$1"
	else
		qemu_cmd "$arch" "$image" "$initrd" "$accel" "$mode" "$3" "$1" "$cmdline"
		timeout "$2" "${qemu[@]}" -serial stdio </dev/null 2>&1
	fi
}
guest=boot first=kernel-boot
[ "$boot" = cold ] || guest="restored guest" first=restore
start=$(date +%s.%N)
pids=()
for i in "${!boots[@]}"; do
	log=$logdir/console-$mode-$((i + 1)).log
	timeout=$(boot_timeout "${boots[$i]}") cpus=$(boot_cpus "${boots[$i]}")
	say "$guest $((i + 1)): ${boots[$i]} ($arch, $accel, $cpus CPU(s), timeout ${timeout} s); console log: $log"
	(
		set +e
		if [ -n "${TIMELINE:-}" ]; then
			phase "boot-$((i + 1)):${boots[$i]}" vm "${boots[$i]}" "$timeout" "$cpus" | mark_suites "boot-$((i + 1))" >"$log"
			rc=${PIPESTATUS[0]}
		else
			vm "${boots[$i]}" "$timeout" "$cpus" >"$log"
			rc=$?
		fi
		[ "$rc" != 124 ] || echo "QEMU timed out after $timeout s" >>"$log"
		echo "$rc" >"$log.status"
	) &
	pids+=($!)
done
wait "${pids[@]}"
say "QEMU done after $(echo "$(date +%s.%N) - $start" | bc | cut -c 1-4) s"

verdict_args=() logs=()
for i in "${!boots[@]}"; do
	log=$logdir/console-$mode-$((i + 1)).log
	logs+=("$log")
	if [ "$mode" = demo ]; then
		sed -n '/^KTAP version 1/,$p' "$log" | sed -E 's/^ *# ?//'
	else
		sed -n '/^KTAP version 1/,$p' "$log"
	fi
	verdict_args+=("$log" "$(cat "$log.status")")
	rm -f "$log.status"
done
# The checks of the logs are independent: verdict.py, the kernel's KTAP
# parser on each log and the KCIDB report run at the same time; their
# results are printed in this order.
srctree=$kdir
[ -f "$srctree/tools/testing/kunit/kunit.py" ] || srctree=$kdir/source
kunit_py=$srctree/tools/testing/kunit/kunit.py
checks=()
if [ "$mode" = test ] && [ -f "$kunit_py" ]; then
	# The kernel's own KTAP parser must accept what the VM printed (test mode;
	# the narration of demo mode is not KTAP). Its tree: KDIR, or KDIR/source.
	# One process for all the logs: qemu/host/kunit-parse.py.
	phase kunit.py python3 "$here/kunit-parse.py" "$kunit_py" "${logs[@]}" &
	checks+=($!)
fi
if [ "$mode" = test ]; then
	# The results as a KCIDB report, checked against KCIDB's schema when
	# KCIDB_PYTHON names a python3 with kcidb-io (the Makefile sets it).
	(
		set +e
		phase kcidb.py python3 "$here/kcidb.py" "$arch" "$kdir" "${verdict_args[@]}" >"$logdir/kcidb.json"
		rc=$?
		if [ "$rc" = 0 ] && [ -n "${KCIDB_PYTHON:-}" ]; then
			phase kcidb-validate "$KCIDB_PYTHON" "$here/../../scripts/ci/kcidb-validate.py" "$logdir/kcidb.json"
			rc=$?
		fi
		echo "$rc" >"$work/kcidb.rc"
	) >"$work/kcidb.out" 2>&1 &
	checks+=($!)
fi
rc=0
phase verdict.py python3 "$here/verdict.py" "${verdict_args[@]}" || rc=1
[ ${#checks[@]} -eq 0 ] || wait "${checks[@]}"

if [ "$mode" = test ] && [ -f "$kunit_py" ]; then
	for log in "${logs[@]}"; do
		summary=$(grep -o 'Ran [0-9]* tests.*' "$log.kunit" || echo "no summary")
		if [ "$(cat "$log.kunit.rc" 2>/dev/null)" = 0 ]; then
			echo "kunit.py parse ${log##*/}: $summary"
		else
			echo "kunit.py parse ${log##*/}: FAILED, $summary (see $log.kunit)"
			rc=1
		fi
		rm -f "$log.kunit.rc"
	done
	# One KernelCI-style group for the run, from kunit.py's JSON of each boot.
	python3 "$here/merge-kunit-json.py" "${logs[@]/%.log/.json}" >"$logdir/results.json" ||
		{ echo "error: could not merge kunit.py's JSON into $logdir/results.json"; rc=1; }
elif [ "$mode" = test ]; then
	echo "kunit.py parse: skipped, $kdir has no tools/testing/kunit/kunit.py (a headers-only tree)"
fi
if [ "$mode" = test ]; then
	echo "KCIDB report: $logdir/kcidb.json; KernelCI JSON (kunit.py): $logdir/results.json"
	cat "$work/kcidb.out"
	[ "$(cat "$work/kcidb.rc")" = 0 ] ||
		{ echo "error: the KCIDB report $logdir/kcidb.json could not be made or failed KCIDB's schema (see above)"; rc=1; }
fi
exit "$rc"
