#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-parse.py KUNIT_PY LOG...

Run the kernel's own KTAP parser, `KUNIT_PY parse --json=BASE.json <LOG`
(BASE: LOG without .log), on each LOG as its command line runs it: its
output in LOG.kunit, its exit status in LOG.kunit.rc. kunit.py is imported
once and each parse runs in a child forked from here, its standard input and
output the files above: a process of its own costs about 0.15 s of CPU, and a
run has a log for every suite (qemu/host/run.sh). Exit status 0.
"""
import os
import sys
import traceback


def parse(kunit, log):
    """In a forked child: kunit.py parse on LOG; never returns."""
    code = 1
    try:
        os.dup2(os.open(log, os.O_RDONLY), 0)
        out = os.open(log + ".kunit", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        kunit.main(["parse", f"--json={log[:-len('.log')]}.json"])
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: B036  (whatever it is, the parse failed)
        traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv):
    if len(argv) < 3 or not all(l.endswith(".log") for l in argv[2:]):
        sys.exit(__doc__.split("\n\n")[0])
    sys.path.insert(0, os.path.dirname(os.path.abspath(argv[1])))
    import kunit  # the kernel's tools/testing/kunit/kunit.py

    children = {}
    for log in argv[2:]:
        pid = os.fork()
        if pid == 0:
            parse(kunit, log)
        children[pid] = log
    for pid, log in children.items():
        _, status = os.waitpid(pid, 0)
        with open(log + ".kunit.rc", "w") as f:
            f.write(f"{os.waitstatus_to_exitcode(status)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
