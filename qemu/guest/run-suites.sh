#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-suites.sh SUITE...: runs inside the VM (busybox sh). First the canary,
# assertion_helpers (/demo/helpers_test.sh: the suites' assertion helpers
# must fail false assertions and pass true ones, or nothing after it can be
# believed; the host's verdict.py requires it in every boot), then each suite
# (/demo/suites/SUITE.sh, which sources /demo/ktap_helpers.sh) in a subshell and prints nested
# KTAP as KUnit does: one top-level test per suite, its steps indented by four
# spaces, then "# Totals:" as the end marker: how many suites passed, failed and
# were skipped (a suite is a SKIP when every one of its steps was, as KUnit
# does it). Exit status 0 if none failed.
# DEMO non-empty adds the narration.
set -u

# The boot's kernel log, where ktap_helpers.sh keeps all it reads (dmesg -c);
# in a guest restored from a snapshot, what the kernel said before it was
# saved comes first (/init kept it in /tmp/kmsg.boot).
{
	cat /tmp/kmsg.boot 2>/dev/null
	dmesg -c
} >/tmp/kmsg.all
set -- assertion_helpers "$@"
echo "KTAP version 1"
echo "1..$#"
read -r up _ </proc/uptime
echo "# Linux $(uname -r), suites: $*, taint at start: $(cat /proc/sys/kernel/tainted), up $up s"
n=0 pass=0 fail=0 skip=0
for suite in "$@"; do
	n=$((n + 1))
	read -r t0 _ </proc/uptime
	# Streamed, so that what a suite printed reaches the console even if the
	# kernel dies during it. /tmp/suite.rc: the suite's exit status, then how
	# many steps it ran and how many of them were SKIPs.
	rm -f /tmp/suite.rc
	rc=1 steps=0 skips=0
	if [ "$suite" = assertion_helpers ]; then
		(
			/demo/helpers_test.sh --canary
			echo "$? 1 0" >/tmp/suite.rc
		) 2>&1 | sed 's/^/    /'
	elif [ -f "/demo/suites/$suite.sh" ]; then
		# shellcheck disable=SC1090 # each suite sources ktap_helpers.sh
		(
			. "/demo/suites/$suite.sh" && suite_end
			echo "$? ${nr:-0} ${skipped:-0}" >/tmp/suite.rc
		) 2>&1 | sed 's/^/    /'
	else
		echo "# no suite named '$suite'"
	fi
	[ ! -f /tmp/suite.rc ] || read -r rc steps skips </tmp/suite.rc
	read -r t1 _ </proc/uptime
	echo "# $suite: $(echo "$t1 - $t0" | bc) s in the VM"
	if [ "$rc" = 0 ] && [ "$steps" -gt 0 ] && [ "$skips" = "$steps" ]; then
		echo "ok $n $suite # SKIP all $steps steps skipped"
		skip=$((skip + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok $n $suite"
		pass=$((pass + 1))
	else
		echo "not ok $n $suite"
		fail=$((fail + 1))
	fi
done
# The whole kernel log, for the host's check (qemu/host/verdict.py) and for people.
echo "# \$ dmesg"
dmesg -c >>/tmp/kmsg.all
sed 's/^/# [kernel] /' /tmp/kmsg.all
echo "# Totals: pass:$pass fail:$fail skip:$skip total:$n"
[ "$fail" = 0 ]
