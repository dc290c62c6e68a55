#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of lab_check.py on recorded console logs of the lab's exercise
gpl_export (test_data/lab-*.log: real boots of Linux 6.12.118 by `make
lab-check`: the starting files, the solution, and the wrong solution no_call),
each against an expected file written here.

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lab_check  # noqa: E402

DATA = os.path.join(HERE, "test_data")
START, SOLUTION, NO_CALL = (os.path.join(DATA, f"lab-{n}.log") for n in ("start", "solution", "wrong-no-call"))


class LabCheckTest(unittest.TestCase):
    def run_check(self, expected, logs, edit=None):
        """lab_check.py check on logs, with lab/gpl_export/expected holding expected;
        edit(lines) may change a copy of each log first. Its exit status and output."""
        with tempfile.TemporaryDirectory() as lab:
            os.mkdir(os.path.join(lab, "gpl_export"))
            with open(os.path.join(lab, "gpl_export", "expected"), "w") as f:
                f.write(expected)
            paths = []
            for i, log in enumerate(logs):
                lines = lab_check.read(log)
                if edit:
                    lines = edit(lines)
                paths.append(os.path.join(lab, f"console-test-{i}.log"))
                with open(paths[-1], "w") as f:
                    f.write("\n".join(lines) + "\n")
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = lab_check.check(lab, paths)
        return rc, out.getvalue()

    ALL = "start lib_exports\nsolution pass\nwrong/no_call lib_holds_app\n"

    def test_as_expected_passes(self):
        rc, out = self.run_check(self.ALL, [START, SOLUTION, NO_CALL])
        self.assertEqual(rc, 0, out)
        self.assertIn("lab_gpl_export__solution: passed, as it must", out)
        self.assertIn("lab_gpl_export__wrong_no_call: failed at 'lib_holds_app', as it must; hint: ", out)

    def test_a_wrong_solution_that_passes_fails(self):
        # The check accepting a wrong solution: the solution's log, named as a wrong one.
        rc, out = self.run_check("wrong/x lib_holds_app\n", [SOLUTION],
                                 edit=lambda ls: [l.replace("lab_gpl_export__solution", "lab_gpl_export__wrong_x") for l in ls])
        self.assertEqual(rc, 1)
        self.assertIn("must fail at step 'lib_holds_app', but passed: the check accepts it", out)

    def test_failing_at_another_step_fails(self):
        rc, out = self.run_check("start app_calls_lib\n", [START])
        self.assertEqual(rc, 1)
        self.assertIn("must fail first at step 'app_calls_lib', but failed first at 'lib_exports'", out)

    def test_a_failure_without_a_hint_fails(self):
        rc, out = self.run_check("start lib_exports\n", [START],
                                 edit=lambda ls: [l for l in ls if not l.lstrip().startswith("# hint: ")])
        self.assertEqual(rc, 1)
        self.assertIn("failed at step 'lib_exports' with no hint", out)

    def test_a_solution_that_fails_fails(self):
        rc, out = self.run_check("start pass\n", [START])
        self.assertEqual(rc, 1)
        self.assertIn("must pass, but step 'lib_exports' failed", out)

    def test_a_variant_without_a_boot_fails(self):
        rc, out = self.run_check(self.ALL, [START, SOLUTION])
        self.assertEqual(rc, 1)
        self.assertIn("lab_gpl_export__wrong_no_call: no boot ran it", out)

    def test_a_boot_not_in_expected_fails(self):
        rc, out = self.run_check("start lib_exports\n", [START, SOLUTION])
        self.assertEqual(rc, 1)
        self.assertIn("lab_gpl_export__solution: not in lab/gpl_export/expected", out)

    def test_an_oops_fails_even_where_failure_is_expected(self):
        def oops(lines):
            i = lines.index("# $ dmesg")
            return lines[:i] + ["[   1.0] Oops: 0000 [#1] PREEMPT NOPTI"] + lines[i:]
        rc, out = self.run_check("start lib_exports\n", [START], edit=oops)
        self.assertEqual(rc, 1)
        self.assertIn("kernel log: [   1.0] Oops", out)

    def test_a_log_cut_short_fails(self):
        rc, out = self.run_check("solution pass\n", [SOLUTION], edit=lambda ls: ls[:len(ls) // 2])
        self.assertEqual(rc, 1)

    def test_student_lines(self):
        for log, rc, line in ((SOLUTION, 0, "lab: gpl_export: passed"),
                              (START, 1, "lab: gpl_export: not yet: step 'lib_exports' failed; hint: lab_lib exports nothing")):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(lab_check.student(log), rc)
            self.assertTrue(out.getvalue().startswith(line), out.getvalue())


if __name__ == "__main__":
    unittest.main()
