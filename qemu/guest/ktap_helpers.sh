# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # the suites use what is defined here
#
# Helpers for the suites (sourced inside the VM by each suite, busybox sh). A
# suite is a list of steps; each step is one KTAP test, made of commands shown
# with their output and kernel log (`run`) and assertions (`expect`, `same`)
# that read real state. A failed assertion prints what it saw and fails its
# step. In demo mode (DEMO non-empty) `explain` adds a sentence per step.

# Where the host put the suites' files, and where the helpers keep theirs
# (helpers_test.sh points both elsewhere to test the helpers themselves).
DEMO_DIR=${DEMO_DIR:-/demo}
KTAP_TMP=${KTAP_TMP:-/tmp}

EXP=rust_demo_export
USR=rust_demo_user
DEV=/dev/rust_demo
KO=$(dirname "$(find /lib/modules/"$(uname -r)" -name $EXP.ko 2>/dev/null)")
# busybox's sh runs its own applets before anything on PATH, so each tool is
# named: busybox's by `busybox APPLET`, kmod's by path.
BB_INSMOD="busybox insmod"
BB_RMMOD="busybox rmmod"
KMOD_INSMOD=/sbin/insmod
KMOD_RMMOD=/sbin/rmmod
MODPROBE=/sbin/modprobe
MODINFO=/sbin/modinfo
# SECURE_BOOT=1 only: Debian's mokutil and keyctl (scripts/debian/sb-userspace.sh).
MOKUTIL=/usr/bin/mokutil
KEYCTL=/usr/bin/keyctl
# Bits of /proc/sys/kernel/tainted that the suites meet: each a line with the
# kernel's name of it (taint_flags[] in kernel/panic.c, TAINT_FLAG(NAME, ...);
# Documentation/admin-guide/tainted-kernels.rst), which docs/loader.md's table
# of taints is made from (scripts/lint/loader-doc.py).
TAINT_P=1      # PROPRIETARY_MODULE: a license that is not GPL-compatible
TAINT_F=2      # FORCED_MODULE: loaded past a check (--force-vermagic, --force-modversion)
TAINT_R=8      # FORCED_RMMOD: unloaded by force (rmmod -f)
TAINT_O=4096   # OOT_MODULE: an out-of-tree module
TAINT_E=8192   # UNSIGNED_MODULE: unsigned, or signed with a key the kernel does not have
TAINT_N=262144 # TEST: a test ran (KUnit's kunit_run_tests()), or a module with modinfo test=Y loaded
# What fails a kernel log: the list the host's verdict.py reads too.
BAD_LOG=$(grep -v '^#' "$DEMO_DIR/bad-log-patterns" | paste -s -d '|')

nr=0 failed=0 skipped=0 step_failed=0 skip_reason=""

# diag LINE...: each line of each argument as a KTAP diagnostic ("# LINE"),
# in the shell itself (a pipe to sed would cost two forks a call under TCG).
diag() {
	for diag_line in "$@"; do
		while :; do
			case $diag_line in
			*"
"*)
				printf '# %s\n' "${diag_line%%"
"*}"
				diag_line=${diag_line#*"
"}
				;;
			*)
				printf '# %s\n' "$diag_line"
				break
				;;
			esac
		done
	done
}
explain() { [ -z "${DEMO:-}" ] || diag "" "=> $*"; }

# The kernel log is read with `dmesg -c` (read and clear), so that each read
# returns only what is new; all of it is kept in $KMSG_ALL, for the checks of
# the whole log. kmsg_mark: start collecting; kmsg_since: what came since.
KMSG_ALL=$KTAP_TMP/kmsg.all
kmsg_read() {
	new=$(dmesg -c)
	[ -z "$new" ] || printf '%s\n' "$new" >>"$KMSG_ALL"
}
kmsg_mark() { kmsg_read; }
kmsg_since() {
	kmsg_read
	printf '%s' "$new"
}
kmsg_all() {
	kmsg_read
	cat "$KMSG_ALL"
}

# run CMD...: show CMD, its output, its exit status and what the kernel logged
# while it ran; leaves them in $cmd, $out, $rc and $klog, and the command's
# process id in $pid (for task_log). CMD runs as a job of its own, so that its
# process id is known: CMD must be a program or applet, not a shell function.
run() { run_as "$*" "$@"; }

