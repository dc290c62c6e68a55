#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lava-job.py NAME ARCH PLAN-DIR IMAGE-URL INITRD-URL

Print a LAVA job definition (qemu/lava/job.yaml.in, boot.yaml.in and
monitor.yaml.in filled in) for the boots that qemu/host/run.sh planned in
PLAN-DIR (PLAN=DIR: boot-N.args, each boot's QEMU command line, one argument a
line, and boot-N.timeout, its seconds): per boot, a tmpfs deploy of the kernel and initramfs from their file://
(or http://) URLs, a QEMU boot with that boot's kernel command line, and one
monitor per suite (the suites are the boot's demo_suites=). The QEMU options
other than the images, -m, -nodefaults and -display (LAVA's template adds
-nographic for the console) become the job's context.extra_options.
"""
import glob
import json
import os
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "host"))
import verdict  # noqa: E402 (the canary's name and how the reports name it)
# Options of qemu/host/qemu.sh that LAVA's qemu template provides itself.
DROPPED = {"-nodefaults": 0, "-display": 1, "-kernel": 1, "-initrd": 1}


def template(name):
    """A template file without its leading comment lines."""
    with open(os.path.join(HERE, name)) as f:
        lines = f.read().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return string.Template("".join(lines))


def q(value):
    """A YAML scalar or flow sequence: JSON is YAML."""
    return json.dumps(value)


def parse_args(argv):
    """(append, memory, extra options) of one boot's QEMU command line."""
    append, memory, extra, i = None, None, [], 1
    while i < len(argv):
        a = argv[i]
        if a in DROPPED:
            i += 1 + DROPPED[a]
            continue
        value = argv[i + 1] if i + 1 < len(argv) and not argv[i + 1].startswith("-") else None
        if a == "-append":
            append = value
        elif a == "-m":
            memory = int(value.rstrip("M"))
        else:
            extra.append(a if value is None else f"{a} {value}")
        i += 2 if value is not None else 1
    if append is None or memory is None:
        sys.exit(f"error: no -append or -m in {argv}; is this qemu/host/qemu.sh's command line?")
    return append, memory, extra


# One suite's LAVA monitor: from its "# Subtest:" line to its own top-level
# result (the last suite of a boot: to the KTAP end marker "# Totals:", which
# verdict.py needs; LAVA stops QEMU after the last monitor), each indented KTAP
# result line is a LAVA result. pexpect matches the console without multiline
# mode and as soon as a pattern matches what has arrived: a line start is
# (?<=\n), and a pattern looks ahead to the newline (so the step name is
# whole) without taking it (the next line's (?<=\n) needs it). result is
# "not ok", "ok", or, for "ok N NAME # SKIP ...", only the "o" (the "k" is
# matched outside it), which fixupdict maps to LAVA's fail, pass and skip.
PATTERN = r"(?<=\n)    (?P<result>not ok|ok(?! \d+ \w+ # SKIP)|o)k? \d+ (?P<test_case_id>\w+)[^\n]*(?=\n)"
FIXUPDICT = {"not ok": "fail", "ok": "pass", "o": "skip"}


def monitors(suites, boot):
    """The monitors of boot number boot, which runs suites (the canary first), in order;
    each named as kcidb.py names the suite, so that lava-results.py can compare them."""
    ends = [rf"(?<=\n)(?:not )?ok \d+ {s}\b[^\n]*(?=\n)" for s in suites[:-1]] + [r"(?<=\n)# Totals:[^\n]*(?=\n)"]
    return [{"name": verdict.suite_test_name(s, boot), "start": f"# Subtest: {s}", "end": e,
             "pattern": PATTERN, "fixupdict": FIXUPDICT}
            for s, e in zip(suites, ends)]


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    name, arch, plan, image_url, initrd_url = sys.argv[1:]
    paths = sorted(glob.glob(os.path.join(plan, "boot-*.args")), key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0]))
    if not paths:
        sys.exit(f"error: no boot-N.args in {plan}; run qemu/host/run.sh with PLAN={plan} first")
    boots, options, total = [], None, 0
    for path in paths:
        with open(path) as f:
            append, memory, extra = parse_args(f.read().splitlines())
        with open(path[:-len(".args")] + ".timeout") as f:
            seconds = int(f.read())
        total += seconds
        if options not in (None, (memory, extra)):
            sys.exit(f"error: {path}: the boots differ in more than the kernel command line")
        options = (memory, extra)
        suites = [verdict.CANARY] + [w.split("=", 1)[1] for w in append.split() if w.startswith("demo_suites=")][0].split(",")
        text = "".join(template("monitor.yaml.in").substitute({k: q(v) for k, v in m.items()})
                       for m in monitors(suites, len(boots) + 1))
        boots.append(template("boot.yaml.in").substitute(
            kernel_arg=q(f'-kernel {{kernel}} -append "{append}"'), kernel_url=q(image_url),
            initrd_url=q(initrd_url), test_seconds=seconds, monitors=text.rstrip("\n")))
    memory, extra = options
    job_minutes = total // 60 + 5 * len(boots)
    sys.stdout.write(template("job.yaml.in").substitute(
        job_name=q(name), job_minutes=job_minutes, arch=q(arch), memory=memory,
        extra_options=q(extra), boots="".join(boots)))


if __name__ == "__main__":
    main()
