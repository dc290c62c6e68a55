#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kcidb.py [--origin NAME] [--start TIME] ARCH KDIR CONSOLE-LOG QEMU-EXIT-STATUS [...]

Print one run's results as a KCIDB report (KernelCI's common database, schema
v5.3): the checkout (the kernel release of KDIR, and this project's commit),
the build (KDIR for ARCH), and the tests: "rust_demo" (the whole run, with
verdict.py's verdict), "rust_demo.SUITE" per suite and "rust_demo.SUITE.STEP"
per KTAP step, each with its status (PASS, FAIL, SKIP; a suite cut short is
ERROR, a suite that printed no steps MISS; a step the plan promised that never
came fails its suite) and its lines of the console as the log excerpt. The console logs and exit statuses are those of verdict.py,
whose parser reads them. Standard library only; scripts/ci/kcidb-validate.py
checks the report against KCIDB's own schema (kcidb-io).
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verdict  # noqa: E402

ROOT = "rust_demo"
# KCIDB's limit on a log excerpt (characters); the end of a long one is kept.
EXCERPT_MAX = 16384


def excerpt(lines):
    text = "\n".join(lines)
    return text if len(text) <= EXCERPT_MAX else text[-EXCERPT_MAX:]


def step_status(m):
    """KCIDB's status of one KTAP result line (verdict.RESULT's match)."""
    if m[1] is not None or m[4] == "TODO":
        return "FAIL"
    return "SKIP" if m[4] == "SKIP" else "PASS"


def kconfig(kdir, name):
    """A string option of KDIR's .config, or None."""
    try:
        with open(os.path.join(kdir, ".config")) as f:
            for line in f:
                if line.startswith(name + '="'):
                    return line.rstrip("\n")[len(name) + 2:-1]
    except OSError:
        pass
    return None


def release(kdir):
    try:
        with open(os.path.join(kdir, "include", "config", "kernel.release")) as f:
            return f.read().strip()
    except OSError:
        return os.path.basename(os.path.normpath(kdir))


def project_commit():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        out = subprocess.run(["git", "-C", here, "rev-parse", "HEAD"], capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def tests_of_log(lines, status, name, build_id, run, origin, boot):
    """The tests of one boot's console: each suite and each of its steps."""
    top, unfinished, _ = verdict.parse(lines)
    problems, _ = verdict.verdict(lines, status, name)
    tests = []

    def add(path, status, lines, **misc):
        tests.append({
            "id": f"{build_id}:{run}:{path}", "build_id": build_id, "origin": origin,
            "path": path, "status": status, "log_excerpt": excerpt(lines),
            "misc": dict(misc, console_log=os.path.basename(name), boot=boot),
        })

    if top is None:
        return tests, problems
    suites = [(top.children.get(n), m) for n, m in sorted(top.results.items())]
    if unfinished is not None:
        suites.append((unfinished, None))
    for suite, m in suites:
        if suite is None:  # a suite result with no steps: verdict.py fails it
            add(f"{ROOT}.{m[3]}", "MISS", [m[0]], ktap_number=int(m[2]))
            continue
        name = verdict.suite_test_name(suite.name, boot)
        for n, r in sorted(suite.results.items()):
            add(f"{ROOT}.{name}.{r[3]}", step_status(r), suite.excerpts[n], ktap_number=n)
        ours = [p for p in problems if f"suite {suite.name}" in p]
        if m is None:
            status, text = "ERROR", ours
        else:
            status = "FAIL" if ours or m[1] is not None else step_status(m)
            text = ours + [m[0]]
        add(f"{ROOT}.{name}", status, text, plan=suite.plan)
    return tests, problems


def report(arch, kdir, logs, origin="rust_demo_kmod", start=None):
    """The KCIDB report (a dict) of one run: logs is [(path, lines, qemu exit status)]."""
    start = start or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    run = "".join(c for c in start if c.isdigit())[:14]
    rel, commit = release(kdir), project_commit()
    checkout_id = f"{origin}:{rel}:{commit or 'uncommitted'}"
    build_id = f"{origin}:{os.path.basename(os.path.normpath(kdir))}"
    tests, problems, counts = [], [], [0, 0, 0]
    for boot, (path, lines, status) in enumerate(logs, 1):
        t, p = tests_of_log(lines, status, path, build_id, run, origin, boot)
        tests += t
        problems += p
        counts = [a + b for a, b in zip(counts, verdict.verdict(lines, status, path)[1])]
    line = verdict.verdict_line(counts, problems)
    tests.insert(0, {
        "id": f"{build_id}:{run}:{ROOT}", "build_id": build_id, "origin": origin, "path": ROOT,
        "status": "FAIL" if problems else "PASS", "start_time": start,
        "log_excerpt": excerpt(problems + [line]),
        "environment": {"comment": f"QEMU ({arch}), one boot per line of misc.boots"},
        "misc": {"boots": [os.path.basename(p) for p, _, _ in logs]},
    })
    checkout = {"id": checkout_id, "origin": origin, "start_time": start, "valid": True,
                "comment": f"Linux {rel} from Debian's source package, with rust-demo-kmod {commit or '(not a git checkout)'}",
                "misc": {"kernel_release": rel}}
    if commit:
        checkout["misc"]["rust_demo_kmod_commit"] = commit
    build = {"id": build_id, "origin": origin, "checkout_id": checkout_id, "architecture": arch,
             "config_name": os.path.basename(os.path.normpath(kdir)), "status": "PASS",
             "comment": f"Linux {rel} for {arch}, with the out-of-tree modules rust_demo_export and rust_demo_user"}
    for key, option in (("compiler", "CONFIG_CC_VERSION_TEXT"),):
        if (value := kconfig(kdir, option)) is not None:
            build[key] = value
    if (rustc := kconfig(kdir, "CONFIG_RUSTC_VERSION_TEXT")) is not None:
        build["misc"] = {"rustc": rustc}
    return {"version": {"major": 5, "minor": 3}, "checkouts": [checkout], "builds": [build], "tests": tests}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("--origin", default="rust_demo_kmod", help="the CI system's name in KCIDB ([a-z0-9_]+)")
    ap.add_argument("--start", help="the run's start time (ISO 8601; default now)")
    ap.add_argument("arch")
    ap.add_argument("kdir")
    ap.add_argument("logs", nargs="+", metavar="CONSOLE-LOG QEMU-EXIT-STATUS")
    args = ap.parse_args()
    if len(args.logs) % 2:
        ap.error("each console log needs its QEMU exit status")
    logs = []
    for path, status in zip(args.logs[::2], args.logs[1::2]):
        with open(path, errors="replace") as f:
            logs.append((path, [l.rstrip("\r\n").replace("\r", "") for l in f], int(status)))
    json.dump(report(args.arch, args.kdir, logs, args.origin, args.start), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
