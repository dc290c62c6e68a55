#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of measured.py: a report replaces the section it belongs in and nothing
else; something that is not a report changes nothing.

Run from the top of the tree: python3 -m unittest discover -s scripts -p 'test_*.py'
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MEASURED = os.path.join(HERE, "measured.py")
PAGE = """# Measured

intro

## The latest `make bench` (Linux 6.12.117, x86_64, 2026-12-01)

```
make bench: Linux 6.12.117-x86_64-e53b246d53bf, 2026-12-01, 2 cores, QEMU 7.2.22 TCG
old figures
```

## Where the loop's time goes

kept
"""
REPORT = "make bench: Linux 6.12.118-x86_64-9bb34c22e23a, 2026-12-06, 2 cores, QEMU 7.2.22 TCG\nnew figures\n"


class Measured(unittest.TestCase):
    def run_it(self, report):
        with tempfile.TemporaryDirectory() as d:
            page, rep = os.path.join(d, "measured.md"), os.path.join(d, "report.txt")
            for path, text in ((page, PAGE), (rep, report)):
                with open(path, "w") as f:
                    f.write(text)
            r = subprocess.run([sys.executable, MEASURED, page, rep], capture_output=True, text=True)
            with open(page) as f:
                return r.returncode, f.read()

    def test_report_replaces_its_section_only(self):
        rc, page = self.run_it(REPORT)
        self.assertEqual(rc, 0)
        self.assertIn("## The latest `make bench` (Linux 6.12.118, x86_64, 2026-12-06)", page)
        self.assertIn("new figures", page)
        self.assertNotIn("old figures", page)
        self.assertTrue(page.startswith("# Measured\n\nintro\n\n"))
        self.assertTrue(page.endswith("\n## Where the loop's time goes\n\nkept\n"), page)

    def test_report_after_blank_lines(self):
        # bench.sh prints an empty line before its report.
        rc, page = self.run_it("\n" + REPORT)
        self.assertEqual(rc, 0)
        self.assertIn("## The latest `make bench` (Linux 6.12.118, x86_64, 2026-12-06)", page)

    def test_not_a_report_changes_nothing(self):
        rc, page = self.run_it("error: the kernel did not build\n")
        self.assertEqual(rc, 1)
        self.assertEqual(page, PAGE)


if __name__ == "__main__":
    unittest.main()