# run_line "COMMAND LINE": `run` for a line with redirections or pipes, which
# `sh -c` runs; shown as written.
run_line() { run_as "$1" sh -c "$1"; }

# run_as TEXT CMD...: what run and run_line do, showing CMD as TEXT.
run_as() {
	cmd=$1
	shift
	kmsg_mark
	"$@" >"$KTAP_TMP/run.out" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	out=$(cat "$KTAP_TMP/run.out")
	klog=$(kmsg_since)
	show "$cmd"
}

# task_log: the lines of $klog that the last `run`'s own process printed (its
# system calls: the loader, the module's init and exit), by the task id that
# CONFIG_PRINTK_CALLER puts in each line ("[  T123] ..."). A timer's or a
# kworker's lines in the same window (say, the clocksource watchdog) are
# another task's and are left out. On a kernel without CONFIG_PRINTK_CALLER
# the lines name no task: then it is all of $klog.
task_log() {
	if feature config_printk_caller; then
		printf '%s\n' "$klog" | grep -E "^$KLOG_TIME\[ *T$pid\] " | klog_text
	else
		printf '%s' "$klog"
	fi
}

# A kernel log line's prefix: the time (CONFIG_PRINTK_TIME, "[    3.569050]")
# if the kernel prints it, then the task or CPU (CONFIG_PRINTK_CALLER,
# "[  T123]"). KLOG_TIME is the first part (an extended regular expression);
# klog_text strips both from each line on stdin, leaving what was printed.
KLOG_TIME='(\[ *[0-9]+\.[0-9]+\])?'
klog_text() { sed -E "s/^$KLOG_TIME\[ *[TC][0-9]+\] //"; }

# The kernel's features (scripts/kernel/features.sh on the host, NAME=y|n).
FEATURES=$DEMO_DIR/features
# feature NAME: this kernel has NAME (a missing name is an error, not a no).
feature() {
	v=$(sed -n "s/^$1=//p" "$FEATURES")
	[ -n "$v" ] || { diag "FAILED: $FEATURES has no '$1'"; step_failed=1; return 1; }
	[ "$v" = y ]
}
# needs NAME REASON: the current step needs feature NAME; without it, the step
# is a SKIP with REASON, and needs returns false so the step can stop there.
needs() {
	feature "$1" && return 0
	skip "$2"
	return 1
}

# MOD_TAINT: the taint loading the pair sets on this kernel, MOD_FLAGS the same
# as /proc/modules shows it: O (out of tree), and E where the kernel checks
# signatures (CONFIG_MODULE_SIG) and the installed module is not signed with the
# kernel's own key: unsigned (a distribution kernel, whose key is not at hand),
# or signed with another key, such as the MOK that dkms signs with. The host
# wrote the kernel key's serial number where it has the key (make-fixtures.sh).
# Found once a boot (the installed files do not change; a kmod call costs tens
# of ms under TCG) and kept in $KTAP_TMP/mod_flags for the boot's other suites.
# With SECURE_BOOT=1 and the MOK enrolled (/demo/secure_boot.vars: mok), the
# installed pair is signed with the MOK, which the kernel trusts too
# (qemu/host/secure-boot-root.sh wrote its serial number).
KERNEL_KEY_SERIAL=$DEMO_DIR/fixtures/sig/kernel_key.serial
[ "$(cat "$DEMO_DIR/secure_boot.vars" 2>/dev/null)" != mok ] ||
	KERNEL_KEY_SERIAL=$DEMO_DIR/fixtures/secure_boot/mok.serial
if [ ! -f "$KTAP_TMP/mod_flags" ]; then
	if feature config_module_sig && { [ ! -f "$KERNEL_KEY_SERIAL" ] ||
		[ "$($MODINFO -F sig_key "$KO/$EXP.ko" 2>/dev/null)" != "$(cat "$KERNEL_KEY_SERIAL")" ]; }; then
		echo OE >"$KTAP_TMP/mod_flags"
	else
		echo O >"$KTAP_TMP/mod_flags"
	fi
fi
read -r MOD_FLAGS <"$KTAP_TMP/mod_flags"
if [ "$MOD_FLAGS" = OE ]; then MOD_TAINT=$((TAINT_O | TAINT_E)); else MOD_TAINT=$TAINT_O; fi

