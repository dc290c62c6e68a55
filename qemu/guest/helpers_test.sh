#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016 # the cases' bodies are sh, expanded when a case runs
#
# helpers_test.sh [--canary] [HELPERS]: tests of the suites' assertion helpers
# (ktap_helpers.sh, default /demo/ktap_helpers.sh), as a KTAP suite,
# assertion_helpers, with one step per case. Each case is a small suite run
# in a subshell with the real helpers; its output and exit status are judged
# here in plain sh, never by the helpers under test: a false assertion must
# fail its step (`not ok`, with the diagnostic), a true one must pass it, and
# a step with no end, a step inside a step, a plan not met or a SKIP without
# a reason must fail the suite. Exit status 0 if every case came out right.
#
# Two uses: `make unit` (and so `make lint`) runs every case on the host with
# busybox sh (Debian's static busybox, the guest's); run-suites.sh runs the
# first case alone (--canary: false and true assertions of every kind in one
# small suite, one subshell, so it costs little under TCG) first in every
# boot, so that a broken helper fails the verdict of `make test` and `make
# lava` too, not only lint. It reads no real kernel log (dmesg is a function
# here that reads a file of this script's, $KLOG), and /proc/modules only to
# see that no rust_demo module is loaded.
set -u

canary=""
[ "${1:-}" != --canary ] || { canary=1 && shift; }
HELPERS=${1:-/demo/ktap_helpers.sh}
KTAP_TMP=$(mktemp -d)
DEMO_DIR=$KTAP_TMP/demo
export KTAP_TMP DEMO_DIR
mkdir -p "$DEMO_DIR/suites"
trap 'rm -rf "$KTAP_TMP"' EXIT
# What the cases' kernel "logs": each read returns what was written since.
KLOG=$KTAP_TMP/klog
: >"$KLOG"
dmesg() {
	cat "$KLOG"
	: >"$KLOG"
}
printf '%s\n' 'Kernel panic' 'WARNING:' >"$DEMO_DIR/bad-log-patterns"
printf '%s\n' yes_feature=y no_feature=n config_module_sig=n config_printk_caller=n >"$DEMO_DIR/features"

# shellcheck source=ktap_helpers.sh
. "$HELPERS"

n=0 bad=0
echo "KTAP version 1"
echo "# Subtest: assertion_helpers"
if [ -n "$canary" ]; then echo "1..1"; else echo "1..$(grep -c '^case_ [a-z_]* ' "$0")"; fi

# case_ NAME WANT-RC WANT-LINES BODY: run BODY as a suite of its own (a
# subshell); its exit status must be WANT-RC (0 or 1) and its output must
# hold each line of WANT-LINES, compared whole (so "ok 1 s" is not found in
# "not ok 1 s"). A case that comes out wrong shows the suite's output.
case_() {
	n=$((n + 1))
	printf '%s\n' "$4" >"$DEMO_DIR/suites/t$n.sh"
	(
		nr=0 failed=0 skipped=0 STEP=""
		suite "t$n"
		# shellcheck disable=SC1090 # the case's body
		. "$DEMO_DIR/suites/t$n.sh"
		suite_end
	) >"$KTAP_TMP/out" 2>&1
	rc=$?
	problem=""
	[ "$rc" = "$2" ] || problem="the suite's exit status is $rc, not $2"
	# The wanted lines that are not lines of the output (one grep for all).
	printf '%s\n' "$3" >"$KTAP_TMP/want"
	missing=$(grep -vxF -f "$KTAP_TMP/out" "$KTAP_TMP/want" | sed "s/.*/no line '&'/" | paste -s -d ';')
	[ -z "$missing" ] || problem="${problem:+$problem; }$missing"
	if [ -z "$problem" ]; then
		echo "ok $n $1"
	else
		sed 's/^/# | /' "$KTAP_TMP/out"
		echo "# assertion helpers are broken: $problem"
		echo "not ok $n $1"
		bad=$((bad + 1))
	fi
}

case_ canary_false_fails_true_passes 1 "# FAILED: false
not ok 1 expect_false
# FAILED: v (is 'a', expected 'b')
not ok 2 same_differs
ok 3 true_and_same
ok 4 failed_with_failure
# FAILED: true fails
not ok 5 failed_with_success
# FAILED: a SKIP with no reason
not ok 6 skip_without_reason
ok 7 skip_with_reason # SKIP why
# FAILED: c
# FAILED: n
not ok 8 contains_and_not" 'step expect_false "t"
expect "false" false
end
step same_differs "t"
same "v" a b
end
step true_and_same "t"
expect "true" true
same "v" a a
end
step failed_with_failure "t"
run sh -c "echo boom; exit 3"
failed_with "says boom" boom
end
step failed_with_success "t"
cmd=true rc=0 out=""
failed_with "any" ""
end
step skip_without_reason "t"
skip ""
end
step skip_with_reason "t"
skip why
end
step contains_and_not "t"
expect "c" contains "one two" three
expect "n" not contains "one two" two
expect "m" contains "one two" "^one t"
end'
if [ -n "$canary" ]; then
	echo "# assertion_helpers: pass:$((n - bad)) fail:$bad skip:0 total:$n"
	exit "$bad"
