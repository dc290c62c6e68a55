#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""verdict.py CONSOLE-LOG [QEMU-EXIT-STATUS]

Decide pass/fail from a VM console log: the KTAP plan must be met, every test
ok and the end marker ("# Totals:") reached, QEMU must have exited by itself
(status 0; 124 means the timeout killed it), and no kernel line may show a
panic, oops, BUG, WARN or call trace. Prints the failures and, if the run was
cut short, the last log lines. Exit status 0 only for a pass.
"""
import re
import sys

BAD = re.compile(r"Kernel panic|Oops|BUG:|WARNING:|Call Trace|general protection fault")
RESULT = re.compile(r"^(not )?ok (\d+) (\S+)")


def verdict(lines, qemu_status):
    problems, results, plan, totals = [], {}, None, False
    in_ktap = False
    for line in lines:
        # Scenario diagnostics are "# ..."; kernel lines are either bare
        # (console) or "# [kernel] ..." (from dmesg).
        if BAD.search(line) and (not line.startswith("# ") or line.startswith("# [kernel] ")):
            problems.append(f"kernel log: {line}")
        if line == "KTAP version 1":
            in_ktap = True
        elif in_ktap and plan is None and re.fullmatch(r"1\.\.\d+", line):
            plan = int(line[3:])
        elif in_ktap and (m := RESULT.match(line)):
            results[int(m[2])] = (m[1] is None, m[3])
        elif in_ktap and line.startswith("# Totals:"):
            totals = True
    if plan is None:
        problems.append("no KTAP plan: the scenario did not start")
    else:
        for n in range(1, plan + 1):
            if n not in results:
                problems.append(f"test {n} has no result")
            elif not results[n][0]:
                problems.append(f"test {n} failed: {results[n][1]}")
        if set(results) - set(range(1, plan + 1)):
            problems.append(f"results beyond the plan 1..{plan}")
    if not totals:
        problems.append("no end marker ('# Totals:'): output cut short")
    if qemu_status == 124:
        problems.append("QEMU timed out")
    elif qemu_status != 0:
        problems.append(f"QEMU exited with status {qemu_status}")
    passed = sum(ok for ok, _ in results.values())
    failed = max((plan or 0) - passed, 1 if problems else 0)
    return problems, passed, failed


def main():
    path = sys.argv[1]
    qemu_status = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    with open(path, errors="replace") as f:
        lines = [l.rstrip("\r\n").replace("\r", "") for l in f]
    problems, passed, failed = verdict(lines, qemu_status)
    if problems:
        if not any(l.startswith("# Totals:") for l in lines):
            print(f"--- last lines of {path} ---", *lines[-20:], sep="\n")
        print("FAIL:", *problems, sep="\n  ")
    print(f"verdict: {passed} passed, {failed} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
