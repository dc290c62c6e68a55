#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of loader-doc.py --check (make docs-check) on a real console log.

qemu/host/test_data/pass-guards.log is a real 6.12.117 boot of the guards
suite. A document is made from it, then checked against copies of the log as
the next stable release would print them (the release raised by one patch
level, and to a patch level whose made-up "9.99.9" release is shorter), which
must pass, and against copies where one kernel message, one number or the
series changed, which must fail.

Run from the top of the tree: python3 -m unittest discover -s scripts -p 'test_*.py'
"""
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LOADER_DOC = os.path.join(HERE, "loader-doc.py")
LOG = os.path.join(HERE, "..", "..", "qemu", "host", "test_data", "pass-guards.log")
TEMPLATE = """# Two steps of the guards suite, read in Linux 6.12.117

@@ guards other_vermagic_refused @@

@@ guards forced_vermagic_loads_tainted_F @@

@@ guards module_restricted_export @@
"""


class DocsCheck(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.template = self.path("loader.md.in", TEMPLATE)
        made = subprocess.run([sys.executable, LOADER_DOC, self.template, LOG],
                              check=True, capture_output=True, text=True).stdout
        self.doc = self.path("loader.md", made)
        with open(LOG) as f:
            self.log = f.read()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name, text):
        p = os.path.join(self.dir.name, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def check(self, log_text):
        log = self.path("console-test-1.log", log_text)
        return subprocess.run([sys.executable, LOADER_DOC, "--check", self.doc, self.template, log],
                              capture_output=True, text=True)

    def assertPasses(self, log_text):
        r = self.check(log_text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("matches the messages of Linux 6.12", r.stdout)

    def assertFails(self, log_text, changed):
        r = self.check(log_text)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("run 'make docs'", r.stderr)
        self.assertIn(changed, r.stderr)  # the diff shows the changed line

    def test_the_document_is_what_the_log_prints(self):
        with open(self.doc) as f:
            self.assertIn("should be '6.12.117 mod_unload '", f.read())
        self.assertPasses(self.log)

    def test_next_patch_release_passes(self):
        bumped = self.log.replace("6.12.117", "6.12.118")
        self.assertNotEqual(bumped, self.log)
        self.assertPasses(bumped)

    def test_shorter_release_and_its_made_up_release_pass(self):
        # make-fixtures.sh makes every digit of the release 9: 6.12.9 -> 9.99.9.
        bumped = self.log.replace("6.12.117", "6.12.9").replace("9.99.999", "9.99.9")
        self.assertPasses(bumped)

    def test_changed_kernel_message_fails(self):
        changed = self.log.replace("should be '6.12.117", "must be '6.12.118").replace("6.12.117", "6.12.118")
        self.assertFails(changed, "must be")

    def test_changed_number_fails(self):
        self.assertIn("max_clients=4,", self.log)
        self.assertFails(self.log.replace("max_clients=4,", "max_clients=5,"), "max_clients=5")

    def test_changed_skip_reason_fails(self):
        self.assertFails(self.log.replace("has no module-restricted exports", "lacks module-restricted exports"),
                         "lacks module-restricted")

    def test_new_series_fails(self):
        self.assertFails(self.log.replace("6.12.117", "6.13.1").replace("9.99.999", "9.99.9"), "6.13.1")


class Normalise(unittest.TestCase):
    def test_crcs_and_releases(self):
        spec = importlib.util.spec_from_file_location("loader_doc", LOADER_DOC)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        text = "0x6b35f59a\tparam_ops_uint\nversion magic '9.9.9 ' should be '7.3.4 '\nsee 0x6b35f59a"
        self.assertEqual(mod.normalise(text, {"7.3"}),
                         "0x<crc>\tparam_ops_uint\nversion magic '9.9.y ' should be '7.3.y '\nsee 0x6b35f59a")


class OneBlockWhenTheSame(unittest.TestCase):
    """Two kernels that printed the same, their releases aside, get one block that says so;
    two that differ in one line get a block each."""

    def make(self, other):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name, text in (("a.log", open(LOG).read()), ("b.log", other)):
                paths.append(os.path.join(d, name))
                with open(paths[-1], "w") as f:
                    f.write(text)
            template = os.path.join(d, "t.md.in")
            with open(template, "w") as f:
                f.write("@@ guards other_vermagic_refused @@\n")
            return subprocess.run([sys.executable, LOADER_DOC, template, *paths],
                                  check=True, capture_output=True, text=True).stdout

    def test_same_but_the_release_is_one_block(self):
        other = open(LOG).read().replace("6.12.117", "7.3.4").replace("9.99.999", "9.9.9")
        out = self.make(other)
        self.assertIn("Linux 6.12.117 and 7.3.4, the same on each but for the release (shown: 6.12.117):", out)
        self.assertEqual(out.count("```"), 2, out)

    def test_one_kernel_is_its_own_block(self):
        template = TEMPLATE.replace("@@ guards forced_vermagic_loads_tainted_F @@\n", "")
        with tempfile.TemporaryDirectory() as d:
            t = os.path.join(d, "t.md.in")
            with open(t, "w") as f:
                f.write(template)
            out = subprocess.run([sys.executable, LOADER_DOC, t, LOG], check=True, capture_output=True, text=True).stdout
        self.assertIn("Linux 6.12.117:\n```", out)
        self.assertNotIn("the same on each", out)

    def test_a_different_line_is_two_blocks(self):
        other = open(LOG).read().replace("6.12.117", "7.3.4").replace("9.99.999", "9.9.9")
        other = other.replace("should be '7.3.4", "should be now '7.3.4", 1)
        out = self.make(other)
        self.assertIn("Linux 6.12.117:", out)
        self.assertIn("Linux 7.3.4:", out)
        self.assertEqual(out.count("```"), 4, out)


class Tables(unittest.TestCase):
    """The tables of errnos and taints: made from the suites' source and a log's results."""

    def make(self):
        with tempfile.TemporaryDirectory() as d:
            t = os.path.join(d, "t.md.in")
            with open(t, "w") as f:
                f.write("@@ table errnos @@\n\n@@ table taints @@\n")
            return subprocess.run([sys.executable, LOADER_DOC, t, LOG], check=True, capture_output=True,
                                  text=True).stdout.splitlines()

    def row(self, first):
        rows = [l for l in self.make() if l.startswith(f"| {first} |")]
        self.assertEqual(len(rows), 1, rows)
        return rows[0]

    def test_errno_row_names_its_steps_and_their_results(self):
        row = self.row("ENOEXEC")
        self.assertIn("guards not_an_elf_file_refused", row)
        self.assertIn("guards other_vermagic_refused (not config_modversions)", row)
        self.assertRegex(row, r"\| (passed|[1-9]\d* of \d+ passed)[^|]*\|$")

    def test_a_skipped_step_is_counted(self):
        row = self.row("EINVAL")
        self.assertIn("guards module_restricted_export (module_restricted_ns)", row)
        self.assertIn("1 skipped", row)

    def test_a_step_of_another_suite_did_not_run(self):
        self.assertIn("not run", self.row("EKEYREJECTED"))

    def test_taint_rows(self):
        self.assertIn("| P | 0 (1) | PROPRIETARY_MODULE |", self.row("P"))
        self.assertIn("guards forced_vermagic_loads_tainted_F", self.row("F"))


if __name__ == "__main__":
    unittest.main()
