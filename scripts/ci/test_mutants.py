#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of mutants.py's list: scripts/ci/mutants.txt parses, each of its mutants
applies to the tree as it is (its line is there exactly once, so an edit that
moves it fails here, in make unit, and not only in make mutants), and the
parser refuses a mutant with a part missing or a name used twice.

Run from the top of the tree: python3 -m unittest discover -s scripts -p 'test_*.py'
"""
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
_spec = importlib.util.spec_from_file_location("mutants", os.path.join(HERE, "mutants.py"))
mutants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutants)


class ListTest(unittest.TestCase):
    def parse(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(text)
        try:
            return mutants.parse(f.name)
        finally:
            os.unlink(f.name)

    # In make mutants' copy (no git checkout) one file is mutated on purpose: a failure here
    # would kill every mutant that make unit judges, whatever its own test says.
    @unittest.skipUnless(os.path.exists(os.path.join(TOP, ".git")), "not a git checkout (the mutants' copy)")
    def test_every_mutant_applies_once(self):
        ms = mutants.parse(os.path.join(HERE, "mutants.txt"))
        self.assertGreaterEqual(len(ms), 20)
        self.assertTrue(any(m["fast"] for m in ms))
        for m in ms:
            with self.subTest(mutant=m["name"]):
                with open(os.path.join(TOP, m["file"])) as f:
                    text = f.read()
                self.assertEqual(text.count(m["old"]), 1, f"'{m['old']}' in {m['file']}")
                self.assertNotEqual(m["old"], m["new"])
                self.assertIn(m["make"][0], ("test", "unit", "lab-check"))

    def test_a_mutant_parses(self):
        (m,) = self.parse("## one: breaks x\nfile: a.sh\nmake: test SUITE=pinning\nfast: yes\n- \told\n+ \tnew\n")
        self.assertEqual((m["name"], m["file"], m["make"], m["fast"], m["old"], m["new"]),
                         ("one", "a.sh", ["test", "SUITE=pinning"], True, "\told", "\tnew"))

    def test_a_mutant_without_its_line_is_refused(self):
        with self.assertRaises(SystemExit) as e:
            self.parse("## one: breaks x\nfile: a.sh\nmake: unit\n+ new\n")
        self.assertIn("has no old", str(e.exception))

    def test_two_mutants_of_one_name_are_refused(self):
        one = "## one: breaks x\nfile: a.sh\nmake: unit\n- a\n+ b\n"
        with self.assertRaises(SystemExit):
            self.parse(one + one)

    def test_a_stray_line_is_refused(self):
        with self.assertRaises(SystemExit):
            self.parse("## one: breaks x\nfile: a.sh\nmake: unit\n- a\n+ b\nsomething else\n")


class CopyTest(unittest.TestCase):
    # make mutants runs make unit in its copy of the tree, which is no git checkout.
    @unittest.skipUnless(os.path.exists(os.path.join(TOP, ".git")), "not a git checkout (the mutants' copy)")
    def test_copy_keeps_builds_and_drops_stale_files(self):
        with tempfile.TemporaryDirectory() as tree:
            os.makedirs(os.path.join(tree, "out"))
            os.makedirs(os.path.join(tree, "qemu", "guest", "suites"))
            for f in ("out/build.log", "qemu/guest/suites/gone.sh"):
                open(os.path.join(tree, f), "w").close()
            mutants.copy_tree(tree)
            self.assertTrue(os.path.exists(os.path.join(tree, "out", "build.log")))
            self.assertFalse(os.path.exists(os.path.join(tree, "qemu", "guest", "suites", "gone.sh")))
            with open(os.path.join(TOP, "rust_demo_export.rs")) as a, open(os.path.join(tree, "rust_demo_export.rs")) as b:
                self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main()
