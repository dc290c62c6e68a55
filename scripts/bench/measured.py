#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""measured.py PAGE REPORT

Put `make bench`'s REPORT into PAGE (docs/measured.md) as its section "The
latest `make bench` (Linux RELEASE, ARCH, DATE)", in place of the one there
(the section ends at the next "## " heading), so that the page keeps the
latest measurement and not a log of every run. RELEASE, ARCH and DATE come
from the report's first line ("make bench: Linux TREE, DATE, ...", TREE being
the kernel build directory's name, RELEASE-ARCH-HASH). Exit status 1, and the
page untouched, if the report is not one.
"""
import re
import sys

HEADING = "## The latest `make bench`"


def section(report):
    report = report.strip("\n")
    first = report.splitlines()[0] if report else ""
    m = re.match(r"make bench: Linux (\S+?)-(x86_64|arm64)(?:-\S*)?, (\d{4}-\d\d-\d\d), (\d+) cores", first)
    if not m:
        sys.exit(f"measured.py: not a make bench report (its first line: {first!r}); run make bench again")
    release, arch, date, cores = m.groups()
    return (f"{HEADING} (Linux {release}, {arch}, {date})\n\n"
            f"Written by `make bench` on a {cores}-core machine:\n\n```\n{report.rstrip()}\n```\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    page_path, report_path = sys.argv[1:]
    with open(report_path) as f:
        new = section(f.read())
    with open(page_path) as f:
        page = f.read()
    start = page.find(HEADING)
    if start < 0:
        sys.exit(f"measured.py: {page_path} has no '{HEADING}' section to replace")
    end = page.find("\n## ", start + len(HEADING))
    page = page[:start] + new + ("\n" + page[end + 1:] if end >= 0 else "")
    with open(page_path, "w") as f:
        f.write(page)
    print(f"measured.py: {page_path}: {new.splitlines()[0][3:]}")


if __name__ == "__main__":
    main()
