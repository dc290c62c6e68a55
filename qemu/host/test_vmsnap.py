#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of vmsnap.py's judgement of a snapshot boot. test_data/snapshot-boot.log is a real snapshot boot's console
(Linux 6.12, x86_64); the failing cases are it with one thing gone wrong.

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vmsnap  # noqa: E402

with open(os.path.join(HERE, "test_data", "snapshot-boot.log")) as f:
    BOOT = f.read().splitlines()


class JudgeBoot(unittest.TestCase):
    def test_a_clean_boot_may_be_saved(self):
        self.assertEqual(vmsnap.judge_boot(BOOT), [])

    def test_a_warning_fails_it(self):
        lines = BOOT[:-1] + ["# [kernel] [    0.3] WARNING: CPU: 0 PID: 1 at kernel/x.c:1"] + BOOT[-1:]
        problems = vmsnap.judge_boot(lines)
        self.assertEqual(len(problems), 1)
        self.assertIn("WARNING: CPU: 0", problems[0])

    def test_no_ready_line_fails_it(self):
        problems = vmsnap.judge_boot([l for l in BOOT if l != vmsnap.READY])
        self.assertEqual(problems, [f"the guest never printed '{vmsnap.READY}'"])

    def test_the_ready_line_must_be_the_guests_own(self):
        # a line that only mentions it, as a step's output might
        lines = [l for l in BOOT if l != vmsnap.READY] + [f"echo '{vmsnap.READY}'"]
        self.assertEqual(len(vmsnap.judge_boot(lines)), 1)


if __name__ == "__main__":
    unittest.main()
