#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mutants.py [--fast] [--only NAME,...] LIST [MAKE-VAR=VALUE ...]

Mutation testing of the project's judges: each mutant of LIST is a small change
to one file (a module, the guest's helpers, the fixtures' generator, verdict.py,
run.sh, ...) that breaks one behaviour, and the make target it names (`test
SUITE=...`, or `unit` for the host's programs) must fail on it. Each is applied
alone to a copy of this tree (the files git tracks, as they are now) in
$CACHE/mutants/tree; the copy keeps its out/ between runs, so that a module is
rebuilt only when a mutant changes it. First every target runs on the copy
unchanged and must pass: a mutant counts as killed only where the same target
passed without it.

A mutant in LIST:

    ## NAME: the behaviour it breaks
    file: PATH
    make: TARGET [VAR=VALUE ...]
    fast: yes            (optional: also in --fast, which CI runs)
    - a line of PATH, or part of one, exactly as it is (once in the file)
    + what it becomes

Prints "killed" or "survived" for each with its time, then a count; exit
status 1 if any mutant survived or could not be applied, or a target failed
without mutants.
"""
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse(path):
    """The mutants of LIST: a dict each (name, why, file, make, fast, old, new)."""
    mutants, m = [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if h := re.match(r"## (\S+): (.+)", line):
                m = {"name": h[1], "why": h[2], "fast": False, "line": n}
                mutants.append(m)
            elif line.startswith("#") or not line.strip():
                continue
            elif m is None:
                sys.exit(f"{path}:{n}: a line before the first '## NAME: ...'")
            elif line.startswith("file: "):
                m["file"] = line[6:]
            elif line.startswith("make: "):
                m["make"] = line[6:].split()
            elif line == "fast: yes":
                m["fast"] = True
            elif line.startswith("- "):
                m["old"] = line[2:]
            elif line.startswith("+ "):
                m["new"] = line[2:]
            elif line == "+":
                m["new"] = ""
            else:
                sys.exit(f"{path}:{n}: not a line of a mutant: {line!r}")
    for m in mutants:
        missing = [k for k in ("file", "make", "old", "new") if k not in m]
        if missing:
            sys.exit(f"{path}:{m['line']}: mutant {m['name']} has no {', '.join(missing)}")
    names = [m["name"] for m in mutants]
    if len(names) != len(set(names)):
        sys.exit(f"{path}: two mutants with one name")
    return mutants


def copy_tree(dest):
    """dest: the files git tracks (and new ones it does not ignore), as they are in the work tree;
    a file of an earlier copy that is no longer there is removed (out/, the builds, is kept)."""
    files = subprocess.run(["git", "-C", TOP, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    files = set(filter(None, files))
    for root, dirs, names in os.walk(dest):
        rel = os.path.relpath(root, dest)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != "out"]
        for name in names:
            f = os.path.normpath(os.path.join(rel, name))
            if f not in files:
                os.unlink(os.path.join(root, name))
    for f in sorted(files):
        src, dst = os.path.join(TOP, f), os.path.join(dest, f)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as a:
            data = a.read()
        old = None
        if os.path.exists(dst):
            with open(dst, "rb") as b:
                old = b.read()
        if data != old:  # untouched files keep their times, so make rebuilds only what changed
            with open(dst, "wb") as b:
                b.write(data)
            shutil.copymode(src, dst)


def run_make(tree, target, variables, log):
    """Exit status and seconds of `make TARGET VARIABLES` in tree, its output in log."""
    t0 = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.run(["make", "-C", tree, "--no-print-directory", *target, *variables],
                            stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
    return rc, time.monotonic() - t0


def last_failure(log):
    """The first line of log that says why the target failed, for the report."""
    with open(log, errors="replace") as f:
        lines = f.read().splitlines()
    for pattern in (r"^(FAIL|ERROR): test", r"^  .*(step \d+ failed|did not run|kernel log:|no result|timed out)",
                    r"^verdict: ", r"error", r"FAILED"):
        for line in lines:
            if re.search(pattern, line):
                return line.strip()
    return lines[-1].strip()[:150] if lines else "(no output)"


def main():
    args = sys.argv[1:]
    fast = "--fast" in args
    args = [a for a in args if a != "--fast"]
    only = None
    if args[:1] == ["--only"]:
        only, args = set(args[1].split(",")), args[2:]
    if not args:
        sys.exit(__doc__)
    mutants = [m for m in parse(args[0]) if (not fast or m["fast"]) and (only is None or m["name"] in only)]
    variables = args[1:]
    cache = os.environ.get("CACHE") or sys.exit("mutants.py: CACHE is not set; run it through `make mutants`")
    tree = os.path.join(cache, "mutants", "tree")
    logs = os.path.join(cache, "mutants", "logs")
    os.makedirs(logs, exist_ok=True)
    copy_tree(tree)
    start = time.monotonic()

    # Each target must pass on the tree as it is.
    for target in sorted({tuple(m["make"]) for m in mutants}):
        log = os.path.join(logs, "baseline-" + re.sub(r"[^A-Za-z0-9_.-]", "_", "-".join(target)) + ".log")
        rc, secs = run_make(tree, list(target), variables, log)
        print(f"baseline  make {' '.join(target)}: {'passes' if rc == 0 else 'FAILS'} ({secs:.0f} s)", flush=True)
        if rc != 0:
            print(f"mutants.py: `make {' '.join(target)}` fails without any mutant ({last_failure(log)}); "
                  f"see {log}: fix that first")
            return 1

    survived, broken = [], []
    originals = {}
    for m in mutants:
        path = os.path.join(tree, m["file"])
        if m["file"] not in originals:
            with open(path) as f:
                originals[m["file"]] = f.read()
        text = originals[m["file"]]
        if text.count(m["old"]) != 1:
            print(f"broken    {m['name']}: '{m['old']}' is in {m['file']} {text.count(m['old'])} times, not once")
            broken.append(m["name"])
            continue
        with open(path, "w") as f:
            f.write(text.replace(m["old"], m["new"]))
        log = os.path.join(logs, m["name"] + ".log")
        rc, secs = run_make(tree, m["make"], variables, log)
        with open(path, "w") as f:
            f.write(text)
        if rc == 0:
            survived.append(m["name"])
            print(f"SURVIVED  {m['name']} ({secs:.0f} s): {m['why']}; `make {' '.join(m['make'])}` passed "
                  f"with it (see {log})", flush=True)
        else:
            print(f"killed    {m['name']} ({secs:.0f} s): {last_failure(log).split('.log: ', 1)[-1][:150]}", flush=True)
    # The tree as it was, built again by the next run's baseline.
    print(f"mutants: {len(mutants) - len(survived) - len(broken)} killed, {len(survived)} survived, "
          f"{len(broken)} not applied, of {len(mutants)}, in {time.monotonic() - start:.0f} s")
    if survived:
        print(f"mutants.py: survived: {', '.join(survived)}; add a test that fails when that behaviour breaks")
    return 1 if survived or broken else 0


if __name__ == "__main__":
    sys.exit(main())
