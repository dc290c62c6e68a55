#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of kunit-parse.py's plumbing, with a stand-in for the kernel's kunit.py.

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    with open(path) as f:
        return f.read()


class KunitParse(unittest.TestCase):
    """kunit-parse.py with a stand-in kunit.py: each log's output, JSON path and
    exit status reach that log's files, however the parse ends."""

    FAKE = '''import sys
def main(argv):
    text = sys.stdin.read()
    print("parsed", argv[1], len(text))
    if "crash" in text:
        raise ValueError("a parser bug")
    sys.exit(1 if "not ok" in text else None)
'''

    def test_each_log_gets_its_own_result(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "kunit.py"), "w") as f:
                f.write(self.FAKE)
            logs = {"pass": "ok 1 a\n", "fail": "not ok 1 a\n", "crash": "crash\n"}
            for name, text in logs.items():
                with open(os.path.join(tmp, f"{name}.log"), "w") as f:
                    f.write(text)
            subprocess.run([sys.executable, os.path.join(HERE, "kunit-parse.py"), os.path.join(tmp, "kunit.py")]
                           + [os.path.join(tmp, f"{n}.log") for n in logs], check=True)
            rc = {n: read(os.path.join(tmp, f"{n}.log.kunit.rc")).strip() for n in logs}
            self.assertEqual(rc, {"pass": "0", "fail": "1", "crash": "1"})
            out = read(os.path.join(tmp, "pass.log.kunit"))
            self.assertEqual(out, f"parsed --json={tmp}/pass.json 7\n")
            self.assertIn("ValueError: a parser bug", read(os.path.join(tmp, "crash.log.kunit")))


if __name__ == "__main__":
    unittest.main()
