#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""verdict.py CONSOLE-LOG QEMU-EXIT-STATUS [CONSOLE-LOG QEMU-EXIT-STATUS ...]

Decide pass/fail from the VM console logs of one run (one log per boot), each
holding nested KTAP as qemu/guest/run-suites.sh prints it: a top-level plan of suites,
each suite's steps indented by four spaces. Every plan must be met, every step
ok (a SKIP must give its reason), each suite's top-level result must agree
with its steps, the assertion helpers' canary (the suite assertion_helpers:
qemu/guest/helpers_test.sh) run first and passed, the end marker ("# Totals:")
reached, QEMU must have exited by
itself (status 0; 124 means the timeout killed it), and no kernel line may
match qemu/bad-log-patterns: a panic, oops, BUG, WARN, call trace, a KASAN,
lockdep or kmemleak report, or a failed KUnit assertion (the exporter's tests
run whenever it loads on a kernel with CONFIG_KUNIT).
Prints the failures and, for a log cut short, its last lines; then one line
"verdict: N passed, N failed, N skipped" over the steps. Exit 0 only for a pass.
"""
import os
import re
import sys

PATTERNS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bad-log-patterns")


def bad_patterns(path=PATTERNS):
    """The one list of what fails a kernel log (qemu/bad-log-patterns), as one regex."""
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    return re.compile("|".join(f"(?:{l})" for l in lines))


BAD = bad_patterns()
# The suite that run-suites.sh runs first in every boot: without it, the
# suites' own assertions are not known to work.
CANARY = "assertion_helpers"


def suite_test_name(suite, boot):
    """The name a run's reports give suite of boot number boot (kcidb.py's path,
    the LAVA job's monitor): the canary, which every boot runs, names its boot."""
    return f"{suite}_boot{boot}" if suite == CANARY else suite

RESULT = re.compile(r"^(not )?ok (\d+) (\S+)(?: # (SKIP|TODO)\b ?(.*))?$")


class Block:
    """One KTAP document at one indentation: its plan and results."""

    def __init__(self, name):
        self.name, self.plan, self.results, self.children = name, None, {}, {}
        self.failed_asserts = []  # of the step under way
        self.lines, self.excerpts = [], {}  # the step under way's lines; each step's, by number

    def record(self, m, what, problems):
        """Keep result m (a RESULT match); a number seen before is a problem ("WHAT N ...")."""
        if int(m[2]) in self.results:
            problems.append(f"{what} {m[2]} ({m[3]}): a second result for the same number")
        self.results[int(m[2])] = m


def parse(lines):
    """The top-level Block of a log (its suites as children by number), the suite cut
    short if the log ends inside one, and problems."""
    problems, top, suite, totals = [], None, None, False
    for line in lines:
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        # Diagnostics are "# ..."; kernel lines are bare (console) or "# [kernel] ...".
        if BAD.search(line) and (not body.startswith("# ") or body.startswith("# [kernel] ")):
            problems.append(f"kernel log: {body}")
        if top is None:
            if line == "KTAP version 1":
                top = Block("top")
            continue
        if indent == 0:
            if re.fullmatch(r"1\.\.\d+", body) and top.plan is None:
                top.plan = int(body[3:])
            elif m := RESULT.match(body):
                top.record(m, "suite", problems)
                if suite is not None:
                    top.children[int(m[2])] = suite
                suite = None
            elif body.startswith("# Totals:"):
                totals = True
        elif indent == 4:
            if body == "KTAP version 1":
                suite = Block("?")
            elif suite is None:
                continue
            elif body.startswith("# Subtest: "):
                suite.name = body[len("# Subtest: "):]
            elif re.fullmatch(r"1\.\.\d+", body) and suite.plan is None:
                suite.plan = int(body[3:])
            elif m := RESULT.match(body):
                suite.record(m, f"suite {suite.name}: step", problems)
                suite.excerpts[int(m[2])] = suite.lines + [body]
                suite.failed_asserts, suite.lines = [], []
            else:
                suite.lines.append(body)
                if body.startswith("# FAILED: "):
                    suite.failed_asserts.append(body[2:])
    if top is None:
        problems.append("no KTAP: the suites did not start")
    elif not totals:
        problems.append("no end marker ('# Totals:'): output cut short")
    # A suite that never got its top-level result (None if there is none).
    return top, suite, problems


