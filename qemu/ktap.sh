#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktap.sh SUITE...: runs inside the VM (busybox sh). Runs each suite
# (/demo/suites/SUITE.sh, which sources /demo/lib.sh) in a subshell and prints nested
# KTAP as KUnit does: one top-level test per suite, its steps indented by four
# spaces, then "# Totals:" as the end marker. Exit status 0 if all passed.
# DEMO non-empty adds the narration.
set -u

echo "KTAP version 1"
echo "1..$#"
echo "# Linux $(uname -r), suites: $*, taint at start: $(cat /proc/sys/kernel/tainted)"
n=0 pass=0 fail=0
for suite in "$@"; do
	n=$((n + 1))
	if [ -f "/demo/suites/$suite.sh" ]; then
		# Streamed, so that what a suite printed reaches the console even if
		# the kernel dies during it.
		# shellcheck disable=SC1090 # each suite sources lib.sh
		(
			. "/demo/suites/$suite.sh" && suite_end
			echo $? >/tmp/suite.rc
		) 2>&1 | sed 's/^/    /'
		rc=$(cat /tmp/suite.rc)
	else
		echo "# no suite named '$suite'"
		rc=1
	fi
	if [ "$rc" = 0 ]; then
		echo "ok $n $suite"
		pass=$((pass + 1))
	else
		echo "not ok $n $suite"
		fail=$((fail + 1))
	fi
done
# The whole kernel log, for the host's check (qemu/verdict.py) and for people.
echo "# \$ dmesg"
dmesg | sed 's/^/# [kernel] /'
echo "# Totals: pass:$pass fail:$fail skip:0"
[ "$fail" = 0 ]
