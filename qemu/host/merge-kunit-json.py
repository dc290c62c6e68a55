#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""merge-kunit-json.py BOOT.json...

Print one KernelCI-style test group (the format of the kernel's
tools/testing/kunit/kunit_json.py, which `kunit.py parse --json=FILE` writes)
for a run of several boots: the first boot's group, with every boot's
sub-groups (the suites) and test cases, and its counts ("misc", written by
7.x's kunit.py) summed.
"""
import json
import sys


def merge(groups):
    out = dict(groups[0], sub_groups=[], test_cases=[])
    for g in groups:
        out["sub_groups"] += g["sub_groups"]
        out["test_cases"] += g["test_cases"]
    if all("misc" in g for g in groups):
        out["misc"] = {k: sum(g["misc"][k] for g in groups) for k in groups[0]["misc"]}
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    groups = []
    for path in sys.argv[1:]:
        with open(path) as f:
            groups.append(json.load(f))
    json.dump(merge(groups), sys.stdout, indent=4)
    print()


if __name__ == "__main__":
    main()
