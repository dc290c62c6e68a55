#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ko-patch.py IN OUT OLD NEW

Copy the module IN to OUT with the one occurrence of the string OLD replaced by
NEW, padded with NUL bytes to the same length, so that no offset in the ELF
file moves (modinfo strings such as "vermagic=...", "license=...",
"depends=..." are NUL-terminated, so the padding only shortens them). Fails
unless OLD occurs exactly once and NEW is not longer than OLD: a fixture that
changed nothing, or something else, is an error, not a silently valid module.
"""
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, dst, old, new = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode()
    data = open(src, "rb").read()
    if data.count(old) != 1:
        sys.exit(f"ko-patch.py: '{old.decode()}' occurs {data.count(old)} times in {src}, not once")
    if len(new) > len(old):
        sys.exit(f"ko-patch.py: '{new.decode()}' is longer than '{old.decode()}'")
    open(dst, "wb").write(data.replace(old, new.ljust(len(old), b"\0")))


if __name__ == "__main__":
    main()
