#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of verdict.py on recorded console logs (test_data/*.log), as the kernel's
tools/testing/kunit/kunit_tool_test.py tests its parser on its test_data/*.log.

pass-guards.log and pass-kunit-stress.log are cut-down real passing consoles (one
boot each; real consoles end their lines in CRLF, these files in LF); each other
log is one of them with one thing gone wrong, as the VM would print it. The
expected counts come from the step lines of each file ("    ok N", "    not ok N",
"    ok N NAME # SKIP ...").

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import contextlib
import io
import os
import re
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import verdict  # noqa: E402

DATA = os.path.join(HERE, "test_data")
PATTERNS = os.path.join(HERE, "..", "bad-log-patterns")

# One sample kernel line for each pattern of qemu/bad-log-patterns, in the kernel's
# own words. A pattern added to the file without a sample here fails
# test_every_pattern_has_a_sample.
SAMPLES = {
    "Kernel panic": "Kernel panic - not syncing: Fatal exception",
    "Oops": "Oops: 0000 [#1] PREEMPT NOPTI",
    "BUG:": "BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "WARNING:": "WARNING: CPU: 0 PID: 1 at kernel/workqueue.c:7750 workqueue_init+0x19c/0x2f0",
    "Call Trace": "Call Trace:",
    "general protection fault": "general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT NOPTI",
    "possible circular locking": "WARNING: possible circular locking dependency detected",
    "possible recursive locking": "WARNING: possible recursive locking detected",
    "inconsistent lock state": "WARNING: inconsistent lock state",
    "kmemleak: .*new suspected memory leaks": "kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    "sleeping function called from invalid context": "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585",
    "ASSERTION FAILED": "    # null_client_is_einval: ASSERTION FAILED at rust_demo_export.rs:412",
    "EXPECTATION FAILED": "    # null_client_is_einval: EXPECTATION FAILED at rust_demo_export.rs:412",
}


def patterns_in_file(path=PATTERNS):
    """The patterns of qemu/bad-log-patterns, read as its header says: one a line,
    lines starting with # are comments."""
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def log(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read().splitlines()


def insert_before(lines, marker, new):
    """lines with the line new inserted before the one line equal to marker."""
    assert lines.count(marker) == 1, marker
    i = lines.index(marker)
    return lines[:i] + [new] + lines[i:]


class VerdictTestCase(unittest.TestCase):
    def verdict(self, name, status=0, lines=None):
        return verdict.verdict(log(name) if lines is None else lines, status, name)

    def assertProblems(self, problems, *expected):
        """Each regex of expected matches one problem, and each problem one of them."""
        left = list(problems)
        for pattern in expected:
            hits = [p for p in left if re.search(pattern, p)]
            self.assertEqual(len(hits), 1, f"{pattern!r}: one problem of {problems}")
            left.remove(hits[0])
        self.assertEqual(left, [], f"unexpected problems (all: {problems})")

    def main(self, *boots):
        """verdict.main() over (log name or path, QEMU status) pairs: (exit status, output)."""
        argv = ["verdict.py"]
        for path, status in boots:
            argv += [os.path.join(DATA, path), str(status)]
        out = io.StringIO()
        with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(out):
            rc = verdict.main()
        return rc, out.getvalue()


class PassTest(VerdictTestCase):
    def test_pass_guards(self):
        problems, counts = self.verdict("pass-guards.log")
        self.assertEqual(problems, [])
        # Steps 1-4 and 6-10 ok, step 5 ok # SKIP; and the canary's one step.
        self.assertEqual(counts, [10, 0, 1])

    def test_pass_kunit_stress(self):
        problems, counts = self.verdict("pass-kunit-stress.log")
        self.assertEqual(problems, [])
        # kunit: 1 ok, 1 SKIP; stress: 1 ok, 4 SKIP; and the canary's one step.
        self.assertEqual(counts, [3, 0, 5])

    def test_main_pass_two_boots(self):
        rc, out = self.main(("pass-guards.log", 0), ("pass-kunit-stress.log", 0))
        self.assertEqual(rc, 0, out)
        self.assertNotIn("FAIL", out)
        self.assertEqual(out.splitlines()[-1], "verdict: 13 passed, 0 failed, 6 skipped")

    def test_main_reads_crlf(self):
        # QEMU's serial console ends its lines in CRLF.
        with open(os.path.join(DATA, "pass-guards.log")) as f:
            text = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "console-test-1.log")
            with open(path, "w", newline="") as f:
                f.write(text.replace("\n", "\r\n"))
            rc, out = self.main((path, 0))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.splitlines()[-1], "verdict: 10 passed, 0 failed, 1 skipped")

    def test_main_usage(self):
        with mock.patch.object(sys, "argv", ["verdict.py", "console-test-1.log"]):
            with self.assertRaises(SystemExit) as e:
                verdict.main()
        self.assertIn("CONSOLE-LOG QEMU-EXIT-STATUS", str(e.exception.code))


class StepTest(VerdictTestCase):
    def test_failed_step(self):
        problems, counts = self.verdict("fail-step.log")
        self.assertProblems(problems, r"suite guards: step 1 failed: not_an_elf_file_refused$")
        # Step 1 not ok; 2-4 and 6-10 ok; 5 SKIP; and the canary's one step.
        self.assertEqual(counts, [9, 1, 1])

    def test_main_failed_step(self):
        rc, out = self.main(("fail-step.log", 0))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL:", out)
        self.assertIn("not_an_elf_file_refused", out)
        self.assertNotIn("--- last lines", out)  # the log is complete
        self.assertEqual(out.splitlines()[-1], "verdict: 9 passed, 1 failed, 1 skipped")

    def test_main_one_failed_boot_fails_the_run(self):
        rc, out = self.main(("pass-kunit-stress.log", 0), ("fail-step.log", 0))
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines()[-1], "verdict: 12 passed, 1 failed, 6 skipped")

    def test_missing_step(self):
        problems, counts = self.verdict("missing-step.log")
        # Plan 1..10, no result for 10; the suite is "not ok", which agrees; and the canary's one step.
        self.assertProblems(problems, r"suite guards: test 10 has no result")
        self.assertEqual(counts, [9, 0, 1])

    def test_repeated_step_number(self):
        # A failed step 1 followed by a second "ok 1" must not hide the failure.
        lines = log("fail-step.log")
        i = next(n for n, l in enumerate(lines) if l.startswith("    not ok 1 "))
        lines.insert(i + 1, "    ok 1 " + lines[i].split()[3])
        problems, _ = verdict.verdict(lines, 0, "log")
        self.assertTrue(any("a second result for the same number" in p for p in problems), problems)

    def test_empty_plan(self):
        lines = log("pass-guards.log")
        i = lines.index("    1..10")
        lines = lines[:i] + ["    1..0"] + [l for l in lines[i + 1:] if not re.match(r"    (not )?ok \d", l)]
        problems, _ = verdict.verdict(lines, 0, "log")
        self.assertTrue(any("empty plan" in p for p in problems), problems)

    def test_skip_without_reason(self):
        problems, counts = self.verdict("skip-no-reason.log")
        self.assertProblems(problems, r"suite guards: step 5 \(module_restricted_export\) skipped with no reason")
        # Steps 1-4 and 6-10 ok; step 5 "ok 5 module_restricted_export # SKIP" with no reason; and the canary's one step.
        self.assertEqual(counts, [10, 0, 1])
        rc, out = self.main(("skip-no-reason.log", 0))
        self.assertEqual(rc, 1)

    def test_suite_result_disagrees_with_steps(self):
        problems, counts = self.verdict("disagree.log")
        self.assertProblems(
            problems,
            r"suite kunit: the suite's result disagrees with its steps",
            r"suite stress: step 5 failed: no_oops_warn_or_unexpected_taint$",
            r"suite stress: the suite's result disagrees with its steps",
        )
        # kunit: 1 ok, 1 SKIP; stress: 4 SKIP, step 5 not ok; and the canary's one step.
        self.assertEqual(counts, [2, 1, 5])


class CanaryTest(VerdictTestCase):
    """run-suites.sh runs assertion_helpers (helpers_test.sh --canary) first in every boot."""

    def without_canary(self):
        lines = log("pass-guards.log")
        start = lines.index("    # Subtest: assertion_helpers") - 1
        end = lines.index("ok 1 assertion_helpers")
        lines = lines[:start] + lines[end + 1:]
        lines[1] = "1..1"
        return [re.sub(r"^ok 2 guards$", "ok 1 guards", l) for l in lines]

    def test_boot_without_canary_fails(self):
        problems, counts = verdict.verdict(self.without_canary(), 0, "log")
        self.assertProblems(problems, r"log: the boot did not run assertion_helpers first")
        self.assertEqual(counts, [9, 0, 1])

    def test_canary_not_first_fails(self):
        lines = self.without_canary()
        lines[1] = "1..2"
        i = lines.index("ok 1 guards")
        lines[i + 1:i + 1] = ["    KTAP version 1", "    # Subtest: assertion_helpers", "    1..1",
                              "    ok 1 canary_false_fails_true_passes", "ok 2 assertion_helpers"]
        problems, _ = verdict.verdict(lines, 0, "log")
        self.assertProblems(problems, r"log: the boot did not run assertion_helpers first")

    def test_failed_canary_fails(self):
        lines = log("pass-guards.log")
        i = lines.index("    ok 1 canary_false_fails_true_passes")
        lines[i:i + 1] = ["    # assertion helpers are broken: the suite's exit status is 0, not 1",
                          "    not ok 1 canary_false_fails_true_passes"]
        lines[lines.index("ok 1 assertion_helpers")] = "not ok 1 assertion_helpers"
        problems, counts = verdict.verdict(lines, 0, "log")
        self.assertProblems(problems, r"suite assertion_helpers: step 1 failed: canary_false_fails_true_passes")
        self.assertEqual(counts, [9, 1, 1])


class SuiteTest(VerdictTestCase):
    def test_suite_printed_no_steps(self):
        # "strss": no such suite, so run-suites.sh printed only "not ok 3 strss".
        problems, counts = self.verdict("no-steps.log")
        self.assertProblems(problems, r"suite 3 \(strss\) printed no steps")
        self.assertEqual(counts, [2, 0, 1])

    def test_suite_with_plan_and_no_results(self):
        problems, counts = self.verdict("no-results.log")
        self.assertProblems(problems, *(rf"suite stress: test {n} has no result" for n in range(1, 6)))
        self.assertEqual(counts, [2, 0, 1])


class CutShortTest(VerdictTestCase):
    def test_panic_mid_suite(self):
        problems, counts = self.verdict("panic.log")
        self.assertProblems(
            problems,
            # The console's own kernel lines (no "# [kernel] " prefix).
            r"^kernel log: \[  T190\] BUG: kernel NULL pointer dereference",
            r"^kernel log: \[  T190\] Oops: 0000",
            r"^kernel log: \[  T190\] Call Trace:",
            r"^kernel log: \[  T190\] Kernel panic - not syncing: Fatal exception",
            r"no end marker",
            r"panic.log: test 2 has no result",  # the top-level plan 1..2
            r"suite guards \(cut short after step 3\)",
        )
        # Steps 1-3 ok before the panic, in step 4; and the canary's one step.
        self.assertEqual(counts, [4, 0, 0])

    def test_main_panic_shows_last_lines(self):
        rc, out = self.main(("panic.log", 0))
        self.assertEqual(rc, 1)
        self.assertIn("--- last lines of", out)
        self.assertIn("[  T190] Kernel panic - not syncing: Fatal exception", out)
        self.assertEqual(out.splitlines()[-1], "verdict: 4 passed, 1 failed, 0 skipped")

    def test_timeout(self):
        problems, counts = self.verdict("timeout.log", 124)
        self.assertProblems(
            problems,
            r"no end marker",
            r"timeout.log: test 2 has no result",
            r"suite guards \(cut short after step 6\)",
            r"QEMU timed out",
        )
        # Steps 1-4 and 6 ok, 5 SKIP; the VM hung in step 7; and the canary's one step.
        self.assertEqual(counts, [6, 0, 1])
        rc, out = self.main(("timeout.log", 124))
        self.assertEqual(rc, 1)

    def test_timeout_of_a_complete_log(self):
        problems, counts = self.verdict("pass-guards.log", 124)
        self.assertProblems(problems, r"pass-guards.log: QEMU timed out")
        self.assertEqual(counts, [10, 0, 1])
        rc, out = self.main(("pass-guards.log", 124))
        self.assertEqual(rc, 1)

    def test_qemu_failed(self):
        problems, _ = self.verdict("pass-guards.log", 1)
        self.assertProblems(problems, r"QEMU exited with status 1")

    def test_no_ktap(self):
        # QEMU started, the kernel died before /init ran the suites.
        lines = [
            "[    T1] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
            "[    T1] Kernel Offset: disabled",
        ]
        problems, counts = verdict.verdict(lines, 0, "console-test-1.log")
        self.assertProblems(problems, r"^kernel log: \[    T1\] Kernel panic", r"no KTAP")
        self.assertEqual(counts, [0, 0, 0])


class KernelLogTest(VerdictTestCase):
    def test_warn_at_boot_with_all_steps_passing(self):
        problems, counts = self.verdict("warn-boot.log")
        self.assertProblems(
            problems,
            r"^kernel log: # \[kernel\] \[    T1\] WARNING: CPU: 0 PID: 1 at kernel/workqueue.c",
            r"^kernel log: # \[kernel\] \[    T1\] Call Trace:",
        )
        self.assertEqual(counts, [10, 0, 1])
        rc, out = self.main(("warn-boot.log", 0))
        self.assertEqual(rc, 1)
        self.assertIn("WARNING: CPU: 0 PID: 1", out)

    def test_narration_is_not_kernel_log(self):
        # Demo-mode narration names "Kernel panic", "Oops", "BUG:", "WARNING:", ...
        lines = log("narration.log")
        self.assertTrue(any(verdict.BAD.search(l) for l in lines), "the narration names no pattern")
        problems, counts = self.verdict("narration.log", lines=lines)
        self.assertEqual(problems, [])
        self.assertEqual(counts, [3, 0, 5])

    def test_failed_assertion_naming_patterns_is_not_kernel_log(self):
        lines = log("fail-diag-words.log")
        self.assertTrue(any(verdict.BAD.search(l) for l in lines), "the FAILED line names no pattern")
        problems, counts = self.verdict("fail-diag-words.log", lines=lines)
        self.assertProblems(problems, r"suite guards: step 2 failed: truncated_image_refused$")
        self.assertEqual(counts, [9, 1, 1])

    def test_userspace_warning_is_not_kernel_log(self):
        # pass-guards.log holds depmod's own "# depmod: WARNING: ..." lines.
        lines = log("pass-guards.log")
        self.assertTrue(any("# depmod: WARNING:" in l for l in lines))
        self.assertEqual(self.verdict("pass-guards.log", lines=lines)[0], [])


class PatternTest(VerdictTestCase):
    """Every pattern of qemu/bad-log-patterns fails a log, whether the kernel line is
    on the console or in the "# [kernel] " dump of dmesg; none fails it in a diagnostic."""

    def test_every_pattern_has_a_sample(self):
        patterns = patterns_in_file()
        self.assertEqual(len(patterns), len(set(patterns)), "a pattern twice")
        self.assertEqual(sorted(set(patterns) - set(SAMPLES)), [], "patterns with no sample in SAMPLES")
        self.assertEqual(sorted(set(SAMPLES) - set(patterns)), [], "samples of patterns no longer in the file")
        for pattern, sample in SAMPLES.items():
            self.assertRegex(sample, pattern)

    def kernel_lines(self, sample):
        """pass-guards.log with sample as a console line, and with it in the dmesg dump."""
        base = log("pass-guards.log")
        console = f"[  T239] {sample}"
        dump = f"# [kernel] [  T239] {sample}"
        return [
            (insert_before(base, "# $ dmesg", console), console),
            (insert_before(base, "# Totals: pass:2 fail:0 skip:0", dump), dump),
        ]

    def check_flagged(self, pattern, sample):
        for lines, line in self.kernel_lines(sample):
            with self.subTest(pattern=pattern, line=line):
                problems, counts = verdict.verdict(lines, 0, "pass-guards.log")
                self.assertEqual(problems, [f"kernel log: {line.lstrip(' ')}"])
                self.assertEqual(counts, [10, 0, 1])

    def test_each_sample_is_caught(self):
        for pattern, sample in SAMPLES.items():
            self.check_flagged(pattern, sample)

    def test_each_pattern_alone_catches_its_sample(self):
        # Some samples match two patterns (lockdep's reports begin "WARNING:"), so
        # each pattern line of the file is also tried alone, as verdict.py reads it.
        with open(PATTERNS) as f:
            header = [l for l in f if l.startswith("#")]
        for pattern in patterns_in_file():
            with tempfile.NamedTemporaryFile("w", suffix=".patterns", delete=False) as f:
                f.writelines(header + [pattern + "\n"])
            try:
                one = verdict.bad_patterns(f.name)
            finally:
                os.unlink(f.name)
            with mock.patch.object(verdict, "BAD", one):
                self.assertEqual(self.verdict("pass-guards.log")[0], [], pattern)
                self.check_flagged(pattern, SAMPLES.get(pattern, pattern))

    def test_samples_in_diagnostics_are_not_caught(self):
        lines = log("pass-guards.log")
        for sample in SAMPLES.values():
            lines = insert_before(lines, "    ok 3 duplicate_refused", f"    # {sample}")
            lines = insert_before(lines, "# $ dmesg", f"# {sample}")
        problems, counts = verdict.verdict(lines, 0, "pass-guards.log")
        self.assertEqual(problems, [])
        self.assertEqual(counts, [10, 0, 1])


if __name__ == "__main__":
    unittest.main()
