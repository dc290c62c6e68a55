#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rust-project.py GENERATED MODDIR SRCDIR

Print the rust-project.json that Kbuild generated for the modules in MODDIR
(`make rust-analyzer`), for an editor in SRCDIR: the crate roots point at the
sources in SRCDIR instead of their links in MODDIR, and rust_demo_user depends
on the crate rust_demo_export, as Kbuild builds it (--extern), so that the
editor resolves `rust_demo_export::...` in the user.
"""
import json
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    generated, moddir, srcdir = sys.argv[1:]
    project = json.load(open(generated))
    index = {}
    for i, crate in enumerate(project["crates"]):
        crate["root_module"] = crate["root_module"].replace(moddir.rstrip("/") + "/", srcdir.rstrip("/") + "/")
        index[crate.get("display_name")] = i
    if "rust_demo_user" not in index or "rust_demo_export" not in index:
        sys.exit(f"rust-project.py: {generated} lacks rust_demo_user or rust_demo_export")
    user = project["crates"][index["rust_demo_user"]]
    user["deps"].append({"crate": index["rust_demo_export"], "name": "rust_demo_export"})
    json.dump(project, sys.stdout, indent=4)
    print()


if __name__ == "__main__":
    main()
