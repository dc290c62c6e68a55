#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lab_check.py student CONSOLE-LOG
lab_check.py check LAB-DIR CONSOLE-LOG...

The lab's judge (lab/, qemu/host/lab-build.sh), over console logs of
qemu/host/run.sh whose boots each ran one exercise's check (a suite named
lab_EXERCISE, lab_EXERCISE__solution or lab_EXERCISE__wrong_NAME).

student: one closing line for `make lab EX=NAME`: passed, or the first step
that failed with its hints. Exit status 0 if the check passed.

check: `make lab-check`, the proof that the checks check: each exercise's
LAB-DIR/EXERCISE/expected says, for each variant, "pass" or the step that must
fail first; such a step must also print a hint. Everything else about the boot
must be sound, as verdict.py judges it (the canary, the plans, the end marker,
no panic, oops or WARN, no timeout): a check that fails by crashing the kernel
is a broken check. Every variant of an expected file must have a log. Exit
status 0 if every variant came out as expected.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verdict  # noqa: E402


def read(path):
    with open(path, errors="replace") as f:
        return [l.rstrip("\r\n").replace("\r", "") for l in f]


def lab_suite(top):
    """The lab suite of a parsed boot (the one whose name starts with lab_), or None."""
    for block in (top.children.values() if top else []):
        if block.name.startswith("lab_"):
            return block
    return None


def first_failure(suite):
    """(step name, its hint lines) of suite's first failed step, or None."""
    for n, m in sorted(suite.results.items()):
        if m[1] is not None:
            hints = [l[len("# hint: "):] for l in suite.excerpts.get(n, []) if l.startswith("# hint: ")]
            return m[3], hints
    return None


def judge(lines, status, name):
    """(suite name or None, problems that are not the lab suite's own failed steps,
    its first failure or None)."""
    problems, _ = verdict.verdict(lines, status, name)
    top, _, _ = verdict.parse(lines)
    suite = lab_suite(top)
    if suite is None:
        return None, problems + [f"{name}: no lab suite (lab_...) in the log"], None
    own = f"{name}: suite {suite.name}: step "
    other = [p for p in problems if not (p.startswith(own) and " failed: " in p)]
    return suite.name, other, first_failure(suite)


def status_of(lines):
    """QEMU's exit status as the log tells it: run.sh notes a timeout in the log."""
    return 124 if any(l.startswith("QEMU timed out after") for l in lines) else 0


def student(path):
    lines = read(path)
    name, other, failure = judge(lines, status_of(lines), path)
    if name is None:
        print(f"lab: the check did not run (see {path})", *other, sep="\n  ")
        return 1
    exercise = name[len("lab_"):].split("__")[0]
    if failure is None and not other:
        print(f"lab: {exercise}: passed")
        return 0
    if failure is None:
        print(f"lab: {exercise}: the check's boot went wrong:", *other, sep="\n  ")
        return 1
    step, hints = failure
    print(f"lab: {exercise}: not yet: step '{step}' failed" + (f"; hint: {hints[0]}" if hints else ""))
    return 1


def expected(lab_dir, exercise):
    """{suite name: "pass" or the step that must fail first} of lab/EXERCISE/expected."""
    want = {}
    with open(os.path.join(lab_dir, exercise, "expected")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            variant, result = line.split()
            suffix = {"start": ""}.get(variant, "__" + variant.replace("/", "_"))
            want[f"lab_{exercise}{suffix}"] = result
    return want


def check(lab_dir, paths):
    seen, problems, exercises = {}, [], set()
    for path in paths:
        lines = read(path)
        name, other, failure = judge(lines, status_of(lines), path)
        if name is None:
            problems += other
            continue
        seen[name] = (path, other, failure)
        exercises.add(name[len("lab_"):].split("__")[0])
    for exercise in sorted(exercises):
        for name, want in expected(lab_dir, exercise).items():
            if name not in seen:
                problems.append(f"{name}: no boot ran it")
                continue
            path, other, failure = seen.pop(name)
            problems += other
            if want == "pass":
                if failure is not None:
                    problems.append(f"{name}: must pass, but step '{failure[0]}' failed ({path})")
                elif not other:
                    print(f"lab-check: {name}: passed, as it must")
            elif failure is None:
                problems.append(f"{name}: must fail at step '{want}', but passed: the check accepts it ({path})")
            elif failure[0] != want:
                problems.append(f"{name}: must fail first at step '{want}', but failed first at '{failure[0]}' ({path})")
            elif not failure[1]:
                problems.append(f"{name}: failed at step '{want}' with no hint ({path})")
            elif not other:
                print(f"lab-check: {name}: failed at '{want}', as it must; hint: {failure[1][0]}")
    problems += [f"{name}: not in lab/{name[4:].split('__')[0]}/expected ({seen[name][0]})" for name in seen]
    if problems:
        print("lab-check: FAIL:", *problems, sep="\n  ")
        return 1
    return 0


def main(argv):
    if len(argv) == 2 and argv[0] == "student":
        return student(argv[1])
    if len(argv) >= 3 and argv[0] == "check":
        return check(argv[1], argv[2:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