fi
case_ true_expect_passes 0 "ok 1 s" 'step s "t"
expect "true holds" true
end'
case_ false_expect_fails 1 "# FAILED: x
not ok 1 s" 'step s "t"
expect "x" false
expect "y" true
end'
case_ same_equal_passes 0 "ok 1 s" 'step s "t"
same "v" abc abc
end'
case_ same_differs_fails 1 "# FAILED: v (is 'abc', expected 'abd')
not ok 1 s" 'step s "t"
same "v" abc abd
end'
case_ same_empty_differs_fails 1 "# FAILED: v (is '', expected '0')
not ok 1 s" 'step s "t"
same "v" "" 0
end'
case_ not_contains_matches 1 "# FAILED: a
# FAILED: b
# FAILED: c
not ok 1 s" 'step s "t"
expect "a" contains "one two" three
expect "b" not contains "one two" two
expect "c" matches "one two" "^two"
expect "d" matches "one two" "^one t"
end'
case_ run_reads_the_exit_status 0 "# \$ sh -c echo said; exit 7
# said
# (exit status 7)
ok 1 s" 'step s "t"
run sh -c "echo said; exit 7"
same "rc" "$rc" 7
same "out" "$out" said
end'
case_ run_line_reads_the_exit_status 0 "# \$ echo a | grep -q b
# (exit status 1)
ok 1 s" 'step s "t"
run_line "echo a | grep -q b"
same "rc" "$rc" 1
end'
case_ failed_with_success_fails 1 "# FAILED: true fails
not ok 1 s" 'step s "t"
run true
failed_with "any" ""
end'
case_ failed_with_other_words_fails 1 "# FAILED: says boom
not ok 1 s" 'step s "t"
run sh -c "echo bang; exit 3"
failed_with "says boom" boom
end'
case_ failed_with_failure_passes 0 "ok 1 s" 'step s "t"
run sh -c "echo boom; exit 3"
failed_with "says boom" boom
end'
case_ run_shows_the_kernel_log 0 "# [kernel] rust_demo_x: hello
ok 1 s" 'step s "t"
run sh -c "echo rust_demo_x: hello >>$KLOG"
same "klog" "$klog" "rust_demo_x: hello"
end'
case_ diag_prefixes_every_line 0 "# first
# second
# 
# a * [b]
ok 1 s" 'step s "t"
diag "first
second" ""
diag "a * [b]"
end'
case_ steps_are_numbered 1 "ok 1 a
not ok 2 b
ok 3 c" 'step a "t"
end
step b "t"
expect "b" false
end
step c "t"
end'
case_ skip_with_reason 0 "ok 1 s # SKIP no such thing here" 'step s "t"
skip "no such thing here"
end'
case_ skip_without_reason_fails 1 "# FAILED: a SKIP with no reason
not ok 1 s" 'step s "t"
skip ""
end'
case_ failed_then_skipped_fails 1 "not ok 1 s" 'step s "t"
expect "x" false
skip "later"
end'
case_ needs_skips_without_feature 0 "ok 1 s # SKIP none
ok 2 u" 'step s "t"
if needs no_feature "none"; then expect "x" false; fi
end
step u "t"
if needs yes_feature "none"; then expect "x" true; fi
end'
case_ unknown_feature_fails 1 "# FAILED: $DEMO_DIR/features has no 'nothing'
not ok 1 s" 'step s "t"
feature nothing || :
end'
case_ step_without_end_fails 1 "# FAILED: step 's' has no end" 'step s "t"
expect "x" true'
case_ step_inside_step_fails 1 "# FAILED: step 'b' begins inside step 'a' (no end)" 'step a "t"
step b "t"
end'
case_ end_without_step_fails 1 "# FAILED: 'end' with no step begun" 'step a "t"
end
end'
case_ plan_not_met_fails 1 "# FAILED: ran 1 steps of 2" 'step a "t"
end
if false; then
step b "t"
end
fi'
case_ wait_for_polls 0 "ok 1 s" 'step s "t"
: >$KTAP_TMP/later
wait_for "the file is there" test -e $KTAP_TMP/later
end'
case_ hint_after_a_failure 1 "# FAILED: x
# hint: look here
not ok 1 s" 'step s "t"
expect x false
hint "look here"
end'
case_ no_hint_after_success 0 "no hint
ok 1 s" 'step s "t"
expect x true
said=$(hint "look here")
[ -n "$said" ] || echo "no hint"
end'
case_ clean_log_passes 0 "ok 1 no_oops_warn_or_unexpected_taint" 'clean_log_and_taint 0'
case_ clean_log_sees_a_warning 1 "# FAILED: the kernel logged nothing matching /demo/bad-log-patterns during the suite
not ok 1 no_oops_warn_or_unexpected_taint" 'echo "WARNING: CPU: 0 PID: 1 at x" >>$KLOG
clean_log_and_taint 0'

echo "# assertion_helpers: pass:$((n - bad)) fail:$bad skip:0 total:$n"
[ "$bad" = 0 ]
