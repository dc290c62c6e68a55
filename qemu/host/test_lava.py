#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the LAVA job's monitors (qemu/lava/lava-job.py) on the recorded
console logs of test_data/, without LAVA: the console is fed, in pieces of
several sizes, to a copy of what LAVA's TestMonitorAction does with pexpect
(for each monitor: wait for start; then, as each piece arrives, the earliest
match of end or pattern, the buffer kept only after it; a pattern's result
through fixupdict). Each step line of the log must give exactly one result,
with its whole name and its status; the expected steps come from the log's
own step lines, read with a regex of their own (as in test_kcidb.py).

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import importlib.util
import os
import re
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "test_data")
_spec = importlib.util.spec_from_file_location("lava_job", os.path.join(HERE, "..", "lava", "lava-job.py"))
lava_job = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lava_job)

STEP = re.compile(r"^    (not )?ok (\d+) (\S+)(?: # (SKIP))?")


def console(name):
    """A recorded log as QEMU's serial console sends it (CRLF)."""
    with open(os.path.join(DATA, name)) as f:
        lines = f.read().splitlines()
    return lines, "".join(l + "\r\n" for l in lines)


def steps_in(lines):
    """The steps of a log, one boot's: the canary's monitor is named with the boot (1)."""
    steps, suite = [], None
    for line in lines:
        if line.startswith("    # Subtest: "):
            suite = line.split(": ", 1)[1]
            suite += "_boot1" if suite == "assertion_helpers" else ""
        elif m := STEP.match(line):
            steps.append((suite, m[3], "fail" if m[1] else ("skip" if m[4] else "pass")))
    return steps


def suites_in(lines):
    return [l.split(": ", 1)[1] for l in lines if l.startswith("    # Subtest: ")]


def monitor(text, monitors, piece):
    """LAVA's results [(suite, test_case_id, result)] for a console that arrives
    piece characters at a time, and whether every monitor saw its end."""
    buf, pos, results = "", 0, []

    def read():
        nonlocal buf, pos
        if pos >= len(text):
            return False
        buf += text[pos:pos + piece]
        pos += piece
        return True

    for m in monitors:
        while not (found := re.search(m["start"], buf)):
            if not read():
                return results, False
        buf = buf[found.end():]
        while True:
            found = [(f.start(), i, f) for i, p in enumerate((m["end"], m["pattern"])) if (f := re.search(p, buf))]
            if not found:
                if not read():
                    return results, False
                continue
            _, i, f = min(found, key=lambda x: (x[0], x[1]))
            buf = buf[f.end():]
            if i == 0:
                break
            results.append((m["name"], f["test_case_id"], m["fixupdict"].get(f["result"], f["result"])))
    return results, True


class MonitorTest(unittest.TestCase):
    def check(self, name):
        lines, text = console(name)
        expected = steps_in(lines)
        self.assertTrue(expected)
        monitors = lava_job.monitors(suites_in(lines), 1)
        for piece in (1, 3, 64, 2000, len(text)):
            with self.subTest(name=name, piece=piece):
                results, ended = monitor(text, monitors, piece)
                self.assertTrue(ended)
                self.assertEqual(results, expected)

    def test_pass(self):
        self.check("pass-guards.log")

    def test_failed_step(self):
        self.check("fail-step.log")

    def test_skips_and_nested_kunit_ktap(self):
        # kunit's step prints KUnit's own KTAP, indented further: not steps.
        self.check("pass-kunit-stress.log")

    def test_suite_result_disagrees(self):
        self.check("disagree.log")

    def test_cut_short_never_ends(self):
        lines, text = console("timeout.log")
        results, ended = monitor(text, lava_job.monitors(suites_in(lines), 1), 64)
        self.assertFalse(ended)
        self.assertEqual(results, steps_in(lines))

    def test_last_monitor_ends_at_totals(self):
        ends = [m["end"] for m in lava_job.monitors(["a", "b"], 1)]
        self.assertTrue(re.search(ends[0], "x\nok 1 a\r\n"))
        self.assertFalse(re.search(ends[0], "x\nok 1 ab\r\n"))
        self.assertTrue(re.search(ends[1], "x\n# Totals: pass:2 fail:0 skip:0\r\n"))

    def test_canary_monitor_names_its_boot(self):
        canary = lava_job.monitors(["assertion_helpers", "a"], 3)[0]
        self.assertEqual(canary["name"], "assertion_helpers_boot3")
        self.assertEqual(canary["start"], "# Subtest: assertion_helpers")


if __name__ == "__main__":
    unittest.main()
