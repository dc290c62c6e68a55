#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""loader-doc.py [--check DOC] TEMPLATE CONSOLE-LOG...

Print TEMPLATE with each line "@@ SUITE STEP @@" replaced by what that step of
the suites ran and saw, on every kernel whose console log (from `make test`)
is given: the commands, their output, and the kernel's messages about the
modules and their ELF images (other kernel lines, such as clocksource notices,
happen to fall in a step's time and are left out). So the messages in the
walkthrough come from real runs and cannot drift from the kernels. Several
logs of one release (a kernel and its DEBUG=1 build): the first that ran the
step gives it; a release where every log skipped it shows the reason. Where
the kernels that ran a step printed the same, but for their release strings,
one block is shown and says so; otherwise one block a kernel. "@@ table
errnos @@" and "@@ table taints @@" become tables of the errnos and the taint
bits the suites assert (from their source: failed_with "with ENAME",
refused's kmod words, TAINT_X and ktap_helpers.sh's list of bits), with how
many of those steps ran on each kernel (from the logs).

--check DOC: say whether DOC is what would be printed, up to the kernels'
patch level. Each series is pinned (KERNEL=6.12 is Linux 6.12) but its newest
release follows Debian's archive, so a release string (6.12.117, and the
fixture's 9.99.999 made from it) compares as its series (6.12.y, 9.99.y),
and a symbol CRC of --dump-modversions as 0x<crc>:
a new stable release with the same messages passes, a changed message or a
new series (7.3 -> 7.4) fails. Exit status 0 if DOC matches, 1 if not.
"""
import difflib
import os
import re
import sys

STEP = re.compile(r"^    (?:not )?ok \d+ (\S+)(?: # SKIP (.*))?")
KEEP_KERNEL = re.compile(r"rust_demo|ELF|Loading of .* is rejected|Loaded X.509 cert|Lockdown: ")
# The task id CONFIG_PRINTK_CALLER puts in each kernel line ("[  T123] "): it
# differs from run to run, so it is left out.
CALLER = re.compile(r"^\[kernel\] \[ *[TC]\d+\] ")
# Each kernel build makes its own signing key: its serial number (modinfo's
# sig_key, XX:XX:...) and subject key id (40 hex digits) differ from build to
# build, so they are shown as placeholders.
KEY_SERIAL = re.compile(r"\b(?:[0-9A-F]{2}:){7,}[0-9A-F]{2}\b")
KEY_ID = re.compile(r"\b[0-9a-f]{40}\b")
# Other values that differ from run to run: where a module landed (the
# module area is shared by every load of the boot) and a process id (the
# on_demand suite's recording of modprobe's command line).
ADDRESS = re.compile(r"\b0xffff[0-9a-f]{12}\b")
PID_ARGV = re.compile(r"^\d+ (-q -- )")


SUITES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "qemu", "guest", "suites")
HELPERS = os.path.join(SUITES, "..", "ktap_helpers.sh")
# The errno behind the words kmod's insmod prints (mod_strerror() in tools/insmod.c, else
# strerror()), for the guards suite's refused() calls, which give the words.
KMOD_WORDS = {"Invalid module format": "ENOEXEC", "Unknown symbol in module": "ENOENT",
              "Invalid parameters": "EINVAL", "Operation not permitted": "EPERM",
              "File exists": "EEXIST", "Key was rejected by service": "EKEYREJECTED"}


def asserted():
    """({errno: [(suite, step)]}, {taint variable: [(suite, step)]}) of the suites' source: the
    steps whose assertions name an errno (an ENAME in failed_with's description, or refused with
    kmod's words for one) or a taint bit (TAINT_X)."""
    errnos, taints = {}, {}
    # What the suites' own taint variables stand for (ktap_helpers.sh): the bit a step requires.
    derived = {"MOD_TAINT": "TAINT_O", "FORCED_TAINT": "TAINT_F"}
    for name in sorted(os.listdir(SUITES)):
        suite, step, conds = name[:-3], None, []
        for line in open(os.path.join(SUITES, name)):
            # The feature a branch runs under ("if feature F", "if needs F ...", "if ! feature F").
            if m := re.match(r"\s*if (!? ?)(?:feature|needs) (\w+)", line):
                conds.append(("not " if m[1] else "") + m[2])
            elif re.match(r"\s*if ", line):
                conds.append(None)
            elif re.match(r"\s*else\b", line) and conds and conds[-1]:
                conds[-1] = conds[-1][4:] if conds[-1].startswith("not ") else "not " + conds[-1]
            elif re.match(r"\s*fi\b", line) and conds:
                conds.pop()
            if m := re.match(r"\s*step (\w+) ", line):
                step = m[1]
            elif re.match(r"\s*end\s*$", line):
                step = None
            if step is None or "clean_log_and_taint" in line:
                continue
            where = list(dict.fromkeys(c for c in conds if c))
            key = (suite, step, f" ({', '.join(where)})" if where else "")
            found = set()
            if m := re.match(r'\s*failed_with "([^"]*)"', line):
                found = set(re.findall(r"\b(E[A-Z]{3,})\b", m[1]))
            if m := re.match(r'\s*refused \S+ \S+ "([^"]+)"', line):
                found.add(KMOD_WORDS.get(m[1], m[1]))
            for e in found:
                errnos.setdefault(e, []).append(key)
            named = set(re.findall(r"\bTAINT_[A-Z]\b", line))
            named |= {derived[v] for v in re.findall(r"\b(MOD_TAINT|FORCED_TAINT)\b", line)}
            for t in named:
                taints.setdefault(t, []).append(key)
    return errnos, taints


def in_order(releases):
    """The kernel releases, oldest first (6.12.118 before 7.3.4)."""
    return sorted(releases, key=lambda r: [int(x) for x in re.findall(r"\d+", r)])


def table(kind, by_release):
    """The Markdown table of the errnos or the taints the suites assert, each with its steps and
    what became of them on each kernel (ok, skipped, or failed), from the logs."""
    errnos, taints = asserted()
    releases = in_order(by_release)
    def results(steps):
        cells = []
        for r in releases:
            got = [by_release[r].get(s[:2]) for s in steps]
            ran = sum(1 for g in got if g is not None and g[0] is None)
            skipped = sum(1 for g in got if g is not None and g[0] is not None)
            cell = "passed" if ran == len(steps) else f"{ran} of {len(steps)} passed"
            if skipped:
                cell += f", {skipped} skipped"
            if ran + skipped < len(steps):
                cell += f", {len(steps) - ran - skipped} not run"
            cells.append(cell)
        return cells
    def steps_text(steps):
        return ", ".join(f"{s} {t}{c}" for s, t, c in dict.fromkeys(steps))
    head = " | ".join(f"Linux {r}" for r in releases)
    if kind == "errnos":
        out = [f"| errno | asserted by (suite step) | {head} |", "|---" * (2 + len(releases)) + "|"]
        for e in sorted(errnos):
            steps = list(dict.fromkeys(errnos[e]))
            out.append(f"| {e} | {steps_text(steps)} | " + " | ".join(results(steps)) + " |")
        return out
    bits = {}
    for line in open(HELPERS):
        if m := re.match(r"(TAINT_([A-Z]))=(\d+) +# (\w+): (.*)", line):
            bits[m[1]] = (m[2], int(m[3]), m[4], m[5])
    out = [f"| letter | bit (value) | the kernel's name | when | asserted by (suite step) | {head} |",
           "|---" * (5 + len(releases)) + "|"]
    for t, (letter, value, name, when) in sorted(bits.items(), key=lambda x: x[1][1]):
        steps = list(dict.fromkeys(taints.get(t, [])))
        cells = results(steps) if steps else ["-"] * len(releases)
        out.append(f"| {letter} | {value.bit_length() - 1} ({value}) | {name} | {when} | "
                   f"{steps_text(steps) or '(allowed by clean_log_and_taint, not required)'} | " + " | ".join(cells) + " |")
    return out


def steps(path):
    """(kernel release, {(suite, step): (skip reason or None, [lines])}) from one console log."""
    release, suite, lines, found = None, None, [], {}
    for line in open(path, errors="replace"):
        line = line.rstrip("\n").replace("\r", "")
        if m := re.match(r"^# Linux (\S+), suites:", line):
            release = m[1]
        elif m := re.match(r"^    # Subtest: (\S+)", line):
            suite, lines = m[1], []
        elif suite and (m := STEP.match(line)):
            found[(suite, m[1])] = (m[2], lines)
            lines = []
        elif suite and line.startswith("    # "):
            text = line[6:].replace("\x7f", "\\x7f")
            text = KEY_ID.sub("<subject key id>", KEY_SERIAL.sub("<serial number>", text))
            text = PID_ARGV.sub(r"<pid> \1", ADDRESS.sub("<address>", text))
            if text.startswith("[kernel] "):
                text = CALLER.sub("[kernel] ", text)
                if KEEP_KERNEL.search(text):
                    lines.append(text)
            elif not text.startswith(("FAILED:", "SKIP:", "   ok:", "=>", "----")) and text:
                lines.append(text)
    if release is None:
        sys.exit(f"loader-doc.py: {path} has no '# Linux ...' line; is it a console log of make test?")
    return release, found


def release_aside(lines, release):
    """lines with release, and the fixture's made-up release of it (every digit a 9), as <release>:
    what two kernels' blocks are compared by, to show them once when they are the same."""
    nines = re.sub(r"\d", "9", release)
    pattern = re.compile(rf"(?<![\d.])(?:{re.escape(release)}|{re.escape(nines)})(?![\d])")
    return [pattern.sub("<release>", l) for l in lines]


def series_of(releases):
    """The series (major.minor) of each release, as written in its release string."""
    return {m[1] for r in releases if (m := re.match(r"(\d+\.\d+)\.\d+", r))}


def normalise(text, series):
    """text with every release of the given series, and the fixture's made-up
    release of it (make-fixtures.sh: every digit made 9), written as SERIES.y;
    and the symbol CRCs that `modprobe --dump-modversions` lists ("0x1234abcd
    NAME"), which follow the types of the kernel's source and so may change in
    a stable release, as 0x<crc>."""
    text = re.sub(r"^0x[0-9a-f]{8}\t", "0x<crc>\t", text, flags=re.M)
    for s in series:
        nines = re.sub(r"\d", "9", s)
        text = re.sub(rf"(?<![\d.]){re.escape(s)}\.\d+(?![\d])", f"{s}.y", text)
        text = re.sub(rf"(?<![\d.]){re.escape(nines)}\.9+(?![\d])", f"{nines}.y", text)
    return text


def check(doc_path, generated, releases):
    """0 if the document at doc_path is generated, releases of a series aside; else 1, with a diff."""
    series = series_of(releases)
    with open(doc_path) as f:
        doc = normalise(f.read().rstrip("\n"), series)
    new = normalise(generated.rstrip("\n"), series)
    if doc == new:
        print(f"{doc_path} matches the messages of Linux {', '.join(sorted(series))} "
              f"(the kernels now: {', '.join(sorted(set(releases)))})")
        return 0
    diff = difflib.unified_diff(doc.splitlines(), new.splitlines(), doc_path, "the kernels now", lineterm="")
    print("\n".join(list(diff)[:60]), file=sys.stderr)
    print(f"loader-doc.py: {doc_path} differs from what Linux {', '.join(sorted(set(releases)))} print now "
          f"(releases of a series compared as one); run 'make docs' and review the diff", file=sys.stderr)
    return 1


def main():
    args = sys.argv[1:]
    doc_path = None
    if args[:1] == ["--check"]:
        doc_path, args = args[1], args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    kernels = [steps(p) for p in args[1:]]
    by_release = {}
    for release, found in kernels:
        steps_of = by_release.setdefault(release, {})
        for key, (skip, lines) in found.items():
            if key not in steps_of or (steps_of[key][0] is not None and skip is None):
                steps_of[key] = (skip, lines)
    out = []
    for line in open(args[0]):
        if t := re.fullmatch(r"@@ table (errnos|taints) @@\n?", line):
            out += table(t[1], by_release)
            continue
        m = re.fullmatch(r"@@ (\S+) (\S+) @@\n?", line)
        if not m:
            out.append(line.rstrip("\n"))
            continue
        releases = in_order(by_release)
        for release in releases:
            if (m[1], m[2]) not in by_release[release]:
                sys.exit(f"loader-doc.py: no step {m[1]}/{m[2]} in the logs of Linux {release}")
        shown = {r: by_release[r][(m[1], m[2])] for r in releases}
        ran = [r for r in releases if shown[r][0] is None]
        same = len(ran) > 1 and len({"\n".join(release_aside(shown[r][1], r)) for r in ran}) == 1
        for release in releases:
            skip, lines = shown[release]
            if skip is not None:
                out += [f"Linux {release}: skipped, {skip}.", ""]
            elif not same:
                out += [f"Linux {release}:", "```", *lines, "```"]
            elif release == ran[0]:
                out += [f"Linux {' and '.join(ran)}, the same on each but for the release (shown: {release}):",
                        "```", *lines, "```"]
    if doc_path:
        sys.exit(check(doc_path, "\n".join(out), [release for release, _ in kernels]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
