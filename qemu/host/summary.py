#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""summary.py KCIDB-REPORT.json

Print a run's results as a Markdown table, one row per suite (its status and
its steps' counts), from the KCIDB report that qemu/host/kcidb.py wrote; the
failed steps are listed under it. For a CI job's summary page
(GitHub Actions: make -s summary >>"$GITHUB_STEP_SUMMARY").
"""
import json
import sys

ROOT = "rust_demo"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        with open(sys.argv[1]) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: no KCIDB report to summarise ({e}); run make test first")
    tests = report["tests"]
    build = report["builds"][0]
    suites = [t for t in tests if t["path"].count(".") == 1]
    root = next(t for t in tests if t["path"] == ROOT)
    print(f"### {build['config_name']} ({build['architecture']}): {root['status']}\n")
    print("| suite | status | passed | failed | skipped |")
    print("|---|---|---:|---:|---:|")
    for s in suites:
        steps = [t["status"] for t in tests if t["path"].startswith(s["path"] + ".")]
        print(f"| {s['path'].split('.')[1]} | {s['status']} | {steps.count('PASS')} | "
              f"{steps.count('FAIL')} | {steps.count('SKIP')} |")
    failed = [t["path"] for t in tests if t["path"].count(".") == 2 and t["status"] != "PASS" and t["status"] != "SKIP"]
    if failed:
        print("\nFailed: " + ", ".join(f"`{p}`" for p in failed))
    print(f"\n`{root['log_excerpt'].splitlines()[-1]}`")


if __name__ == "__main__":
    main()