# FORCED_TAINT, FORCED_FLAGS: what a load forced past a check (kmod's
# --force-vermagic, --force-modversion) taints, and how /proc/modules shows
# that module: F, and E where the kernel checks signatures, since a forced
# module is "mangled" and module_sig_check() does not check its signature.
if feature config_module_sig; then
	FORCED_TAINT=$((TAINT_F | TAINT_E)) FORCED_FLAGS=FOE
else
	FORCED_TAINT=$TAINT_F FORCED_FLAGS=FO
fi
# forced_tree FILE NAME: a module tree of its own, /tmp/forced, with FILE as
# NAME.ko and depmod's index, for `modprobe -d /tmp/forced --force-...`.
forced_tree() {
	mkdir -p "/tmp/forced/lib/modules/$(uname -r)/extra" &&
		cp "$1" "/tmp/forced/lib/modules/$(uname -r)/extra/$2.ko"
	run /sbin/depmod -b /tmp/forced
}

# show COMMAND-TEXT: print a command run by `run` or by hand, with $out, $rc, $klog.
show() {
	diag "\$ $1"
	[ -z "$out" ] || diag "$out"
	[ "$rc" = 0 ] || diag "(exit status $rc)"
	[ -z "$klog" ] || printf '%s\n' "$klog" | sed 's/^/# [kernel] /'
}

# failed_with WHAT PATTERN: two assertions on the last `run`: its command
# failed, and its output matches PATTERN (grep), which WHAT describes.
failed_with() {
	expect "$cmd fails" [ "$rc" != 0 ]
	expect "$1" contains "$out" "$2"
}

# expect DESCRIPTION COMMAND...: one assertion; a failure fails the current step.
expect() {
	what=$1
	shift
	if "$@"; then
		[ -z "${DEMO:-}" ] || diag "   ok: $what"
	else
		diag "FAILED: $what"
		step_failed=1
	fi
}

# hint TEXT...: if the current step has failed, one line toward the fix (the
# lab's checks: what to look at, never the answer).
hint() { [ "$step_failed" = 0 ] || diag "hint: $*"; }

# same DESCRIPTION ACTUAL EXPECTED: an assertion on a value, shown on failure.
same() { expect "$1 (is '$2', expected '$3')" [ "$2" = "$3" ]; }

not() { ! "$@"; }
contains() { printf '%s\n' "$1" | grep -q -- "$2"; }
matches() { printf '%s\n' "$1" | grep -Eq -- "$2"; }
loaded() { grep -q "^$1 " /proc/modules; }
# field MODULE N: column N of MODULE's line in /proc/modules (name size
# refcount users state address taint).
field() { awk -v m="$1" -v f="$2" '$1 == m { print $f }' /proc/modules; }
refcnt() { cat "/sys/module/$1/refcnt" 2>/dev/null; }
# state_is MODULE STATE: MODULE's state column in /proc/modules is STATE.
state_is() { [ "$(field "$1" 5)" = "$2" ]; }
initstate() { cat "/sys/module/$1/initstate" 2>/dev/null; }
initstate_is() { [ "$(initstate "$1")" = "$2" ]; }
holders() { for h in "/sys/module/$1/holders/"*; do [ -e "$h" ] && printf "%s " "${h##*/}"; done | sed "s/ $//"; }
tainted() { cat /proc/sys/kernel/tainted; }
has_taint() { [ $(($(tainted) & $1)) != 0 ]; }
# verbs insmod|rmmod OUTPUT: the modules that modprobe -v says it acted on, in order.
verbs() { printf '%s\n' "$2" | awk -v v="$1" '$1 == v { n = split($2, p, "/"); sub(/\.ko$/, "", p[n]); printf "%s%s", s, p[n]; s = " " }'; }