def check_plan(block, where, problems):
    if block.plan is None:
        problems.append(f"{where}: no plan")
        return
    if block.plan == 0:
        problems.append(f"{where}: an empty plan (1..0): nothing was tested")
    for n in range(1, block.plan + 1):
        if n not in block.results:
            problems.append(f"{where}: test {n} has no result")
    if set(block.results) - set(range(1, block.plan + 1)):
        problems.append(f"{where}: results beyond the plan 1..{block.plan}")


def verdict(lines, qemu_status, name):
    """Problems found in one log, and its steps' (passed, failed, skipped) counts."""
    top, unfinished, problems = parse(lines)
    counts = [0, 0, 0]
    if top is not None:
        check_plan(top, name, problems)
        if unfinished is not None:
            last = max(unfinished.results, default=0)
            where = f"{name}: suite {unfinished.name} (cut short after step {last})"
            problems.append(where)
            for i, r in sorted(unfinished.results.items()):
                if r[1] is not None:
                    problems.append(f"{where}: step {i} failed: {r[3]}")
                    counts[1] += 1
                else:
                    counts[{"SKIP": 2, "TODO": 1}.get(r[4], 0)] += 1
            for line in unfinished.failed_asserts:
                problems.append(f"{where}: step {last + 1}, before the end: {line}")
        for n, m in sorted(top.results.items()):
            suite = top.children.get(n)
            if suite is None:
                problems.append(f"{name}: suite {n} ({m[3]}) printed no steps")
                continue
            where = f"{name}: suite {suite.name}"
            check_plan(suite, where, problems)
            suite_ok = suite.plan is not None and len(suite.results) == suite.plan
            for i, r in sorted(suite.results.items()):
                if r[1] is not None:
                    problems.append(f"{where}: step {i} failed: {r[3]}")
                    counts[1] += 1
                    suite_ok = False
                elif r[4] == "SKIP":
                    if not r[5]:
                        problems.append(f"{where}: step {i} ({r[3]}) skipped with no reason")
                    counts[2] += 1
                elif r[4] == "TODO":
                    problems.append(f"{where}: step {i} ({r[3]}) is TODO")
                    counts[1] += 1
                else:
                    counts[0] += 1
            if suite_ok != (m[1] is None):
                problems.append(f"{where}: the suite's result disagrees with its steps")
        first = top.children.get(1)
        if first is None or first.name != CANARY:
            problems.append(f"{name}: the boot did not run {CANARY} first: the suites' assertion helpers are untested "
                            "(qemu/guest/run-suites.sh runs qemu/guest/helpers_test.sh before the suites)")
    if qemu_status == 124:
        problems.append(f"{name}: QEMU timed out")
    elif qemu_status != 0:
        problems.append(f"{name}: QEMU exited with status {qemu_status}")
    return problems, counts


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    problems, totals = [], [0, 0, 0]
    for path, status in zip(args[::2], args[1::2]):
        with open(path, errors="replace") as f:
            lines = [l.rstrip("\r\n").replace("\r", "") for l in f]
        found, counts = verdict(lines, int(status), path)
        if found and not any(l.startswith("# Totals:") for l in lines):
            print(f"--- last lines of {path} ---", *lines[-20:], sep="\n")
        problems += found
        totals = [a + b for a, b in zip(totals, counts)]
    if problems:
        print("FAIL:", *problems, sep="\n  ")
    print(verdict_line(totals, problems))
    return 1 if problems else 0


def verdict_line(counts, problems):
    """The last line: the steps' counts, at least one failure if anything failed."""
    passed, failed, skipped = counts
    return f"verdict: {passed} passed, {max(failed, 1) if problems else failed} failed, {skipped} skipped"


if __name__ == "__main__":
    sys.exit(main())
