#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lava-results.py LAVA-LOG CONSOLE-DIR HOST-DIR

Compare LAVA's per-step results with the project's own verdict of the same
console. LAVA-LOG is lava-run's log (one YAML record a line): its "target"
records are the console (with firmware's noise before the KTAP header cut), split into boots at each "Boot command:" record and
written to CONSOLE-DIR/lava-console-N.log; its "results" records of the
monitors (definition = the suite, extra.test_case_id = the step) are LAVA's
results. HOST-DIR holds qemu/host's verdict.py and kcidb.py, whose parser
reads the consoles (verdict.py's verdict; kcidb.py's status per step, path
rust_demo.SUITE.STEP). Prints a table per suite and the disagreements; exit 0
only if LAVA finished every monitor, its results are exactly the steps of
the consoles with the same statuses, and verdict.py passes the consoles.
Runs in LAVA's root (python3-yaml reads LAVA's log).
"""
import os
import re
import sys

import yaml


# SeaBIOS clears the screen on the serial line (ESC c ESC [?7l ESC [2J, with no
# newline) before the kernel starts; LAVA's log keeps it without the ESCs, so
# the guest's first line, the top-level KTAP header, follows it on one line.
HEADER = re.compile(r"^\S.*(?<!^)(KTAP version 1)$")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    log, console_dir, host = sys.argv[1:]
    sys.path.insert(0, host)
    import kcidb  # noqa: E402 (HOST-DIR)

    boots, lava, problems = [], {}, []
    with open(log) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            rec = yaml.safe_load(line)
            lvl, msg = rec.get("lvl"), rec.get("msg")
            if lvl == "info" and isinstance(msg, str) and msg.startswith("Boot command:"):
                boots.append([])
            elif lvl == "target" and boots:
                boots[-1].append(HEADER.sub(r"\1", str(msg).rstrip("\r")))
            elif lvl == "results" and isinstance(msg, dict):
                if msg.get("definition") == "lava":
                    if msg.get("case") in ("job", "lava-test-monitor") and msg.get("result") != "pass":
                        problems.append(f"LAVA: {msg.get('case')} {msg.get('result')} ({msg.get('extra', {})})")
                    continue
                path = f"{kcidb.ROOT}.{msg['definition']}.{msg.get('extra', {}).get('test_case_id', msg['case'])}"
                if path in lava:
                    problems.append(f"LAVA: a second result for {path}")
                lava[path] = msg["result"].upper()
    if not boots:
        problems.append("LAVA's log has no boot (no 'Boot command:' record)")
    logs = []
    for i, lines in enumerate(boots, 1):
        path = os.path.join(console_dir, f"lava-console-{i}.log")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        logs.append((path, lines, 0))
    report = kcidb.report("lava", "lava", logs) if logs else {"tests": []}
    tests = {t["path"]: t for t in report["tests"]}
    ours = {p: t["status"] for p, t in tests.items() if p.count(".") == 2}

    suites = sorted({p.split(".")[1] for p in set(ours) | set(lava)})
    print(f"{'suite':16} {'LAVA pass/fail/skip':>20} {'verdict.py pass/fail/skip':>26}")
    for s in suites:
        def count(d):
            v = [st for p, st in d.items() if p.split(".")[1] == s]
            return "/".join(str(v.count(k)) for k in ("PASS", "FAIL", "SKIP"))
        print(f"{s:16} {count(lava):>20} {count(ours):>26}")
    for p in sorted(set(ours) | set(lava)):
        if p not in lava:
            problems.append(f"LAVA has no result for {p} ({ours[p]} in the console)")
        elif p not in ours:
            problems.append(f"LAVA has a result for {p} ({lava[p]}) that the console's KTAP does not")
        elif lava[p] != ours[p]:
            problems.append(f"{p}: LAVA says {lava[p]}, the console's KTAP {ours[p]}")
    root = tests.get(kcidb.ROOT)
    if root is not None and root["status"] != "PASS":
        problems.append("verdict.py fails the console LAVA saw: " + "; ".join(root["log_excerpt"].splitlines()))
    agree = sum(1 for p in lava if lava.get(p) == ours.get(p))
    if problems:
        print("FAIL:", *problems, sep="\n  ")
    print(f"lava: {len(lava)} step results, {agree} agree with verdict.py's reading of the same console"
          f"{'' if problems else '; pass'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