# uptime_cs: hundredths of a second since boot, for deadlines and timings.
uptime_cs() {
	read -r up _ </proc/uptime
	up=${up%.*}${up#*.}
	# No leading zero ("0.95" -> 95, not 095, which would be octal).
	while [ ${#up} -gt 1 ] && [ "${up#0}" != "$up" ]; do up=${up#0}; done
	echo "$up"
}

# wait_for DESCRIPTION COMMAND...: poll COMMAND every 10 ms until it succeeds,
# for at most 5 s; an assertion that fails on timeout. COMMAND runs anew each
# time, so it must not contain a $(...) (the shell would expand it once, before
# the first poll): use a predicate such as `state_is`.
wait_for() {
	what=$1
	shift
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -lt 500 ] || break
		usleep 10000
	done
	expect "$what (polled $((i * 10)) ms)" "$@"
}

# unload_all: remove whatever a failed step left loaded ($MODULES, the
# pair by default: the user first), so the next step or suite starts clean.
MODULES="$USR $EXP"
unload_all() {
	for m in $MODULES; do
		! loaded "$m" || $BB_RMMOD "$m" >/dev/null 2>&1
	done
}

# suite NAME: start the suite of $DEMO_DIR/suites/NAME.sh. Each step is declared
# once, by `step NAME "TITLE"` ... `end`; the plan is the number of steps the
# file declares (its `step` lines and its last step, clean_log_and_taint),
# counted from the file before any runs, and suite_end checks that that many ran.
suite() {
	SUITE=$1
	plan=$(grep -cE '^[[:space:]]*(step [A-Za-z0-9_]+ |clean_log_and_taint)' "$DEMO_DIR/suites/$SUITE.sh")
	echo "KTAP version 1"
	echo "# Subtest: $SUITE"
	echo "1..$plan"
	suite_taint=$(tainted)
	kmsg_read
	suite_mark=$(wc -l <"$KMSG_ALL")
}

# step NAME "TITLE": begin the step NAME (its KTAP name); TITLE is said in demo mode.
step() {
	[ -z "$STEP" ] || { diag "FAILED: step '$1' begins inside step '$STEP' (no end)"; failed=$((failed + 1)); }
	nr=$((nr + 1))
	STEP=$1
	step_failed=0
	skip_reason=""
	[ -z "${DEMO:-}" ] || diag "" "---- $SUITE, step $nr: $2"
}
STEP=""

# skip REASON: the current step cannot run on this kernel; it ends as SKIP.
# A SKIP without a reason would be a silent pass: it fails the step.
skip() {
	if [ -z "$1" ]; then
		diag "FAILED: a SKIP with no reason"
		step_failed=1
	fi
	skip_reason=$1
	diag "SKIP: $1"
}

# end: the result of the current step.
end() {
	if [ -z "$STEP" ]; then
		diag "FAILED: 'end' with no step begun"
		failed=$((failed + 1))
		return
	fi
	if [ "$step_failed" = 0 ] && [ -n "$skip_reason" ]; then
		echo "ok $nr $STEP # SKIP $skip_reason"
		skipped=$((skipped + 1))
	elif [ "$step_failed" = 0 ]; then
		echo "ok $nr $STEP"
	else
		echo "not ok $nr $STEP"
		failed=$((failed + 1))
	fi
	STEP=""
}

# clean_log_and_taint ALLOWED-TAINT-BITS: the last step of every suite: nothing
# of the pair left loaded, no oops or warning in what the kernel logged during
# the suite, and no taint bit set by the suite beyond ALLOWED and N (on a
# kernel with CONFIG_KUNIT, KUnit runs the exporter's tests whenever it loads).
clean_log_and_taint() {
	step no_oops_warn_or_unexpected_taint "nothing left loaded, no oops or warning, no unexpected taint"
	unload_all
	expect "nothing of the pair is in /proc/modules" not grep -q "^rust_demo_" /proc/modules
	for m in $MODULES; do
		expect "$m is not in /proc/modules" not loaded "$m"
	done
	kmsg_read
	log=$(tail -n +$((suite_mark + 1)) "$KMSG_ALL")
	expect "the kernel logged nothing matching /demo/bad-log-patterns during the suite" not matches "$log" "$BAD_LOG"
	new=$(($(tainted) & ~suite_taint))
	same "taint bits set during the suite beyond $(($1 | TAINT_N))" $((new & ~($1 | TAINT_N))) 0
	end
}

# suite_end: the suite's summary; its exit status is the suite's result.
suite_end() {
	[ -z "$STEP" ] || { diag "FAILED: step '$STEP' has no end"; failed=$((failed + 1)); }
	[ "$nr" = "$plan" ] || diag "FAILED: ran $nr steps of $plan"
	diag "$SUITE: pass:$((nr - failed - skipped)) fail:$failed skip:$skipped total:$nr"
	[ "$failed" = 0 ] && [ "$nr" = "$plan" ]
}
