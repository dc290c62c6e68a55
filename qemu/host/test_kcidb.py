#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of kcidb.py on the recorded console logs of test_data/ (see test_verdict.py).

The expected tests come from each log's own step lines ("    ok N NAME",
"    not ok N NAME", "    ok N NAME # SKIP ..."), read here with a regex of
their own. The schema tests run the reports through scripts/ci/kcidb-validate.py
with the python3 named by KCIDB_PYTHON (make lint sets it to kcidb-io's virtual
environment, scripts/pypi-venv.sh); without it they are skipped, and say so.

Run from the top of the tree: python3 -m unittest discover -s qemu/host -p 'test_*.py'
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kcidb  # noqa: E402

DATA = os.path.join(HERE, "test_data")
VALIDATE = os.path.join(HERE, "..", "..", "scripts", "ci", "kcidb-validate.py")
STEP = re.compile(r"^    (not )?ok (\d+) (\S+)(?: # (SKIP))?")


def log(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read().splitlines()


def report(*names, status=0):
    with tempfile.TemporaryDirectory() as kdir:
        return kcidb.report("x86_64", kdir, [(n, log(n), status) for n in names], start="2026-12-01T10:00:00+00:00")


def steps_in(name, boot=1):
    """{path: status} of the step lines of a log, with the suite names of its Subtest lines
    (the canary's, which every boot runs, with the boot's number)."""
    steps, suite = {}, None
    for line in log(name):
        if line.startswith("    # Subtest: "):
            suite = line.split(": ", 1)[1]
            suite += f"_boot{boot}" if suite == "assertion_helpers" else ""
        elif m := STEP.match(line):
            steps[f"rust_demo.{suite}.{m[3]}"] = "FAIL" if m[1] else ("SKIP" if m[4] else "PASS")
    return steps


def by_path(rep):
    paths = [t["path"] for t in rep["tests"]]
    assert len(paths) == len(set(paths)), paths
    return {t["path"]: t for t in rep["tests"]}


class ReportTest(unittest.TestCase):
    def assertSteps(self, name, rep):
        tests = by_path(rep)
        expected = steps_in(name)
        self.assertTrue(expected)
        got = {p: t["status"] for p, t in tests.items() if p.count(".") == 2}
        self.assertEqual(got, expected)

    def test_pass_one_test_per_step(self):
        rep = report("pass-guards.log")
        self.assertSteps("pass-guards.log", rep)
        tests = by_path(rep)
        self.assertEqual(tests["rust_demo"]["status"], "PASS")
        self.assertEqual(tests["rust_demo.guards"]["status"], "PASS")
        self.assertEqual(tests["rust_demo"]["log_excerpt"], "verdict: 10 passed, 0 failed, 1 skipped")
        # Every test names the one build, which names the one checkout.
        self.assertEqual({t["build_id"] for t in rep["tests"]}, {rep["builds"][0]["id"]})
        self.assertEqual(rep["builds"][0]["checkout_id"], rep["checkouts"][0]["id"])

    def test_two_boots(self):
        rep = report("pass-guards.log", "pass-kunit-stress.log")
        tests = by_path(rep)
        self.assertEqual({p for p in tests if p.count(".") == 2},
                         set(steps_in("pass-guards.log")) | set(steps_in("pass-kunit-stress.log", boot=2)))
        self.assertEqual(tests["rust_demo.assertion_helpers_boot2"]["misc"]["boot"], 2)
        self.assertEqual(tests["rust_demo.stress"]["misc"]["boot"], 2)

    def test_excerpt_is_the_steps_own_lines(self):
        tests = by_path(report("fail-step.log"))
        step = tests["rust_demo.guards.not_an_elf_file_refused"]
        self.assertEqual(step["status"], "FAIL")
        text = step["log_excerpt"].splitlines()
        self.assertEqual(text[-1], "not ok 1 not_an_elf_file_refused")
        self.assertIn("# $ /sbin/insmod /demo/fixtures/bad_magic.ko", text)
        self.assertTrue(any(l.startswith("# FAILED: ") for l in text))
        # The next step's excerpt starts after this step's result.
        nxt = tests["rust_demo.guards.truncated_image_refused"]["log_excerpt"].splitlines()
        self.assertEqual(nxt[0], "# $ /sbin/insmod /demo/fixtures/truncated.ko")
        self.assertEqual(tests["rust_demo.guards"]["status"], "FAIL")
        self.assertEqual(tests["rust_demo"]["status"], "FAIL")
        self.assertIn("step 1 failed", tests["rust_demo"]["log_excerpt"])

    def test_failed_step_counts(self):
        self.assertSteps("fail-step.log", report("fail-step.log"))

    def test_cut_short_suite_is_error(self):
        for name, status in (("timeout.log", 124), ("panic.log", 0)):
            tests = by_path(report(name, status=status))
            suites = [t for p, t in tests.items() if p.count(".") == 1]
            self.assertEqual([t["status"] for t in suites], ["PASS", "ERROR"], name)  # the canary, the suite
            self.assertEqual(tests["rust_demo"]["status"], "FAIL", name)
            self.assertSteps(name, {"tests": list(tests.values())})

    def test_missing_step_fails_the_suite(self):
        tests = by_path(report("missing-step.log"))
        self.assertEqual(tests["rust_demo.guards"]["status"], "FAIL")
        self.assertIn("test 10 has no result", tests["rust_demo.guards"]["log_excerpt"])

    def test_kernel_warning_fails_the_run(self):
        tests = by_path(report("warn-boot.log"))
        self.assertEqual(tests["rust_demo"]["status"], "FAIL")
        self.assertIn("kernel log: ", tests["rust_demo"]["log_excerpt"])

    def test_long_excerpt_keeps_its_end(self):
        lines = log("pass-guards.log")
        i = lines.index("    ok 2 truncated_image_refused")
        lines[i:i] = [f"    # filler line {n}" for n in range(3000)]
        with tempfile.TemporaryDirectory() as kdir:
            rep = kcidb.report("x86_64", kdir, [("x.log", lines, 0)])
        text = by_path(rep)["rust_demo.guards.truncated_image_refused"]["log_excerpt"]
        self.assertEqual(len(text), kcidb.EXCERPT_MAX)
        self.assertTrue(text.endswith("ok 2 truncated_image_refused"))


@unittest.skipUnless(os.environ.get("KCIDB_PYTHON"), "KCIDB_PYTHON is not set (make lint sets it to kcidb-io's venv)")
class SchemaTest(unittest.TestCase):
    def validate(self, rep):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "kcidb.json")
            with open(path, "w") as f:
                json.dump(rep, f)
            out = subprocess.run([os.environ["KCIDB_PYTHON"], VALIDATE, path], capture_output=True, text=True)
        return out.returncode, out.stdout + out.stderr

    def test_every_recorded_log_gives_a_valid_report(self):
        for name in sorted(os.listdir(DATA)):
            with self.subTest(name):
                rc, out = self.validate(report(name))
                self.assertEqual(rc, 0, out)
                self.assertIn("a valid KCIDB v5.3 report", out)

    def test_malformed_reports_fail(self):
        good = report("pass-guards.log")
        breakages = {
            # A step name with a space is no KCIDB path.
            "path": lambda r: r["tests"][1].update(path="rust_demo.guards.not an elf"),
            "status": lambda r: r["tests"][1].update(status="OK"),
            "id": lambda r: r["tests"][1].update(id="no origin prefix"),
            "build_id": lambda r: r["tests"][1].pop("build_id"),
            "version": lambda r: r.update(version={"major": 4, "minor": 9}),
            "excerpt": lambda r: r["tests"][1].update(log_excerpt="x" * (kcidb.EXCERPT_MAX + 1)),
        }
        for what, breakage in breakages.items():
            with self.subTest(what):
                bad = json.loads(json.dumps(good))
                breakage(bad)
                rc, out = self.validate(bad)
                self.assertEqual(rc, 1, out)
                self.assertIn("is not a valid KCIDB", out)


if __name__ == "__main__":
    unittest.main()
